"""Every read of the payments room: rates (R-PAY-3) and the facts of the public estimator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q

from exchanges.calendar import WorkingDays
from organisations.models import City

from .lump_sum import LumpSum, compute_lump_sum
from .models import Evidence, EvidenceStatus, LumpSumRate, Payment
from .permissions import RATES_DENIED, can_manage_rates


def rate_for(country: str, day: date) -> LumpSumRate | None:
    """R-PAY-3: the rate of host ``country`` valid on ``day`` (the stay's first day), if any.

    At most one row matches: the database refuses overlapping rates of one country.
    """
    return LumpSumRate.objects.filter(country=str(country).upper()).valid_on(day).first()


@dataclass(frozen=True)
class CountryRates:
    """One line of the rates page: a country, its rate today and the next one already set."""

    country: str
    current: LumpSumRate | None
    upcoming: LumpSumRate | None
    count: int

    @property
    def name(self) -> str:
        return str(self.any_row.country.name) if self.any_row else self.country

    @property
    def any_row(self) -> LumpSumRate | None:
        return self.current or self.upcoming


def rate_overview(*, user, today: date) -> list[CountryRates]:
    """Every country with a rate, its current and upcoming rate (one query, whatever the
    number of countries and rates: the table holds a few rows per country)."""
    if not can_manage_rates(user):
        raise PermissionDenied(RATES_DENIED)
    by_country: dict[str, list[LumpSumRate]] = {}
    for rate in LumpSumRate.objects.order_by("country", "valid_from"):
        by_country.setdefault(str(rate.country.code), []).append(rate)
    lines = []
    for code, rates in by_country.items():
        current = next((r for r in rates if r.is_valid_on(today)), None)
        upcoming = next((r for r in rates if r.valid_from > today), None)
        lines.append(CountryRates(code, current, upcoming, len(rates)))
    return sorted(lines, key=lambda line: line.name)


def rate_history(*, user, country: str) -> list[LumpSumRate]:
    """Every rate of ``country``, the latest first, with who added it (one query)."""
    if not can_manage_rates(user):
        raise PermissionDenied(RATES_DENIED)
    return list(
        LumpSumRate.objects.filter(country=country.upper())
        .select_related("created_by")
        .order_by("-valid_from")
    )


def city_get(pk: int) -> City | None:
    """A gazetteer city by its id (public reference data: no scope)."""
    return City.objects.filter(pk=pk).first()


@dataclass(frozen=True)
class Estimate:
    """The public estimator's answer: the lump sum, the rate row it used and the working days
    (with the public holidays that were not counted)."""

    lump_sum: LumpSum
    rate: LumpSumRate
    working_days: WorkingDays
    visitor_city: City | None = None
    host_city: City | None = None

    @property
    def distance_display(self) -> str | None:
        km = self.lump_sum.distance_km
        return None if km is None else str(km.quantize(Decimal("0.1"), rounding=ROUND_DOWN))

    def as_dict(self) -> dict[str, Any]:
        lump_sum, days = self.lump_sum, self.working_days
        return {
            "amount": str(lump_sum.amount),
            "currency": "EUR",
            "rate": str(lump_sum.rate),
            "threshold": str(lump_sum.threshold),
            "rate_valid_from": self.rate.valid_from.isoformat(),
            "host_country": days.country,
            "start": days.start.isoformat(),
            "end": days.end.isoformat(),
            "mode": lump_sum.mode,
            "working_days": lump_sum.working_days,
            "distance_km": self.distance_display,
            "visitor_city": self.visitor_city.pk if self.visitor_city else None,
            "host_city": self.host_city.pk if self.host_city else None,
            "halved": lump_sum.halved,
            "reasons": [
                {"rule": r.rule, "text": r.text, "field": r.field} for r in lump_sum.reasons
            ],
            "holidays": [{"date": h.day.isoformat(), "name": h.name} for h in days.holidays],
            "calendar_known": days.calendar_known,
        }


def lump_sum_estimate(
    *,
    working_days: WorkingDays,
    mode: str,
    distance_km: Decimal | None,
    visitor_city: City | None = None,
    host_city: City | None = None,
) -> Estimate | None:
    """R-PAY-2, R-PAY-3: the lump sum of a stay (the host country and the dates are those of
    ``working_days``), at the host country's rate valid on the first day; ``None`` when that
    country has no rate on that day."""
    rate = rate_for(working_days.country, working_days.start)
    if rate is None:
        return None
    lump_sum = compute_lump_sum(
        rate=rate.amount, working_days=working_days.count, distance_km=distance_km, mode=mode
    )
    return Estimate(lump_sum, rate, working_days, visitor_city, host_city)


# --- the applicant's journey ---------------------------------------------------------------------


@dataclass(frozen=True)
class MoneyFacts:
    """What the journey shows of an exchange's evidence (R-PAY-4 (c)) and payment (R-PAY-4)."""

    evidence_pending: int = 0
    evidence_accepted: int = 0
    evidence_rejected: int = 0
    payment: Payment | None = None


def money_facts_for_journey(*, exchange_ids: list[int]) -> dict[int, MoneyFacts]:
    """Evidence counts and the payment of each exchange in ``exchange_ids`` (the visits of the
    user's own organisations, from ``exchanges.selectors.exchange_list_for_journey``): two
    queries whatever their number."""
    if not exchange_ids:
        return {}
    counts = {
        row["exchange_id"]: row
        for row in Evidence.objects.filter(exchange_id__in=exchange_ids)
        .order_by()
        .values("exchange_id")
        .annotate(
            pending=Count("pk", filter=Q(status=EvidenceStatus.PENDING)),
            accepted=Count("pk", filter=Q(status=EvidenceStatus.ACCEPTED)),
            rejected=Count("pk", filter=Q(status=EvidenceStatus.REJECTED)),
        )
    }
    payments = {p.exchange_id: p for p in Payment.objects.filter(exchange_id__in=exchange_ids)}
    facts: dict[int, MoneyFacts] = {}
    for pk in exchange_ids:
        row = counts.get(pk, {})
        facts[pk] = MoneyFacts(
            evidence_pending=row.get("pending", 0),
            evidence_accepted=row.get("accepted", 0),
            evidence_rejected=row.get("rejected", 0),
            payment=payments.get(pk),
        )
    return facts
