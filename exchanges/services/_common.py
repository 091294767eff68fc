"""What every exchange service shares: the row lock, today's date, notifications."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone

from cxc_portal.audit.services import record
from cxc_portal.notifications.services import notification_send_many

from ..draft_changes import content_changed
from ..guards import draft_edit_blockers
from ..models import Amendment, AmendmentStatus, Exchange, ExchangeGroup, ExchangeStatus
from ..permissions import can_amend_exchange
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


def open_amendment(exchange: Exchange) -> Amendment | None:
    """R-DOC-8: the amendment in progress of a contracted exchange (``None`` for a draft)."""
    if exchange.status != ExchangeStatus.CONTRACTED:
        return None
    return (
        Amendment.objects.select_for_update()
        .filter(exchange_id=exchange.pk, status=AmendmentStatus.OPEN)
        .first()
    )


def edit_refusals(exchange: Exchange, actor: Any, *, approving: bool = False) -> list:
    """R-EXC-2, R-DOC-8 on the locked row: a draft is edited; a contracted exchange only under an
    open amendment, by the VOP's staff who may amend (``approving``: the Support Office
    approving an extra activity the amendment added acts too)."""
    amendment = open_amendment(exchange)
    return draft_edit_blockers(
        exchange,
        amendment_open=amendment is not None,
        may_amend=approving or can_amend_exchange(actor, exchange),
    )


def exchange_changed(*, exchange: Exchange, actor: Any, why: str) -> None:
    """What the documents state changed (inside the caller's transaction, on the locked row):
    an open amendment records when (it can no longer be withdrawn, R-DOC-8), then the rooms
    above follow (``draft_changes``: new versions of the documents, R-DOC-5)."""
    if exchange.status == ExchangeStatus.CONTRACTED:
        Amendment.objects.filter(exchange_id=exchange.pk, status=AmendmentStatus.OPEN).update(
            changed_at=timezone.now()
        )
    content_changed(exchange=exchange, actor=actor, why=why)


def stamp_now():
    return timezone.now()


__all__ = [
    "edit_refusals",
    "exchange_changed",
    "open_amendment",
    "lock_exchange",
    "lock_group",
    "notify_exchange",
    "record",
    "stamp_now",
    "today_or",
]
