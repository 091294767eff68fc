"""Celery tasks of the documents room."""

from __future__ import annotations

from celery import shared_task

from .services import document_render, pdf_error_record


@shared_task
def render_document_task(*, document_id: int) -> bool:
    """R-DOC-5: render one document version to PDF (queued on commit by ``document_refresh``).
    A failure keeps its error on the row for the Support Office (``PdfWork``) and is raised
    again: the sweep decides whether to try once more."""
    try:
        return document_render(document_id=document_id)
    except Exception as exc:
        pdf_error_record(error=exc, document_id=document_id)
        raise


@shared_task(
    autoretry_for=(OSError,),  # storage or a full disk: temporary; retried with back-off
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    max_retries=5,
    acks_late=True,  # running twice is harmless: a sealed version is left as it is
)
def seal_document_task(document_id: int) -> bool:
    """R-DOC-7: seal a fully signed version (queued on commit by the signing room when the last
    required signature lands). True when the version is sealed after the call."""
    from .models import Document
    from .sealing import document_seal, signature_lines

    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return False
    if not document.is_sealed:
        try:
            document = document_seal(document_id=document_id, lines=signature_lines(document))
        except Exception as exc:
            pdf_error_record(error=exc, document_id=document_id)  # then retried or swept
            raise
    return document.is_sealed


# --- Final Activity Reports (helper "far") --------------------------------------------------------


@shared_task
def render_far_task(*, report_id: int) -> bool:
    """R-DOC-4: render a submitted final activity report to PDF (queued on commit by
    ``services_far.far_save``)."""
    from .services_far import far_render

    try:
        return far_render(report_id=report_id)
    except Exception as exc:
        pdf_error_record(error=exc, report_id=report_id)
        raise


def far_deadlines(*, today=None) -> int:
    """R-DL-1: one pass over the reports near or past their due date; returns how many notices
    were created (R-DL-3: none the second time)."""
    from django.utils import timezone

    from .selectors_far import far_deadline_candidates
    from .services_far import far_deadline_notify

    today = today or timezone.localdate()
    return sum(
        far_deadline_notify(exchange_id=pk, side=side, today=today)
        for pk, side in far_deadline_candidates(today=today)
    )


@shared_task
def far_deadlines_task() -> int:
    """Daily: remind before a final activity report's due date, notify when it passed (R-DL-1),
    each notice once (R-DL-3)."""
    return far_deadlines()


@shared_task
def signature_reminders_task() -> int:
    """Daily (R-DOC-2, R-DOC-3, R-DL-3): remind the signatories of a version ready for
    ``CXC_SIGNATURE_REMINDER_DAYS`` days that they have not signed it, each once."""
    from .services_signing import signature_reminders

    return signature_reminders()


# --- faults --------------------------------------------------------------------------------------


@shared_task
def renders_requeue_stalled_task() -> int:
    """Beat, every few minutes: queue again the PDF renderings and seals whose task was lost
    (broker down, worker killed); see ``services.renders_requeue_stalled``."""
    from .services import renders_requeue_stalled

    return renders_requeue_stalled()
