"""Writes of the documents room (R-DOC-5): new versions when the data change, and their rendering.

``document_refresh`` is cheap and runs inside the caller's transaction (the "Prepare documents"
button, the contract consequence); the slow part, WeasyPrint, runs in the Celery task
``render_document_task`` queued on commit, which calls ``document_render``.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Max, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from cxc_portal.accounts.roles import user_access
from cxc_portal.audit.services import record
from cxc_portal.core.queue import enqueue, enqueue_on_commit
from exchanges.models import Exchange, Party

from .models import (
    Document,
    DocumentKind,
    DocumentStatus,
    FinalReport,
    FinalReportStatus,
)
from .rendering import render_pdf
from .selectors import data_hash, document_data
from .services_signing import signatures_void
from .signing import REQUIRED_PARTIES

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User


def _queue_render(document_id: int) -> None:
    from .tasks import render_document_task

    # A broker outage leaves it 'rendering' for the sweep (``renders_requeue_stalled``).
    enqueue_on_commit(render_document_task, document_id=document_id)


def document_refresh(*, actor: User | None, exchange: Exchange | int) -> list[Document]:
    """R-DOC-5: for each kind, a new version when the exchange's data differ from the newest
    version's (the previous one becomes void, audited, and so do its signatures:
    ``services_signing.signatures_void``); the same data change nothing.

    Returns the versions created (empty when nothing changed). Rendering is queued on commit.
    """
    exchange_id = exchange if isinstance(exchange, int) else exchange.pk
    created: list[Document] = []
    with transaction.atomic():
        # The exchange row is the lock: two refreshes of one exchange run one after the other.
        Exchange.objects.select_for_update().filter(pk=exchange_id).first()
        contents = document_data(exchange_id)
        for kind in DocumentKind.values:
            data: dict[str, Any] = contents[kind]
            digest = data_hash(data)
            latest = (
                Document.objects.filter(exchange_id=exchange_id, kind=kind)
                .order_by("-version")
                .first()
            )
            if latest is not None and latest.data_hash == digest:
                continue
            if latest is not None and latest.status != DocumentStatus.VOID:
                latest.status = DocumentStatus.VOID
                latest.save(update_fields=["status"])
                record(
                    actor=actor,
                    action="reports.document.voided",
                    subject=latest,
                    data={"kind": kind, "version": latest.version, "exchange": exchange_id},
                )
                # R-DOC-5: its signatures go with it; those who signed are told.
                signatures_void(document=latest, actor=actor)
            document = Document.objects.create(
                exchange_id=exchange_id,
                kind=kind,
                version=(latest.version + 1) if latest else 1,
                data=data,
                data_hash=digest,
                # R-DOC-2, R-DOC-3: the partnerships that sign this kind, none signed yet.
                awaits_hop=Party.HOP in REQUIRED_PARTIES[kind],
                awaits_vop=Party.VOP in REQUIRED_PARTIES[kind],
            )
            record(
                actor=actor,
                action="reports.document.created",
                subject=document,
                data={"kind": kind, "version": document.version, "data_hash": digest},
            )
            _queue_render(document.pk)
            created.append(document)
    return created


def document_render(*, document_id: int) -> bool:
    """Render one version to PDF and store it in private storage; True when it did.

    Skips a version that is no longer being prepared (rendered already by a second worker, or
    voided by a newer one meanwhile). The PDF is built outside the transaction (it is slow),
    then stamped under the row lock after a re-check.
    """
    document = Document.objects.filter(pk=document_id).select_related("exchange").first()
    if document is None or document.status != DocumentStatus.RENDERING:
        return False
    generated_at = timezone.now()
    pdf = render_pdf(
        kind=document.kind,
        data=document.data,
        version=document.version,
        generated_at=generated_at,
        data_hash=document.data_hash,
    )
    name = (
        f"documents/{document.exchange.reference}/"
        f"{document.kind}-v{document.version}-{secrets.token_urlsafe(12)}.pdf"
    )
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document_id)
        if locked.status != DocumentStatus.RENDERING:
            return False
        locked.file = default_storage.save(name, ContentFile(pdf))
        locked.sha256 = hashlib.sha256(pdf).hexdigest()
        locked.size = len(pdf)
        locked.status = DocumentStatus.READY
        locked.rendered_at = generated_at
        # Rendered: the seal, once signed, gets a fresh series of attempts (PdfWork).
        reset = locked.pdf_work_reset()
        locked.save(update_fields=["file", "sha256", "size", "status", "rendered_at", *reset])
        record(
            actor=None,
            action="reports.document.rendered",
            subject=locked,
            data={"kind": locked.kind, "version": locked.version, "sha256": locked.sha256},
        )
    return True


def renders_requeue_stalled(*, now: datetime | None = None, limit: int = 50) -> int:
    """The beat sweep of the PDFs (R-DOC-5, R-DOC-4, R-DOC-7): queue again every rendering whose
    task was lost — the broker was down when it was queued, or a worker died with it — once it
    has waited ``settings.CXC_RENDER_STALLED_MINUTES``: document versions still being prepared,
    submitted or validated final reports without their PDF, and fully signed versions not
    sealed. Each task re-checks the row under its lock, so a render queued twice is stored once.

    Each re-queue counts on the row (``PdfWork.pdf_attempts``); one still stalled after
    ``settings.CXC_RENDER_MAX_ATTEMPTS`` is given up on (``pdf_failed_at``, audited, logged as
    an error) and left to the Support Office's "Try again" instead of being queued for ever.
    Returns how many tasks were queued (logged, so a rendering that keeps failing shows)."""
    from .tasks import render_document_task, render_far_task, seal_document_task

    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.CXC_RENDER_STALLED_MINUTES)
    queued = 0
    documents = Document.objects.filter(
        status=DocumentStatus.RENDERING, created_at__lt=cutoff, pdf_failed_at=None
    ).order_by("pk")
    for pk in _counted_attempts(Document, documents, limit, now):
        queued += enqueue(render_document_task, document_id=pk)
    reports = FinalReport.objects.filter(
        status__in=[FinalReportStatus.SUBMITTED, FinalReportStatus.VALIDATED],
        file="",
        submitted_at__lt=cutoff,
        pdf_failed_at=None,
    ).order_by("pk")
    for pk in _counted_attempts(FinalReport, reports, limit, now):
        queued += enqueue(render_far_task, report_id=pk)
    # R-DOC-2, R-DOC-3: fully signed — every party its kind needs has a live signature —
    # decided in SQL, so that the limit never fills with versions still waiting for a
    # signature (thousands at programme scale, which would hide a stalled seal for ever).
    live = Q(signatures__voided_at=None)
    unsealed = (
        Document.objects.filter(
            status=DocumentStatus.READY, sealed_at__isnull=True, pdf_failed_at=None
        )
        .annotate(
            last_signed=Max("signatures__signed_at", filter=live),
            parties_signed=Count(
                "signatures__party",
                filter=live
                & reduce(
                    or_,
                    (
                        Q(kind=kind, signatures__party__in=parties)
                        for kind, parties in REQUIRED_PARTIES.items()
                    ),
                ),
                distinct=True,
            ),
            parties_needed=Case(
                *(
                    When(kind=kind, then=Value(len(parties)))
                    for kind, parties in REQUIRED_PARTIES.items()
                ),
                output_field=IntegerField(),
            ),
        )
        .filter(parties_signed__gte=F("parties_needed"), last_signed__lt=cutoff)
        .order_by("pk")
    )
    for pk in _counted_attempts(Document, unsealed, limit, now):
        queued += enqueue(seal_document_task, document_id=pk)
    if queued:
        logger.warning("Re-queued %s stalled PDF renderings or seals", queued)
    return queued


def _counted_attempts(model: type[Document | FinalReport], stalled, limit: int, now: datetime):
    """Of the first ``limit`` stalled rows, those to queue again (their attempt counted); the
    others, queued ``CXC_RENDER_MAX_ATTEMPTS`` times already, are given up on: stamped,
    audited, logged."""
    rows = list(stalled.values_list("pk", "pdf_attempts")[:limit])
    most = settings.CXC_RENDER_MAX_ATTEMPTS
    again = [pk for pk, attempts in rows if attempts < most]
    given_up = [pk for pk, attempts in rows if attempts >= most]
    if again:
        model.objects.filter(pk__in=again).update(pdf_attempts=F("pdf_attempts") + 1)
    for row in model.objects.filter(pk__in=given_up, pdf_failed_at=None):
        with transaction.atomic():
            if not model.objects.filter(pk=row.pk, pdf_failed_at=None).update(pdf_failed_at=now):
                continue
            record(
                actor=None,
                action=f"reports.{_AUDIT_NAME[model]}.pdf_given_up",
                subject=row,
                data={"attempts": row.pdf_attempts, "error": row.pdf_error},
            )
        logger.error(
            "Gave up on the PDF of %s %s after %s attempts: %s",
            model.__name__,
            row.pk,
            row.pdf_attempts,
            row.pdf_error or "no error recorded (the task was lost)",
        )
    return again


_AUDIT_NAME = {Document: "document", FinalReport: "far"}
#: What the Support Office's "Try again" names in its URL.
PDF_SOURCES: dict[str, type[Document] | type[FinalReport]] = {
    "document": Document,
    "report": FinalReport,
}


def pdf_error_record(
    *, error: BaseException, document_id: int | None = None, report_id: int | None = None
) -> None:
    """A worker's PDF task failed: keep its error on the row (``PdfWork.pdf_error``) for the
    Support Office's list; the sweep decides when to try again or give up."""
    message = f"{type(error).__name__}: {error}"[:2000]
    if document_id is not None:
        Document.objects.filter(pk=document_id).update(pdf_error=message)
    if report_id is not None:
        FinalReport.objects.filter(pk=report_id).update(pdf_error=message)


def pdf_retry(*, actor: User, source: str, pk: int) -> Document | FinalReport:
    """The Support Office's "Try again" on a PDF given up on (``PdfWork``): a fresh series of
    attempts, the previous count and error in the audit record, the task queued after commit —
    the rendering for a version still being prepared or a report, the seal for a signed
    version. ``source`` is "document" or "report"."""
    from .tasks import render_document_task, render_far_task, seal_document_task

    if not user_access(actor).support_office:
        raise PermissionDenied(_("Only the Support Office may make a PDF again."))
    model = PDF_SOURCES[source]
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=pk)
        # A colleague may have tried again a moment ago, or a late worker succeeded.
        if locked.pdf_failed_at is None:
            raise ValidationError(_("This PDF is not given up on any more."))
        previous = {"attempts": locked.pdf_attempts, "error": locked.pdf_error}
        locked.save(update_fields=locked.pdf_work_reset())
        record(
            actor=actor,
            action=f"reports.{_AUDIT_NAME[model]}.pdf_retried",
            subject=locked,
            data=previous,
        )
        if isinstance(locked, FinalReport):
            enqueue_on_commit(render_far_task, report_id=locked.pk)
        elif locked.status == DocumentStatus.RENDERING:
            enqueue_on_commit(render_document_task, document_id=locked.pk)
        else:
            enqueue_on_commit(seal_document_task, document_id=locked.pk)
    return locked
