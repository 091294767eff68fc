"""Helpers of the KPI dashboard tests: counted (or not) exchanges in the 2027 period, with their
lump sums."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from exchanges.models import ExchangeMode, ExchangeStatus
from payments.models import Payment, PaymentStatus
from reports.kpi import Period
from tests.factories import ExchangeFactory, OrganisationFactory

P2027 = Period(date(2027, 1, 1), date(2027, 12, 31))
PERIOD_QUERY = {"start": "2027-01-01", "end": "2027-12-31"}


def kpi_exchange(
    vop,
    hop,
    *,
    status=ExchangeStatus.CONTRACTED,
    mode=ExchangeMode.PHYSICAL,
    start=date(2027, 3, 8),
    visitor_country="BE",
    host_country="PT",
    ecosystems=(),
    **kwargs,
):
    """An exchange of ``vop`` hosted with ``hop``, starting on ``start`` (five days)."""
    visitor = OrganisationFactory(country=visitor_country, validating_partnership=vop)
    if ecosystems:
        visitor.ecosystems.set(ecosystems)
    host = OrganisationFactory(country=host_country, validating_partnership=hop)
    if status != ExchangeStatus.DRAFT:
        kwargs.setdefault("contracted_at", timezone.now())
    return ExchangeFactory(
        visitor=visitor,
        host=host,
        vop=vop,
        hop=hop,
        status=status,
        mode=mode,
        start_date=start,
        end_date=start + timedelta(days=4),
        **kwargs,
    )


def lump_sum(
    exchange,
    amount: str,
    *,
    status=PaymentStatus.PENDING,
    due: date | None = None,
    paid: date | None = None,
    closed: date | None = None,
) -> Payment:
    """The exchange's payment; ``closed`` stamps the exchange's closing day (noon, local)."""
    if closed is not None:
        exchange.closed_at = timezone.make_aware(
            datetime(closed.year, closed.month, closed.day, 12)
        )
        exchange.save(update_fields=["closed_at"])
    return Payment.objects.create(
        exchange=exchange,
        amount=Decimal(amount),
        rate=Decimal(amount),
        working_days=5,
        status=status,
        due_date=due,
        paid_on=paid,
        reference="REF" if status == PaymentStatus.PAID else "",
    )
