"""Celery tasks of the documents room."""

from __future__ import annotations

from celery import shared_task

from .services import document_render


@shared_task
def render_document_task(*, document_id: int) -> bool:
    """R-DOC-5: render one document version to PDF (queued on commit by ``document_refresh``)."""
    return document_render(document_id=document_id)
