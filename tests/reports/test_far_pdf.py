"""The Final Activity Report as a PDF (R-DOC-4, R-DOC-5): rendered on submission in a Celery
task, stored privately with its SHA-256; the text read back holds the answers."""

import hashlib
from datetime import date

import pytest
from django.core.files.storage import default_storage

from exchanges.models import ExchangeStatus
from reports.models import FinalReport
from reports.services_far import far_render
from tests.exchanges.factories import fill_plan, representative
from tests.factories import ExchangeFactory
from tests.reports.helpers import far_submit, pdf_text

pytestmark = pytest.mark.django_db


def test_r_doc_4_the_pdf_holds_the_answers_and_its_hash(django_capture_on_commit_callbacks):
    exchange = ExchangeFactory(
        status=ExchangeStatus.EXECUTED,
        objectives="- Learn the export desk's methods\n- Meet three members",
    )
    fill_plan(exchange)
    author = representative(exchange.host)
    with django_capture_on_commit_callbacks(execute=True):
        far_submit(
            exchange,
            "host",
            author=author,
            today=date(2027, 3, 14),
            results_text="A shared prototype test bench in Porto.",
            comments="Véronique's team was wonderful.",
            satisfaction_counterpart=3,
        )
    report = FinalReport.objects.get()
    assert report.file and default_storage.exists(report.file)
    with default_storage.open(report.file, "rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == report.sha256
    text = " ".join(pdf_text(default_storage.path(report.file)).split())
    for expected in (
        "Final Activity Report — Annex 2 (host)",
        exchange.reference,
        "Learn the export desk's methods",
        "Meet three members",
        "Meet three members 4/5",
        "A shared prototype test bench in Porto.",
        "Véronique's team was wonderful.",
        "Satisfaction with the visitor 3/5",
        "2027-03-19",  # due date
        "Page 1 of",
    ):
        assert expected in text, expected
    # Rendering again changes nothing: the stored PDF is the submission's.
    assert far_render(report_id=report.pk) is False
