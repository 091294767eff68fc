"""The verify page and the Final Activity Reports (R-DOC-4, R-DOC-7): a report's PDF, or its
SHA-256, is answered as issued — which report (Annex 2 or 3), the exchange reference, when it
was submitted — with no names, neither for a bare hash nor for the uploaded file."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from exchanges.models import ExchangeStatus
from reports.models import FinalReport
from tests.exchanges.factories import fill_plan, representative
from tests.factories import ExchangeFactory
from tests.reports.helpers import far_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted_far(django_capture_on_commit_callbacks):
    exchange = ExchangeFactory(status=ExchangeStatus.EXECUTED)
    fill_plan(exchange)
    author = representative(exchange.visitor)
    with django_capture_on_commit_callbacks(execute=True):
        far_submit(exchange, "visitor", author=author, today=date(2027, 3, 14))
    report = FinalReport.objects.get()
    assert report.sha256
    return exchange, report, author


def _no_names(html: str, exchange, author) -> None:
    for name in (
        exchange.visitor.legal_name,
        exchange.host.legal_name,
        author.get_full_name(),
        author.email,
    ):
        assert name not in html, name


def test_r_doc_7_a_final_reports_hash_is_issued_with_annex_reference_and_time(
    client, submitted_far
):
    """R-DOC-4, R-DOC-7: a bare hash names the report, the exchange and the submission time,
    never who wrote it."""
    exchange, report, author = submitted_far
    html = client.post(
        reverse("reports:verify"), {"sha256": report.sha256.upper()}
    ).content.decode()
    assert 'data-verify="issued"' in html and 'data-kind="far"' in html
    assert "Final Activity Report, Annex 3" in html and exchange.reference in html
    when = date_format(timezone.localtime(report.submitted_at), "j M Y H:i")
    assert f"Submitted on {when}." in html
    _no_names(html, exchange, author)


def test_r_doc_7_an_uploaded_final_report_is_issued_without_names(client, submitted_far):
    exchange, report, author = submitted_far
    with default_storage.open(report.file, "rb") as handle:
        content = handle.read()
    upload = SimpleUploadedFile("far.pdf", content, content_type="application/pdf")
    html = client.post(reverse("reports:verify"), {"file": upload}).content.decode()
    assert 'data-verify="issued"' in html and "Annex 3" in html and exchange.reference in html
    _no_names(html, exchange, author)
    # One byte changed: not issued.
    changed = bytearray(content)
    changed[len(changed) // 2] ^= 0x01
    upload = SimpleUploadedFile("far.pdf", bytes(changed), content_type="application/pdf")
    html = client.post(reverse("reports:verify"), {"file": upload}).content.decode()
    assert 'data-verify="unknown"' in html
