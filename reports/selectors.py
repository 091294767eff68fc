"""Reads of the documents room: what a document says (R-DOC-2, R-DOC-3, R-DOC-4), which versions
exist, and what the public verify page may answer (R-DOC-5).

:func:`document_data` is the **one** reading of an exchange's content for a document: the PDF and
the web preview render its plain, JSON-ready value, and its canonical JSON is hashed
(:func:`data_hash`), so re-rendering unchanged data is recognised and skipped.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Case, CharField, F, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from cxc_portal.accounts.roles import user_access
from exchanges.action_plan import activity_counts, format_hours
from exchanges.calendar import working_days
from exchanges.models import Amendment, AmendmentStatus, Exchange
from organisations.choices import ActivityType
from organisations.models import Representative, RepresentativeStatus
from payments.bank import mask_iban
from payments.models import BankAccount, Payment
from payments.selectors_payments import amended_lump_sum, exchange_lump_sum

from .far_rules import FAR_DUE_DAYS  # R-DOC-4: the one 7-day constant
from .far_rules import far_due_date as far_due_date  # re-exported: the home page's journey
from .models import Document, DocumentKind, DocumentStatus, FinalReport, FinalReportSide


def canonical_json(data: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: one byte string per value, whatever the dict order."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def data_hash(data: Any) -> str:
    """R-DOC-5: the SHA-256 (hex) of ``data``'s canonical JSON."""
    return hashlib.sha256(canonical_json(data)).hexdigest()


def _money(value: Decimal) -> str:
    return format(Decimal(value).quantize(Decimal("0.01")), "f")


def _organisation(organisation: Any, role: str) -> dict[str, Any]:
    signatories = [
        {"name": r.user.get_full_name() or r.user.email, "title": r.role_title}
        for r in organisation.representatives.all()
        if r.status == RepresentativeStatus.ACTIVE and r.is_signatory
    ]
    return {
        "role": role,
        "name": organisation.legal_name,
        "country": str(organisation.country.name),
        "city": organisation.city_name,
        "address": organisation.address,
        "signatories": sorted(signatories, key=lambda s: (s["name"], s["title"])),
    }


def _partnership(partnership: Any, role: str) -> dict[str, Any]:
    """R-DOC-2, R-DOC-5 [design]: a partnership signs through one of its staff with the "may
    sign" flag, named on the signature page (``reports.sealing``) — not in the hashed data: who
    may sign for a partnership changes with its staff, and a new colleague must not make a signed
    version stale (the organisations' signatory representatives, part of their profile, stay)."""
    return {"role": role, "name": partnership.name, "acronym": partnership.acronym}


def _exchange_for_documents(exchange_id: int) -> Exchange:
    representatives = Prefetch(
        "representatives", queryset=Representative.objects.select_related("user")
    )
    return (
        Exchange.objects.select_related("visitor", "host", "vop", "hop", "host__city")
        .prefetch_related(
            Prefetch("visitor__representatives", queryset=representatives.queryset),
            Prefetch("host__representatives", queryset=representatives.queryset),
            "activities",
        )
        .get(pk=exchange_id)
    )


def _commitments() -> dict[str, list[str]]:
    return {
        "HO": [
            _("welcome the visitor on the agreed dates and carry out the action plan below"),
            _("name a contact person for the whole stay"),
        ],
        "HOP": [_("support the host in preparing and carrying out the exchange")],
        "VO": [
            _("take part in every activity of the action plan below"),
            _("prove the stay took place and report on it"),
        ],
        "VOP": [
            _("follow the exchange and validate the visitor's final report"),
            _("pay the lump sum set in the Financial Agreement"),
        ],
    }


def _ctq(exchange: Exchange) -> dict[str, Any]:
    days = working_days(exchange.start_date, exchange.end_date, str(exchange.host.country.code))
    types = dict(ActivityType.choices)
    activities = sorted(exchange.activities.all(), key=lambda a: (a.date, a.pk))
    rows = [
        {
            "date": a.date.isoformat(),
            "type": str(types.get(a.activity_type, a.activity_type)),
            "title": a.title,
            "description": a.description,
            "hours": format_hours(a.hours),
            "counted": activity_counts(a, exchange),
        }
        for a in activities
    ]
    counted = sum((a.hours for a in activities if activity_counts(a, exchange)), Decimal("0"))
    due = exchange.end_date + timedelta(days=FAR_DUE_DAYS)
    return {
        "kind": DocumentKind.CTQ.value,
        "title": str(DocumentKind.CTQ.label),
        "reference": exchange.reference,
        "mode": exchange.mode,
        "parties": [
            _organisation(exchange.host, "HO"),
            _partnership(exchange.hop, "HOP"),
            _organisation(exchange.visitor, "VO"),
            _partnership(exchange.vop, "VOP"),
        ],
        "start_date": exchange.start_date.isoformat(),
        "end_date": exchange.end_date.isoformat(),
        "working_days": days.count,
        "objectives": exchange.objectives,
        "activities": rows,
        "counted_hours": format_hours(counted),
        "commitments": _commitments(),
        # R-DOC-4: each party reports within 7 days of the end of the stay.
        "reporting": {
            "days": FAR_DUE_DAYS,
            "due_date": due.isoformat(),
            "text": _(
                "The host and the visitor each submit their Final Activity Report within "
                "%(days)d days of the last day of the stay, that is by %(due)s."
            )
            % {"days": FAR_DUE_DAYS, "due": due.isoformat()},
        },
    }


def _lump_sum(exchange: Exchange) -> dict[str, Any] | None:
    """R-PAY-1, R-PAY-2, R-PAY-5: the amount fixed at contracting once there is a payment, else
    as it would be fixed today. The same figures either way: contracting an exchange whose FA
    was prepared before makes no new version (and voids no signature).

    R-DOC-8: while an amendment is open, the amended stay's working days at the rate and
    distance fixed at contracting (``payments.selectors_payments.amended_lump_sum``); the
    payment follows once the FA stating it is signed (``services_amendments``)."""
    payment = Payment.objects.filter(exchange_id=exchange.pk).first()
    if (
        payment is not None
        and Amendment.objects.filter(exchange_id=exchange.pk, status=AmendmentStatus.OPEN).exists()
    ):
        lump = amended_lump_sum(exchange, payment)
        return {
            "amount": _money(lump.amount),
            "rate": _money(lump.rate),
            "working_days": lump.working_days,
            "distance_km": None if payment.distance_km is None else str(payment.distance_km),
            "halved": lump.halved,
            "reasons": [str(r.text) for r in lump.reasons],
        }
    if payment is not None:  # R-PAY-5: fixed at contracting, never recomputed
        return {
            "amount": _money(payment.amount),
            "rate": _money(payment.rate),
            "working_days": payment.working_days,
            "distance_km": None if payment.distance_km is None else str(payment.distance_km),
            "halved": payment.halved,
            "reasons": [str(r.get("text", "")) for r in payment.reasons],
        }
    estimate = exchange_lump_sum(exchange)
    if estimate is None:
        return None
    lump = estimate.lump_sum
    return {
        "amount": _money(lump.amount),
        "rate": _money(lump.rate),
        "working_days": lump.working_days,
        "distance_km": estimate.distance_display,
        "halved": lump.halved,
        "reasons": [str(r.text) for r in lump.reasons],
    }


def _fa(exchange: Exchange) -> dict[str, Any]:
    account = BankAccount.objects.filter(organisation_id=exchange.visitor_id).first()
    days = settings.CXC_PAYMENT_DAYS
    return {
        "kind": DocumentKind.FA.value,
        "title": str(DocumentKind.FA.label),
        "reference": exchange.reference,
        "mode": exchange.mode,
        "parties": [_partnership(exchange.vop, "VOP"), _organisation(exchange.visitor, "VO")],
        # R-DOC-8: no dates of its own (the CTQ states them): an amendment that moves the stay
        # without changing the lump sum leaves the FA as signed.
        "host": {"name": exchange.host.legal_name, "country": str(exchange.host.country.name)},
        "lump_sum": _lump_sum(exchange),
        # R-PAY-4: one payment within 10 days of closing, on (a), (b) and (c).
        "payment": {
            "days": days,
            "text": _(
                "The VOP pays the lump sum in one instalment within %(days)d days of the "
                "exchange's closing."
            )
            % {"days": days},
            "conditions": [
                _("(a) the visitor's final activity report is submitted;"),
                _("(b) the VOP has validated it;"),
                _(
                    "(c) evidence that the exchange took place (boarding passes, travel or "
                    "accommodation invoices) has been accepted."
                ),
            ],
        },
        # R-PAY-6: masked but for the last four characters.
        "bank": None
        if account is None
        else {"holder": account.holder, "iban": mask_iban(account.iban)},
    }


def document_data(exchange: Exchange | int) -> dict[str, dict[str, Any]]:
    """R-DOC-2, R-DOC-3, R-DOC-4: the content of each document of ``exchange`` by kind, as plain
    JSON values (dates in ISO form, money as strings). A constant number of queries."""
    pk = exchange if isinstance(exchange, int) else exchange.pk
    loaded = _exchange_for_documents(pk)
    return {DocumentKind.CTQ.value: _ctq(loaded), DocumentKind.FA.value: _fa(loaded)}


def party_names(data: dict[str, Any]) -> list[str]:
    return [party["name"] for party in data.get("parties", [])]


def iso_date(value: str) -> date:
    return date.fromisoformat(value)


# --- versions ------------------------------------------------------------------------------------


def latest_documents(exchange_id: int) -> dict[str, Document]:
    """The newest version of each kind of ``exchange_id``'s documents (one query)."""
    latest: dict[str, Document] = {}
    for document in Document.objects.filter(exchange_id=exchange_id).order_by("kind", "-version"):
        latest.setdefault(document.kind, document)
    return latest


def document_cards(exchange_id: int) -> list[Document]:
    """The newest version of each kind, CTQ first (what the exchange page shows)."""
    latest = latest_documents(exchange_id)
    return [latest[kind] for kind in DocumentKind.values if kind in latest]


def document_get(document_id: int) -> Document | None:
    return Document.objects.select_related("exchange").filter(pk=document_id).first()


def documents_by_file_hash(sha256: str) -> QuerySet[Document]:
    """R-DOC-7: the documents the portal issued whose file, as rendered or as sealed, has this
    SHA-256 (verify page)."""
    digest = sha256.lower()
    return Document.objects.select_related("exchange").filter(
        Q(sha256=digest) | Q(sealed_sha256=digest),
        status__in=[DocumentStatus.READY, DocumentStatus.VOID],
    )


def exchange_get(exchange_id: int) -> Exchange | None:
    """The exchange whose documents a page shows (permissions are checked by the view)."""
    return Exchange.objects.filter(pk=exchange_id).first()


# --- PDFs given up on (PdfWork) ------------------------------------------------------------------


#: The columns of both parts of ``pdf_failures``'s UNION, in one order.
_PDF_FAILURE_COLUMNS = (
    "source",
    "pk",
    "exchange_id",
    "reference",
    "what",
    "number",
    "stage",
    "pdf_failed_at",
    "pdf_attempts",
    "pdf_error",
)


def pdf_failures(user: Any) -> QuerySet:
    """The Support Office's "PDFs that could not be made": document versions (their rendering
    or their seal) and final reports (their rendering) the sweep gave up on, newest first, as
    one list of plain rows — ``source`` ("document" or "report"), ``pk``, ``exchange_id``,
    ``reference``, ``what`` (the kind or the side), ``version``, ``stage`` ("render" or
    "seal"), ``pdf_failed_at``, ``pdf_attempts``, ``pdf_error``. Read from the partial indexes
    of the few rows given up on; empty for anyone else."""
    if not user_access(user).support_office:
        return Document.objects.none().values("pk")
    text: CharField = CharField()
    documents = (
        Document.objects.filter(pdf_failed_at__isnull=False)
        .order_by()
        .annotate(
            source=Value("document", output_field=text),
            reference=F("exchange__reference"),
            what=Cast("kind", text),
            stage=Case(
                When(status=DocumentStatus.RENDERING, then=Value("render")),
                default=Value("seal"),
                output_field=text,
            ),
            number=F("version"),
        )
        .values(*_PDF_FAILURE_COLUMNS)
    )
    reports = (
        FinalReport.objects.filter(pdf_failed_at__isnull=False)
        .order_by()
        .annotate(
            source=Value("report", output_field=text),
            reference=F("exchange__reference"),
            what=Cast("side", text),
            stage=Value("render", output_field=text),
            number=F("returned_count") + 1,
        )
        .values(*_PDF_FAILURE_COLUMNS)
    )
    return documents.union(reports, all=True).order_by("-pdf_failed_at", "source", "pk")


def pdf_failure_label(row: dict) -> str:
    """What one row of ``pdf_failures`` is, in words: "CTQ v2 — seal", "Visitor's final report —
    rendering"."""
    stage = _("seal") if row["stage"] == "seal" else _("rendering")
    if row["source"] == "document":
        return _("%(kind)s v%(version)s — %(stage)s") % {
            "kind": row["what"],
            "version": row["number"],
            "stage": stage,
        }
    if row["what"] == FinalReportSide.HOST:
        return _("Host's final report — %(stage)s") % {"stage": stage}
    return _("Visitor's final report — %(stage)s") % {"stage": stage}
