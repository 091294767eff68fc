"""Writes of the payments flow: the payment fixed at contracting (R-PAY-5), due at closing
(R-PAY-4), recorded as paid, and the deadline notices (R-DL-2, R-DL-3)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cxc_portal.audit.services import record
from cxc_portal.core.refusals import Refusal
from cxc_portal.notifications.services import notification_send_many

from .models import Payment, PaymentStatus
from .permissions import PAY_DENIED, can_pay
from .selectors_payments import (
    exchange_lump_sum,
    payment_staff_users,
    support_office_users,
)

#: A payment reference as banks accept it (SEPA end-to-end id / remittance: 140 characters).
REFERENCE_MAX = 140


def payment_fix(exchange: Any, actor: Any) -> None:
    """R-PAY-5 (a consequence of "contract", run on the locked exchange in its transaction):
    create the payment of a physical exchange with its lump sum computed now — the host
    country's rate valid on the first day, the working days, the distance — and stored with its
    explanation; it is never recomputed afterwards, whatever happens to the rates. R-EXC-8: a
    virtual exchange gets no payment."""
    if exchange.is_virtual:
        return
    estimate = exchange_lump_sum(exchange)
    if estimate is None:  # the "contract" condition ``lump_sum_computable`` refused it already
        raise ValidationError(_("The lump sum of this exchange cannot be computed (R-PAY-3)."))
    lump_sum = estimate.lump_sum
    distance = lump_sum.distance_km
    payment = Payment.objects.create(
        exchange=exchange,
        amount=lump_sum.amount,
        rate=lump_sum.rate,
        working_days=lump_sum.working_days,
        distance_km=None if distance is None else distance.quantize(Decimal("0.1"), ROUND_DOWN),
        halved=lump_sum.halved,
        reasons=[{"rule": r.rule, "text": str(r.text)} for r in lump_sum.reasons],
    )
    record(
        actor=actor,
        action="payments.payment.fixed",
        subject=exchange,
        data={
            "payment": payment.pk,
            "amount": payment.amount,
            "rate": payment.rate,
            "rate_valid_from": estimate.rate.valid_from,
            "working_days": payment.working_days,
            "distance_km": payment.distance_km,
            "halved": payment.halved,
        },
    )


def payment_amendable(exchange: Any, today: date) -> list[Refusal]:
    """R-DOC-8, R-PAY-5 (an amendment condition, ``exchanges.gates``): the lump sum of an
    exchange whose payment is already recorded as paid no longer changes, so its exchange is not
    amended (one query)."""
    paid_on = (
        Payment.objects.filter(exchange_id=exchange.pk, status=PaymentStatus.PAID)
        .values_list("paid_on", flat=True)
        .first()
    )
    if paid_on is None:
        return []
    return [
        Refusal(
            "R-PAY-5",
            _(
                "The lump sum was paid on %(day)s: the amount can no longer change, so the "
                "exchange is not amended."
            )
            % {"day": date_format(paid_on, "j M Y")},
        )
    ]


def payment_amount_amend(
    *,
    actor: Any,
    exchange: Any,
    amount: Decimal,
    reason: str,
    rate: Decimal,
    working_days: int,
    distance_km: Decimal | None,
    halved: bool,
    reasons: list[str],
) -> Payment | None:
    """R-DOC-8, R-PAY-5: the payment's amount follows the newly signed Financial Agreement of an
    amendment — and only it: the documents room calls this once every party has signed the new
    FA version, with that version's figures (amount, rate, working days, distance, halving and
    its reasons, all R-PAY-2 reasons for a physical exchange). Never recomputed here.

    Locked and re-checked: a payment already paid (or due: the exchange closed) is refused with a
    clear message; unchanged figures change nothing (no audit). Returns the payment, ``None``
    for an exchange without one (virtual, R-EXC-8). Audited on the exchange's timeline with the
    amendment's ``reason`` and the old and new amounts."""
    amount = Decimal(amount).quantize(Decimal("0.01"))
    with transaction.atomic():
        payment = Payment.objects.select_for_update().filter(exchange_id=exchange.pk).first()
        if payment is None:
            return None
        if payment.status == PaymentStatus.PAID:
            raise ValidationError(
                _(
                    "The lump sum was already paid on %(day)s: its amount cannot follow the "
                    "amended Financial Agreement."
                )
                % {"day": date_format(payment.paid_on, "j M Y")}
            )
        if payment.status != PaymentStatus.PENDING:
            raise ValidationError(
                _("The lump sum is already due: its amount no longer changes (R-PAY-5).")
            )
        figures = {
            "amount": amount,
            "rate": Decimal(rate).quantize(Decimal("0.01")),
            "working_days": int(working_days),
            "distance_km": None
            if distance_km is None
            else Decimal(distance_km).quantize(Decimal("0.1"), ROUND_DOWN),
            "halved": bool(halved),
            "reasons": [{"rule": "R-PAY-2", "text": str(text)} for text in reasons],
        }
        changed = [name for name, value in figures.items() if getattr(payment, name) != value]
        if not changed:
            return payment
        before = payment.amount
        for name in changed:
            setattr(payment, name, figures[name])
        payment.save(update_fields=changed)
        record(
            actor=actor,
            action="payments.payment.amended",
            subject=exchange,
            data={
                "payment": payment.pk,
                "reason": reason,
                "amount_before": before,
                "amount": payment.amount,
                "working_days": payment.working_days,
            },
        )
    return payment


def payment_fall_due(exchange: Any, actor: Any) -> None:
    """R-PAY-4, R-PAY-7 (a consequence of "close"): the payment becomes due
    ``CXC_PAYMENT_DAYS`` days after the closing day; the clock starts now, whoever closed."""
    payment = Payment.objects.select_for_update().filter(exchange_id=exchange.pk).first()
    if payment is None or payment.status != PaymentStatus.PENDING:
        return
    closed_on = timezone.localtime(exchange.closed_at or timezone.now()).date()
    payment.status = PaymentStatus.DUE
    payment.due_date = closed_on + timedelta(days=settings.CXC_PAYMENT_DAYS)
    payment.save(update_fields=["status", "due_date"])
    record(
        actor=actor,
        action="payments.payment.due",
        subject=exchange,
        data={"payment": payment.pk, "amount": payment.amount, "due_date": payment.due_date},
    )


def payment_mark_paid(
    *, payment: Payment, actor: Any, paid_on: date | None, reference: str, today: date | None = None
) -> Payment:
    """R-PAY-4: the VOP's finance staff record that a due payment was paid, on ``paid_on`` (not
    in the future) with the bank's ``reference`` (required). Locked and re-checked: a second
    click, or a colleague at the same moment, is refused ("already recorded") — one payment,
    one audit event."""
    today = today or timezone.localdate()
    reference = " ".join((reference or "").split())
    errors: dict[str, str] = {}
    if paid_on is None:
        errors["paid_on"] = _("Give the date the transfer was made.")
    elif paid_on > today:
        errors["paid_on"] = _("The payment date cannot be in the future.")
    if not reference:
        errors["reference"] = _("Give the payment reference of the transfer.")
    elif len(reference) > REFERENCE_MAX:
        errors["reference"] = _("A payment reference has at most %(max)d characters.") % {
            "max": REFERENCE_MAX
        }
    with transaction.atomic():
        locked = (
            Payment.objects.select_for_update(of=("self",))
            .select_related("exchange")
            .get(pk=payment.pk)
        )
        if not can_pay(actor, locked.exchange):
            raise PermissionDenied(PAY_DENIED)
        if locked.status == PaymentStatus.PAID:
            raise ValidationError(
                _("This payment is already recorded as paid on %(day)s (reference %(ref)s).")
                % {"day": date_format(locked.paid_on, "j M Y"), "ref": locked.reference}
            )
        if locked.status != PaymentStatus.DUE:
            raise ValidationError(
                _("This payment is not due yet: the exchange is not closed (R-PAY-4).")
            )
        if errors:
            raise ValidationError(errors)
        locked.status = PaymentStatus.PAID
        locked.paid_on = paid_on
        locked.reference = reference
        locked.paid_by = actor
        locked.paid_at = timezone.now()
        locked.save(update_fields=["status", "paid_on", "reference", "paid_by", "paid_at"])
        record(
            actor=actor,
            action="payments.payment.paid",
            subject=locked.exchange,
            data={
                "payment": locked.pk,
                "amount": locked.amount,
                "paid_on": paid_on,
                "reference": reference,
            },
        )
    return locked


# --- the deadline scan (R-DL-2, R-DL-3) ---------------------------------------------------------

REMINDER = "payments.payment.reminder"
OVERDUE = "payments.payment.overdue"


def payment_deadline_notify(*, payment_id: int, today: date) -> int:
    """R-DL-2: remind the VOP's finance staff (``can_pay``) of a payment due within
    ``CXC_PAYMENT_REMINDER_DAYS`` days; once it is overdue, tell the VOP's staff and the Support
    Office. R-DL-3: each notice at most once per (payment, kind, recipient) — the notification
    key holds the exchange, the kind, the due date and the recipient, and is unique in the
    database, so a retry, a second run or a second worker sends nothing new. The notices are
    about the exchange: they show on its timeline. Returns how many were created."""
    payment = (
        Payment.objects.select_related("exchange", "exchange__vop", "exchange__visitor")
        .filter(pk=payment_id)
        .first()
    )
    # Re-checked on the fresh row: it may have been paid since the scan listed it.
    if payment is None or payment.status != PaymentStatus.DUE or payment.due_date is None:
        return 0
    exchange = payment.exchange
    if payment.due_date < today:
        kind, template = OVERDUE, "payments/email/overdue"
        recipients = (
            payment_staff_users(partnership_id=exchange.vop_id, payers_only=False)
            + support_office_users()
        )
    elif payment.due_date <= today + timedelta(days=settings.CXC_PAYMENT_REMINDER_DAYS):
        kind, template = REMINDER, "payments/email/reminder"
        recipients = payment_staff_users(partnership_id=exchange.vop_id, payers_only=True)
    else:
        return 0
    created = notification_send_many(
        recipients=recipients,
        kind=kind,
        about=exchange,
        occasion=payment.due_date.isoformat(),
        template=template,
        context={
            "payment": payment,
            "exchange": exchange,
            "url": reverse("payments:payment_list"),
        },
    )
    return len(created)
