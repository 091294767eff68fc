"""What the partnerships services share: recipients, notification fan-out, small helpers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.utils import timezone

from cxc_portal.notifications.services import notification_send_many
from organisations.choices import ParticipantRole
from organisations.models import Representative
from organisations.models import RepresentativeStatus as RS

from ..models import PartnershipStaff

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
