"""PDFs the portal gives up on (``reports.models.PdfWork``): the sweep counts each re-queue,
stops after ``CXC_RENDER_MAX_ATTEMPTS`` and lists the PDF — a document version's rendering or
seal, a final report's rendering (R-DOC-5, R-DOC-7, R-DOC-4) — on the Support Office's work
queue with the worker's last error; "Try again" gives it a fresh series. Nobody else sees or
retries them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cxc_portal.audit.models import AuditEvent
from reports import services, tasks
from reports.models import Document, DocumentStatus, FinalReport
from reports.services import document_refresh, renders_requeue_stalled
from tests import factories
from tests.faults.helpers import ended_exchange
from tests.reports.helpers import far_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def stalled(settings):
    """The versions (CTQ, FA) still being prepared and a submitted report without its PDF, all
    stalled; the CTQ and the report are returned."""
    settings.CXC_RENDER_STALLED_MINUTES = 0
    settings.CXC_RENDER_MAX_ATTEMPTS = 2
    exchange, _, _ = ended_exchange()
    document = next(d for d in document_refresh(actor=None, exchange=exchange) if d.kind == "CTQ")
    far_submit(exchange, "visitor")
    report = FinalReport.objects.get(exchange=exchange, side="visitor")
    return document, report


def sweep() -> int:
    return renders_requeue_stalled(now=timezone.now() + timedelta(seconds=1))


def queue_section(client):
    queue = client.get(reverse("home")).context["work_queue"]
    return next((s for s in queue.sections if s.key == "reports.pdf_failures"), None)


def test_the_sweep_counts_attempts_then_gives_up_and_says_so(queued, stalled, caplog):
    """Two re-queues allowed: the third sweep queues nothing more, stamps both rows, audits
    it and logs an error naming the last error met."""
    document, report = stalled
    Document.objects.filter(pk=document.pk).update(pdf_error="OSError: disk full")
    assert sweep() >= 2 and sweep() >= 2
    assert Document.objects.get(pk=document.pk).pdf_attempts == 2
    queued.clear()
    sweep()
    assert ("render_document_task", document.pk) not in queued
    assert ("render_far_task", report.pk) not in queued
    for row in (Document.objects.get(pk=document.pk), FinalReport.objects.get(pk=report.pk)):
        assert row.pdf_failed_at is not None and row.pdf_attempts == 2
    assert AuditEvent.objects.filter(action="reports.document.pdf_given_up").count() == 2
    assert AuditEvent.objects.filter(action="reports.far.pdf_given_up").count() == 1
    assert "OSError: disk full" in caplog.text
    queued.clear()
    sweep()  # given up: never queued again by the sweep
    assert not [q for q in queued if q[1] in (document.pk, report.pk)]


def test_a_failing_task_keeps_its_error_on_the_row(stalled, monkeypatch):
    document, report = stalled

    def broken(**kwargs):
        raise RuntimeError("Pango could not load the font")

    monkeypatch.setattr(tasks, "document_render", broken)
    with pytest.raises(RuntimeError):
        tasks.render_document_task(document_id=document.pk)
    assert Document.objects.get(pk=document.pk).pdf_error == (
        "RuntimeError: Pango could not load the font"
    )


def test_the_support_office_sees_them_and_tries_again(
    queued, stalled, support_client, django_capture_on_commit_callbacks
):
    document, report = stalled
    for _ in range(3):
        sweep()
    section = queue_section(support_client)
    assert section.count == 3
    assert {item.subject.split(" · ")[1] for item in section.items} == {
        "CTQ v1 — rendering",
        "FA v1 — rendering",
        "Visitor's final report — rendering",
    }
    assert {item.url for item in section.items} == {reverse("reports:pdf_failures")}
    page = support_client.get(reverse("reports:pdf_failures"))
    html = page.content.decode()
    assert page.status_code == 200
    assert f'data-pdf-failure="document-{document.pk}"' in html
    assert f'data-pdf-failure="report-{report.pk}"' in html
    assert "Visitor&#x27;s final report — rendering" in html

    # "Try again": a fresh series, audited, the render queued after commit (run at once
    # here: the tests' Celery is eager) — the version is made and leaves the list.
    with django_capture_on_commit_callbacks(execute=True):
        response = support_client.post(reverse("reports:pdf_retry", args=["document", document.pk]))
    assert response.status_code == 302
    row = Document.objects.get(pk=document.pk)
    assert (row.status, row.pdf_failed_at, row.pdf_attempts) == (DocumentStatus.READY, None, 0)
    event = AuditEvent.objects.get(action="reports.document.pdf_retried")
    assert event.data["attempts"] == 2
    assert queue_section(support_client).count == 2

    # A second click (a colleague was quicker): a message, nothing done twice.
    response = support_client.post(
        reverse("reports:pdf_retry", args=["document", document.pk]), follow=True
    )
    assert "not given up on any more" in response.content.decode()
    assert AuditEvent.objects.filter(action="reports.document.pdf_retried").count() == 1


def test_nobody_else_sees_or_retries_them(stalled, client, staff_client):
    document, _report = stalled
    Document.objects.filter(pk=document.pk).update(pdf_failed_at=timezone.now(), pdf_attempts=5)
    assert staff_client.get(reverse("reports:pdf_failures")).status_code == 403
    assert (
        staff_client.post(reverse("reports:pdf_retry", args=["document", document.pk])).status_code
        == 403
    )
    assert queue_section(staff_client) is None
    assert Document.objects.get(pk=document.pk).pdf_failed_at is not None
    rep = factories.RepresentativeFactory()
    client.force_login(rep.user)
    assert client.get(reverse("reports:pdf_failures")).status_code == 403
    client.logout()
    assert client.get(reverse("reports:pdf_failures")).status_code == 302  # to sign in


def test_bad_addresses_are_404_and_an_empty_list_says_so(support_client):
    assert support_client.post(reverse("reports:pdf_retry", args=["bogus", 1])).status_code == 404
    assert (
        support_client.post(reverse("reports:pdf_retry", args=["report", 999999])).status_code
        == 404
    )
    page = support_client.get(reverse("reports:pdf_failures") + "?page=abc")
    assert page.status_code == 200
    assert "data-pdf-failures-empty" in page.content.decode()


def test_a_success_clears_the_failure(stalled):
    """A late worker that succeeds after the sweep gave up takes the PDF off the list."""
    document, report = stalled
    Document.objects.filter(pk=document.pk).update(
        pdf_failed_at=timezone.now(), pdf_attempts=5, pdf_error="x"
    )
    assert services.document_render(document_id=document.pk)
    row = Document.objects.get(pk=document.pk)
    assert row.status == DocumentStatus.READY
    assert (row.pdf_failed_at, row.pdf_attempts, row.pdf_error) == (None, 0, "")
