"""Reads of the organisations room. Eligibility facts are built here from the database and
handed to the pure engine in ``eligibility.py``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy

from cxc_portal.audit.timeline import Timeline, audience_for, timeline_for

from .choices import SME_SIZES, OrganisationType, ProfileStatus
from .eligibility import EligibilityVerdict, OrganisationFacts, SignatoryFacts, evaluate
from .gazetteer import fold
from .models import (
    City,
    ClusterMembership,
    EasmePreApproval,
    Organisation,
    ParticipatingCountry,
    Representative,
)
from .models import RepresentativeStatus as RS
from .names import name_key
from .permissions import (
    is_support_office,
    represented_organisation_ids,
    staff_partnership_ids,
)

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User


def participating_country_codes(*, today: date) -> frozenset[str]:
    """R-ELIG-8: ISO codes of the countries participating on ``today`` (one query)."""
    return frozenset(
        str(code)
        for code in ParticipatingCountry.objects.valid_on(today).values_list("country", flat=True)
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
    organisation: Organisation,
    *,
    exclude_exchange_id: int | None = None,
    prospective: bool = False,
) -> OrganisationFacts:
    """The engine's facts for one organisation.

    Uses the annotations of ``eligibility_queryset`` when present (lists), else queries.
    ``exclude_exchange_id`` leaves one exchange out of the visit count — to re-check the
    visitor of an existing exchange without counting that exchange against itself.
    ``prospective`` states a profile not validated yet as "to be validated" (R-ELIG-5) rather
    than refused: what the applicant and the deciding staff need to see.
    """
    if hasattr(organisation, "_validated_cluster_memberships") and exclude_exchange_id is None:
        annotated: Any = organisation  # the names added by ``eligibility_queryset``
        validated = annotated._validated_cluster_memberships
        other = annotated._all_memberships - validated
        visits = annotated._non_cancelled_visits
        signatories = annotated._signatories
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
    return OrganisationFacts(
        org_type=organisation.org_type,
        country=str(organisation.country.code),
        is_sme=organisation.is_sme,
        profile_validated=True
        if organisation.status == ProfileStatus.VALIDATED
        else (None if prospective else False),
        validated_cluster_memberships=validated,
        other_memberships=other,
        easme_pre_approved=easme,
        signatory=signatory_facts(signatories[0] if signatories else None),
        non_cancelled_visits=visits,
    )


def organisation_eligibility(
    organisation: Organisation,
    *,
    today: date,
    participating: frozenset[str] | None = None,
    exclude_exchange_id: int | None = None,
    prospective: bool = False,
) -> EligibilityVerdict:
    """R-ELIG-12: the explained verdict for one organisation as of ``today``."""
    if participating is None:
        participating = participating_country_codes(today=today)
    return evaluate(
        organisation_facts(
            organisation, exclude_exchange_id=exclude_exchange_id, prospective=prospective
        ),
        participating_countries=participating,
        today=today,
    )


def organisation_eligibility_map(
    organisations: Iterable[Organisation], *, today: date, prospective: bool = False
) -> dict[int, EligibilityVerdict]:
    """Verdicts for many organisations; pass them from ``eligibility_queryset`` (no N+1)."""
    participating = participating_country_codes(today=today)
    return {
        org.pk: evaluate(
            organisation_facts(org, prospective=prospective),
            participating_countries=participating,
            today=today,
        )
        for org in organisations
    }


# --- Scoped reads for the pages ---------------------------------------------------------------


def organisation_visible_queryset(*, user: User) -> QuerySet[Organisation]:
    """The profiles ``user`` may see: those they actively represent, those whose validating
    partnership employs them, and every profile for the Support Office."""
    qs = Organisation.objects.all()
    if is_support_office(user):
        return qs
    return qs.filter(
        Q(pk__in=represented_organisation_ids(user))
        | Q(validating_partnership_id__in=staff_partnership_ids(user))
    )


def organisation_get(*, user: User, pk: int) -> Organisation:
    """One profile with what its page shows; 404 when ``user`` may not see it."""
    organisation = (
        eligibility_queryset(organisation_visible_queryset(user=user))
        .select_related("validating_partnership", "city", "decided_by")
        .prefetch_related(
            "sectors",
            "ecosystems",
            Prefetch(
                "memberships",
                queryset=ClusterMembership.objects.select_related("cluster"),
            ),
            Prefetch(
                "representatives",
                queryset=Representative.objects.select_related("user", "approved_by").order_by(
                    "created_at", "id"
                ),
                to_attr="all_representatives",
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if organisation is None:
        raise Http404("No such organisation profile.")
    return organisation


def organisation_list_mine(*, user: User) -> list[Organisation]:
    """The profiles ``user`` actively represents, ready for ``organisation_eligibility_map``."""
    return list(
        eligibility_queryset(Organisation.objects.filter(pk__in=represented_organisation_ids(user)))
        .select_related("validating_partnership")
        .order_by("legal_name")
    )


def representation_list_pending(*, user: User) -> QuerySet[Representative]:
    """``user``'s own requests to join that are pending or were declined."""
    return (
        Representative.objects.filter(user=user)
        .exclude(status=RS.ACTIVE)
        .select_related("organisation")
        .order_by("-created_at")
    )


def organisation_staff_queue(*, user: User) -> QuerySet[Organisation]:
    """The profiles a staff member handles (the Support Office: all), for the staff list."""
    qs = Organisation.objects.all()
    if not is_support_office(user):
        qs = qs.filter(validating_partnership_id__in=staff_partnership_ids(user))
    return eligibility_queryset(qs).select_related("validating_partnership")


def organisation_queue_next(*, user: User, after: Organisation) -> Organisation | None:
    """The profile ``user`` should decide next, after deciding ``after``: the one waiting
    longest (oldest submission first) among the submitted profiles that ``user`` may decide
    (a validator of its partnership, not one of its representatives — R-ELIG-5)."""
    return (
        Organisation.objects.filter(
            status=ProfileStatus.SUBMITTED,
            validating_partnership_id__in=staff_partnership_ids(user, validators_only=True),
        )
        .exclude(pk=after.pk)
        .exclude(pk__in=represented_organisation_ids(user))
        .order_by(F("submitted_at").asc(nulls_last=True), "pk")
        .first()
    )


def organisation_count_waiting(*, user: User) -> int:
    """How many submitted profiles wait for a decision in ``user``'s staff queue (home page)."""
    return (
        organisation_staff_queue(user=user)
        .filter(status=ProfileStatus.SUBMITTED)
        .order_by()
        .values("pk")
        .count()
    )


def organisation_same_name_linked(
    *, user: User, legal_name: str, country: str
) -> Organisation | None:
    """A profile of the same name (``names.name_key``: case, repeated blanks and invisible
    characters ignored) in ``country`` that ``user`` already represents or asked to join:
    creating it again would be a double submit or a duplicate.

    Compared in Python: a user is linked to a handful of profiles, and the database cannot
    strip format characters or case-fold the way Python does."""
    key = name_key(legal_name)
    linked = Organisation.objects.filter(
        country=country,
        representatives__user=user,
        representatives__status__in=(RS.ACTIVE, RS.PENDING),
    ).order_by("pk")
    return next((org for org in linked if name_key(org.legal_name) == key), None)


def organisation_joinable_list(*, user: User, query: str, limit: int = 20) -> list[Organisation]:
    """Submitted or validated profiles matching ``query`` that ``user`` is not linked to yet."""
    query = query.strip()
    if len(query) < 2:
        return []
    linked = Representative.objects.filter(user=user).exclude(status=RS.DECLINED)
    return list(
        Organisation.objects.filter(
            status__in=(ProfileStatus.SUBMITTED, ProfileStatus.VALIDATED),
            legal_name__icontains=query,
        )
        .exclude(pk__in=linked.values("organisation_id"))
        .order_by("legal_name")[:limit]
    )


def organisation_joinable_get(*, pk: int) -> Organisation:
    organisation = Organisation.objects.filter(
        pk=pk, status__in=(ProfileStatus.SUBMITTED, ProfileStatus.VALIDATED)
    ).first()
    if organisation is None:
        raise Http404("No such organisation profile.")
    return organisation


def representative_get(*, user: User, pk: int) -> Representative:
    """A representative row of a profile ``user`` may see (404 otherwise)."""
    representative = (
        Representative.objects.select_related("organisation", "user")
        .filter(pk=pk, organisation__in=organisation_visible_queryset(user=user))
        .first()
    )
    if representative is None:
        raise Http404("No such representative.")
    return representative


def representative_own_get(*, user: User, organisation: Organisation) -> Representative:
    representative = Representative.objects.filter(
        user=user, organisation=organisation, status=RS.ACTIVE
    ).first()
    if representative is None:
        raise Http404("You do not represent this organisation.")
    return representative


def cluster_choice_queryset() -> QuerySet[Organisation]:
    """R-ELIG-4: the organisations a membership may point at: validated cluster organisations."""
    return Organisation.objects.filter(
        org_type=OrganisationType.CLUSTER, status=ProfileStatus.VALIDATED
    ).order_by("legal_name")


def organisation_names(pks: Iterable[int]) -> list[str]:
    """Legal names of the given organisations (to name a refused choice in a form error)."""
    return list(
        Organisation.objects.filter(pk__in=list(pks))
        .order_by("legal_name")
        .values_list("legal_name", flat=True)
    )


def partnership_choice_queryset(*, today: date):
    """The partnerships an applicant may choose to validate the profile (active today).

    Read through the app registry: this room sits below partnerships (no import upwards).
    """
    Partnership = apps.get_model("partnerships", "Partnership")
    return Partnership.objects.valid_on(today)


def city_search(*, country: str, query: str, limit: int = 12) -> list[City]:
    """Gazetteer cities of ``country`` matching ``query`` (accents and case ignored, other
    names too: "Ghent" finds Gent): names starting with it first, then the most populous."""
    folded = fold(query).lower()
    if not country or len(folded) < 2:
        return []
    qs = City.objects.filter(country=country).filter(
        Q(ascii_name__icontains=folded) | Q(alternate_names__icontains=f"|{folded}")
    )
    starting = list(
        qs.filter(
            Q(ascii_name__istartswith=folded) | Q(alternate_names__icontains=f"|{folded}")
        ).order_by("-population", "name")[:limit]
    )
    if len(starting) < limit:
        seen = [c.pk for c in starting]
        starting += list(
            qs.exclude(pk__in=seen).order_by("-population", "name")[: limit - len(starting)]
        )
    return starting


def city_resolve(*, country: str, name: str, city_id: int | None = None) -> City | None:
    """The gazetteer city meant by ``name`` in ``country``: the picked one if its name matches,
    else the most populous city of that exact name (or other name), else ``None``."""
    folded = fold(name).lower()
    if not country or not folded:
        return None
    if city_id:
        picked = City.objects.filter(pk=city_id, country=country).first()
        if picked is not None and (
            fold(picked.name).lower() == folded or f"|{folded}|" in picked.alternate_names
        ):
            return picked
    cities = City.objects.filter(country=country)
    return (
        cities.filter(ascii_name__iexact=folded).order_by("-population").first()
        or cities.filter(alternate_names__contains=f"|{folded}|").order_by("-population").first()
    )


def preview_facts(
    *,
    org_type: str,
    country: str,
    size: str,
    cluster_ids: Iterable[int],
    signatory: SignatoryFacts | None,
    organisation: Organisation | None = None,
) -> OrganisationFacts:
    """Facts for the live verdict of a profile being edited (R-ELIG-12): the typed values, the
    clusters ticked, and what the database already knows of ``organisation`` (EASME, visits)."""
    ids = [int(i) for i in cluster_ids]
    validated = cluster_choice_queryset().filter(pk__in=ids)
    if organisation is not None:
        validated = validated.exclude(pk=organisation.pk)
    n_validated = validated.count()
    easme = visits = 0
    if organisation is not None:
        easme = EasmePreApproval.objects.filter(organisation=organisation).exists()
        visits = organisation.visits.exclude(status="cancelled").count()
    return OrganisationFacts(
        org_type=org_type,
        country=country,
        is_sme=org_type == OrganisationType.SME or size in SME_SIZES,
        profile_validated=None,
        validated_cluster_memberships=n_validated,
        other_memberships=len(set(ids)) - n_validated,
        easme_pre_approved=bool(easme),
        signatory=signatory,
        non_cancelled_visits=visits,
    )


def signatory_facts(representative: Representative | None) -> SignatoryFacts | None:
    if representative is None:
        return None
    return SignatoryFacts(
        date_of_birth=representative.date_of_birth,
        nationality=str(representative.nationality.code or ""),
        residence_permit_since=representative.residence_permit_since,
        declared_adult=representative.declares_adult,
    )


def notification_recipients_for_decision(organisation: Organisation) -> list:
    """The users told of a decision on ``organisation``: its active representatives."""
    return list(
        get_user_model()
        .objects.filter(
            representations__organisation=organisation,
            representations__status=RS.ACTIVE,
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def partnership_validators(*, partnership_id: int | None) -> list:
    """Staff of a partnership who may validate profiles (told of a submission)."""
    if partnership_id is None:
        return []
    return list(
        get_user_model()
        .objects.filter(
            partnership_staff__partnership_id=partnership_id,
            partnership_staff__can_validate_profiles=True,
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def join_request_audience(*, organisation: Organisation, requester=None) -> list:
    """Who answers a request to join ``organisation`` (``can_decide_join_request``): its active
    representatives; only where it has none, the staff of its validating partnership; never
    the requester."""
    users = get_user_model().objects.filter(is_active=True)
    if requester is not None:
        users = users.exclude(pk=requester.pk)
    representatives = list(
        users.filter(representations__organisation=organisation, representations__status=RS.ACTIVE)
        .distinct()
        .order_by("pk")
    )
    if representatives or organisation.validating_partnership_id is None:
        return representatives
    return list(
        users.filter(partnership_staff__partnership_id=organisation.validating_partnership_id)
        .distinct()
        .order_by("pk")
    )


# --- the profile's history ------------------------------------------------------------------------


#: How the profile's history names its audit events.
PROFILE_EVENT_LABELS = {
    "organisations.organisation.created": gettext_lazy("Profile created"),
    "organisations.organisation.updated": gettext_lazy("Profile changed"),
    "organisations.organisation.submitted": gettext_lazy("Submitted for validation"),
    "organisations.organisation.change_requested": gettext_lazy("Changed, back for validation"),
    "organisations.organisation.validated": gettext_lazy("Validated"),
    "organisations.organisation.rejected": gettext_lazy("Rejected"),
    "organisations.easme_pre_approval.recorded": gettext_lazy("EASME pre-approval recorded"),
    "organisations.representative.join_requested": gettext_lazy("Request to join"),
    "organisations.representative.join_approved": gettext_lazy("Request to join accepted"),
    "organisations.representative.join_declined": gettext_lazy("Request to join declined"),
    "organisations.representative.updated": gettext_lazy("Representative's details changed"),
}


def organisation_timeline(
    *, organisation: Organisation, user, everything: bool = False
) -> Timeline:
    """The profile's history, newest first: partnership staff and the Support Office see who
    did what and each e-mail's recipient; its representatives plain words and their own
    e-mails, never another person's address (issue 8, point 9). Two queries."""
    return timeline_for(
        subjects=organisation,
        audience=audience_for(user),
        viewer=user,
        labels=PROFILE_EVENT_LABELS,
        everything=everything,
    )
