"""Time-driven work of the payments room (scheduled in ``cxc_portal/celery.py``)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from .selectors_payments import payment_ids_near_deadline
from .services_payments import payment_deadline_notify


def payment_deadlines(*, today=None) -> int:
    """R-DL-2: one pass over the payments near their deadline (an indexed query); returns how
    many notices were created (R-DL-3: none the second time)."""
    today = today or timezone.localdate()
    return sum(
        payment_deadline_notify(payment_id=pk, today=today)
        for pk in payment_ids_near_deadline(today=today)
    )


@shared_task
def payment_deadlines_task() -> int:
    """Daily: remind before the due date, escalate when overdue (R-DL-2), each notice once."""
    return payment_deadlines()
