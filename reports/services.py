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
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from cxc_portal.audit.services import record
from cxc_portal.core.queue import enqueue, enqueue_on_commit
from exchanges.models import Exchange, Party

from .models import Document, DocumentKind, DocumentStatus, FinalReport, FinalReportStatus
from .rendering import render_pdf
from .selectors import data_hash, document_data
from .selectors_signing import is_fully_signed
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
        locked.save(update_fields=["file", "sha256", "size", "status", "rendered_at"])
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
    Returns how many tasks were queued (logged, so a rendering that keeps failing shows)."""
    from .tasks import render_document_task, render_far_task, seal_document_task

    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.CXC_RENDER_STALLED_MINUTES)
    queued = 0
    documents = Document.objects.filter(
        status=DocumentStatus.RENDERING, created_at__lt=cutoff
    ).order_by("pk")
    for pk in documents.values_list("pk", flat=True)[:limit]:
        queued += enqueue(render_document_task, document_id=pk)
    reports = FinalReport.objects.filter(
        status__in=[FinalReportStatus.SUBMITTED, FinalReportStatus.VALIDATED],
        file="",
        submitted_at__lt=cutoff,
    ).order_by("pk")
    for pk in reports.values_list("pk", flat=True)[:limit]:
        queued += enqueue(render_far_task, report_id=pk)
    unsealed = (
        Document.objects.filter(status=DocumentStatus.READY, sealed_at__isnull=True)
        .annotate(last_signed=Max("signatures__signed_at", filter=Q(signatures__voided_at=None)))
        .filter(last_signed__lt=cutoff)
        .prefetch_related("signatures")
        .order_by("pk")[:limit]
    )
    for document in unsealed:
        live = [s for s in document.signatures.all() if s.voided_at is None]
        if is_fully_signed(document, live):
            queued += enqueue(seal_document_task, document_id=document.pk)
    if queued:
        logger.warning("Re-queued %s stalled PDF renderings or seals", queued)
    return queued
