"""Every write of the payments room. For now: adding a dated lump-sum rate (R-PAY-3)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cxc_portal.audit.services import record

from .models import LumpSumRate
from .permissions import RATES_DENIED, can_manage_rates

#: A sanity bound on a rate, far above every rate of R-PAY-3 (the highest is 1,100 €): a rate
#: over it is a typing slip (an extra zero), not a policy.
RATE_MAX = Decimal("5000.00")


def _amount_refusal(amount: Decimal) -> str | None:
    if amount <= 0:
        return _("A rate is a positive amount of euro.")
    if amount > RATE_MAX:
        return _(
            "%(amount)s € is over the sane maximum of %(max)s € per stay: check the amount."
        ) % {
            "amount": amount,
            "max": RATE_MAX,
        }
    if amount != amount.quantize(Decimal("0.01")):
        return _("A rate is in euro and cents: at most two decimal places.")
    return None


def rate_add(
    *,
    actor,
    country: str,
    amount: Decimal,
    valid_from: date,
    valid_until: date | None = None,
) -> LumpSumRate:
    """R-PAY-3: add a dated rate for host ``country``.

    The country's current open-ended rate that started before ``valid_from`` is ended the day
    before, in the same transaction (the new rate is then open-ended too, so the country never
    goes without a rate); any other overlap is refused (field errors for the form),
    so is an end before the start or an amount that is not positive or over ``RATE_MAX``.
    Audited: ``payments.lump_sum_rate.ended`` for the rate ended, ``payments.lump_sum_rate.added``
    for the new one. Payments already fixed at contracting never change (R-PAY-5).
    """
    if not can_manage_rates(actor):
        raise PermissionDenied(RATES_DENIED)
    country = str(country).upper()
    errors: dict[str, str] = {}
    refusal = _amount_refusal(amount)
    if refusal:
        errors["amount"] = refusal
    if valid_until is not None and valid_until < valid_from:
        errors["valid_until"] = _("The period cannot end before it starts.")
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        # Lock the country's rates: two Support Office agents adding a rate at the same time
        # queue here, and the second sees the first one's rows when it re-checks below.
        rates = list(
            LumpSumRate.objects.select_for_update().filter(country=country).order_by("valid_from")
        )
        ended = None
        open_rate = next((r for r in rates if r.valid_until is None), None)
        if open_rate is not None and open_rate.valid_from < valid_from:
            if valid_until is not None:
                # Ending the open rate for a bounded one would leave the country without any
                # rate after it: the replacement is open-ended too.
                raise ValidationError(
                    {
                        "valid_until": _(
                            "Leave the end empty: this rate replaces the current open-ended rate "
                            "from its first day, and the country would have no rate after it."
                        )
                    }
                )
            # The current open-ended rate runs until the day before the new one.
            open_rate.valid_until = valid_from - timedelta(days=1)
            ended = open_rate
        rate = LumpSumRate(
            country=country,
            amount=amount,
            valid_from=valid_from,
            valid_until=valid_until,
            created_by=actor,
        )
        errors = _overlap_refusals(rate, rates, ended)
        if errors:
            raise ValidationError(errors)
        try:
            with transaction.atomic():
                if ended is not None:
                    ended.save(update_fields=["valid_until"])
                rate.save()
        except IntegrityError as exc:
            # A concurrent insert of the first rate of a country (nothing to lock yet) or a
            # direct write outside this service: the database's no-overlap rule had the last word.
            raise ValidationError(
                {"valid_from": _("This period overlaps another rate of this country.")}
            ) from exc
        if ended is not None:
            record(
                actor=actor,
                action="payments.lump_sum_rate.ended",
                subject=ended,
                data={
                    "country": country,
                    "amount": ended.amount,
                    "valid_from": ended.valid_from,
                    "valid_until": ended.valid_until,
                    "replaced_by_from": valid_from,
                },
            )
        record(
            actor=actor,
            action="payments.lump_sum_rate.added",
            subject=rate,
            data={
                "country": country,
                "amount": amount,
                "valid_from": valid_from,
                "valid_until": valid_until,
                "ended_rate_id": ended.pk if ended else None,
            },
        )
    return rate


def _overlap_refusals(
    rate: LumpSumRate, rates: list[LumpSumRate], ended: LumpSumRate | None
) -> dict[str, str]:
    """The overlap of ``rate`` with the (locked) ``rates`` of its country, once ``ended`` is
    ended: the message names the rate in the way."""
    for other in rates:
        until = other.valid_until
        if (until is None or until >= rate.valid_from) and (
            rate.valid_until is None or other.valid_from <= rate.valid_until
        ):
            end = date_format(until, "j M Y") if until else _("further notice")
            return {
                "valid_from": _(
                    "This period overlaps the rate of %(amount)s € valid from %(start)s until "
                    "%(end)s: choose a start after it, or a period that ends before it."
                )
                % {
                    "amount": other.amount,
                    "start": date_format(other.valid_from, "j M Y"),
                    "end": end,
                }
            }
    return {}
