"""Who may see and do what on an exchange or a group (R-EXC-6, R-EXC-7, R-PAY-4).

- **See** an exchange: the parties (active representatives of the visitor or the host), any staff
  of its VOP or HOP, and the Support Office (which sees everything).
- **Edit a draft's dates, objectives and action plan**: the parties and any staff of the VOP or
  HOP.
- **Encode and steer** (create, change parties/mode/group, contract, execute, cancel): staff of
  the VOP or HOP with ``can_approve_exchanges`` (R-EXC-6: exchanges are encoded by the
  partnership; applicants cannot bypass them).
- **Close**: staff of the **VOP** with
  ``can_approve_exchanges`` only (R-PAY-4: the VOP validates and pays).
- **Approve extra activities**: the Support Office (R-EXC-4).
- **Amend** a contracted exchange (open, change its dates and plan, withdraw): staff of the
  **VOP** with ``can_approve_exchanges`` only (R-DOC-8: "VOP staff give a reason").

The Support Office reads everything but does not act on a partnership's behalf: acting is for
the partnership's staff.

Each predicate takes the user and the object and returns a bool; ``DENIALS`` holds the sentence
shown when it is False. A user's partnership and organisation ids are read once per request (two
queries) and cached on the user object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from cxc_portal.accounts.roles import UserAccess, user_access

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User

#: What a user acts for; one shared reading per request (``accounts.roles.user_access``).
Access = UserAccess


# --- exchanges -------------------------------------------------------------------------------


def is_party(user: User, exchange) -> bool:
    """An active representative of the visitor or the host."""
    orgs = user_access(user).organisations
    return exchange.visitor_id in orgs or exchange.host_id in orgs


def is_exchange_staff(user: User, exchange) -> bool:
    """Any staff of the exchange's VOP or HOP."""
    staff = user_access(user).staff_partnerships
    return exchange.vop_id in staff or exchange.hop_id in staff


def can_view_exchange(user: User, exchange) -> bool:
    access = user_access(user)
    return access.support_office or is_party(user, exchange) or is_exchange_staff(user, exchange)


def can_edit_draft(user: User, exchange) -> bool:
    """Dates, objectives and action plan of a draft: the parties or their partnerships' staff."""
    return is_party(user, exchange) or is_exchange_staff(user, exchange)


def can_steer_exchange(user: User, exchange) -> bool:
    """R-EXC-6: staff of the VOP or HOP who may approve exchanges."""
    approvers = user_access(user).approver_partnerships
    return exchange.vop_id in approvers or exchange.hop_id in approvers


def can_close_exchange(user, exchange) -> bool:
    """R-PAY-4: the VOP closes (and validates the visitor's final report); not the HOP."""
    return exchange.vop_id in user_access(user).approver_partnerships


def can_amend_exchange(user, exchange) -> bool:
    """R-DOC-8: the VOP's staff who may approve exchanges amend a contracted one; not the HOP,
    not the parties, not the Support Office (which reads but does not act for a partnership)."""
    return exchange.vop_id in user_access(user).approver_partnerships


def can_approve_extra_activity(user: User, exchange=None) -> bool:
    """R-EXC-4: extra activities need the Support Office's approval."""
    return user_access(user).support_office


def can_create_exchange_for(user: User, *, vop_id: int, hop_id: int) -> bool:
    """R-EXC-6: only staff (can_approve_exchanges) of the future VOP or HOP encode it."""
    approvers = user_access(user).approver_partnerships
    return vop_id in approvers or hop_id in approvers


def can_create_exchanges(user: User) -> bool:
    """Whether the user may encode exchanges at all (shows the "New exchange" button)."""
    return bool(user_access(user).approver_partnerships)


# --- groups ----------------------------------------------------------------------------------


def can_view_group(user: User, group) -> bool:
    """The Support Office, staff of the group's VOP or HOP, and staff of the VOP of any of its
    exchanges (a mission gathers visitors of several partnerships). Reads the group's exchanges:
    prefetch them (``selectors.group_get`` does)."""
    access = user_access(user)
    if access.support_office or {group.vop_id, group.hop_id} & access.staff_partnerships:
        return True
    return any(e.vop_id in access.staff_partnerships for e in group.exchanges.all())


def can_manage_group(user: User, group) -> bool:
    """R-EXC-7: staff (can_approve_exchanges) of the group's VOP or HOP."""
    approvers = user_access(user).approver_partnerships
    return group.vop_id in approvers or group.hop_id in approvers


DENIALS = {
    "view": _("You are not a party to this exchange nor staff of its partnerships."),
    "edit": _(
        "Only the visitor, the host and the staff of their partnerships may edit this exchange."
    ),
    "steer": _(
        "Only staff of the visitor's or the host's partnership (VOP or HOP) who may approve "
        "exchanges can do this."
    ),
    "close": _(
        "Only staff of the visitor's partnership (VOP) who may approve exchanges can do this "
        "(R-PAY-4)."
    ),
    "amend": _(
        "Only staff of the visitor's partnership (VOP) who may approve exchanges amend a "
        "contracted exchange (R-DOC-8)."
    ),
    "approve_extra": _("Only the Support Office approves extra activities (R-EXC-4)."),
    "create": _(
        "Only staff of the visitor's or the host's partnership who may approve exchanges can "
        "encode an exchange (R-EXC-6)."
    ),
    "group": _(
        "Only staff of the group's partnerships (VOP or HOP) who may approve exchanges can "
        "manage this group."
    ),
}
