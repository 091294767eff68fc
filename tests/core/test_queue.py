"""A broker outage never turns a committed write into a 500 (cxc_portal.core.queue): the task is
logged and left to its sweep."""

import pytest
from celery.app.task import Task
from django.urls import reverse
from kombu.exceptions import OperationalError

from cxc_portal.core import queue
from cxc_portal.notifications.models import Notification
from cxc_portal.notifications.tasks import deliver_notification_task
from reports.models import FinalReport, FinalReportStatus
from tests.exchanges.factories import approver
from tests.faults.helpers import ended_exchange
from tests.reports.helpers import far_form_answers


@pytest.fixture
def broker_down(monkeypatch):
    sent = []

    def refuse(self, *args, **kwargs):
        sent.append(self.name)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(Task, "apply_async", refuse)
    queue.broker_reset()
    yield sent
    queue.broker_reset()


def test_enqueue_logs_and_returns_false_when_the_broker_is_down(broker_down, caplog, settings):
    assert queue.enqueue(deliver_notification_task, notification_id=1) is False
    assert broker_down == [deliver_notification_task.name]
    assert "left to its sweep" in caplog.text


def test_after_a_failure_the_broker_is_not_tried_again_for_a_while(broker_down):
    """Each try waits for Celery's publish retries: a page queuing several tasks would wait for
    each; past the first failure they go straight to their sweep."""
    from cxc_portal.celery import app

    app.conf.task_always_eager = False
    try:
        assert queue.enqueue(deliver_notification_task, notification_id=1) is False
        assert queue.enqueue(deliver_notification_task, notification_id=2) is False
        assert len(broker_down) == 1
        queue.broker_reset()
        assert queue.enqueue(deliver_notification_task, notification_id=3) is False
        assert len(broker_down) == 2
    finally:
        app.conf.task_always_eager = True


@pytest.mark.django_db
def test_r_doc_4_a_report_submitted_while_the_broker_is_down_is_saved_not_a_500(
    client, broker_down, django_capture_on_commit_callbacks
):
    """R-DOC-4: the submission lands, the page redirects as usual; the reviewers' e-mail stays
    pending (for ``notifications_deliver_due``) and the PDF unrendered (for
    ``renders_requeue_stalled``)."""
    exchange, _, visitor = ended_exchange()
    reviewer = approver(exchange.vop)
    client.force_login(visitor)
    url = reverse("reports:far_edit", kwargs={"exchange_id": exchange.pk, "side": "visitor"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, far_form_answers(exchange))
    assert response.status_code == 302
    report = FinalReport.objects.get(exchange=exchange, side="visitor")
    assert report.status == FinalReportStatus.SUBMITTED and report.file == ""
    notice = Notification.objects.get(recipient=reviewer)
    assert notice.sent_at is None and notice.attempts == 0
    assert "reports.tasks.render_far_task" in broker_down
