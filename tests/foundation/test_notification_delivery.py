"""E-mail delivery records its failures: attempts and the last error survive an SMTP error,
retries follow an exponential back-off, and after the maximum the e-mail is undeliverable and
listed for the Support Office. A notice is claimed before sending, so it leaves at most once
(R-DL-3)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cxc_portal.audit.models import AuditEvent
from cxc_portal.notifications.models import Notification
from cxc_portal.notifications.selectors import notification_ids_due
from cxc_portal.notifications.services import (
    notification_deliver,
    notification_send,
    notifications_deliver_due,
)
from tests import factories
from tests.concurrency import run_twice

FAILING = "tests.mail_backends.FailingEmailBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _retry_settings(settings):
    settings.CXC_EMAIL_MAX_ATTEMPTS = 3
    settings.CXC_EMAIL_RETRY_BASE_SECONDS = 60
    settings.CXC_EMAIL_RETRY_MAX_SECONDS = 3600


def _queued(key="deadline:far:1:host", to_email="host@example.org"):
    """A stored notice whose after-commit delivery is not run (the test delivers it)."""
    return Notification.objects.create(
        dedup_key=key,
        kind="foundation.test.notice",
        to_email=to_email,
        subject="[ClusterXchange] Reminder: your report",
        body="Your report is due.",
    )


@pytest.mark.django_db
def test_smtp_failure_keeps_the_attempt_and_the_error_and_schedules_a_retry(settings):
    settings.EMAIL_BACKEND = FAILING
    notification = _queued()
    t0 = timezone.now()

    assert notification_deliver(notification_id=notification.pk, now=t0) is False

    notification.refresh_from_db()
    assert notification.attempts == 1
    assert notification.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert notification.last_attempt_at == t0
    assert notification.next_attempt_at == t0 + timedelta(seconds=60)
    assert notification.sent_at is None and notification.undeliverable_at is None
    assert notification.claimed_until is None  # released for the retry
    # Not due before its back-off has passed; due after.
    assert notification.pk not in notification_ids_due(now=t0 + timedelta(seconds=59), limit=10)
    assert notification.pk in notification_ids_due(now=t0 + timedelta(seconds=60), limit=10)
    assert notification_deliver(notification_id=notification.pk, now=t0) is False
    notification.refresh_from_db()
    assert notification.attempts == 1  # too early: not even tried


@pytest.mark.django_db
def test_smtp_failure_in_the_after_commit_task_does_not_raise_and_is_stored(
    settings, django_capture_on_commit_callbacks
):
    """The old delivery sent inside the locked transaction: the error rolled the counter back."""
    settings.EMAIL_BACKEND = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_send(
            key="deadline:far:2:visitor",
            kind="foundation.test.notice",
            to_email="visitor@example.org",
            template="notifications/email/notice",
            context={"subject": "Reminder", "body": "Due."},
        )
    notification.refresh_from_db()
    assert notification.attempts == 1
    assert "SMTPServerDisconnected" in notification.last_error
    assert notification.next_attempt_at is not None


@pytest.mark.django_db
def test_back_off_doubles_then_the_email_is_undeliverable_after_max_attempts(settings):
    settings.EMAIL_BACKEND = FAILING
    notification = _queued()
    now = timezone.now()
    delays = []
    for _ in range(3):
        assert notification_deliver(notification_id=notification.pk, now=now) is False
        notification.refresh_from_db()
        if notification.next_attempt_at:
            delays.append(notification.next_attempt_at - now)
            now = notification.next_attempt_at
    assert delays == [timedelta(seconds=60), timedelta(seconds=120)]
    assert notification.attempts == 3
    assert notification.undeliverable_at == now
    assert notification.next_attempt_at is None
    # Given up: neither the task nor the sweep tries again.
    later = now + timedelta(days=1)
    assert notification_deliver(notification_id=notification.pk, now=later) is False
    assert notifications_deliver_due(now=later) == 0
    notification.refresh_from_db()
    assert notification.attempts == 3


@pytest.mark.django_db
def test_success_after_a_failure_sends_exactly_once(settings):
    settings.EMAIL_BACKEND = FAILING
    notification = _queued()
    t0 = timezone.now()
    notification_deliver(notification_id=notification.pk, now=t0)

    settings.EMAIL_BACKEND = LOCMEM
    t1 = t0 + timedelta(seconds=61)
    assert notifications_deliver_due(now=t1) == 1
    assert notifications_deliver_due(now=t1 + timedelta(hours=1)) == 0
    assert notification_deliver(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert notification.attempts == 2
    assert notification.last_error == ""


@pytest.mark.django_db
def test_a_notice_held_by_another_worker_is_not_sent_until_its_claim_expires():
    notification = _queued()
    now = timezone.now()
    Notification.objects.filter(pk=notification.pk).update(
        claimed_until=now + timedelta(minutes=10)
    )
    assert notification_deliver(notification_id=notification.pk, now=now) is False
    assert notifications_deliver_due(now=now) == 0
    assert mail.outbox == []
    # The worker died mid-send: after the claim expires, another one takes over.
    assert notification_deliver(notification_id=notification.pk, now=now + timedelta(minutes=11))
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_sweep_sends_a_notice_whose_task_was_lost():
    notification = _queued()
    assert notifications_deliver_due() == 1
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert len(mail.outbox) == 1


# --- the Support Office's page -----------------------------------------------------------------


def _undeliverable(key, to_email, error, when):
    notification = _queued(key=key, to_email=to_email)
    Notification.objects.filter(pk=notification.pk).update(
        attempts=3, last_error=error, undeliverable_at=when
    )
    return notification


@pytest.mark.django_db
def test_undeliverable_emails_are_listed_newest_first_for_the_support_office(support_client):
    now = timezone.now()
    old = _undeliverable("k:old", "old@example.org", "SMTPDataError: 554 old", now - timedelta(1))
    new = _undeliverable("k:new", "new@example.org", "SMTPRecipientsRefused: new", now)
    _queued(key="k:pending", to_email="pending@example.org")
    response = support_client.get(reverse("notifications:undeliverable"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(f'data-notification="{new.pk}"') < html.index(f'data-notification="{old.pk}"')
    for text in ("new@example.org", "SMTPRecipientsRefused: new", "Reminder: your report"):
        assert text in html
    assert "pending@example.org" not in html
    # The navigation leads there.
    assert reverse("notifications:undeliverable") in html


@pytest.mark.django_db
def test_the_page_and_the_retry_are_for_the_support_office_only(client, staff_client):
    notification = _undeliverable("k:x", "x@example.org", "boom", timezone.now())
    url = reverse("notifications:undeliverable")
    retry = reverse("notifications:undeliverable_retry", args=[notification.pk])
    assert staff_client.get(url).status_code == 403
    assert staff_client.post(retry).status_code == 403
    home = staff_client.get(reverse("home")).content.decode()
    assert url not in home
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    rep = factories.RepresentativeFactory()
    client.force_login(rep.user)
    assert client.get(url).status_code == 403
    notification.refresh_from_db()
    assert notification.undeliverable_at is not None


@pytest.mark.django_db
def test_support_office_retry_sends_once_and_is_audited(
    support_client, django_capture_on_commit_callbacks
):
    notification = _undeliverable("k:r", "r@example.org", "SMTPDataError: 451", timezone.now())
    retry = reverse("notifications:undeliverable_retry", args=[notification.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = support_client.post(retry, follow=True)
    assert "queued again" in response.content.decode()
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert notification.undeliverable_at is None
    assert notification.attempts == 1
    assert len(mail.outbox) == 1
    event = AuditEvent.objects.get(action="notifications.notification.retried")
    assert event.actor == support_client.user
    assert event.data["attempts"] == 3
    assert event.data["last_error"] == "SMTPDataError: 451"
    # A second click (a colleague was faster): a clear message, nothing sent again.
    with django_capture_on_commit_callbacks(execute=True):
        response = support_client.post(retry, follow=True)
    assert "not undeliverable any more" in response.content.decode()
    assert len(mail.outbox) == 1


# --- PostgreSQL: two workers pick the same notice ---------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_the_same_notice_send_one_email_on_postgres(settings):
    """R-DL-3: the conditional UPDATE lets exactly one worker claim the notice."""
    settings.EMAIL_BACKEND = "tests.mail_backends.SlowEmailBackend"
    notification = _queued(key="race:deliver:1")
    results = run_twice(lambda: notification_deliver(notification_id=notification.pk))
    assert sorted(results) == [False, True], results
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.attempts == 1
