"""Celery tasks of the documents room."""

from __future__ import annotations

from celery import shared_task

from .services import document_render


@shared_task
def render_document_task(*, document_id: int) -> bool:
    """R-DOC-5: render one document version to PDF (queued on commit by ``document_refresh``)."""
    return document_render(document_id=document_id)


# --- Final Activity Reports (helper "far") --------------------------------------------------------


@shared_task
def render_far_task(*, report_id: int) -> bool:
    """R-DOC-4: render a submitted final activity report to PDF (queued on commit by
    ``services_far.far_save``)."""
    from .services_far import far_render

    return far_render(report_id=report_id)


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
