"""The worker dies during the deadline scan and a new one takes over (PostgreSQL + Redis).

A real Celery worker (``celery -A tests.faults.worker_hook worker --pool=solo``: the portal's
app, halted after the fifth notice it creates) runs the daily payment deadline scan
(``payments.tasks.payment_deadlines_task``, R-DL-2) and is SIGKILLed there, mid-scan and
mid-payment. A fresh worker (``celery -A cxc_portal``) then gets the scan again and beat's
delivery sweep, both sent through Redis as beat would. Every reminder goes out exactly once:
one notification row per (kind, subject, occasion, recipient) (R-DL-3), one e-mail per row.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cxc_portal.notifications.models import Notification
from cxc_portal.notifications.tasks import deliver_due_notifications_task
from exchanges.models import ExchangeStatus
from payments.models import Payment, PaymentStatus
from payments.tasks import payment_deadlines_task
from tests.exchanges.factories import approver, support_office_user
from tests.factories import ExchangeFactory, PartnershipFactory
from tests.faults.helpers import mail_keys, notification_keys, sentinel_sent

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.worker,
    pytest.mark.faults,
    pytest.mark.django_db(transaction=True),
]

PAUSE_AFTER = 5


def _payments(vop, *, overdue: int, near: int) -> list[Payment]:
    today = timezone.localdate()
    days = [-2] * overdue + [2] * near
    return [
        Payment.objects.create(
            exchange=ExchangeFactory(status=ExchangeStatus.CLOSED, vop=vop),
            amount=Decimal("780.00"),
            rate=Decimal("780.00"),
            working_days=5,
            status=PaymentStatus.DUE,
            due_date=today + timedelta(days=offset),
        )
        for offset in days
    ]


def test_r_dl_3_worker_killed_mid_scan_every_reminder_goes_out_exactly_once(
    redis_server, use_redis, workers, tmp_path
):
    """R-DL-2, R-DL-3: the scan killed after five of its eleven notices, a new worker runs it
    again: eleven notices, each created once and e-mailed once."""
    use_redis(redis_server.url)
    pause = tmp_path / f"paused-{uuid.uuid4().hex}"
    doomed = workers.start(  # starts while the scene is built
        redis_url=redis_server.url,
        app_module="tests.faults.worker_hook",
        env={"CXC_FAULTS_PAUSE_AFTER": str(PAUSE_AFTER), "CXC_FAULTS_PAUSE_FILE": str(pause)},
    )
    vop = PartnershipFactory()
    payer = approver(vop)
    colleague = approver(vop)
    colleague.partnership_staff.update(can_pay=False)
    office = support_office_user()
    _payments(vop, overdue=3, near=2)
    # Overdue: the VOP's staff and the Support Office (3 each); near: the payer alone.
    expected = 3 * 3 + 2 * 1

    payment_deadlines_task.apply_async()
    workers.wait_for(pause.exists, what="the scan to reach its pause")
    workers.kill(doomed)  # SIGKILL, mid-scan
    assert Notification.objects.count() == PAUSE_AFTER  # half done, each notice committed

    workers.start(redis_url=redis_server.url)
    payment_deadlines_task.apply_async()  # beat, the next day (or an operator)
    deliver_due_notifications_task.apply_async()  # beat, every minute
    workers.wait_for(
        lambda: Notification.objects.filter(sent_at__isnull=False).count() == expected,
        what="every notice sent",
    )
    # The scan and the sweep once more: nothing new is created or sent.
    payment_deadlines_task.apply_async()
    deliver_due_notifications_task.apply_async()
    sentinel_sent(workers)

    notices = Notification.objects.all()
    assert notices.count() == expected, workers.logs()
    per_recipient = Counter((n.kind, n.recipient_id) for n in notices)
    assert per_recipient == {
        ("payments.payment.overdue", payer.pk): 3,
        ("payments.payment.overdue", colleague.pk): 3,
        ("payments.payment.overdue", office.pk): 3,
        ("payments.payment.reminder", payer.pk): 2,
    }
    assert {n.attempts for n in notices} == {1}
    sent = mail_keys(workers.mails())
    assert sent.pop(("sentinel@example.org", "Sentinel")) == 1
    assert sent == notification_keys(notices), workers.logs()
    assert sum(sent.values()) == expected
