"""Final Activity Report reminders (R-DL-1): a reminder ``CXC_FAR_REMINDER_DAYS`` days before
the due date to the side's representatives while not submitted, an overdue notice to them and
their partnership's staff once it passed; each at most once per (report, kind, recipient)
(R-DL-3), on the exchange's timeline."""

from datetime import date

import pytest
from django.core import mail

from cxc_portal.celery import app
from cxc_portal.notifications.models import Notification
from exchanges.models import ExchangeStatus
from exchanges.selectors import exchange_timeline
from reports.tasks import far_deadlines, far_deadlines_task
from tests.concurrency import run_twice
from tests.exchanges.factories import approver, fill_plan, representative
from tests.factories import ExchangeFactory, PartnershipStaffFactory
from tests.reports.helpers import far_submit

pytestmark = pytest.mark.django_db

# The factory's stay ends on 12 March 2027: the reports are due on 19 March.
REMIND_FROM = date(2027, 3, 17)
DUE = date(2027, 3, 19)
OVERDUE_FROM = date(2027, 3, 20)


def _exchange():
    exchange = ExchangeFactory(status=ExchangeStatus.EXECUTED)
    fill_plan(exchange)
    people = {
        "visitor": representative(exchange.visitor),
        "host": representative(exchange.host),
        "vop": approver(exchange.vop),
        "vop_clerk": PartnershipStaffFactory(partnership=exchange.vop).user,
        "hop": approver(exchange.hop),
    }
    return exchange, people


def _recipients(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("to_email", flat=True))


def test_r_dl_1_the_beat_runs_the_scan_daily():
    entry = app.conf.beat_schedule["reports-far-deadlines"]
    assert entry["task"] == "reports.tasks.far_deadlines_task" == far_deadlines_task.name


def test_r_dl_1_no_reminder_before_the_window(settings):
    settings.CXC_FAR_REMINDER_DAYS = 2
    _exchange()
    assert far_deadlines(today=date(2027, 3, 16)) == 0
    assert not Notification.objects.exists()


def test_r_dl_1_r_dl_3_the_reminder_goes_once_to_each_side_whatever_the_runs(
    settings, django_capture_on_commit_callbacks
):
    """R-DL-1, R-DL-3: two days before the due date, each side's representatives are reminded;
    the task run again (the same day, the next, on the due date) sends nothing new."""
    settings.CXC_FAR_REMINDER_DAYS = 2
    exchange, people = _exchange()
    with django_capture_on_commit_callbacks(execute=True):
        assert far_deadlines(today=REMIND_FROM) == 2
        assert far_deadlines(today=REMIND_FROM) == 0
        assert far_deadlines(today=DUE) == 0
    assert _recipients("reports.far.reminder") == sorted(
        [people["visitor"].email, people["host"].email]
    )
    assert len(mail.outbox) == 2
    assert "due on 19 Mar 2027" in mail.outbox[0].subject


def test_r_dl_1_a_submitted_report_is_not_reminded(settings):
    settings.CXC_FAR_REMINDER_DAYS = 2
    exchange, people = _exchange()
    far_submit(exchange, "visitor", author=people["visitor"], today=date(2027, 3, 13))
    assert far_deadlines(today=REMIND_FROM) == 1
    assert _recipients("reports.far.reminder") == [people["host"].email]
    assert far_deadlines(today=OVERDUE_FROM) == 2  # the host side only: its rep, the HOP
    assert people["vop"].email not in _recipients("reports.far.overdue")


def test_r_dl_1_r_dl_3_the_overdue_notice_goes_once_to_the_side_and_its_partnership():
    """R-DL-1: the day after the due date, the side's representatives and every staff member
    of its partnership are told, once (R-DL-3); the notices are on the exchange's timeline."""
    exchange, people = _exchange()
    created = far_deadlines(today=OVERDUE_FROM)
    assert created == 5
    assert far_deadlines(today=OVERDUE_FROM) == 0
    assert far_deadlines(today=date(2027, 3, 28)) == 0
    assert _recipients("reports.far.overdue") == sorted(
        [
            people["visitor"].email,
            people["vop"].email,
            people["vop_clerk"].email,
            people["host"].email,
            people["hop"].email,
        ]
    )
    timeline = exchange_timeline(exchange=exchange, user=people["vop"])
    assert sum(entry.code == "reports.far.overdue" for entry in timeline) == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_r_dl_3_two_workers_at_once_send_each_reminder_once(settings):
    """R-DL-3 on PostgreSQL: the scan run by two workers at the same moment creates each
    notice once (the unique notification key)."""
    settings.CXC_FAR_REMINDER_DAYS = 2
    exchange, people = _exchange()
    results = run_twice(lambda: far_deadlines(today=REMIND_FROM))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == 2
    assert _recipients("reports.far.reminder") == sorted(
        [people["visitor"].email, people["host"].email]
    )
