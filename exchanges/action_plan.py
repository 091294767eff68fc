"""The action plan's arithmetic (R-EXC-4, R-EXC-5): which activities count, the running
totals, and one activity's own checks. Reads model instances, writes nothing; the guards and
the plan editor share it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cxc_portal.core.refusals import Refusal

from .calendar import WorkingDays, working_days

#: R-EXC-4: the action plan holds at least this many hours of activities.
MIN_PLAN_HOURS = Decimal("24")
#: A day has 24 hours: the activities of one day cannot add up to more.
MAX_HOURS_PER_DAY = Decimal("24")


def _fmt(day: date) -> str:
    return date_format(day, "j M Y")


def format_hours(hours: Decimal) -> str:
    """23.0 → "23", 23.5 → "23.5" (hours have one decimal place)."""
    text = format(Decimal(hours).quantize(Decimal("0.1")), "f")
    return text[:-2] if text.endswith(".0") else text


def activity_counts(activity, exchange) -> bool:
    """Whether an activity counts towards the 24 hours of R-EXC-4.

    Decision: every ordinary activity inside the stay counts; an *extra* activity counts only
    once the Support Office approved it; an activity outside the stay's dates never counts.
    """
    inside = exchange.start_date <= activity.date <= exchange.end_date
    return inside and (not activity.is_extra or activity.approved_at is not None)


@dataclass(frozen=True)
class PlanTotals:
    """The running totals shown in the plan editor and checked at contracting."""

    counted_hours: Decimal
    pending_extra_hours: Decimal
    pending_extra_count: int
    outside_dates_count: int
    rows: int
    working_days: WorkingDays

    @property
    def missing_hours(self) -> Decimal:
        return max(MIN_PLAN_HOURS - self.counted_hours, Decimal("0"))

    @property
    def min_hours(self) -> Decimal:
        return MIN_PLAN_HOURS


def plan_totals(exchange) -> PlanTotals:
    activities = list(exchange.activities.all())
    counted = Decimal("0")
    pending_hours = Decimal("0")
    pending = outside = 0
    for activity in activities:
        if not exchange.start_date <= activity.date <= exchange.end_date:
            outside += 1
        elif activity_counts(activity, exchange):
            counted += activity.hours
        else:
            pending += 1
            pending_hours += activity.hours
    return PlanTotals(
        counted_hours=counted,
        pending_extra_hours=pending_hours,
        pending_extra_count=pending,
        outside_dates_count=outside,
        rows=len(activities),
        working_days=working_days(
            exchange.start_date, exchange.end_date, exchange_country(exchange)
        ),
    )


def exchange_country(exchange) -> str:
    """The host's country: its public holidays define the stay's working days (R-EXC-3)."""
    return str(exchange.host.country.code)


def activity_refusals(
    exchange, *, day: date, hours: Decimal, exclude_activity_id: int | None = None
) -> list[Refusal]:
    """One activity's own checks: inside the stay, 0 < hours ≤ 24, the day not over 24 h."""
    refusals: list[Refusal] = []
    if not exchange.start_date <= day <= exchange.end_date:
        refusals.append(
            Refusal(
                "R-EXC-4",
                _("An activity takes place during the stay (%(start)s – %(end)s).")
                % {"start": _fmt(exchange.start_date), "end": _fmt(exchange.end_date)},
                "date",
            )
        )
    if hours is None or hours <= 0:
        refusals.append(Refusal("R-EXC-4", _("Give the activity's duration in hours."), "hours"))
    elif hours > MAX_HOURS_PER_DAY:
        refusals.append(Refusal("R-EXC-4", _("An activity lasts at most 24 hours."), "hours"))
    else:
        same_day = sum(
            (
                a.hours
                for a in exchange.activities.all()
                if a.date == day and a.pk != exclude_activity_id
            ),
            Decimal("0"),
        )
        if same_day + hours > MAX_HOURS_PER_DAY:
            refusals.append(
                Refusal(
                    "R-EXC-4",
                    _("The activities of %(day)s would add up to %(total)s hours; a day has 24.")
                    % {"day": _fmt(day), "total": format_hours(same_day + hours)},
                    "hours",
                )
            )
    return refusals
