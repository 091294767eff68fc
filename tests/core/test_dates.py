"""The sensible range of each kind of date (cxc_portal.core.dates), and every form's date
fields held to it at both ends (issue 8 point 6)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from cxc_portal.core.dates import (
    BIRTH_DATES,
    EASME_DATES,
    RESIDENCE_PERMIT_DATES,
    STAY_DATES,
    DateRange,
    date_within,
)
from exchanges.forms import ActivityForm, ExchangeCreateForm, ExchangeEditForm, GroupForm
from organisations.forms import EasmeForm, SignatoryForm
from partnerships.forms import InterestForm

TODAY = date(2027, 1, 15)


def test_a_range_runs_from_its_first_day_to_years_after_today_both_included():
    stays = DateRange(earliest=date(2020, 1, 1), years_ahead=2)
    assert stays.latest(TODAY) == date(2029, 1, 15)
    assert stays.contains(date(2020, 1, 1), today=TODAY)
    assert stays.contains(date(2029, 1, 15), today=TODAY)
    assert not stays.contains(date(2019, 12, 31), today=TODAY)
    assert not stays.contains(date(2029, 1, 16), today=TODAY)
    # 29 February plus two years has no 29 February: the last day is the 28th.
    assert stays.latest(date(2028, 2, 29)) == date(2030, 2, 28)
    assert DateRange(earliest=date(1900, 1, 1), years_ahead=0).latest(TODAY) == TODAY


def test_date_within_asks_today_when_it_checks_and_says_the_range():
    days = iter([TODAY, TODAY + timedelta(days=1)])
    validate = date_within(BIRTH_DATES, today=lambda: next(days))
    with pytest.raises(ValidationError) as refused:
        validate(TODAY + timedelta(days=1))
    assert refused.value.code == "date_out_of_range"
    assert refused.value.messages == ["Give a date from 1 Jan 1900 to 15 Jan 2027."]
    validate(TODAY + timedelta(days=1))  # the next day, tomorrow has come
    validate(None)  # an empty optional date is the field's business, not the range's


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make_form", "name", "bounds"),
    [
        (lambda: ExchangeCreateForm(), "start_date", STAY_DATES),
        (lambda: ExchangeCreateForm(), "end_date", STAY_DATES),
        (lambda: ExchangeEditForm(), "start_date", STAY_DATES),
        (lambda: ExchangeEditForm(), "end_date", STAY_DATES),
        (lambda: ActivityForm(), "date", STAY_DATES),
        (lambda: GroupForm(edit=True), "start_date", STAY_DATES),
        (lambda: GroupForm(edit=True), "end_date", STAY_DATES),
        (
            lambda: InterestForm(organisations=[], roles=["visitor"], country_codes=[]),
            "period_from",
            STAY_DATES,
        ),
        (
            lambda: InterestForm(organisations=[], roles=["visitor"], country_codes=[]),
            "period_until",
            STAY_DATES,
        ),
        (lambda: SignatoryForm(), "date_of_birth", BIRTH_DATES),
        (lambda: SignatoryForm(), "residence_permit_since", RESIDENCE_PERMIT_DATES),
        (lambda: EasmeForm(), "granted_on", EASME_DATES),
    ],
)
def test_each_form_date_field_accepts_its_bounds_and_refuses_a_day_beyond(make_form, name, bounds):
    field: forms.DateField = make_form().fields[name]
    today = timezone.localdate()
    first, last = bounds.earliest, bounds.latest(today)
    assert field.clean(first.isoformat()) == first
    assert field.clean(last.isoformat()) == last
    for beyond in (first - timedelta(days=1), last + timedelta(days=1)):
        with pytest.raises(ValidationError, match="Give a date from"):
            field.clean(beyond.isoformat())
    for slip in ("0001-01-01", "9999-12-31"):
        with pytest.raises(ValidationError, match="Give a date from"):
            field.clean(slip)
