"""The lump sum of a stay (payments/lump_sum.py): R-PAY-1, R-PAY-2, R-PAY-3, R-EXC-8."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exchanges.calendar import working_days
from payments.lump_sum import PHYSICAL, VIRTUAL, compute_lump_sum

PORTUGAL = Decimal("780.00")


def rules(result) -> list[tuple[str, str | None]]:
    return [(r.rule, r.field) for r in result.reasons]


def test_r_pay_2_portugal_five_working_days_is_the_full_780():
    """R-PAY-2 (published example): Portugal, 5 working days → 780.00; 3 → 390.00."""
    full = compute_lump_sum(rate=PORTUGAL, working_days=5, distance_km=1450)
    assert (full.amount, full.halved, full.reasons) == (Decimal("780.00"), False, ())
    short = compute_lump_sum(rate=PORTUGAL, working_days=3, distance_km=1450)
    assert (short.amount, short.halved) == (Decimal("390.00"), True)
    assert str(short.amount) == "390.00"


def test_r_pay_2_four_working_days_are_halved_five_are_not():
    """R-PAY-2: halved below five working days; five is the full rate."""
    four = compute_lump_sum(rate=PORTUGAL, working_days=4, distance_km=500)
    five = compute_lump_sum(rate=PORTUGAL, working_days=5, distance_km=500)
    assert four.amount == Decimal("390.00") and four.halved
    assert rules(four) == [("R-PAY-2", "working_days")]
    assert "4 working days" in four.reasons[0].text
    assert five.amount == Decimal("780.00") and not five.halved


@pytest.mark.parametrize(
    ("distance", "amount", "halved"),
    [
        (Decimal("199.9"), Decimal("390.00"), True),
        (199.9, Decimal("390.00"), True),
        (Decimal("199.999"), Decimal("390.00"), True),
        (Decimal("200"), Decimal("780.00"), False),
        (200.0, Decimal("780.00"), False),
        (Decimal("200.1"), Decimal("780.00"), False),
    ],
)
def test_r_pay_2_under_200_km_is_halved_exactly_200_is_not(distance, amount, halved):
    """R-PAY-2: organisations less than 200 km apart get half; exactly 200 km is not "less"."""
    result = compute_lump_sum(rate=PORTUGAL, working_days=5, distance_km=distance)
    assert (result.amount, result.halved) == (amount, halved)
    assert rules(result) == ([("R-PAY-2", "distance_km")] if halved else [])


def test_r_pay_2_the_display_of_199_96_km_is_not_rounded_up_to_the_limit():
    """R-PAY-2: the message never says "200 km apart, less than 200 km"."""
    result = compute_lump_sum(rate=PORTUGAL, working_days=5, distance_km=Decimal("199.96"))
    assert "199.9 km apart" in result.reasons[0].text


def test_r_pay_2_both_conditions_halve_once_not_twice():
    """R-PAY-2: short stay AND under 200 km → half the rate (not a quarter), two reasons."""
    result = compute_lump_sum(rate=PORTUGAL, working_days=3, distance_km=Decimal("150"))
    assert result.amount == Decimal("390.00")
    assert result.halved
    assert rules(result) == [("R-PAY-2", "working_days"), ("R-PAY-2", "distance_km")]


def test_r_pay_2_half_of_an_odd_cent_rate_is_rounded_half_up():
    """R-PAY-2, R-PAY-5: half of 780.05 is 390.025 → 390.03 (to the cent, half up)."""
    result = compute_lump_sum(rate=Decimal("780.05"), working_days=4, distance_km=300)
    assert result.amount == Decimal("390.03")


def test_r_exc_8_a_virtual_exchange_gets_no_lump_sum():
    """R-EXC-8: virtual → 0.00 whatever the days and the distance, with its reason."""
    result = compute_lump_sum(rate=PORTUGAL, working_days=5, distance_km=None, mode=VIRTUAL)
    assert result.amount == Decimal("0.00") and str(result.amount) == "0.00"
    assert not result.halved
    assert rules(result) == [("R-EXC-8", "mode")]
    short_near = compute_lump_sum(rate=PORTUGAL, working_days=3, distance_km=10, mode=VIRTUAL)
    assert short_near.amount == Decimal("0.00")


def test_r_pay_1_the_amount_is_never_above_the_rate_which_is_the_threshold():
    """R-PAY-1: the host country's rate is its threshold; the full amount equals it."""
    result = compute_lump_sum(rate=Decimal("1100"), working_days=23, distance_km=3000)
    assert result.threshold == result.rate == Decimal("1100.00")
    assert result.amount == result.threshold


@pytest.mark.parametrize(
    "kwargs",
    [
        {"rate": Decimal("0"), "working_days": 5, "distance_km": 300},
        {"rate": PORTUGAL, "working_days": -1, "distance_km": 300},
        {"rate": PORTUGAL, "working_days": 5, "distance_km": -1},
        {"rate": PORTUGAL, "working_days": 5, "distance_km": None},
        {"rate": PORTUGAL, "working_days": 5, "distance_km": 300, "mode": "hybrid"},
    ],
)
def test_impossible_inputs_are_programming_errors(kwargs):
    """R-PAY-2: the pure rule refuses facts that cannot be (forms refuse them first)."""
    with pytest.raises(ValueError):
        compute_lump_sum(**kwargs)


def test_r_pay_2_a_public_holiday_turns_five_calendar_days_into_four_working_days():
    """R-PAY-2, R-EXC-3: Mon 7 – Fri 11 June 2027 in Portugal holds the Day of Portugal
    (Thu 10 June): 4 working days, so half the rate; the same week in Belgium is full."""
    days = working_days(date(2027, 6, 7), date(2027, 6, 11), "PT")
    assert days.count == 4
    assert [h.day for h in days.holidays] == [date(2027, 6, 10)]
    result = compute_lump_sum(rate=PORTUGAL, working_days=days.count, distance_km=1450)
    assert result.amount == Decimal("390.00")
    assert rules(result) == [("R-PAY-2", "working_days")]
    belgium = working_days(date(2027, 6, 7), date(2027, 6, 11), "BE")
    assert belgium.count == 5
    assert compute_lump_sum(
        rate=Decimal("830"), working_days=belgium.count, distance_km=1450
    ).amount == Decimal("830.00")


@pytest.mark.django_db
def test_r_pay_3_a_rate_change_between_two_exchanges_start_dates():
    """R-PAY-3: each exchange gets the rate valid on its own first day (``rate_for``)."""
    from payments.selectors import rate_for
    from payments.services import rate_add
    from tests.factories import UserFactory

    support = UserFactory(is_support_office=True)
    rate_add(actor=support, country="PT", amount=Decimal("800.00"), valid_from=date(2026, 7, 1))
    before = rate_for("PT", date(2026, 6, 30))
    after = rate_for("PT", date(2026, 7, 1))
    assert (before.amount, after.amount) == (Decimal("780.00"), Decimal("800.00"))
    amounts = [
        compute_lump_sum(rate=rate.amount, working_days=5, distance_km=1450).amount
        for rate in (before, after)
    ]
    assert amounts == [Decimal("780.00"), Decimal("800.00")]
    assert rate_for("pt", date(2019, 12, 31)) is None


@given(
    rate=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2),
    days=st.integers(min_value=0, max_value=31),
    distance=st.one_of(
        st.decimals(min_value=0, max_value=Decimal("6000"), places=3),
        st.floats(min_value=0, max_value=6000, allow_nan=False, allow_infinity=False),
    ),
    mode=st.sampled_from([PHYSICAL, VIRTUAL]),
)
def test_r_pay_1_r_pay_2_property_the_amount_is_the_rate_half_of_it_or_zero(
    rate, days, distance, mode
):
    """R-PAY-1, R-PAY-2, R-EXC-8: never negative, never above the rate, and always exactly the
    rate, half of it (to the cent), or 0."""
    result = compute_lump_sum(rate=rate, working_days=days, distance_km=distance, mode=mode)
    half = (rate / 2).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert Decimal("0") <= result.amount <= rate
    assert result.amount in {rate, half, Decimal("0.00")}
    assert result.amount == result.amount.quantize(Decimal("0.01"))
    if mode == VIRTUAL:
        assert result.amount == 0
    else:
        assert result.halved == (days < 5 or Decimal(str(distance)) < 200)
        assert result.amount == (half if result.halved else rate)
