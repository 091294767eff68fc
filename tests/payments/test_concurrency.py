"""Races on PostgreSQL: two payers record the same payment at once; two workers run the
deadline scan at once (R-PAY-4, R-DL-3)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cxc_portal.audit.models import AuditEvent
from cxc_portal.notifications.models import Notification
from exchanges.models import ExchangeStatus
from payments.models import Payment, PaymentStatus
from payments.services_payments import payment_mark_paid
from payments.tasks import payment_deadlines
from tests.concurrency import run_together, run_twice
from tests.exchanges.factories import approver, support_office_user
from tests.factories import ExchangeFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def _payment(days):
    return Payment.objects.create(
        exchange=ExchangeFactory(status=ExchangeStatus.CLOSED),
        amount=Decimal("780.00"),
        rate=Decimal("780.00"),
        working_days=5,
        status=PaymentStatus.DUE,
        due_date=timezone.localdate() + timedelta(days=days),
    )


def test_r_pay_4_concurrent_mark_paid_records_one_payment_and_one_event():
    """R-PAY-4: two payers at once: the row lock lets one win, the other is refused."""
    payment = _payment(5)
    first, second = approver(payment.exchange.vop), approver(payment.exchange.vop)
    today = timezone.localdate()
    results = run_together(
        lambda: payment_mark_paid(payment=payment, actor=first, paid_on=today, reference="A"),
        lambda: payment_mark_paid(payment=payment, actor=second, paid_on=today, reference="B"),
    )
    assert sorted(type(r).__name__ for r in results) == ["Payment", "ValidationError"], results
    loss = next(r for r in results if isinstance(r, ValidationError))
    assert "already recorded as paid" in loss.messages[0]
    assert AuditEvent.objects.filter(action="payments.payment.paid").count() == 1


def test_r_dl_3_two_workers_send_each_deadline_notice_once():
    """R-DL-3: two scans at the same moment: each (payment, kind, recipient) notice once."""
    late = _payment(-1)
    soon = _payment(2)
    approver(late.exchange.vop)
    approver(soon.exchange.vop)
    support_office_user()
    run_twice(payment_deadlines)
    assert Notification.objects.filter(kind="payments.payment.overdue").count() == 2
    assert Notification.objects.filter(kind="payments.payment.reminder").count() == 1
