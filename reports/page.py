"""The documents section of the exchange page (registered on ``exchanges.page_sections``):
one card per kind with its newest version, its status, its signatures — who signed and when,
who is still to sign, the inline sign form for whoever may sign (R-DOC-2, R-DOC-3, R-DOC-5) —
and a download link. Two queries; nothing for a user who may not read the exchange's
documents."""

from __future__ import annotations

from typing import Any

from exchanges.models import Amendment, AmendmentStatus, ExchangeStatus

from . import signing
from .permissions import can_prepare_documents, can_read_document_kind, can_read_documents
from .selectors import document_cards
from .selectors_signing import is_fully_signed, live_signatures, signing_states
from .services_amendments import amendment_documents

TEMPLATE = "reports/includes/exchange_documents.html"
BANNER = "reports/includes/amendment_banner.html"


def cards_context(request: Any, exchange: Any) -> dict[str, Any]:
    # R-DOC-3: the FA's card only for the visitor's side and the Support Office.
    cards = [
        card
        for card in document_cards(exchange.pk)
        if can_read_document_kind(request.user, exchange, card.kind)
    ]
    amendment_open = (
        exchange.status == ExchangeStatus.CONTRACTED
        and Amendment.objects.filter(exchange_id=exchange.pk, status=AmendmentStatus.OPEN).exists()
    )
    states = signing_states(
        request.user,
        exchange,
        cards,
        live_signatures(exchange.pk),
        amendment_open=amendment_open,
    )
    return {
        "exchange": exchange,
        "cards": cards,
        "states": states,
        "polling": any(card.is_rendering for card in cards),
        "can_prepare": can_prepare_documents(request.user, exchange),
        "amendment_open": amendment_open,
    }


def exchange_documents_section(request: Any, exchange: Any) -> tuple[str, dict[str, Any]] | None:
    if not can_read_documents(request.user, exchange):
        return None
    return TEMPLATE, cards_context(request, exchange)


def amendment_banner(request: Any, exchange: Any) -> tuple[str, dict[str, Any]] | None:
    """R-DOC-8: under the exchange page's "Amendment in progress" banner, the documents the
    amendment made new versions of and who is still to sign each (three queries; nothing for
    an exchange without an amendment in progress or a user who may not read its documents)."""
    if exchange.status != ExchangeStatus.CONTRACTED or not can_read_documents(
        request.user, exchange
    ):
        return None
    amendment = Amendment.objects.filter(
        exchange_id=exchange.pk, status=AmendmentStatus.OPEN
    ).first()
    if amendment is None:
        return None
    signatures = live_signatures(exchange.pk)
    rows = [
        {
            "document": document,
            "signed": is_fully_signed(document, signatures),
            "missing": ", ".join(
                signing.party_short(p)
                for p in signing.missing_parties(
                    document.kind,
                    (s.party for s in signatures if s.document_id == document.pk),
                )
            ),
        }
        for document in amendment_documents(exchange.pk, amendment)
        if can_read_document_kind(request.user, exchange, document.kind)
    ]
    return BANNER, {"exchange": exchange, "rows": rows}
