"""The one way the portal sends e-mail.

``notification_send`` (one recipient) and ``notification_send_many`` (many users at once) store a
``Notification`` with a unique de-duplication key and queue the delivery after commit;
``notification_deliver`` (run by the task) sends it at most once and records every failure;
``notifications_deliver_due`` (the beat sweep) retries what is due; ``notification_retry`` lets
the Support Office give an undeliverable e-mail a fresh series of attempts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from cxc_portal.accounts.roles import user_access
from cxc_portal.audit.services import record
from cxc_portal.core.queue import enqueue_on_commit

from .models import Notification
from .selectors import notification_ids_due

logger = logging.getLogger(__name__)

#: How long a worker holds a claimed notice. Longer than any SMTP conversation (EMAIL_TIMEOUT):
#: past it, the worker is taken for dead and another one may try again.
CLAIM_SECONDS = 600

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


def notification_key(*, kind: str, about: models.Model, recipient, occasion: str = "") -> str:
    """R-DL-3: the de-duplication key of one notice, ``<kind>:<subject>[:<occasion>]:<user>``.

    ``occasion`` is the deadline (a date) or the event (e.g. a timestamp of a resubmission) when
    the kind and the subject alone do not say which one; leave it empty when they do.
    """
    parts = [kind, str(about.pk), str(occasion) if occasion else "", str(recipient.pk)]
    return ":".join(part for part in parts if part)


def notification_send_many(
    *,
    recipients: Iterable,
    kind: str,
    about: models.Model,
    template: str,
    context: dict[str, Any] | None = None,
    occasion: str = "",
) -> list[Notification]:
    """Notify many users at once; return the notices created now (not those already there).

    R-DL-3: each notice's key is built from (kind, subject ``about``, deadline or event
    ``occasion``, recipient) by ``notification_key``, and that key is unique in the database:
    calling this twice — a retry, a second worker, a double submit, even at the same moment
    on PostgreSQL — gives each recipient one e-mail. A user listed twice is told once.
    Safe inside an outer transaction: the e-mails leave only once it commits.
    """
    created: list[Notification] = []
    seen: set[int] = set()
    for user in recipients:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        notification = notification_send(
            key=notification_key(kind=kind, about=about, recipient=user, occasion=occasion),
            kind=kind,
            to_email=user.email,
            recipient=user,
            template=template,
            context=context,
            about=about,
        )
        if notification is not None:
            created.append(notification)
    return created


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

    # A broker outage leaves it pending for the sweep (``notifications_deliver_due``).
    enqueue_on_commit(deliver_notification_task, notification_id=notification.pk)
    return notification


# --- delivery ------------------------------------------------------------------------------------


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off after the ``attempts``-th failure: base, 2×base, 4×base… capped."""
    base = settings.CXC_EMAIL_RETRY_BASE_SECONDS
    return timedelta(
        seconds=min(base * 2 ** max(attempts - 1, 0), settings.CXC_EMAIL_RETRY_MAX_SECONDS)
    )


def _claim(*, notification_id: int, now: datetime) -> bool:
    """Take the notice for this worker, counting the attempt; False if it is not ours to send.

    One conditional UPDATE, committed at once: of two workers picking the same notice, the
    database lets exactly one match the WHERE clause (PostgreSQL re-checks it after the other's
    commit), so only one talks to the mail server. The attempt is counted before sending, so
    no crash or SMTP error can make it vanish.
    """
    return bool(
        Notification.objects.filter(
            pk=notification_id, sent_at__isnull=True, undeliverable_at__isnull=True
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(
            claimed_until=now + timedelta(seconds=CLAIM_SECONDS),
            attempts=F("attempts") + 1,
            last_attempt_at=now,
        )
    )


def notification_deliver(*, notification_id: int, now: datetime | None = None) -> bool:
    """Send one stored notice if it is pending and due. Returns True if it was sent now.

    Called outside any transaction (from the task): the claim and the outcome are each their
    own short write, and the SMTP conversation holds no lock. A failure stores the attempt
    count and the error, and either sets the next attempt (exponential back-off, picked up by
    ``notifications_deliver_due``) or, after ``settings.CXC_EMAIL_MAX_ATTEMPTS`` attempts,
    marks the notice undeliverable for the Support Office.
    """
    now = now or timezone.now()
    if not _claim(notification_id=notification_id, now=now):
        return False
    notification = Notification.objects.get(pk=notification_id)
    try:
        send_mail(
            notification.subject,
            notification.body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.to_email],
        )
    except Exception as exc:  # noqa: BLE001 - whatever the mail server did, it is recorded
        _record_failure(notification=notification, error=exc, now=now)
        return False
    Notification.objects.filter(pk=notification.pk).update(
        sent_at=timezone.now(), claimed_until=None, next_attempt_at=None, last_error=""
    )
    return True


def _record_failure(*, notification: Notification, error: Exception, now: datetime) -> None:
    message = f"{type(error).__name__}: {error}"[:2000]
    fields: dict[str, Any] = {"claimed_until": None, "last_error": message}
    if notification.attempts >= settings.CXC_EMAIL_MAX_ATTEMPTS:
        fields.update(undeliverable_at=now, next_attempt_at=None)
        logger.error(
            "Notification %s undeliverable after %s attempts: %s",
            notification.pk,
            notification.attempts,
            message,
        )
    else:
        fields["next_attempt_at"] = now + retry_delay(notification.attempts)
        logger.warning(
            "Notification %s failed (attempt %s), retry at %s: %s",
            notification.pk,
            notification.attempts,
            fields["next_attempt_at"],
            message,
        )
    Notification.objects.filter(pk=notification.pk).update(**fields)


def notifications_deliver_due(*, now: datetime | None = None, limit: int = 200) -> int:
    """The beat sweep: try every pending notice that is due (retries, and any whose task was
    lost); returns how many were sent. Each one is claimed first, so a sweep running beside a
    worker never sends anything twice."""
    now = now or timezone.now()
    return sum(
        notification_deliver(notification_id=pk, now=now)
        for pk in notification_ids_due(now=now, limit=limit)
    )


def notification_retry(*, actor, notification: Notification) -> Notification:
    """Support Office: send an undeliverable e-mail again, with a fresh series of attempts.

    The previous attempt count and error go into the audit record; the e-mail is queued after
    commit and goes through the usual claim, so it still leaves at most once.
    """
    if not user_access(actor).support_office:
        raise PermissionDenied(_("Only the Support Office may retry an undeliverable e-mail."))
    with transaction.atomic():
        locked = Notification.objects.select_for_update().get(pk=notification.pk)
        # A colleague may have retried it a moment ago.
        if locked.undeliverable_at is None:
            raise ValidationError(_("This e-mail is not undeliverable any more."))
        previous = {"attempts": locked.attempts, "last_error": locked.last_error}
        locked.undeliverable_at = None
        locked.attempts = 0
        locked.next_attempt_at = None
        locked.claimed_until = None
        locked.save(
            update_fields=["undeliverable_at", "attempts", "next_attempt_at", "claimed_until"]
        )
        record(
            actor=actor,
            action="notifications.notification.retried",
            subject=locked,
            data={"to_email": locked.to_email, **previous},
        )
        from .tasks import deliver_notification_task

        enqueue_on_commit(deliver_notification_task, notification_id=locked.pk)
    return locked
