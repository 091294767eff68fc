"""What the partnerships services share: recipients, notification fan-out, small helpers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.utils import timezone

from cxc_portal.audit.services import record
from cxc_portal.notifications.services import notification_send_many
from organisations.choices import ParticipantRole
from organisations.models import Representative
from organisations.models import RepresentativeStatus as RS

from ..models import ExpressionOfInterest, Match, PartnershipStaff

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User

# --- recipients ----------------------------------------------------------------------------------


def representatives(organisation_ids: Iterable[int]) -> list:
    """The active users actively representing these organisations (each once)."""
    reps = Representative.objects.filter(
        organisation_id__in=list(organisation_ids), status=RS.ACTIVE, user__is_active=True
    ).select_related("user")
    seen, users = set(), []
    for rep in reps.order_by("user_id"):
        if rep.user_id not in seen:
            seen.add(rep.user_id)
            users.append(rep.user)
    return users


def staff_users(partnership_ids: Iterable[int]) -> list:
    """The active staff users of these partnerships (each once)."""
    rows = PartnershipStaff.objects.filter(partnership_id__in=list(partnership_ids)).select_related(
        "user"
    )
    seen, users = set(), []
    for row in rows.order_by("user_id"):
        if row.user_id not in seen and row.user.is_active:
            seen.add(row.user_id)
            users.append(row.user)
    return users


def notify_users(
    users, *, kind: str, template: str, context: dict, about, occasion: str = ""
) -> None:
    """Each user once per (kind, subject, occasion) (R-DL-3), after commit."""
    notification_send_many(
        recipients=users,
        kind=kind,
        about=about,
        occasion=occasion,
        template=template,
        context=context,
    )


def role_label(role: str) -> str:
    return str(ParticipantRole(role).label).lower()


def today_or_now(today: date | None) -> date:
    return today or timezone.localdate()


# --- decisions -----------------------------------------------------------------------------------


#: The audit noun of each decided model: ``partnerships.<noun>.<status>``.
_AUDIT_NOUN = {"expressionofinterest": "interest", "match": "match"}


def decide(
    decided: ExpressionOfInterest | Match,
    *,
    actor: User | None,
    status: str,
    reason: str | None = None,
    automatic: bool = False,
    data: dict | None = None,
) -> None:
    """Stamp a decision on an interest or a match (accepted, declined, withdrawn) that the
    caller has locked and re-checked in its transaction: the status, the reason when one is
    given, who decided (nobody when the portal closed it ``automatic``-ally) and when; save
    only those fields; audit it as ``partnerships.<interest|match>.<status>`` in the same
    transaction, with ``data`` or else the reason."""
    decided.status = status
    decided.decided_by = None if automatic else actor
    decided.decided_at = timezone.now()
    fields = ["status", "decided_by", "decided_at"]
    if reason is not None:
        decided.decision_reason = reason
        fields.append("decision_reason")
    decided.save(update_fields=fields)
    action = f"partnerships.{_AUDIT_NOUN[str(decided._meta.model_name)]}.{status}"
    if data is None:
        data = {"reason": reason} if reason else {}
    record(actor=actor, action=action, subject=decided, data=data)
