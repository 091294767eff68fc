"""What the home page shows a logged-in user: what is waiting for them, per role.

Wiring level (like ``urls.py``): it only *reads* each room's own scoped selectors, so the
counts are exactly what the user would find on the linked pages. A constant number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from cxc_portal.accounts.roles import user_roles
from exchanges.models import Exchange, ExchangeStatus
from exchanges.selectors import exchange_list
from organisations.choices import ProfileStatus
from organisations.selectors import organisation_list_mine, organisation_staff_queue
from partnerships.models import InterestStatus, MatchStatus
from partnerships.selectors import (
    applicant_match_groups,
    interest_inbox,
    interest_list_for_applicant,
    match_list_for_staff,
)


@dataclass(frozen=True)
class StaffDashboard:
    profiles_waiting: int
    interests_waiting: int
    matches_to_encode: int
    exchanges_ended: int
    exchanges_by_status: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ApplicantDashboard:
    organisations: list
    interests_waiting: int
    interests_accepted: int
    matches_to_answer: int
    exchanges_by_status: dict[str, int] = field(default_factory=dict)


def _exchanges_by_status(*, user) -> dict[str, int]:
    visible = exchange_list(user=user).order_by().values("pk")
    rows = (
        Exchange.objects.filter(pk__in=visible).order_by().values("status").annotate(n=Count("pk"))
    )
    counts = {row["status"]: row["n"] for row in rows}
    return {status: counts.get(status, 0) for status in ExchangeStatus.values}


def staff_dashboard(*, user) -> StaffDashboard:
    visible = exchange_list(user=user).order_by().values("pk")
    return StaffDashboard(
        profiles_waiting=organisation_staff_queue(user=user)
        .filter(status=ProfileStatus.SUBMITTED)
        .order_by()
        .values("pk")
        .count(),
        interests_waiting=interest_inbox(user=user).filter(status=InterestStatus.SUBMITTED).count(),
        matches_to_encode=match_list_for_staff(user=user)
        .filter(status=MatchStatus.ACCEPTED, exchange__isnull=True)
        .count(),
        exchanges_ended=Exchange.objects.filter(
            pk__in=visible, status=ExchangeStatus.CONTRACTED, end_flagged_at__isnull=False
        ).count(),
        exchanges_by_status=_exchanges_by_status(user=user),
    )


def applicant_dashboard(*, user) -> ApplicantDashboard:
    interests = (
        interest_list_for_applicant(user=user)
        .order_by()
        .aggregate(
            waiting=Count("pk", filter=Q(status=InterestStatus.SUBMITTED)),
            accepted=Count("pk", filter=Q(status=InterestStatus.ACCEPTED)),
        )
    )
    return ApplicantDashboard(
        organisations=organisation_list_mine(user=user),
        interests_waiting=interests["waiting"],
        interests_accepted=interests["accepted"],
        matches_to_answer=len(applicant_match_groups(user=user).to_answer),
        exchanges_by_status=_exchanges_by_status(user=user),
    )


def dashboard_context(*, user) -> dict:
    roles = user_roles(user)
    context: dict = {}
    if roles.is_staff_like:
        context["staff_dashboard"] = staff_dashboard(user=user)
    if roles.is_applicant:
        context["applicant_dashboard"] = applicant_dashboard(user=user)
    return context
