"""The lump sum of one exchange (R-PAY-1, R-PAY-2, R-EXC-8): a pure function, no ORM, no clock.

Inputs are facts read elsewhere: the host country's rate valid on the stay's first day (a
``LumpSumRate`` row, read by ``payments.selectors.rate_for``), the stay's working days (counted
by ``exchanges.calendar.working_days``, the host country's public holidays excluded), the
distance between the two organisations and the mode.

- R-PAY-1: the rate **is** the host country's threshold; the amount never exceeds it.
- R-PAY-2: the rate is paid in full from ``FULL_RATE_WORKING_DAYS`` working days; it is
  **halved** when the stay has fewer working days **and/or** the organisations are less than
  ``HALVING_DISTANCE_KM`` apart. Halved once, even when both hold; exactly 200 km is not "less".
- R-EXC-8: a virtual exchange gets no lump sum (0.00).

Money is ``Decimal`` to the cent, rounded half up (R-PAY-5).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from cxc_portal.core.refusals import Refusal

PHYSICAL = "physical"
VIRTUAL = "virtual"
MODES = (PHYSICAL, VIRTUAL)

#: R-PAY-2: the full rate is paid from this many working days (travel days excluded).
FULL_RATE_WORKING_DAYS = 5
#: R-PAY-2: organisations less than this many kilometres apart get half the rate.
HALVING_DISTANCE_KM = Decimal("200")

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _decimal(value: Decimal | float | int) -> Decimal:
    # A float goes through its shortest repr: Decimal(199.9) would be 199.900000000000005…
    return value if isinstance(value, Decimal) else Decimal(str(value))


@dataclass(frozen=True)
class LumpSum:
    """The amount and why: ``reasons`` holds one item per rule that lowered it (each with its
    rule id), empty when the full rate is due."""

    amount: Decimal
    rate: Decimal
    threshold: Decimal
    working_days: int
    distance_km: Decimal | None
    mode: str
    halved: bool
    reasons: tuple[Refusal, ...]

    @property
    def is_full_rate(self) -> bool:
        return self.amount == self.rate


def compute_lump_sum(
    *,
    rate: Decimal,
    working_days: int,
    distance_km: Decimal | float | int | None,
    mode: str = PHYSICAL,
) -> LumpSum:
    """R-PAY-1, R-PAY-2, R-EXC-8: the lump sum of a stay.

    ``rate``: the host country's rate valid on the stay's first day (R-PAY-3), which is also
    its threshold (R-PAY-1). ``working_days``: the stay's working days in the host country.
    ``distance_km``: between the two organisations (may be ``None`` only for a virtual
    exchange, where it plays no part).
    """
    if mode not in MODES:
        raise ValueError(f"Unknown exchange mode: {mode!r}")
    rate = _cents(_decimal(rate))
    if rate <= 0:
        raise ValueError("A lump-sum rate is a positive amount.")
    if working_days < 0:
        raise ValueError("A stay cannot have a negative number of working days.")
    distance = None if distance_km is None else _decimal(distance_km)
    if distance is not None and distance < 0:
        raise ValueError("A distance cannot be negative.")

    if mode == VIRTUAL:
        # R-EXC-8: same duration rules, no lump sum.
        return LumpSum(
            amount=ZERO,
            rate=rate,
            threshold=rate,
            working_days=working_days,
            distance_km=distance,
            mode=mode,
            halved=False,
            reasons=(
                Refusal(
                    "R-EXC-8",
                    _("A virtual exchange gets no lump sum."),
                    "mode",
                ),
            ),
        )
    if distance is None:
        raise ValueError("A physical exchange's lump sum needs the distance.")

    reasons: list[Refusal] = []
    if working_days < FULL_RATE_WORKING_DAYS:
        reasons.append(
            Refusal(
                "R-PAY-2",
                _(
                    "The stay has %(count)d working days, fewer than %(full)d: the lump sum is "
                    "halved."
                )
                % {"count": working_days, "full": FULL_RATE_WORKING_DAYS},
                "working_days",
            )
        )
    if distance < HALVING_DISTANCE_KM:
        reasons.append(
            Refusal(
                "R-PAY-2",
                _(
                    "The two organisations are %(distance)s km apart, less than %(limit)s km: "
                    "the lump sum is halved."
                )
                % {"distance": _display_km(distance), "limit": HALVING_DISTANCE_KM},
                "distance_km",
            )
        )
    # R-PAY-2: halved once, whichever and however many of the conditions hold.
    halved = bool(reasons)
    amount = _cents(rate / 2) if halved else rate
    # R-PAY-1: never above the host country's threshold (the rate itself).
    amount = min(amount, rate)
    return LumpSum(
        amount=amount,
        rate=rate,
        threshold=rate,
        working_days=working_days,
        distance_km=distance,
        mode=mode,
        halved=halved,
        reasons=tuple(reasons),
    )


def _display_km(distance: Decimal) -> str:
    """199.96 → "199.9", never rounded up to the limit it is under (200)."""
    return str(distance.quantize(Decimal("0.1"), rounding=ROUND_DOWN))
