"""The lifecycle transitions of R-EXC-2, each a single audited service call.

Pattern (pretix-style): ``transaction.atomic()`` → lock the row → re-check the guard on the
fresh row (a concurrent request may have won: it is then refused with "already …") → call the
django-fsm transition → ``save(update_fields=…)`` → audit → notifications (sent after commit).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cxc_portal.notifications.services import notification_send_many

from ..guards import cancel_blockers, closing_blockers, contract_blockers, execute_blockers
from ..models import Exchange, ExchangeStatus
from ..permissions import DENIALS, can_close_exchange, can_steer_exchange
from ..refusals import raise_if_refused
from ..selectors import exchange_ids_past_end, exchange_staff_users
from ._common import exchange_url, lock_exchange, notify_exchange, record, today_or

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User


def exchange_contract(*, exchange: Exchange, actor: User, today: date | None = None) -> Exchange:
    """draft → contracted (R-EXC-2): staff of the VOP or HOP; dates pass R-EXC-3, the plan holds
    24 h (R-EXC-4), the parties are still eligible, the CTQ and FA are signed (R-DOC-2/3)."""
    today = today_or(today)
    with transaction.atomic():
        locked = lock_exchange(exchange)
        if not can_steer_exchange(actor, locked):
            raise PermissionDenied(DENIALS["steer"])
        raise_if_refused(contract_blockers(locked, today=today))
        locked.contract()
        locked.contracted_at = timezone.now()
        locked.save(update_fields=["status", "contracted_at", "updated_at"])
        record(
            actor=actor,
            action="exchanges.exchange.contracted",
            subject=locked,
            data={"from": ExchangeStatus.DRAFT, "to": ExchangeStatus.CONTRACTED},
        )
        notify_exchange(exchange=locked, event="contracted", actor=actor)
    return locked


def exchange_execute(*, exchange: Exchange, actor: User, today: date | None = None) -> Exchange:
    """contracted → executed (R-EXC-2): staff of the VOP or HOP, once the stay is over."""
    today = today_or(today)
    with transaction.atomic():
        locked = lock_exchange(exchange)
        if not can_steer_exchange(actor, locked):
            raise PermissionDenied(DENIALS["steer"])
        raise_if_refused(execute_blockers(locked, today=today))
        locked.execute()
        locked.executed_at = timezone.now()
        locked.save(update_fields=["status", "executed_at", "updated_at"])
        record(
            actor=actor,
            action="exchanges.exchange.executed",
            subject=locked,
            data={"from": ExchangeStatus.CONTRACTED, "to": ExchangeStatus.EXECUTED},
        )
        notify_exchange(exchange=locked, event="executed", actor=actor)
    return locked


def exchange_close(*, exchange: Exchange, actor: User) -> Exchange:
    """executed → closed (R-EXC-2, R-PAY-4): VOP staff, once the visitor's closing report is
    validated; the payment clock starts."""
    with transaction.atomic():
        locked = lock_exchange(exchange)
        if not can_close_exchange(actor, locked):
            raise PermissionDenied(DENIALS["close"])
        raise_if_refused(closing_blockers(locked))
        locked.close()
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at", "updated_at"])
        record(
            actor=actor,
            action="exchanges.exchange.closed",
            subject=locked,
            data={"from": ExchangeStatus.EXECUTED, "to": ExchangeStatus.CLOSED},
        )
        notify_exchange(exchange=locked, event="closed", actor=actor)
    return locked


def exchange_cancel(*, exchange: Exchange, actor: User, reason: str) -> Exchange:
    """draft | contracted → cancelled (R-EXC-2), with a reason: staff of the VOP or HOP. A
    cancelled exchange frees the visitor's single visit (R-ELIG-11)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = lock_exchange(exchange)
        if not can_steer_exchange(actor, locked):
            raise PermissionDenied(DENIALS["steer"])
        raise_if_refused(cancel_blockers(locked))
        if not reason:
            raise ValidationError({"reason": _("Say why the exchange is cancelled.")})
        previous = locked.status
        locked.cancel()
        locked.status_reason = reason
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["status", "status_reason", "cancelled_at", "updated_at"])
        record(
            actor=actor,
            action="exchanges.exchange.cancelled",
            subject=locked,
            data={"from": previous, "to": ExchangeStatus.CANCELLED, "reason": reason},
        )
        notify_exchange(exchange=locked, event="cancelled", actor=actor, context={"reason": reason})
    return locked


def exchange_flag_ended(*, exchange_id: int, today: date) -> bool:
    """R-EXC-2 [design]: stamp a contracted exchange whose stay is over and tell the VOP/HOP
    staff, once, that it can be recorded as executed. Never changes the state.

    Returns True when this call stamped it (False: already stamped, or not due any more).
    """
    with transaction.atomic():
        locked = lock_exchange(exchange_id)
        # Re-checked under the lock: a second worker, or staff executing it meanwhile.
        if (
            locked.status != ExchangeStatus.CONTRACTED
            or locked.end_date >= today
            or locked.end_flagged_at is not None
        ):
            return False
        locked.end_flagged_at = timezone.now()
        locked.save(update_fields=["end_flagged_at"])
        record(
            actor=None,
            action="exchanges.exchange.end_flagged",
            subject=locked,
            data={"end_date": locked.end_date},
        )
        notification_send_many(
            recipients=exchange_staff_users(exchange=locked),
            kind="exchanges.exchange.ended",
            about=locked,
            template="exchanges/email/ended",
            context={"exchange": locked, "url": exchange_url(locked)},
        )
    return True


def exchanges_flag_ended(*, today: date | None = None) -> int:
    """The daily scan: flag every contracted exchange past its end date; returns how many."""
    today = today_or(today)
    return sum(
        exchange_flag_ended(exchange_id=pk, today=today)
        for pk in exchange_ids_past_end(today=today)
    )
