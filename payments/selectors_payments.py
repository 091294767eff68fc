"""Reads of the payments flow: an exchange's lump sum (R-PAY-1, R-PAY-2, R-PAY-3), the finance
list (R-PAY-4) and the payments near a deadline (R-DL-2). Scoped by the user where a user asks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When

from cxc_portal.accounts.models import User
from cxc_portal.accounts.roles import user_access
from exchanges.calendar import working_days
from exchanges.models import Exchange, ExchangeStatus
from organisations.gazetteer import distance_km
from partnerships.models import PartnershipStaff

from .lump_sum import LumpSum, compute_lump_sum
from .models import Payment, PaymentStatus
from .permissions import PAYMENTS_DENIED, can_view_payments
from .selectors import Estimate, lump_sum_estimate


def exchange_distance_km(exchange: Exchange) -> Decimal | None:
    """R-PAY-2: the great-circle distance between the visitor's and the host's stored
    coordinates, ``None`` when one of them has none."""
    visitor, host = exchange.visitor, exchange.host
    if (
        visitor.latitude is None
        or visitor.longitude is None
        or host.latitude is None
        or host.longitude is None
    ):
        return None
    return Decimal(
        str(distance_km(visitor.latitude, visitor.longitude, host.latitude, host.longitude))
    )


def exchange_lump_sum(exchange: Exchange) -> Estimate | None:
    """R-PAY-1, R-PAY-2, R-PAY-3, R-EXC-8: the lump sum of ``exchange`` as it would be fixed
    today: the host country's rate valid on the first day of the stay, the stay's working days
    in the host country, the organisations' distance. ``None`` when there is no rate for that
    day, or the distance of a physical exchange is unknown. Two queries at most."""
    distance = exchange_distance_km(exchange)
    if distance is None and not exchange.is_virtual:
        return None
    country = str(exchange.host.country.code)
    days = working_days(exchange.start_date, exchange.end_date, country)
    return lump_sum_estimate(working_days=days, mode=exchange.mode, distance_km=distance)


def amended_lump_sum(exchange: Exchange, payment: Payment) -> LumpSum:
    """R-DOC-8, R-PAY-5: the lump sum of a contracted exchange under an amendment: the rate and
    the distance stay as fixed at contracting (``payment``), the working days are the amended
    stay's. A plan-only amendment thus gives the same figures (and no new FA version); a
    change of dates changes the amount only through the working days (R-PAY-2). No query."""
    days = working_days(exchange.start_date, exchange.end_date, str(exchange.host.country.code))
    return compute_lump_sum(
        rate=payment.rate,
        working_days=days.count,
        distance_km=payment.distance_km,
        mode=exchange.mode,
    )


def payment_for_exchange(exchange: Exchange) -> Payment | None:
    """The payment of ``exchange`` (none for a virtual exchange or before contracting)."""
    return Payment.objects.filter(exchange_id=exchange.pk).select_related("paid_by").first()


def km_display(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.1"), rounding=ROUND_DOWN)


# --- the finance pages ----------------------------------------------------------------------------


def _scoped(user: Any) -> QuerySet[Payment]:
    if not can_view_payments(user):
        raise PermissionDenied(PAYMENTS_DENIED)
    payments = Payment.objects.exclude(exchange__status=ExchangeStatus.CANCELLED)
    access = user_access(user)
    if not access.support_office:
        payments = payments.filter(exchange__vop_id__in=access.payment_partnerships)
    return payments


def payment_list(*, user: Any, today: date, status: str = "") -> QuerySet[Payment]:
    """R-PAY-4: the payments ``user`` may see (the VOPs they pay for; all for the Support
    Office), overdue first, then by due date; one query with the exchange, its parties and the
    visitor's bank account."""
    payments = _scoped(user)
    if status == "overdue":
        payments = payments.filter(status=PaymentStatus.DUE, due_date__lt=today)
    elif status in PaymentStatus.values:
        payments = payments.filter(status=status)
    return payments.select_related(
        "exchange",
        "exchange__visitor",
        "exchange__visitor__bank_account",
        "exchange__host",
        "exchange__vop",
        "paid_by",
    ).order_by(
        Case(
            When(status=PaymentStatus.DUE, due_date__lt=today, then=Value(0)),
            When(status=PaymentStatus.DUE, then=Value(1)),
            When(status=PaymentStatus.PENDING, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        ),
        "due_date",
        "pk",
    )


@dataclass(frozen=True)
class Totals:
    count: int
    amount: Decimal


def payment_totals(*, user: Any, today: date) -> dict[str, Totals]:
    """R-PAY-4, R-PAY-5: how many payments and how much money per status (and overdue), summed
    in the database as ``Decimal``; one query."""
    zero = Decimal("0.00")
    buckets = {
        "pending": Q(status=PaymentStatus.PENDING),
        "due": Q(status=PaymentStatus.DUE),
        "overdue": Q(status=PaymentStatus.DUE, due_date__lt=today),
        "paid": Q(status=PaymentStatus.PAID),
    }
    aggregates: dict[str, Any] = {}
    for name, condition in buckets.items():
        aggregates[f"{name}_count"] = Count("pk", filter=condition)
        aggregates[f"{name}_amount"] = Sum("amount", filter=condition)
    row = _scoped(user).aggregate(**aggregates)
    # Quantized: SQLite sums decimals without their scale (1170 for 1170.00).
    return {
        name: Totals(row[f"{name}_count"], (row[f"{name}_amount"] or zero).quantize(zero))
        for name in buckets
    }


def payments_for_transfer(*, user: Any, ids: list[int]) -> list[Payment]:
    """The selected payments ``user`` may see, with what a transfer needs (one query)."""
    return list(
        _scoped(user)
        .filter(pk__in=ids)
        .select_related("exchange", "exchange__visitor__bank_account", "exchange__vop")
        .order_by("due_date", "pk")
    )


# --- the deadline scan (R-DL-2) -----------------------------------------------------------------


def payment_ids_near_deadline(*, today: date) -> list[int]:
    """R-DL-2: due payments whose due date is at most ``CXC_PAYMENT_REMINDER_DAYS`` away or
    past: an indexed range on (status, due_date), never every payment."""
    horizon = today + timedelta(days=settings.CXC_PAYMENT_REMINDER_DAYS)
    return list(
        Payment.objects.filter(status=PaymentStatus.DUE, due_date__lte=horizon)
        .order_by("due_date", "pk")
        .values_list("pk", flat=True)
    )


def payment_staff_users(*, partnership_id: int, payers_only: bool) -> list[User]:
    """The active staff users of a partnership (those with ``can_pay`` when ``payers_only``)."""
    rows = PartnershipStaff.objects.filter(partnership_id=partnership_id)
    if payers_only:
        rows = rows.filter(can_pay=True)
    return [row.user for row in rows.select_related("user") if row.user.is_active]


def support_office_users() -> list[User]:
    return list(
        User.objects.filter(Q(is_support_office=True) | Q(is_superuser=True), is_active=True)
    )
