"""The notifications' section of the Support Office's work queue: undeliverable e-mails.

An e-mail given up on after ``CXC_EMAIL_MAX_ATTEMPTS`` tries never reached its recipient (a
reminder, R-DL-3, or a decision): the Support Office retries it or reaches the person another
way. Newest first (the ``notification_undeliverable_idx`` partial index); a COUNT and a
LIMITed SELECT.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxc_portal.core.work_queue import (
    Audience,
    QueueItem,
    QueueRequest,
    QueueSlice,
    register_queue_section,
)

from .selectors import notification_list_undeliverable


def undeliverable_emails(request: QueueRequest) -> QueueSlice | None:
    given_up = notification_list_undeliverable(user=request.user)
    count = given_up.order_by().count()
    rows = given_up.values("pk", "to_email", "subject", "undeliverable_at")[: request.limit]
    url = reverse("notifications:undeliverable")
    items = [
        QueueItem(
            what=_("Retry an undeliverable e-mail or reach the person another way"),
            subject=f"{row['subject']} → {row['to_email']}",
            url=url,
            since=timezone.localdate(row["undeliverable_at"]),
        )
        for row in rows
    ]
    return QueueSlice(count, items, url)


def register() -> None:
    """Called once from ``NotificationsConfig.ready``."""
    register_queue_section(
        "notifications.undeliverable",
        gettext_lazy("Undeliverable e-mails"),
        undeliverable_emails,
        audience=Audience.SUPPORT_OFFICE,
        order=150,
    )
