"""The "Final activity reports" section of the exchange page (registered on
``exchanges.page_sections``): both reports' status, due date (late in red, with the word
"late"), and the links each user may follow — read, fill in, validate or return (R-DOC-4,
R-DOC-6). One query; nothing for a user who may not read the exchange's documents, nothing
on a draft or a cancelled exchange (there is no stay to report on)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from .far_rules import FAR_OPEN_STATES, far_is_open
from .permissions_far import can_see_far_section
from .selectors_far import far_cards

TEMPLATE = "reports/far/section.html"


def far_section(request: Any, exchange: Any) -> tuple[str, dict[str, Any]] | None:
    if exchange.status not in FAR_OPEN_STATES:
        return None
    if not can_see_far_section(request.user, exchange):
        return None
    today = timezone.localdate()
    return TEMPLATE, {
        "exchange": exchange,
        "cards": far_cards(user=request.user, exchange=exchange, today=today),
        "open": far_is_open(status=exchange.status, end_date=exchange.end_date, today=today),
    }
