"""The dashboards' period form (R-KPI-2: the period in which a stay starts)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from cxc_portal.core.dates import STAY_DATES, date_within

from .kpi import Period

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodForm(forms.Form):
    """A period of stay start dates: both days within the stays' sensible range, in order."""

    start = forms.DateField(
        label=_("Stays starting from"), widget=DATE_INPUT, validators=[date_within(STAY_DATES)]
    )
    end = forms.DateField(label=_("until"), widget=DATE_INPUT, validators=[date_within(STAY_DATES)])

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The period cannot end before it starts."))
        return data

    def period(self, default: Period) -> Period:
        """The chosen period, or ``default`` when the form is unbound or wrong."""
        if self.is_bound and self.is_valid():
            return Period(self.cleaned_data["start"], self.cleaned_data["end"])
        return default


def period_form(data, *, default: Period) -> PeriodForm:
    """Bound only when the page was asked for a period (``start`` or ``end`` given)."""
    if "start" in data or "end" in data:
        return PeriodForm(data)
    return PeriodForm(initial={"start": default.start, "end": default.end})


def year_periods(today: date) -> list[Period]:
    """Quick choices: each calendar year from the programme's first stays to next year."""
    return [
        Period(date(year, 1, 1), date(year, 12, 31))
        for year in range(STAY_DATES.earliest.year, today.year + 2)
    ]
