"""The sensible range of each kind of date the portal is given, in one place, as data.

A typing slip (year 9999 for a stay, year 1 for a residence permit) must be refused next to
the field it was typed in, not reach the rules or the database. Each kind of date has a
``DateRange``: a fixed first day, and a last day counted from today (``years_ahead=0``: not
after today). Forms attach ``date_within(RANGE)`` to their date fields; "today" is asked for
when the form is checked (a callable), so a long-running process never keeps a stale day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class DateRange:
    """From ``earliest`` to ``years_ahead`` years after today, both days included."""

    earliest: date
    years_ahead: int

    def latest(self, today: date) -> date:
        try:
            return today.replace(year=today.year + self.years_ahead)
        except ValueError:  # 29 February, in a year that has none
            return today.replace(year=today.year + self.years_ahead, day=28)

    def contains(self, day: date, *, today: date) -> bool:
        return self.earliest <= day <= self.latest(today)


#: Stays, action-plan activities, group (mission) dates and the availability of an expression
#: of interest: ClusterXchange's exchanges start in 2020, and nobody plans one more than two
#: years ahead.
STAY_DATES = DateRange(earliest=date(2020, 1, 1), years_ahead=2)
#: A signatory's date of birth: a living person, born by today.
BIRTH_DATES = DateRange(earliest=date(1900, 1, 1), years_ahead=0)
#: The day since which a signatory holds a residence permit (R-ELIG-9): in a lifetime, by today.
RESIDENCE_PERMIT_DATES = DateRange(earliest=date(1900, 1, 1), years_ahead=0)
#: EASME's pre-approval of a non-member SME as host (R-ELIG-6): EASME exists since
#: 1 January 2014, and a pre-approval is recorded once granted.
EASME_DATES = DateRange(earliest=date(2014, 1, 1), years_ahead=0)

DATE_OUT_OF_RANGE = _("Give a date from %(earliest)s to %(latest)s.")


def _day(value: date) -> str:
    return date_format(value, "j M Y")


def date_within(
    bounds: DateRange, *, today: Callable[[], date] = timezone.localdate
) -> Callable[[date | None], None]:
    """A form-field validator refusing a date outside ``bounds`` (``today()`` is called
    each time a value is checked)."""

    def validate(value: date | None) -> None:
        if value is None:
            return
        day = today()
        if not bounds.contains(value, today=day):
            raise ValidationError(
                DATE_OUT_OF_RANGE,
                code="date_out_of_range",
                params={"earliest": _day(bounds.earliest), "latest": _day(bounds.latest(day))},
            )

    return validate
