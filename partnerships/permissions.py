"""Who may see and do what in the partnerships room: predicates over (user, object).

The user's links (partnerships they work for, organisations they actively represent) are read
once per request and cached on the user object, so checking many rows costs no extra query.

Decisions (see the issue's notes):

* Accepting or declining an expression of interest is for the **staff of that interest's
  partnership** — any ``PartnershipStaff`` row is enough, whatever its flags (deciding on an
  interest is neither validating a profile nor approving an exchange). Nobody else acts on it:
  not another partnership's staff, not the Support Office (which sees every inbox read-only).
* Proposing a match is for an active representative of the proposing organisation, whose
  interest for its role is accepted, or for the staff of that interest's partnership on the
  organisation's behalf (issue 14; the other side still accepts, R-MATCH-2);
  accepting/declining it is for an active representative of the *other* side; withdrawing it
  is for the proposing side while it is proposed.
* Staff of the VOP or the HOP see the match; those with ``can_approve_exchanges`` may encode
  an exchange draft from an accepted match (R-EXC-6).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cxc_portal.accounts.roles import user_access
from organisations.choices import ParticipantRole

from .models import ExpressionOfInterest, InterestStatus, Match, MatchStatus, Partnership

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User


def staff_partnership_ids(user: User) -> frozenset[int]:
    """Ids of the partnerships ``user`` works for."""
    return user_access(user).staff_partnerships


def exchange_approver_partnership_ids(user: User) -> frozenset[int]:
    """Ids of the partnerships for which ``user`` may approve/encode exchanges."""
    return user_access(user).approver_partnerships


def represented_organisation_ids(user: User) -> frozenset[int]:
    """Ids of the organisations ``user`` actively represents."""
    return user_access(user).organisations


def is_support_office(user: User) -> bool:
    return user_access(user).support_office


def is_staff_of(user: User, partnership: Partnership | int | None) -> bool:
    if partnership is None:
        return False
    pk = partnership if isinstance(partnership, int) else partnership.pk
    return pk in staff_partnership_ids(user)


def represents(user: User, organisation) -> bool:
    if organisation is None:
        return False
    pk = organisation if isinstance(organisation, int) else organisation.pk
    return pk in represented_organisation_ids(user)


# --- expressions of interest ---------------------------------------------------------------------


def can_view_interest(user: User, interest: ExpressionOfInterest) -> bool:
    return (
        represents(user, interest.organisation_id)
        or is_staff_of(user, interest.partnership_id)
        or is_support_office(user)
    )


def can_decide_interest(user: User, interest: ExpressionOfInterest) -> bool:
    """R-PART-2: only the staff of the interest's partnership accept or decline it."""
    return is_staff_of(user, interest.partnership_id)


def can_withdraw_interest(user: User, interest: ExpressionOfInterest) -> bool:
    return represents(user, interest.organisation_id) and interest.status in (
        InterestStatus.SUBMITTED,
        InterestStatus.ACCEPTED,
    )


def may_propose_for(user: User, interest: ExpressionOfInterest) -> bool:
    """Whether ``user`` speaks for the interest's side: an active representative of its
    organisation, or staff of the partnership in charge of it (the interest's partnership),
    who may propose on the organisation's behalf (R-MATCH-2: the other side still accepts)."""
    return represents(user, interest.organisation_id) or is_staff_of(user, interest.partnership_id)


def proposes_on_behalf(user: User, interest: ExpressionOfInterest) -> bool:
    """Staff proposing for an organisation they do not represent themselves."""
    return not represents(user, interest.organisation_id) and is_staff_of(
        user, interest.partnership_id
    )


def can_propose_from(user: User, interest: ExpressionOfInterest) -> bool:
    """The proposing side (a representative, or the partnership's staff on the
    organisation's behalf), with the interest accepted."""
    return may_propose_for(user, interest) and interest.status == InterestStatus.ACCEPTED


# --- matches -------------------------------------------------------------------------------------


def match_sides_of(user: User, match: Match) -> frozenset[str]:
    """The roles ("visitor", "host") ``user`` represents in ``match``."""
    sides = set()
    if represents(user, match.visitor_id):
        sides.add(ParticipantRole.VISITOR.value)
    if represents(user, match.host_id):
        sides.add(ParticipantRole.HOST.value)
    return frozenset(sides)


def other_side(role: str) -> str:
    return (
        ParticipantRole.HOST.value
        if role == ParticipantRole.VISITOR
        else ParticipantRole.VISITOR.value
    )


def can_view_match(user: User, match: Match) -> bool:
    return (
        bool(match_sides_of(user, match))
        or is_staff_of(user, match.vop_id)
        or is_staff_of(user, match.hop_id)
        or is_support_office(user)
    )


def can_answer_match(user: User, match: Match) -> bool:
    """R-MATCH-2: the side that did not propose confirms (or declines) the match."""
    return match.status == MatchStatus.PROPOSED and other_side(
        match.proposed_by_role
    ) in match_sides_of(user, match)


def can_withdraw_match(user: User, match: Match) -> bool:
    return match.status == MatchStatus.PROPOSED and match.proposed_by_role in match_sides_of(
        user, match
    )


def can_encode_exchange(user: User, match: Match) -> bool:
    """R-EXC-6: staff of the VOP or HOP who may approve exchanges, for an accepted match."""
    approver_of = exchange_approver_partnership_ids(user)
    return match.status == MatchStatus.ACCEPTED and (
        match.vop_id in approver_of or match.hop_id in approver_of
    )
