"""Matches, scoped to who may see them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import (
    Q,
    QuerySet,
)
from django.http import Http404

from .. import permissions
from ..models import (
    Match,
    MatchStatus,
)

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User

# --- matches -------------------------------------------------------------------------------------


def _match_qs() -> QuerySet[Match]:
    return Match.objects.select_related(
        "visitor",
        "host",
        "vop",
        "hop",
        "visitor_interest",
        "host_interest",
        "proposed_by",
        "decided_by",
    )


def match_list_for_applicant(*, user: User) -> QuerySet[Match]:
    """Matches where one of the user's organisations is the visitor or the host."""
    ids = permissions.represented_organisation_ids(user)
    return _match_qs().filter(Q(visitor_id__in=ids) | Q(host_id__in=ids))


def match_list_for_staff(*, user: User) -> QuerySet[Match]:
    """Matches where one of the user's partnerships is VOP or HOP (all for the Support
    Office)."""
    qs = _match_qs()
    if permissions.is_support_office(user):
        return qs
    ids = permissions.staff_partnership_ids(user)
    return qs.filter(Q(vop_id__in=ids) | Q(hop_id__in=ids))


def match_get(*, user: User, pk: int) -> Match:
    """One match, if ``user`` may see it (either side's representatives, VOP/HOP staff, the
    Support Office); otherwise 404."""
    match = _match_qs().filter(pk=pk).first()
    if match is None or not permissions.can_view_match(user, match):
        raise Http404("No such match.")
    return match


def match_exchange(match: Match):
    """The exchange encoded from ``match``, or None (reverse one-to-one of the exchanges room)."""
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return match.exchange
    except ObjectDoesNotExist:
        return None


@dataclass(frozen=True)
class ApplicantMatchGroups:
    """An applicant's matches, sorted by what they have to do about them."""

    to_answer: list[Match]
    waiting: list[Match]
    accepted: list[Match]
    closed: list[Match]

    @property
    def empty(self) -> bool:
        return not (self.to_answer or self.waiting or self.accepted or self.closed)


def applicant_match_groups(*, user: User) -> ApplicantMatchGroups:
    """The user's matches in four groups (one query): proposals they must answer, their own
    proposals waiting for an answer, confirmed matches, and declined/withdrawn ones."""
    groups = ApplicantMatchGroups([], [], [], [])
    for match in match_list_for_applicant(user=user).order_by("-created_at", "-id"):
        if match.status == MatchStatus.ACCEPTED:
            groups.accepted.append(match)
        elif match.status == MatchStatus.PROPOSED:
            if permissions.can_answer_match(user, match):
                groups.to_answer.append(match)
            else:
                groups.waiting.append(match)
        else:
            groups.closed.append(match)
    return groups
