"""The documents section of the exchange page (registered on ``exchanges.page_sections``):
one card per kind with its newest version, its status and a download link (R-DOC-5). One
query; nothing for a user who may not read the exchange's documents."""

from __future__ import annotations

from typing import Any

from .permissions import can_prepare_documents, can_read_documents
from .selectors import document_cards

TEMPLATE = "reports/includes/exchange_documents.html"


def cards_context(request: Any, exchange: Any) -> dict[str, Any]:
    cards = document_cards(exchange.pk)
    return {
        "exchange": exchange,
        "cards": cards,
        "polling": any(card.is_rendering for card in cards),
        "can_prepare": can_prepare_documents(request.user, exchange),
    }


def exchange_documents_section(request: Any, exchange: Any) -> tuple[str, dict[str, Any]] | None:
    if not can_read_documents(request.user, exchange):
        return None
    return TEMPLATE, cards_context(request, exchange)
