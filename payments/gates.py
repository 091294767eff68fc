"""The payments room's part in the exchange lifecycle, registered on ``exchanges.gates`` from
``PaymentsConfig.ready()`` (payments sits above exchanges: exchanges never imports it).

- contract, condition: the lump sum can be computed — a rate for the host country on the first
  day of the stay (R-PAY-3) and, for a physical exchange, both organisations' coordinates
  (R-PAY-2);
- contract, consequence: the ``Payment`` of a physical exchange is created with the amount fixed
  once and for all (R-PAY-5); a virtual exchange gets none (R-EXC-8);
- close, condition: at least one piece of evidence accepted and none pending (R-PAY-4 (c));
- close, consequence: the payment falls due ``CXC_PAYMENT_DAYS`` days after closing (R-PAY-4);
- amendment condition: no amendment once the lump sum is paid (R-DOC-8, R-PAY-5).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cxc_portal.core.refusals import Refusal
from exchanges import gates
from exchanges.calendar import country_name

from .models import EvidenceStatus
from .selectors import rate_for
from .selectors_payments import exchange_distance_km
from .services_payments import payment_amendable, payment_fall_due, payment_fix


def lump_sum_computable(exchange: Any, today: date) -> list[Refusal]:
    """R-PAY-3, R-PAY-2: contracting fixes the lump sum (R-PAY-5), so it must be computable:
    a rate of the host country valid on the stay's first day, and the distance between the two
    organisations for a physical exchange."""
    refusals = []
    country = str(exchange.host.country.code)
    if rate_for(country, exchange.start_date) is None:
        refusals.append(
            Refusal(
                "R-PAY-3",
                _(
                    "%(country)s has no lump-sum rate on %(day)s: the Support Office must set "
                    "one before the exchange is contracted."
                )
                % {
                    "country": country_name(country),
                    "day": date_format(exchange.start_date, "j M Y"),
                },
            )
        )
    if not exchange.is_virtual and exchange_distance_km(exchange) is None:
        refusals.append(
            Refusal(
                "R-PAY-2",
                _(
                    "The distance between the two organisations is unknown: both profiles need "
                    "their location (city) before the lump sum can be fixed."
                ),
            )
        )
    return refusals


def evidence_received(exchange: Any, today: date) -> list[Refusal]:
    """R-PAY-4 (c): a physical exchange closes once at least one piece of evidence that the
    stay took place is accepted by the VOP and none awaits review (one query). A virtual
    exchange has no lump sum (R-EXC-8), hence nothing to prove."""
    if exchange.is_virtual:
        return []
    counts = exchange.evidence.aggregate(
        accepted=Count("pk", filter=Q(status=EvidenceStatus.ACCEPTED)),
        pending=Count("pk", filter=Q(status=EvidenceStatus.PENDING)),
    )
    refusals = []
    if counts["pending"]:
        refusals.append(
            Refusal(
                "R-PAY-4",
                _("%(count)d piece(s) of evidence await the VOP's review.")
                % {"count": counts["pending"]},
            )
        )
    elif not counts["accepted"]:
        refusals.append(
            Refusal(
                "R-PAY-4",
                _(
                    "No evidence that the stay took place (boarding pass, travel or "
                    "accommodation invoice) has been accepted yet."
                ),
            )
        )
    return refusals


def register() -> None:
    """Called once from ``PaymentsConfig.ready``."""
    gates.register_condition("contract", lump_sum_computable)
    gates.register_consequence("contract", payment_fix)
    gates.register_condition("close", evidence_received)
    gates.register_consequence("close", payment_fall_due)
    gates.register_amendment_condition(payment_amendable)
