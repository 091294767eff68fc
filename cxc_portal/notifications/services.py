"""The one way the portal sends e-mail.

``notification_send`` stores a ``Notification`` with a unique de-duplication key and queues the
delivery after commit; ``notification_deliver`` (run by the task) sends it at most once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Notification

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User


def notification_send(
    *,
    key: str,
    kind: str,
    to_email: str,
    template: str,
    context: dict[str, Any] | None = None,
    recipient: User | None = None,
    about: models.Model | None = None,
) -> Notification | None:
    """Create the notice ``key`` unless it exists; return it, or ``None`` if already there.

    ``template`` names a pair ``<template>_subject.txt`` / ``<template>_body.txt``. Safe to call
    inside an outer transaction: the e-mail leaves only once that transaction commits.
    """
    ctx = {"site_url": settings.SITE_URL, "recipient": recipient, **(context or {})}
    subject = " ".join(render_to_string(f"{template}_subject.txt", ctx).split())
    body = render_to_string(f"{template}_body.txt", ctx)
    return notification_send_rendered(
        key=key,
        kind=kind,
        to_email=to_email,
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=body,
        recipient=recipient,
        about=about,
    )


def notification_send_rendered(
    *,
    key: str,
    kind: str,
    to_email: str,
    subject: str,
    body: str,
    recipient: User | None = None,
    about: models.Model | None = None,
) -> Notification | None:
    """Like ``notification_send`` for a message already rendered (e.g. by django-allauth)."""
    try:
        # A savepoint: a concurrent sender that inserted the same key first makes this INSERT
        # fail (PostgreSQL waits for its commit), and the outer transaction goes on.
        with transaction.atomic():
            notification = Notification.objects.create(
                dedup_key=key[:255],
                kind=kind,
                recipient=recipient,
                to_email=to_email,
                subject=subject[:255],
                body=body,
                about_type=ContentType.objects.get_for_model(about) if about else None,
                about_id=str(about.pk) if about else "",
            )
    except IntegrityError:
        return None

    from .tasks import deliver_notification_task

    transaction.on_commit(lambda: deliver_notification_task.delay(notification_id=notification.pk))
    return notification


def notification_deliver(*, notification_id: int) -> bool:
    """Send one stored notice if it has not gone out yet. Returns True if it was sent now."""
    with transaction.atomic():
        # The row lock makes a second worker wait here, then see sent_at and stop.
        notification = Notification.objects.select_for_update().get(pk=notification_id)
        if notification.sent_at is not None:
            return False
        notification.attempts += 1
        send_mail(
            notification.subject,
            notification.body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.to_email],
        )
        notification.sent_at = timezone.now()
        notification.last_error = ""
        notification.save(update_fields=["sent_at", "attempts", "last_error"])
    return True
