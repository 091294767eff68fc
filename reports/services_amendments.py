"""The documents room's part in an amendment (R-DOC-8): closing it once it is signed again.

R-DOC-8: "the CTQ (and the FA if the amount changes) get a new version that all its parties sign
again; the exchange stays contracted meanwhile". The new versions come from the usual refresh
(``gates.documents_follow_changes`` → ``services.document_refresh``); the FA gets one only when
its data changed — its lump sum (``selectors._lump_sum``: the working days of the amended
dates at the rate fixed at contracting), or the visitor's bank details — since the FA states no
dates of its own.

:func:`amendment_sign_off` runs after every signature recorded on a contracted exchange with an
amendment in progress (``services_signing.signature_add``, inside its transaction): once every
document the amendment touched (a version made since it was opened) carries all its parties'
live signatures, the payment follows the newly signed FA (``payments.services_payments
.payment_amount_amend``, R-PAY-5 — never before the last signature) and the amendment closes
(``exchanges.services.amendment_close``: audited, on the timeline, the parties told).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from exchanges.models import Amendment, AmendmentStatus, Exchange
from exchanges.services import amendment_close
from payments.services_payments import payment_amount_amend

from .models import Document, DocumentKind
from .selectors import latest_documents
from .selectors_signing import is_fully_signed, live_signatures


def amendment_documents(exchange_id: int, amendment: Amendment) -> list[Document]:
    """R-DOC-8: the newest version of each kind made since ``amendment`` was opened (the
    documents it touched), CTQ first (one query)."""
    latest = latest_documents(exchange_id)
    return [
        latest[kind]
        for kind in DocumentKind.values
        if kind in latest and latest[kind].created_at >= amendment.opened_at
    ]


def amendment_sign_off(*, exchange: Exchange, actor: Any) -> bool:
    """R-DOC-8, R-PAY-5: close ``exchange``'s open amendment when every document it touched is
    ready and fully signed again; the payment's amount first follows the newly signed FA when the
    amendment touched the FA. Returns whether it closed the amendment.

    Runs on the exchange locked by the caller; nothing happens while a touched document still
    misses a signature, or while the amendment has touched nothing yet."""
    with transaction.atomic():
        amendment = (
            Amendment.objects.select_for_update()
            .filter(exchange_id=exchange.pk, status=AmendmentStatus.OPEN)
            .first()
        )
        if amendment is None:
            return False
        touched = amendment_documents(exchange.pk, amendment)
        signatures = live_signatures(exchange.pk)
        if not touched or not all(
            document.is_ready and is_fully_signed(document, signatures) for document in touched
        ):
            return False
        fa = next((d for d in touched if d.kind == DocumentKind.FA), None)
        lump_sum = (fa.data or {}).get("lump_sum") if fa is not None else None
        if lump_sum:
            distance = lump_sum.get("distance_km")
            payment_amount_amend(
                actor=actor,
                exchange=exchange,
                amount=Decimal(lump_sum["amount"]),
                reason=amendment.reason,
                rate=Decimal(lump_sum["rate"]),
                working_days=int(lump_sum["working_days"]),
                distance_km=None if distance is None else Decimal(distance),
                halved=bool(lump_sum["halved"]),
                reasons=list(lump_sum.get("reasons", [])),
            )
        amendment_close(
            actor=actor,
            exchange=exchange,
            documents=[f"{d.kind} v{d.version}" for d in touched],
        )
    return True
