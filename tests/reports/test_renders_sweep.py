"""The beat sweep that queues again the PDF renderings and seals whose task was lost (broker down
when it was queued, worker killed): ``reports.services.renders_requeue_stalled`` (R-DOC-5,
R-DOC-4, R-DOC-7)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reports.models import Document, DocumentStatus, FinalReport
from reports.services import document_refresh, renders_requeue_stalled
from tests import factories
from tests.exchanges.factories import fill_plan, sign_all
from tests.factories import ExchangeFactory
from tests.faults.helpers import ended_exchange
from tests.reports.helpers import far_submit

pytestmark = pytest.mark.django_db


def _age(queryset, field, minutes):
    queryset.update(**{field: timezone.now() - timedelta(minutes=minutes)})


def test_r_doc_5_r_doc_4_stalled_renderings_are_queued_again_fresh_ones_are_left(queued, settings):
    """R-DOC-5, R-DOC-4: a version still being prepared, or a submitted report without its
    PDF, after ``CXC_RENDER_STALLED_MINUTES`` is queued again; younger ones (their task may
    still be on its way) and drafts are not."""
    settings.CXC_RENDER_STALLED_MINUTES = 5
    exchange, _, _ = ended_exchange()
    stalled = document_refresh(actor=None, exchange=exchange)  # on-commit render never ran
    _age(Document.objects.filter(pk=stalled[0].pk), "created_at", 6)
    far_submit(exchange, "visitor")  # its render never ran either
    far_submit(exchange, "host")
    _age(FinalReport.objects.filter(side="visitor"), "submitted_at", 6)
    visitor_report = FinalReport.objects.get(side="visitor")
    assert renders_requeue_stalled() == 2
    assert sorted(queued) == [
        ("render_document_task", stalled[0].pk),
        ("render_far_task", visitor_report.pk),
    ]


def test_r_doc_7_a_fully_signed_version_left_unsealed_is_queued_for_its_seal(queued, settings):
    """R-DOC-7: the FA fully signed (VO, VOP) but not sealed is queued; the CTQ still missing
    the host's signature is not."""
    exchange = ExchangeFactory()
    fill_plan(exchange)
    sign_all(exchange, except_=(("CTQ", "ho"),))  # the on-commit seal never ran
    fa = Document.objects.get(exchange=exchange, kind="FA", status=DocumentStatus.READY)
    assert not fa.is_sealed
    later = timezone.now() + timedelta(days=400)  # the signatures are dated by the helper
    assert renders_requeue_stalled(now=later) == 1
    assert queued == [("seal_document_task", fa.pk)]


def test_r_doc_5_a_stalled_rendering_is_rendered_once(settings):
    """R-DOC-5: queued again (here run inline), the version is rendered and stored; the next
    sweep finds nothing to do."""
    settings.CXC_RENDER_STALLED_MINUTES = 0
    exchange, _, _ = ended_exchange()
    created = document_refresh(actor=None, exchange=exchange)
    assert renders_requeue_stalled(now=timezone.now() + timedelta(seconds=1)) == 2
    for document in created:
        document.refresh_from_db()
        assert document.status == DocumentStatus.READY and document.sha256
    assert renders_requeue_stalled(now=timezone.now() + timedelta(seconds=1)) == 0


def test_r_doc_7_a_stalled_seal_is_found_behind_many_versions_still_waiting(queued, settings):
    """R-DOC-7: at programme scale thousands of versions wait for a signature; the sweep picks
    the fully signed ones in SQL, so a stalled seal is found even behind more waiting versions
    (older, lower ids) than one sweep's limit."""
    from tests.reports.test_work_queue_reports import ready, sign

    settings.CXC_RENDER_STALLED_MINUTES = 0
    user = factories.UserFactory()
    waiting = ExchangeFactory()
    for version in range(1, 8):  # signed by the visitor only: not complete
        sign(ready(waiting, "CTQ", version=version), "vo", user)
    complete = ready(ExchangeFactory(), "FA")
    sign(complete, "vo", user)
    sign(complete, "vop", user)
    assert renders_requeue_stalled(now=timezone.now() + timedelta(seconds=1), limit=5) == 1
    assert queued == [("seal_document_task", complete.pk)]
