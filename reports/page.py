"""The documents section of the exchange page (registered on ``exchanges.page_sections``):
one card per kind with its newest version, its status, its signatures — who signed and when,
who is still to sign, the inline sign form for whoever may sign (R-DOC-2, R-DOC-3, R-DOC-5) —
and a download link. Two queries; nothing for a user who may not read the exchange's
documents."""

from __future__ import annotations

from typing import Any

from .permissions import can_prepare_documents, can_read_documents
from .selectors import document_cards
from .selectors_signing import live_signatures, signing_states

TEMPLATE = "reports/includes/exchange_documents.html"


def cards_context(request: Any, exchange: Any) -> dict[str, Any]:
    cards = document_cards(exchange.pk)
    states = signing_states(request.user, exchange, cards, live_signatures(exchange.pk))
    return {
        "exchange": exchange,
        "cards": cards,
        "states": states,
        "polling": any(card.is_rendering for card in cards),
        "can_prepare": can_prepare_documents(request.user, exchange),
    }


def exchange_documents_section(request: Any, exchange: Any) -> tuple[str, dict[str, Any]] | None:
    if not can_read_documents(request.user, exchange):
        return None
    return TEMPLATE, cards_context(request, exchange)
