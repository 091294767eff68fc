"""The public directory of partnerships (R-PART-1) and the applicant's organisations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Count,
    Prefetch,
    Q,
    QuerySet,
)
from django.http import Http404

from organisations.choices import ParticipantRole, ProfileStatus
from organisations.eligibility import EligibilityVerdict, evaluate
from organisations.models import IndustrialEcosystem, Organisation
from organisations.selectors import (
    eligibility_queryset,
    organisation_facts,
    participating_country_codes,
)

from .. import permissions
from ..models import (
    Partnership,
)

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User

# --- partnerships (public) -----------------------------------------------------------------------


def partnership_list(*, today: date) -> QuerySet[Partnership]:
    """R-PART-1: the public directory — partnerships active on ``today`` (started, not ended),
    with ecosystems and the count of validated member clusters, the ones its page lists (two
    queries whatever the number of partnerships)."""
    return (
        Partnership.objects.valid_on(today)
        .annotate(
            member_count=Count(
                "members",
                filter=Q(members__status=ProfileStatus.VALIDATED),
                distinct=True,
            )
        )
        .prefetch_related("ecosystems")
        .order_by("acronym")
    )


def partnership_get(*, slug: str) -> Partnership:
    """R-PART-1: one partnership's public profile, with its validated member clusters."""
    try:
        validated_members: Any = Prefetch(
            "members",
            queryset=Organisation.objects.filter(status=ProfileStatus.VALIDATED).order_by(
                "country", "legal_name"
            ),
            to_attr="validated_members",
        )
        return Partnership.objects.prefetch_related(
            "ecosystems",
            validated_members,
        ).get(slug=slug)
    except Partnership.DoesNotExist as exc:
        raise Http404("No such partnership.") from exc


def partnership_is_open(partnership: Partnership, *, today: date) -> bool:
    """Whether the partnership is active on ``today`` (R-PART-2: it takes interests)."""
    return partnership.is_valid_on(today)


def ecosystem_list() -> QuerySet[IndustrialEcosystem]:
    return IndustrialEcosystem.objects.order_by("name")


def staff_partnership_list(*, user: User) -> QuerySet[Partnership]:
    """Partnerships whose inbox ``user`` may read: their own, or all for the Support Office."""
    if permissions.is_support_office(user):
        return Partnership.objects.order_by("acronym")
    return Partnership.objects.filter(pk__in=permissions.staff_partnership_ids(user)).order_by(
        "acronym"
    )


# --- applicant's organisations -------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicantOrganisation:
    organisation: Organisation
    verdict: EligibilityVerdict

    def allowed_roles(self) -> list[str]:
        return [
            role
            for role in (ParticipantRole.VISITOR, ParticipantRole.HOST)
            if self.verdict.for_role(role).allowed
        ]


def expressible_roles(mine: list[ApplicantOrganisation]) -> list[str]:
    """The roles for which at least one of ``mine`` may express interest today: a validated
    profile (R-ELIG-5) that the engine allows in that role (R-ELIG-2 … R-ELIG-11)."""
    return [
        role
        for role in (ParticipantRole.VISITOR, ParticipantRole.HOST)
        if any(a.organisation.is_validated and role in a.allowed_roles() for a in mine)
    ]


def applicant_organisation_list(*, user: User, today: date) -> list[ApplicantOrganisation]:
    """The organisations ``user`` actively represents, each with today's eligibility verdict."""
    orgs = list(
        eligibility_queryset(
            Organisation.objects.filter(pk__in=permissions.represented_organisation_ids(user))
        ).order_by("legal_name")
    )
    if not orgs:
        return []
    participating = participating_country_codes(today=today)
    return [
        ApplicantOrganisation(
            organisation=org,
            verdict=evaluate(
                organisation_facts(org), participating_countries=participating, today=today
            ),
        )
        for org in orgs
    ]


def reference_labels() -> dict[str, dict[str, str]]:
    """Readable names for the codes in score parts (two small queries)."""
    from django_countries import countries

    from organisations.choices import ActivityType
    from organisations.models import Sector

    return {
        "ecosystems": dict(IndustrialEcosystem.objects.values_list("code", "name")),
        "sectors": {
            code: f"{code} — {name}" for code, name in Sector.objects.values_list("code", "name")
        },
        "activities": {str(k): str(v) for k, v in ActivityType.choices},
        "countries": {str(code): str(name) for code, name in countries},
    }
