"""Scenes and read-backs shared by the fault tests."""

from __future__ import annotations

import email
import uuid
from collections import Counter
from datetime import timedelta
from email.header import decode_header, make_header

from django.utils import timezone

from cxc_portal.notifications.models import Notification
from cxc_portal.notifications.tasks import deliver_notification_task

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password


def ended_exchange():
    """An executed exchange whose stay ended three days ago, with its plan, representatives
    and bank account: its final reports can be submitted, its documents prepared."""
    from exchanges.models import ExchangeStatus
    from tests.reports.helpers import documented_exchange

    end = timezone.localdate() - timedelta(days=3)
    return documented_exchange(
        status=ExchangeStatus.EXECUTED, start_date=end - timedelta(days=4), end_date=end
    )


def mail_keys(mails: list[str]) -> Counter:
    """(recipient, subject) of each e-mail the file backend wrote."""
    keys: Counter = Counter()
    for text in mails:
        for part in text.split("-" * 79):
            if not part.strip():
                continue
            message = email.message_from_string(part.strip())
            subject = str(make_header(decode_header(message["Subject"])))
            keys[(message["To"], " ".join(subject.split()))] += 1  # unfolded
    return keys


def notification_keys(notifications=None) -> Counter:
    rows = notifications if notifications is not None else Notification.objects.all()
    return Counter((n.to_email, " ".join(n.subject.split())) for n in rows)


def sentinel_sent(workers) -> None:
    """Send one more e-mail through the queue and wait for it: the solo worker takes its tasks
    in order, so everything queued before it has run."""
    marker = Notification.objects.create(
        dedup_key=f"faults:sentinel:{uuid.uuid4().hex}",
        kind="faults.sentinel",
        to_email="sentinel@example.org",
        subject="Sentinel",
        body="Everything queued before me has run.",
    )
    deliver_notification_task.apply_async(kwargs={"notification_id": marker.pk})
    workers.wait_for(
        lambda: Notification.objects.filter(pk=marker.pk, sent_at__isnull=False).exists(),
        what="the sentinel e-mail",
    )
    marker.delete()
