"""The documents room's part in the exchange lifecycle (``exchanges.gates``) and in the changes of
a draft or of an amended contracted exchange (``exchanges.draft_changes``).

- **contract, condition** (:func:`documents_signed`, R-DOC-2, R-DOC-3, R-DOC-5): the CTQ is
  signed by HO, HOP, VO and VOP and the FA by VO and VOP, on the *current* versions — the
  newest version of each, whose data are what ``selectors.document_data`` reads from the
  exchange now. A plan, a rate or a party changed after signing is never contracted on the old
  signatures: the refusal says the document must be prepared and signed again.
- **contract, consequence** (:func:`refresh_on_contract`): the documents are refreshed (R-DOC-5):
  the FA then reads the amount the payments room has just fixed (R-PAY-5; ``payments``
  registers its consequence first, its app is listed before ``reports``). The FA signed in the
  draft states the same amount (the same computation, ``payments.selectors_payments
  .exchange_lump_sum``, on the same day and the same locked row), so this makes no new version
  and voids no signature; were they ever to differ, the condition above would have refused
  first (the signed FA would not be current).
- **content changed, listener** (:func:`documents_follow_changes`, R-DOC-5, R-DOC-8): once an
  exchange has documents, any change to its dates, plan, parties, partnerships or mode — of a
  draft, or of a contracted exchange under an amendment — makes new versions of those whose data
  changed, voiding the earlier versions' signatures (``document_refresh``). Before the first
  "Prepare documents", nothing happens: drafts being written make no PDFs.
- **close, condition** (:func:`visitor_report_validated`, R-PAY-4 (a)+(b), R-DOC-6): the
  visitor's final activity report is validated by the VOP. It replaced the interim
  closing-report record of ``exchanges``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from cxc_portal.core.refusals import Refusal
from exchanges import draft_changes, gates

from . import signing
from .models import (
    Document,
    DocumentKind,
    DocumentStatus,
    FinalReport,
    FinalReportSide,
    FinalReportStatus,
)
from .selectors import data_hash, document_data
from .selectors_signing import current_versions, signed_parties
from .services import document_refresh


def documents_signed(exchange: Any, today: date) -> list[Refusal]:
    """R-DOC-2, R-DOC-3, R-DOC-5: every required signature on the current version of the CTQ
    and the FA; the refusals say, per document, which parties are still to sign.

    Two queries; the documents' data are read again (to tell a current version from a stale
    one) only once every signature is there."""
    latest, signatures = current_versions(exchange.pk)
    refusals: list[Refusal] = []
    for kind in DocumentKind.values:
        label = str(DocumentKind(kind).label)
        rule = signing.RULES[kind]
        document = latest.get(kind)
        if document is None:
            refusals.append(
                Refusal(
                    rule,
                    _(
                        "The %(document)s has not been prepared yet: the partnerships' staff "
                        "prepare the documents, then the parties sign them."
                    )
                    % {"document": label},
                )
            )
            continue
        if document.status != DocumentStatus.READY:
            refusals.append(
                Refusal(
                    "R-DOC-5",
                    _("Version %(version)d of the %(document)s is being prepared.")
                    % {"version": document.version, "document": label},
                )
            )
            continue
        missing = signing.missing_parties(kind, signed_parties(document, signatures))
        if missing:
            refusals.append(
                Refusal(
                    rule,
                    _("The %(document)s (version %(version)d) is not signed yet by: %(parties)s.")
                    % {
                        "document": label,
                        "version": document.version,
                        "parties": ", ".join(signing.party_short(p) for p in missing),
                    },
                )
            )
    if refusals:
        return refusals
    return stale_refusals(exchange.pk, latest)


def stale_refusals(exchange_id: int, latest: dict[str, Document]) -> list[Refusal]:
    """R-DOC-5: a signed version whose data are no longer the exchange's (a rate, a party's
    details or a signatory changed since) is not current."""
    fresh = document_data(exchange_id)
    refusals: list[Refusal] = []
    for kind, document in latest.items():
        if kind in fresh and data_hash(fresh[kind]) != document.data_hash:
            refusals.append(
                Refusal(
                    "R-DOC-5",
                    _(
                        "The %(document)s signed (version %(version)d) no longer matches the "
                        "exchange's data (a rate, a party's details or a signatory changed "
                        "since): its staff prepare a new version, which the parties sign again."
                    )
                    % {"document": DocumentKind(kind).label, "version": document.version},
                )
            )
    return refusals


def refresh_on_contract(exchange: Any, actor: Any) -> None:
    document_refresh(actor=actor, exchange=exchange.pk)


def visitor_report_validated(exchange: Any, today: date) -> list[Refusal]:
    """R-PAY-4 (a)+(b), R-DOC-6: closing waits for the visitor's final activity report (Annex 3)
    validated by the VOP (one query)."""
    report = (
        FinalReport.objects.filter(exchange_id=exchange.pk, side=FinalReportSide.VISITOR)
        .values_list("status", flat=True)
        .first()
    )
    if report == FinalReportStatus.VALIDATED:
        return []
    if report in (FinalReportStatus.SUBMITTED,):
        text = _("The visitor's final activity report awaits the VOP's validation.")
    elif report == FinalReportStatus.RETURNED:
        text = _("The visitor's final activity report was returned for a correction.")
    else:
        text = _("The visitor has not submitted the final activity report yet.")
    return [Refusal("R-PAY-4", text)]


def documents_follow_changes(*, exchange: Any, actor: Any, why: str) -> None:
    """R-DOC-5, R-DOC-8: a changed draft, or a contracted exchange changed under an amendment,
    that already has documents gets new versions of those whose data changed (the earlier
    versions' signatures become void; the parties sign the new ones)."""
    if Document.objects.filter(exchange_id=exchange.pk).exists():
        document_refresh(actor=actor, exchange=exchange.pk)


def register() -> None:
    gates.register_condition("contract", documents_signed)
    gates.register_consequence("contract", refresh_on_contract)
    gates.register_condition("close", visitor_report_validated)
    draft_changes.register_listener(documents_follow_changes)
