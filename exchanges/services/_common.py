"""What every exchange service shares: the row lock, today's date, notifications."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone

from cxc_portal.audit.services import record
from cxc_portal.notifications.services import notification_send_many

from ..models import Exchange, ExchangeGroup
from ..selectors import exchange_party_users, exchange_staff_users

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User


def today_or(today: date | None) -> date:
    return today if today is not None else timezone.localdate()


def lock_exchange(exchange: Exchange | int) -> Exchange:
    """Fetch the exchange again under a row lock (``SELECT … FOR UPDATE``).

    Every state change starts here: a concurrent request on the same exchange waits until this
    transaction ends, then sees the new state and is refused by the re-check. ``of=("self",)``
    locks only the exchange row (the joined rows stay free; the group join is nullable).
    """
    pk = exchange.pk if isinstance(exchange, Exchange) else exchange
    return (
        Exchange.objects.select_related("visitor", "host", "vop", "hop", "group")
        .select_for_update(of=("self",))
        .get(pk=pk)
    )


def lock_group(group: ExchangeGroup | int) -> ExchangeGroup:
    pk = group.pk if isinstance(group, ExchangeGroup) else group
    return (
        ExchangeGroup.objects.select_related("host", "vop", "hop")
        .select_for_update(of=("self",))
        .get(pk=pk)
    )


def exchange_url(exchange: Exchange) -> str:
    return reverse("exchanges:detail", kwargs={"pk": exchange.pk})


def notify_exchange(
    *,
    exchange: Exchange,
    event: str,
    actor: User | None = None,
    context: dict[str, Any] | None = None,
    parties: bool = True,
    staff: bool = True,
) -> int:
    """E-mail the parties' representatives and the VOP/HOP approvers about ``event``, once.

    The de-duplication key ``exchanges.exchange.<event>:<exchange>:<user>`` makes a retry or a
    second run send nothing new (R-DL-3); the actor is not told about their own action. The
    e-mails leave after commit (``notification_send_many``). Returns how many were created.
    """
    recipients: dict[int, Any] = {}
    if parties:
        recipients.update({u.pk: u for u in exchange_party_users(exchange=exchange)})
    if staff:
        recipients.update({u.pk: u for u in exchange_staff_users(exchange=exchange)})
    actor_pk = getattr(actor, "pk", None)
    created = notification_send_many(
        recipients=[user for user in recipients.values() if user.pk != actor_pk],
        kind=f"exchanges.exchange.{event}",
        about=exchange,
        template=f"exchanges/email/{event}",
        context={
            "exchange": exchange,
            "actor": actor,
            "url": exchange_url(exchange),
            **(context or {}),
        },
    )
    return len(created)


def stamp_now():
    return timezone.now()


__all__ = [
    "lock_exchange",
    "lock_group",
    "notify_exchange",
    "record",
    "stamp_now",
    "today_or",
]
