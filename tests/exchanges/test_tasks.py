"""The daily scan (R-EXC-2 [design]): flag contracted exchanges past their end date for staff,
once, without changing their state (R-DL-3: each notice at most once)."""

from datetime import date

import pytest
from django.core import mail

from cxc_portal.audit.models import AuditEvent
from cxc_portal.notifications.models import Notification
from exchanges.models import ExchangeStatus
from exchanges.services import exchange_flag_ended, exchanges_flag_ended
from exchanges.tasks import flag_ended_exchanges_task
from tests.exchanges.factories import approver, contracted_exchange, representative
from tests.factories import ExchangeFactory

pytestmark = pytest.mark.django_db

END = date(2027, 3, 12)


def test_r_exc_2_past_end_contracted_exchange_is_flagged_and_staff_told_once(
    django_capture_on_commit_callbacks,
):
    exchange = contracted_exchange()
    vop_staff, hop_staff = approver(exchange.vop), approver(exchange.hop)
    approver(exchange.vop, can_approve=False)  # not told: cannot record the execution
    representative(exchange.visitor)  # parties are not told by this scan
    with django_capture_on_commit_callbacks(execute=True):
        assert exchanges_flag_ended(today=date(2027, 3, 13)) == 1
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.CONTRACTED  # never changes the state
    assert exchange.end_flagged_at is not None
    notices = Notification.objects.filter(kind="exchanges.exchange.ended")
    assert {n.to_email for n in notices} == {vop_staff.email, hop_staff.email}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([vop_staff.email, hop_staff.email])
    event = AuditEvent.objects.get(action="exchanges.exchange.end_flagged")
    assert event.actor is None
    # A second run (retry, second worker, next day) does nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        assert exchanges_flag_ended(today=date(2027, 3, 14)) == 0
    assert Notification.objects.filter(kind="exchanges.exchange.ended").count() == 2
    assert len(mail.outbox) == 2
    assert AuditEvent.objects.filter(action="exchanges.exchange.end_flagged").count() == 1


def test_r_exc_2_not_flagged_on_the_last_day_or_when_not_contracted():
    contracted_exchange()
    ExchangeFactory()  # a draft past its dates is not the scan's business
    assert exchanges_flag_ended(today=END) == 0
    assert exchanges_flag_ended(today=date(2027, 3, 20)) == 1


def test_r_exc_2_flag_rechecks_under_the_lock():
    exchange = contracted_exchange()
    assert exchange_flag_ended(exchange_id=exchange.pk, today=date(2027, 3, 13)) is True
    assert exchange_flag_ended(exchange_id=exchange.pk, today=date(2027, 3, 13)) is False


def test_the_celery_task_runs_the_scan(settings):
    # The task reads the real clock: a stay in March 2020 is long over.
    exchange = contracted_exchange(start_date=date(2020, 3, 2), end_date=date(2020, 3, 6))
    assert flag_ended_exchanges_task.delay().get() == 1
    exchange.refresh_from_db()
    assert exchange.end_flagged_at is not None
