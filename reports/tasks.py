"""Celery tasks of the documents room."""

from __future__ import annotations

from celery import shared_task

from .services import document_render


@shared_task
def render_document_task(*, document_id: int) -> bool:
    """R-DOC-5: render one document version to PDF (queued on commit by ``document_refresh``)."""
    return document_render(document_id=document_id)


@shared_task
def signature_reminders_task() -> int:
    """Daily (R-DOC-2, R-DOC-3, R-DL-3): remind the signatories of a version ready for
    ``CXC_SIGNATURE_REMINDER_DAYS`` days that they have not signed it, each once."""
    from .services_signing import signature_reminders

    return signature_reminders()
