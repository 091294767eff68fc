"""Working days and the duration of a stay (R-EXC-3): pure functions, no ORM, no clock.

Working days
    Monday to Friday, minus the public holidays of the **host** country (R-EXC-3 [design]), as
    published by the ``holidays`` library (national holidays, no regional ones). A country the
    library does not know has only its weekends excluded, and the result says so.

Duration (R-EXC-3: at least three full working days, at most one month, consecutive, travel
days excluded)
    The stay is the closed range [first day, last day] of the days spent at the host; travel
    days are not part of it. The days are consecutive by construction (one range).

    *At least three full working days*: the range holds at least ``MIN_WORKING_DAYS`` working
    days of the host country.

    *At most one month*: the last day is at the latest the day before the same day of the next
    month (15 March → 14 April; 1 February → 28 February), and when the next month has no such
    day, the last day of the next month (31 January → 28 February, 30 January → 28 February,
    31 January 2028 → 29 February 2028). So 1 February → 1 March is refused (that is one month
    and one day), 31 January → 28 February is allowed. The latest allowed last day never moves
    backwards when the first day moves forward.
"""

from __future__ import annotations

import calendar as std_calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_countries import countries

from cxc_portal.core.refusals import Refusal

#: R-EXC-3: a stay has at least this many full working days.
MIN_WORKING_DAYS = 3
#: R-EXC-3: a stay lasts at most this many calendar months.
MAX_MONTHS = 1


@dataclass(frozen=True)
class Holiday:
    day: date
    name: str


@dataclass(frozen=True)
class WorkingDays:
    """The working days of [start, end] in ``country``.

    ``holidays`` lists the public holidays that fall on a weekday inside the range (the ones
    that made a difference); ``calendar_known`` is False when the library has no calendar for
    the country (then only weekends are excluded).
    """

    country: str
    start: date
    end: date
    days: tuple[date, ...]
    holidays: tuple[Holiday, ...]
    calendar_known: bool = True

    @property
    def count(self) -> int:
        return len(self.days)

    @property
    def calendar_days(self) -> int:
        return max((self.end - self.start).days + 1, 0)


@dataclass(frozen=True)
class DurationCheck:
    """The verdict of R-EXC-3 on one stay: the refusals (empty = allowed) and the day count."""

    refusals: tuple[Refusal, ...]
    working_days: WorkingDays | None

    @property
    def ok(self) -> bool:
        return not self.refusals


@lru_cache(maxsize=512)
def _holidays_of_year(country: str, year: int) -> tuple[tuple[date, str], ...] | None:
    # Cached per (country, year): list pages compute working days for hundreds of rows.
    try:
        calendar = holidays.country_holidays(country, years=year)
    except NotImplementedError:
        return None
    return tuple(sorted(calendar.items()))


def public_holidays(country: str, start: date, end: date) -> dict[date, str] | None:
    """The public holidays of ``country`` between ``start`` and ``end`` inclusive.

    ``None`` when the ``holidays`` library has no calendar for ``country``.
    """
    found: dict[date, str] = {}
    for year in range(start.year, end.year + 1):
        days = _holidays_of_year(country.upper(), year)
        if days is None:
            return None
        for day, name in days:
            if start <= day <= end:
                found[day] = name
    return found


def working_days(start: date, end: date, country: str) -> WorkingDays:
    """Monday–Friday in [start, end], minus ``country``'s public holidays (R-EXC-3)."""
    if end < start:
        return WorkingDays(country, start, end, (), (), True)
    known = public_holidays(country, start, end)
    holiday_map = known or {}
    days: list[date] = []
    skipped: list[Holiday] = []
    # Counted by offset, not by stepping past ``end``: ``end`` may be the last date there is.
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        if day.weekday() < 5:
            if day in holiday_map:
                skipped.append(Holiday(day, holiday_map[day]))
            else:
                days.append(day)
    return WorkingDays(country, start, end, tuple(days), tuple(skipped), known is not None)


def latest_end_date(start: date) -> date:
    """The last day a stay beginning on ``start`` may have (R-EXC-3, "at most one month").

    The day before the same day of the next month; the last day of the next month when that
    month has no such day (see the module docstring).
    """
    if (start.year, start.month) == (date.max.year, date.max.month):
        return date.max  # no next month in the calendar: every later day is allowed
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    days_in_next = std_calendar.monthrange(year, month)[1]
    if start.day > days_in_next:
        return date(year, month, days_in_next)
    return date(year, month, start.day) - timedelta(days=1)


def _fmt(day: date) -> str:
    return date_format(day, "j M Y")


def country_name(code: str) -> str:
    return str(countries.name(code) or code)


def check_duration(start: date, end: date, country: str) -> DurationCheck:
    """R-EXC-3 for a stay at a host in ``country``: every refusal, with its field."""
    if end < start:
        return DurationCheck(
            (
                Refusal(
                    "R-EXC-3",
                    _("The last day of the stay cannot be before its first day."),
                    "end_date",
                ),
            ),
            None,
        )
    refusals: list[Refusal] = []
    latest = latest_end_date(start)
    if end > latest:
        refusals.append(
            Refusal(
                "R-EXC-3",
                _(
                    "A stay lasts at most one month: starting on %(start)s, its last day can be "
                    "%(latest)s at the latest."
                )
                % {"start": _fmt(start), "latest": _fmt(latest)},
                "end_date",
            )
        )
        # A stay over a month holds far more than three working days in any calendar; its
        # days are not counted (a typing slip such as year 9999 would mean centuries of them).
        return DurationCheck(tuple(refusals), None)
    days = working_days(start, end, country)
    if days.count < MIN_WORKING_DAYS:
        text = _(
            "A stay needs at least %(min)d full working days at the host; %(start)s – %(end)s "
            "has %(count)d in %(country)s (weekends and public holidays excluded)."
        ) % {
            "min": MIN_WORKING_DAYS,
            "start": _fmt(start),
            "end": _fmt(end),
            "count": days.count,
            "country": country_name(country),
        }
        if days.holidays:
            text += " " + _("Public holidays in the stay: %(list)s.") % {
                "list": ", ".join(f"{_fmt(h.day)} ({h.name})" for h in days.holidays)
            }
        refusals.append(Refusal("R-EXC-3", text, "end_date"))
    return DurationCheck(tuple(refusals), days)
