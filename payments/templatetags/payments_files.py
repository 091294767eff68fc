"""Links from pages of lower rooms to the payments room's bank-details and evidence pages.

The exchanges and organisations rooms cannot import payments; their templates load this tag
library instead (one line each), until the exchange page gets a registry of page sections.
"""

from __future__ import annotations

from django import template

from exchanges.models import ExchangeStatus

from ..permissions_files import bank_details_view, can_view_evidence

register = template.Library()


@register.inclusion_tag("payments/includes/exchange_links.html", takes_context=True)
def payments_files_links(context, exchange):
    """The evidence page (R-PAY-4 (c)) and the visitor's bank account (R-PAY-6), for those who
    may open them; nothing for anyone else (the host, the HOP). No query."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return {"exchange": exchange, "evidence": False, "bank": False}
    vop_ids = () if exchange.status == ExchangeStatus.CANCELLED else (exchange.vop_id,)
    return {
        "exchange": exchange,
        "evidence": exchange.status != ExchangeStatus.DRAFT and can_view_evidence(user, exchange),
        "bank": bank_details_view(user, exchange.visitor_id, vop_ids) is not None,
    }
