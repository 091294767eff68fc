"""Redis dies in the middle of use (PostgreSQL + Redis mode), then comes back.

A Redis of the test's own (its own port, no persistence) serves as cache and Celery broker to
this process (the pages, through Django's test client and the full middleware stack) and to a
real Celery worker (``celery -A cxc_portal worker --pool=solo``, a subprocess on the test
database). Redis is SIGKILLed mid-use and restarted empty, as after a crash. The periodic tasks
(``deliver_due_notifications_task``, ``renders_requeue_stalled_task``) are sent to that worker
through the restarted Redis exactly as beat would send them.
"""

from __future__ import annotations

import re

import pytest
import redis
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from cxc_portal.core import cache as forgiving_cache
from cxc_portal.notifications.models import Notification
from cxc_portal.notifications.tasks import (
    deliver_due_notifications_task,
)
from reports.models import Document, DocumentStatus, FinalReport, FinalReportStatus
from reports.tasks import renders_requeue_stalled_task
from tests.exchanges.factories import approver
from tests.faults.helpers import (
    PASSWORD,
    ended_exchange,
    mail_keys,
    notification_keys,
    sentinel_sent,
)
from tests.foundation.test_second_factor import current_code
from tests.reports.helpers import documented_exchange, far_form_answers

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.worker,
    pytest.mark.faults,
    pytest.mark.django_db(transaction=True),
]


def _sign_in(user, *, totp: bool = False) -> Client:
    """The real sign-in: allauth's form (and the TOTP step for staff)."""
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    if totp:
        assert response.url == reverse("mfa_authenticate")
        response = client.post(reverse("mfa_authenticate"), {"code": current_code()})
        assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(user.pk)
    return client


def _far_url(exchange, side: str) -> str:
    return reverse("reports:far_edit", kwargs={"exchange_id": exchange.pk, "side": side})


def _pages_answer(client, exchange) -> None:
    for url in (reverse("home"), reverse("exchanges:detail", kwargs={"pk": exchange.pk})):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)


def test_redis_down_pages_answer_writes_land_and_queued_work_goes_out_once(
    redis_server, use_redis, workers
):
    """Redis killed mid-use: pages keep answering (sessions live in the database, the cache
    falls back to process memory), a new sign-in with the second factor works, writes land in
    the database; the e-mails and PDF renders queued while Redis was down go out once it is
    back (the deliver sweep, the render sweep) and none goes out twice."""
    use_redis(redis_server.url)
    # The sweep takes any render still waiting: no five-minute wait in a test. The worker
    # starts while the scene is built (the tasks wait for it in Redis).
    workers.start(redis_url=redis_server.url, env={"CXC_RENDER_STALLED_MINUTES": "0"})
    exchange, host_rep, visitor_rep = ended_exchange()
    # A draft of the same VOP: its documents are prepared while Redis is down (an executed
    # exchange's are not prepared again outside an amendment, R-DOC-8).
    draft, _host, _visitor = documented_exchange(vop=exchange.vop)
    vop_staff = approver(exchange.vop)
    approver(exchange.hop)

    # 1. Redis up: sign-in, pages, a write that queues an e-mail and a PDF render.
    visitor = _sign_in(visitor_rep)
    host = _sign_in(host_rep)
    _pages_answer(visitor, exchange)
    assert host.post(_far_url(exchange, "host"), far_form_answers(exchange)).status_code == 302
    workers.wait_for(
        lambda: (
            FinalReport.objects.filter(side="host").exclude(file="").exists()
            and not Notification.objects.filter(sent_at__isnull=True).exists()
        ),
        what="the host's report PDF and e-mail",
    )

    # 2. Redis dies.
    redis_server.kill()
    _pages_answer(visitor, exchange)  # still signed in, pages answer
    staff = _sign_in(vop_staff, totp=True)  # a new sign-in, second factor included
    assert staff.get(reverse("exchanges:list")).status_code == 200
    submitted = visitor.post(_far_url(exchange, "visitor"), far_form_answers(exchange))
    assert submitted.status_code == 302
    prepared = staff.post(reverse("reports:prepare", kwargs={"exchange_id": draft.pk}))
    assert prepared.status_code == 302
    _pages_answer(visitor, exchange)
    # The writes are in the database, their e-mails and PDFs waiting.
    report = FinalReport.objects.get(side="visitor")
    assert report.status == FinalReportStatus.SUBMITTED and report.file == ""
    waiting = Notification.objects.filter(sent_at__isnull=True)
    assert waiting.filter(kind="reports.far.submitted", recipient=vop_staff).exists()
    documents = Document.objects.filter(exchange=draft)
    assert documents.count() == 2
    assert all(d.status == DocumentStatus.RENDERING for d in documents)

    # 3. Redis back (empty, as after a crash): the worker reconnects, beat's sweeps run.
    redis_server.start()
    deliver_due_notifications_task.apply_async()
    renders_requeue_stalled_task.apply_async()
    workers.wait_for(
        lambda: (
            not Notification.objects.filter(sent_at__isnull=True).exists()
            and not documents.filter(status=DocumentStatus.RENDERING).exists()
            and FinalReport.objects.filter(side="visitor").exclude(file="").exists()
        ),
        what="the e-mails and PDFs queued while Redis was down",
    )
    # Beat's next round finds nothing to do; whatever the first round queued has run.
    deliver_due_notifications_task.apply_async()
    renders_requeue_stalled_task.apply_async()
    sentinel_sent(workers)
    _pages_answer(visitor, exchange)

    logs = workers.logs()
    report.refresh_from_db()
    assert report.file and report.sha256, logs
    assert all(d.status == DocumentStatus.READY for d in documents.all()), logs
    # <kind>[-<side>]-v<version>-<random token>.pdf, each stored once
    versions = sorted(
        re.match(r"(.+?-v\d+)-", p.name).group(1)
        for reference in (exchange.reference, draft.reference)
        for p in (workers.media_root / "documents" / reference).iterdir()
    )
    assert versions == ["CTQ-v1", "FA-v1", "FAR-host-v1", "FAR-visitor-v1"]
    notifications = Notification.objects.all()
    assert notifications.filter(sent_at__isnull=True).count() == 0, logs
    assert {n.attempts for n in notifications} == {1}  # claimed once each
    sent = mail_keys(workers.mails())
    assert sent.pop(("sentinel@example.org", "Sentinel")) == 1
    assert sent == notification_keys(notifications), logs
    # Past its retry pause, the cache is Redis again (the fallback was for the outage only).
    forgiving_cache._down_until.clear()
    cache.set("faults-probe", 1)
    assert redis.Redis(port=redis_server.port).exists(cache.make_key("faults-probe"))
