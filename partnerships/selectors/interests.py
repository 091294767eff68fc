"""Expressions of interest (R-PART-2), scoped to who may see them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Q,
    QuerySet,
    When,
)
from django.db.models import Value as V
from django.http import Http404

from organisations.models import Organisation

from .. import permissions
from ..models import (
    ExpressionOfInterest,
    InterestStatus,
    Match,
)

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User

# --- expressions of interest ---------------------------------------------------------------------


def _interest_qs() -> QuerySet[ExpressionOfInterest]:
    return ExpressionOfInterest.objects.select_related(
        "organisation", "partnership", "decided_by", "submitted_by"
    ).prefetch_related("ecosystems")


def interest_list_for_applicant(*, user: User) -> QuerySet[ExpressionOfInterest]:
    """The expressions of interest of the organisations ``user`` actively represents."""
    return _interest_qs().filter(organisation_id__in=permissions.represented_organisation_ids(user))


def interest_inbox(*, user: User) -> QuerySet[ExpressionOfInterest]:
    """The staff inbox: interests of the user's partnerships (all of them for the Support
    Office, read-only), waiting ones first, then newest first."""
    qs = _interest_qs()
    if not permissions.is_support_office(user):
        qs = qs.filter(partnership_id__in=permissions.staff_partnership_ids(user))
    return qs.annotate(
        waiting_first=Case(
            When(status=InterestStatus.SUBMITTED, then=V(0)),
            default=V(1),
            output_field=IntegerField(),
        )
    ).order_by("waiting_first", "-created_at", "-id")


def interest_count_waiting(*, user: User) -> int:
    """How many interests in ``user``'s staff inbox wait for an answer (home page)."""
    return interest_inbox(user=user).filter(status=InterestStatus.SUBMITTED).count()


def interest_counts_for_applicant(*, user: User) -> dict[str, int]:
    """``user``'s own interests: how many wait for an answer and how many were accepted (one
    query, for the home page)."""
    return (
        interest_list_for_applicant(user=user)
        .order_by()
        .aggregate(
            waiting=Count("pk", filter=Q(status=InterestStatus.SUBMITTED)),
            accepted=Count("pk", filter=Q(status=InterestStatus.ACCEPTED)),
        )
    )


def interest_get(*, user: User, pk: int) -> ExpressionOfInterest:
    """One interest, if ``user`` may see it (its organisation's representatives, the staff of
    its partnership, the Support Office); otherwise 404."""
    interest = _interest_qs().filter(pk=pk).first()
    if interest is None or not permissions.can_view_interest(user, interest):
        raise Http404("No such expression of interest.")
    return interest


def interest_matches(*, interest: ExpressionOfInterest) -> QuerySet[Match]:
    """The matches made from one interest (as visitor or host)."""
    return (
        Match.objects.filter(Q(visitor_interest=interest) | Q(host_interest=interest))
        .select_related("visitor", "host", "vop", "hop")
        .order_by("-created_at")
    )


def pick_interest(
    interests: Sequence[ExpressionOfInterest], *, prefer_partnership_id: int | None
) -> ExpressionOfInterest | None:
    """Among an organisation's accepted interests for one role, the one a match uses: the one
    with the preferred partnership if any, else the most recent."""
    accepted = [i for i in interests if i.status == InterestStatus.ACCEPTED]
    if not accepted:
        return None
    for interest in accepted:
        if interest.partnership_id == prefer_partnership_id:
            return interest
    return max(accepted, key=lambda i: (i.created_at, i.pk))


def accepted_interests_of(*, organisation: Organisation, role: str) -> list[ExpressionOfInterest]:
    return list(
        ExpressionOfInterest.objects.filter(
            organisation=organisation, role=role, status=InterestStatus.ACCEPTED
        )
        .select_related("partnership")
        .prefetch_related("ecosystems")
        .order_by("-created_at", "-id")
    )


def interest_counts_by_organisation(*, user: User) -> dict[int, dict[str, int]]:
    """For each organisation ``user`` actively represents: how many of its interests wait for
    an answer and how many were accepted (one grouped query, for the applicant's journey)."""
    rows = (
        ExpressionOfInterest.objects.filter(
            organisation_id__in=permissions.represented_organisation_ids(user)
        )
        .order_by()
        .values("organisation_id")
        .annotate(
            waiting=Count("pk", filter=Q(status=InterestStatus.SUBMITTED)),
            accepted=Count("pk", filter=Q(status=InterestStatus.ACCEPTED)),
        )
    )
    return {
        row["organisation_id"]: {"waiting": row["waiting"], "accepted": row["accepted"]}
        for row in rows
    }
