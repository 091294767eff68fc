"""The payments section of the exchange page (registered on ``exchanges.page_sections``).

Before contracting: the lump sum as it would be fixed today, with its explanation (R-PAY-1,
R-PAY-2, R-PAY-3). From contracting: the payment — the amount fixed then (R-PAY-5), its
status, due date and, once paid, the date (R-PAY-4). A virtual exchange says it gets no lump
sum (R-EXC-8). Shown to the visitor, the VOP's staff and the Support Office; at most two
queries.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from exchanges.models import ExchangeStatus

from .permissions import can_pay, can_see_lump_sum
from .permissions_files import bank_details_view, can_view_evidence
from .selectors_payments import exchange_lump_sum, km_display, payment_for_exchange

TEMPLATE = "payments/includes/exchange_payment.html"


def exchange_payment_section(request: Any, exchange: Any) -> tuple[str, dict[str, Any]] | None:
    if not can_see_lump_sum(request.user, exchange):
        return None
    today = timezone.localdate()
    context: dict[str, Any] = {"exchange": exchange, "virtual": exchange.is_virtual}
    if exchange.is_virtual:
        return TEMPLATE, context
    if exchange.status == ExchangeStatus.DRAFT:
        estimate = exchange_lump_sum(exchange)
        context["estimate"] = estimate
        if estimate is not None:
            context["distance"] = km_display(estimate.lump_sum.distance_km)
        return TEMPLATE, context
    payment = payment_for_exchange(exchange)
    context["payment"] = payment
    if payment is not None:
        context["overdue"] = payment.is_overdue(today)
        context["can_pay"] = can_pay(request.user, exchange)
    return TEMPLATE, context


FILES_TEMPLATE = "payments/includes/exchange_links.html"


def exchange_files_section(request: Any, exchange: Any) -> tuple[str, dict[str, Any]] | None:
    """Links to the evidence page (R-PAY-4 (c)) and to the visitor's bank account (R-PAY-6), for
    those who may open them; nothing for anyone else (the host, the HOP). No query."""
    user = request.user
    vop_ids = () if exchange.status == ExchangeStatus.CANCELLED else (exchange.vop_id,)
    evidence = exchange.status != ExchangeStatus.DRAFT and can_view_evidence(user, exchange)
    bank = bank_details_view(user, exchange.visitor_id, vop_ids) is not None
    if not (evidence or bank):
        return None
    return FILES_TEMPLATE, {"exchange": exchange, "evidence": evidence, "bank": bank}
