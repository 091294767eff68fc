"""R-EXC-3: working days on the host's calendar and the duration of a stay, at the boundaries."""

from datetime import date

import pytest

from exchanges.calendar import (
    MIN_WORKING_DAYS,
    check_duration,
    latest_end_date,
    public_holidays,
    working_days,
)


def test_r_exc_3_working_days_exclude_weekends():
    # Monday 8 → Sunday 14 March 2027 in Portugal: five working days.
    days = working_days(date(2027, 3, 8), date(2027, 3, 14), "PT")
    assert days.count == 5
    assert days.calendar_days == 7
    assert days.holidays == ()


def test_r_exc_3_portuguese_national_holiday_inside_the_stay_is_not_a_working_day():
    # Thursday 10 June 2027 is the Day of Portugal.
    days = working_days(date(2027, 6, 7), date(2027, 6, 11), "PT")
    assert days.count == 4
    assert [h.day for h in days.holidays] == [date(2027, 6, 10)]
    assert date(2027, 6, 10) not in days.days


def test_r_exc_3_three_working_days_across_a_portuguese_holiday_boundary():
    # Tue 8 – Thu 10 June 2027: Tue, Wed (the 10th is a holiday) → 2, refused.
    refused = check_duration(date(2027, 6, 8), date(2027, 6, 10), "PT")
    assert not refused.ok
    assert refused.working_days.count == 2
    text = refused.refusals[0].text
    assert "at least 3 full working days" in text
    assert "has 2 in Portugal" in text
    assert "10 Jun 2027" in text  # the holiday is named in the message
    assert refused.refusals[0].rule == "R-EXC-3"
    assert refused.refusals[0].field == "end_date"
    # Tue 8 – Fri 11 June: Tue, Wed, Fri → exactly 3, allowed.
    allowed = check_duration(date(2027, 6, 8), date(2027, 6, 11), "PT")
    assert allowed.ok
    assert allowed.working_days.count == MIN_WORKING_DAYS == 3


def test_r_exc_3_german_easter_monday_boundary():
    # Easter Monday 29 March 2027 is a German public holiday (not a Portuguese one).
    assert working_days(date(2027, 3, 29), date(2027, 3, 31), "DE").count == 2
    assert not check_duration(date(2027, 3, 29), date(2027, 3, 31), "DE").ok
    assert check_duration(date(2027, 3, 29), date(2027, 4, 1), "DE").ok
    # Same dates in Portugal: Easter Monday is a working day there.
    assert check_duration(date(2027, 3, 29), date(2027, 3, 31), "PT").ok


def test_r_exc_3_belgian_national_day_boundary():
    # Wednesday 21 July 2027 is Belgium's National Day.
    assert working_days(date(2027, 7, 19), date(2027, 7, 21), "BE").count == 2
    assert not check_duration(date(2027, 7, 19), date(2027, 7, 21), "BE").ok
    assert check_duration(date(2027, 7, 19), date(2027, 7, 22), "BE").ok


def test_r_exc_3_french_bastille_day_boundary():
    # Wednesday 14 July 2027.
    assert working_days(date(2027, 7, 12), date(2027, 7, 14), "FR").count == 2
    assert check_duration(date(2027, 7, 12), date(2027, 7, 15), "FR").ok


def test_r_exc_3_two_working_days_over_a_weekend_are_refused():
    # Friday to Monday: 2 working days although 4 calendar days.
    result = check_duration(date(2027, 3, 12), date(2027, 3, 15), "PT")
    assert not result.ok
    assert result.working_days.count == 2


def test_r_exc_3_exactly_three_working_days_is_allowed():
    assert check_duration(date(2027, 3, 8), date(2027, 3, 10), "PT").ok


def test_r_exc_3_a_weekend_start_counts_only_the_weekdays():
    # Saturday 6 → Wednesday 10 March: Mon, Tue, Wed.
    assert check_duration(date(2027, 3, 6), date(2027, 3, 10), "PT").ok
    assert not check_duration(date(2027, 3, 6), date(2027, 3, 9), "PT").ok


def test_r_exc_3_end_before_start_is_refused_with_a_clear_message():
    result = check_duration(date(2027, 3, 10), date(2027, 3, 9), "PT")
    assert not result.ok
    assert result.refusals[0].text == "The last day of the stay cannot be before its first day."
    assert result.refusals[0].field == "end_date"


@pytest.mark.parametrize(
    ("start", "latest"),
    [
        (date(2027, 3, 15), date(2027, 4, 14)),
        (date(2027, 2, 1), date(2027, 2, 28)),
        (date(2027, 1, 31), date(2027, 2, 28)),  # no 31 Feb: the last day of February
        (date(2027, 1, 30), date(2027, 2, 28)),
        (date(2027, 1, 29), date(2027, 2, 28)),
        (date(2027, 1, 28), date(2027, 2, 27)),
        (date(2028, 1, 31), date(2028, 2, 29)),  # leap year
        (date(2027, 3, 31), date(2027, 4, 30)),
        (date(2027, 12, 15), date(2028, 1, 14)),  # across the year end
    ],
)
def test_r_exc_3_latest_end_date_is_one_month(start, latest):
    assert latest_end_date(start) == latest


def test_r_exc_3_month_end_31_january_to_28_february_is_within_one_month():
    assert check_duration(date(2027, 1, 31), date(2027, 2, 28), "PT").ok
    refused = check_duration(date(2027, 1, 31), date(2027, 3, 1), "PT")
    assert not refused.ok
    assert refused.refusals[0].text == (
        "A stay lasts at most one month: starting on 31 Jan 2027, its last day can be "
        "28 Feb 2027 at the latest."
    )


def test_r_exc_3_exactly_one_month_is_allowed_one_more_day_is_not():
    assert check_duration(date(2027, 3, 15), date(2027, 4, 14), "PT").ok
    assert not check_duration(date(2027, 3, 15), date(2027, 4, 15), "PT").ok
    # 1 February → 28 February is the whole month; 1 March is one month and one day.
    assert check_duration(date(2027, 2, 1), date(2027, 2, 28), "PT").ok
    assert not check_duration(date(2027, 2, 1), date(2027, 3, 1), "PT").ok


def test_r_exc_3_a_stay_of_two_months_is_refused_on_the_end_date():
    long_stay = check_duration(date(2027, 3, 1), date(2027, 5, 1), "PT")
    assert [r.field for r in long_stay.refusals] == ["end_date"]
    assert "at most one month" in long_stay.refusals[0].text


def test_r_exc_3_unknown_country_calendar_excludes_weekends_only():
    assert public_holidays("ZZ", date(2027, 1, 1), date(2027, 12, 31)) is None
    days = working_days(date(2027, 12, 24), date(2027, 12, 31), "ZZ")
    assert days.calendar_known is False
    assert days.count == 6  # Fri 24, Mon 27 – Fri 31: Christmas is not known there


def test_r_exc_3_holidays_across_a_year_boundary():
    # 31 Dec 2027 (Fri) – 4 Jan 2028 (Tue) in Portugal: New Year's Day is a Saturday.
    days = working_days(date(2027, 12, 31), date(2028, 1, 4), "PT")
    assert days.days == (date(2027, 12, 31), date(2028, 1, 3), date(2028, 1, 4))


def test_r_exc_3_the_last_dates_of_the_calendar_do_not_crash_the_rule():
    """A typing slip (year 9999) reaches the rule from a form: a refusal, never a 500."""
    assert latest_end_date(date(9999, 12, 15)) == date.max
    too_long = check_duration(date(2027, 1, 4), date.max, "PT")
    assert [r.field for r in too_long.refusals] == ["end_date"]
    assert "at most one month" in too_long.refusals[0].text
    assert too_long.working_days is None  # centuries of days are not counted
    assert working_days(date(9999, 12, 27), date.max, "PT").count == 5
    assert check_duration(date(9999, 12, 27), date.max, "PT").ok
