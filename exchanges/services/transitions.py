"""The lifecycle transitions of R-EXC-2, each a single audited service call.

All four go through the kernel's ``transition_run`` (lock → re-check the permission and
``gates.transition_refusals`` on the fresh row → django-fsm transition → stamp → save with
``update_fields`` → the registered consequences → audit → notifications sent after commit). A
concurrent request that won the race leaves the row in another state: the re-check then refuses
with "already …".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cxc_portal.core.refusals import Refusal
from cxc_portal.core.transitions import transition_run
from cxc_portal.notifications.services import notification_send_many

from .. import gates
from ..models import Exchange, ExchangeStatus
from ..permissions import DENIALS, can_close_exchange, can_steer_exchange
from ..selectors import exchange_ids_past_end, exchange_staff_users
from ._common import exchange_url, lock_exchange, notify_exchange, record, today_or

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User

#: transition → the event it is known by: audit code, timestamp field, e-mail template.
EVENTS = {
    "contract": "contracted",
    "execute": "executed",
    "close": "closed",
    "cancel": "cancelled",
}


def _transition(
    name: str,
    exchange: Exchange,
    *,
    actor: User,
    today: date | None,
    permitted: Callable[[Any, Exchange], bool],
    denial: str,
    extra: Callable[[Exchange], list[Refusal]] = lambda locked: [],
    changes: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
) -> Exchange:
    """Run the exchange transition ``name`` with every gate registered on it (``gates``);
    ``data`` goes to the audit event and the e-mails."""
    today = today_or(today)
    event = EVENTS[name]
    return transition_run(
        exchange,
        actor=actor,
        lock=lock_exchange,
        transition=name,
        permitted=permitted,
        denial=str(DENIALS[denial]),
        refusals=lambda locked: (
            gates.transition_refusals(name, locked, today=today) or extra(locked)
        ),
        action=f"exchanges.exchange.{event}",
        stamp=f"{event}_at",
        changes=changes,
        consequences=gates.consequences(name),
        data=data,
        notify=lambda locked: notify_exchange(
            exchange=locked, event=event, actor=actor, context=dict(data) if data else None
        ),
    )


def _transition_if_ready(
    name: str, exchange: Exchange, *, actor: User, today: date | None, denial: str
) -> bool:
    """Run transition ``name`` by itself when none of its refusals holds on the freshly locked
    row (audited with ``actor`` and ``automatic`` in its data, its consequences run); else do
    nothing. Returns whether it ran. The automatic transitions below are this, named."""
    today = today_or(today)
    with transaction.atomic():
        locked = lock_exchange(exchange)
        if gates.transition_refusals(name, locked, today=today):
            return False
        _transition(
            name,
            locked,
            actor=actor,
            today=today,
            permitted=lambda user, row: True,
            denial=denial,
            data={"automatic": True},
        )
    return True


def exchange_contract(*, exchange: Exchange, actor: User, today: date | None = None) -> Exchange:
    """draft → contracted (R-EXC-2): staff of the VOP or HOP; dates pass R-EXC-3, the plan holds
    24 h (R-EXC-4), the parties are still eligible, the CTQ and FA are signed (R-DOC-2,
    R-DOC-3), and every condition registered on ``contract`` holds."""
    return _transition(
        "contract", exchange, actor=actor, today=today, permitted=can_steer_exchange, denial="steer"
    )


def exchange_contract_if_ready(
    *, exchange: Exchange, actor: User, today: date | None = None
) -> bool:
    """R-EXC-2, R-DOC-2, R-DOC-3: contract ``exchange`` by itself once its last required
    signature is recorded.

    Called at the end of the service that records a signature (``reports.services_signing``),
    inside its transaction: under the row lock, the contract transition's refusals (the
    exchanges room's own conditions and every one registered on "contract": the signatures,
    the lump sum) are checked on the fresh row; if there are none the exchange is contracted —
    audited with ``actor`` (who signed last) as its actor and ``automatic`` in its data, the
    consequences on "contract" run (R-PAY-5: the payment's amount is fixed) — else nothing
    happens. The signer need not be a partnership's approver: signing was their part, and the
    rules, not a click, decide. Returns whether it contracted the exchange.
    """
    return _transition_if_ready("contract", exchange, actor=actor, today=today, denial="steer")


def exchange_execute(*, exchange: Exchange, actor: User, today: date | None = None) -> Exchange:
    """contracted → executed (R-EXC-2): staff of the VOP or HOP, once the stay is over.

    R-PAY-7: when the items of R-PAY-4 were all recorded while the exchange was still
    contracted (the report validated, the evidence accepted), recording the stay as executed is
    the last step: the exchange then closes by itself in the same transaction."""
    with transaction.atomic():
        executed = _transition(
            "execute",
            exchange,
            actor=actor,
            today=today,
            permitted=can_steer_exchange,
            denial="steer",
        )
        if exchange_close_if_ready(exchange=executed, actor=actor, today=today):
            executed.refresh_from_db()
    return executed


def exchange_close(*, exchange: Exchange, actor: User, today: date | None = None) -> Exchange:
    """executed → closed (R-EXC-2, R-PAY-4): VOP staff, once every condition registered
    on "close" holds (the visitor's final activity report validated, the evidence accepted);
    the payment clock starts."""
    return _transition(
        "close", exchange, actor=actor, today=today, permitted=can_close_exchange, denial="close"
    )


def exchange_close_if_ready(*, exchange: Exchange, actor: User, today: date | None = None) -> bool:
    """R-PAY-7: close ``exchange`` by itself once the last of R-PAY-4 (a)–(c) is recorded.

    Called at the end of the services that record one of them (the VOP's validation of the
    visitor's final activity report, the acceptance of a piece of evidence), inside their
    transaction: under the row lock, the close transition's refusals
    (``gates.transition_refusals``, every condition registered on "close") are checked on the
    fresh row; if there are none the exchange is
    closed — audited, ``actor`` (who recorded the last item) as its actor, the consequences on
    "close" run (the payment falls due) — else nothing happens. The caller has already checked
    that ``actor`` may record that item: nobody can hold the clock back by not clicking.
    Returns whether it closed the exchange.
    """
    return _transition_if_ready("close", exchange, actor=actor, today=today, denial="close")


def exchange_cancel(
    *, exchange: Exchange, actor: User, reason: str, today: date | None = None
) -> Exchange:
    """draft | contracted → cancelled (R-EXC-2), with a reason: staff of the VOP or HOP. A
    cancelled exchange frees the visitor's single visit (R-ELIG-11)."""
    reason = (reason or "").strip()
    return _transition(
        "cancel",
        exchange,
        actor=actor,
        today=today,
        permitted=can_steer_exchange,
        denial="steer",
        extra=lambda locked: (
            []
            if reason
            else [Refusal("R-EXC-2", _("Say why the exchange is cancelled."), "reason")]
        ),
        changes={"status_reason": reason},
        data={"reason": reason},
    )


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
