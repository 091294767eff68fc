"""Reads of the organisations room. Eligibility facts are built here from the database and
handed to the pure engine in ``eligibility.py``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from .choices import OrganisationType, ProfileStatus
from .eligibility import EligibilityVerdict, OrganisationFacts, SignatoryFacts, evaluate
from .models import EasmePreApproval, Organisation, ParticipatingCountry, Representative
from .models import RepresentativeStatus as RS


def participating_country_codes(*, today: date) -> frozenset[str]:
    """R-ELIG-8: ISO codes of the countries participating on ``today`` (one query)."""
    return frozenset(
        str(code)
        for code in ParticipatingCountry.objects.filter(participating_from__lte=today)
        .filter(Q(participating_until__isnull=True) | Q(participating_until__gte=today))
        .values_list("country", flat=True)
    )


def eligibility_queryset(queryset: QuerySet[Organisation] | None = None) -> QuerySet[Organisation]:
    """Annotate/prefetch what ``organisation_facts`` reads, so N organisations cost O(1) queries.

    Counts non-cancelled visits through the reverse accessor ``visits`` of exchanges (this room
    does not import the exchanges room; R-ELIG-11).
    """
    qs = queryset if queryset is not None else Organisation.objects.all()
    return (
        qs.annotate(
            _validated_cluster_memberships=Count(
                "memberships",
                filter=Q(
                    memberships__cluster__org_type=OrganisationType.CLUSTER,
                    memberships__cluster__status=ProfileStatus.VALIDATED,
                ),
                distinct=True,
            ),
            _all_memberships=Count("memberships", distinct=True),
            _non_cancelled_visits=Count(
                "visits", filter=~Q(visits__status="cancelled"), distinct=True
            ),
        )
        .prefetch_related(
            Prefetch(
                "representatives",
                queryset=Representative.objects.filter(
                    status=RS.ACTIVE, is_signatory=True
                ).order_by("created_at", "id"),
                to_attr="_signatories",
            )
        )
        .select_related("easme_pre_approval")
    )


def organisation_facts(
    organisation: Organisation, *, exclude_exchange_id: int | None = None
) -> OrganisationFacts:
    """The engine's facts for one organisation.

    Uses the annotations of ``eligibility_queryset`` when present (lists), else queries.
    ``exclude_exchange_id`` leaves one exchange out of the visit count — to re-check the
    visitor of an existing exchange without counting that exchange against itself.
    """
    if hasattr(organisation, "_validated_cluster_memberships") and exclude_exchange_id is None:
        validated = organisation._validated_cluster_memberships
        other = organisation._all_memberships - validated
        visits = organisation._non_cancelled_visits
        signatories = organisation._signatories
    else:
        memberships = organisation.memberships.select_related("cluster")
        validated = sum(
            1
            for m in memberships
            if m.cluster.org_type == OrganisationType.CLUSTER
            and m.cluster.status == ProfileStatus.VALIDATED
        )
        other = len(memberships) - validated
        visits_qs = organisation.visits.exclude(status="cancelled")
        if exclude_exchange_id is not None:
            visits_qs = visits_qs.exclude(pk=exclude_exchange_id)
        visits = visits_qs.count()
        signatories = list(
            organisation.representatives.filter(status=RS.ACTIVE, is_signatory=True).order_by(
                "created_at", "id"
            )[:1]
        )
    try:
        easme = organisation.easme_pre_approval is not None
    except EasmePreApproval.DoesNotExist:
        easme = False
    signatory = signatories[0] if signatories else None
    return OrganisationFacts(
        org_type=organisation.org_type,
        country=str(organisation.country.code),
        is_sme=organisation.is_sme,
        profile_validated=organisation.status == ProfileStatus.VALIDATED,
        validated_cluster_memberships=validated,
        other_memberships=other,
        easme_pre_approved=easme,
        signatory=SignatoryFacts(
            date_of_birth=signatory.date_of_birth,
            nationality=str(signatory.nationality.code or ""),
            residence_permit_since=signatory.residence_permit_since,
        )
        if signatory
        else None,
        non_cancelled_visits=visits,
    )


def organisation_eligibility(
    organisation: Organisation,
    *,
    today: date,
    participating: frozenset[str] | None = None,
    exclude_exchange_id: int | None = None,
) -> EligibilityVerdict:
    """R-ELIG-12: the explained verdict for one organisation as of ``today``."""
    if participating is None:
        participating = participating_country_codes(today=today)
    return evaluate(
        organisation_facts(organisation, exclude_exchange_id=exclude_exchange_id),
        participating_countries=participating,
        today=today,
    )


def organisation_eligibility_map(
    organisations: Iterable[Organisation], *, today: date
) -> dict[int, EligibilityVerdict]:
    """Verdicts for many organisations; pass them from ``eligibility_queryset`` (no N+1)."""
    participating = participating_country_codes(today=today)
    return {
        org.pk: evaluate(
            organisation_facts(org), participating_countries=participating, today=today
        )
        for org in organisations
    }
