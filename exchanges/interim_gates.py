"""Interim transition gates: the records staff enter until the real capabilities land.

Registered by the exchanges room itself (``ExchangesConfig.ready``) exactly as a room above
would register its gates. Each is to be **deleted**, not kept in parallel, when the capability
that owns the fact registers its own gate:

- :func:`contract_signatures_missing` — until signed documents land (reports room, R-DOC-5),
  staff record on the exchange page that each party signed (``SignatureRecord``). Delete it,
  with ``SignatureRecord`` and its services, when the documents capability registers "the CTQ
  and FA are signed" on ``contract``.

(The interim closing-report record is gone: the reports room registers "the visitor's final
activity report is validated by the VOP" on ``close``, R-PAY-4 (a)+(b), R-DOC-6.)
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from cxc_portal.core.refusals import Refusal

from . import gates
from .guards import REQUIRED_SIGNATURES
from .models import ContractDocument, Party


def contract_signatures_missing(exchange, today: date) -> list[Refusal]:
    """R-DOC-2, R-DOC-3: the CTQ is signed by HO, HOP, VO and VOP; the FA by VO and VOP.

    Reads ``exchange.signatures.all()``: a caller that prefetched them pays no query.
    """
    signed = {(s.document, s.party) for s in exchange.signatures.all()}
    refusals: list[Refusal] = []
    for document, rule in ((ContractDocument.CTQ, "R-DOC-2"), (ContractDocument.FA, "R-DOC-3")):
        missing = [
            str(Party(party).label)
            for doc, party in REQUIRED_SIGNATURES
            if doc == document and (doc, party) not in signed
        ]
        if missing:
            refusals.append(
                Refusal(
                    rule,
                    _("The %(document)s is not signed yet by: %(parties)s.")
                    % {
                        "document": ContractDocument(document).label,
                        "parties": ", ".join(missing),
                    },
                )
            )
    return refusals


def register() -> None:
    """Called once from ``ExchangesConfig.ready``."""
    gates.register_condition("contract", contract_signatures_missing)
