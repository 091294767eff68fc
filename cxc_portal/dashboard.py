"""What the home page shows a logged-in user: what is waiting for them, per role.

Wiring level (like ``urls.py``): every count comes from the owning room's scoped selectors, so
it is exactly what the user would find on the linked pages; no model is queried here. A constant
number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cxc_portal.accounts.roles import user_roles
from exchanges.selectors import (
    exchange_count_by_status,
    exchange_count_ended,
    match_count_to_encode,
)
from organisations.selectors import organisation_count_waiting, organisation_list_mine
from partnerships.selectors import (
    applicant_match_groups,
    interest_count_waiting,
    interest_counts_for_applicant,
)

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User


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


def staff_dashboard(*, user: User) -> StaffDashboard:
    return StaffDashboard(
        profiles_waiting=organisation_count_waiting(user=user),
        interests_waiting=interest_count_waiting(user=user),
        matches_to_encode=match_count_to_encode(user=user),
        exchanges_ended=exchange_count_ended(user=user),
        exchanges_by_status=exchange_count_by_status(user=user),
    )


def applicant_dashboard(*, user: User) -> ApplicantDashboard:
    interests = interest_counts_for_applicant(user=user)
    return ApplicantDashboard(
        organisations=organisation_list_mine(user=user),
        interests_waiting=interests["waiting"],
        interests_accepted=interests["accepted"],
        matches_to_answer=len(applicant_match_groups(user=user).to_answer),
        exchanges_by_status=exchange_count_by_status(user=user),
    )


def dashboard_context(*, user: User) -> dict:
    roles = user_roles(user)
    context: dict = {}
    if roles.is_staff_like:
        context["staff_dashboard"] = staff_dashboard(user=user)
    if roles.is_applicant:
        context["applicant_dashboard"] = applicant_dashboard(user=user)
    return context
