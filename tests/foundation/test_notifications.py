"""Every e-mail goes through one service; the same notice is never sent twice (R-DL-3)."""

import threading
import time

import pytest
from django.core import mail
from django.db import connection, connections

from cxc_portal.notifications.models import Notification
from cxc_portal.notifications.services import (
    notification_deliver,
    notification_send,
    notification_send_many,
)
from tests import factories
from tests.concurrency import run_twice


def _send(key="deadline:far:1:host", **kwargs):
    return notification_send(
        key=key,
        kind="foundation.test.notice",
        to_email=kwargs.pop("to_email", "host@example.org"),
        template="notifications/email/notice",
        context={"subject": "Reminder: your report", "body": "Your report is due."},
        **kwargs,
    )


@pytest.mark.django_db
def test_send_stores_and_delivers_once_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = _send()
    assert len(callbacks) == 1
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[ClusterXchange] Reminder: your report"
    assert "Your report is due." in mail.outbox[0].body


@pytest.mark.django_db
def test_same_key_twice_sends_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _send()
        second = _send()
    assert first is not None
    assert second is None
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                _send()
                raise RuntimeError("the service failed after queuing the notice")
        except RuntimeError:
            pass
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_delivering_twice_sends_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        notification = _send()
    assert notification_deliver(notification_id=notification.pk) is True
    assert notification_deliver(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_notification_is_linked_to_its_subject():
    org = factories.OrganisationFactory()
    user = factories.UserFactory()
    notification = _send(about=org, recipient=user)
    assert notification.about == org
    assert notification.recipient == user


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_senders_send_once_on_postgres():
    """Two workers race to create the same notice: the unique key lets exactly one win."""
    assert connection.vendor == "postgresql"
    barrier = threading.Barrier(2)
    results: list = []
    errors: list = []

    def worker():
        try:
            barrier.wait(timeout=10)
            from django.db import transaction

            with transaction.atomic():
                result = _send(key="deadline:payment:7:vop")
                # Hold the transaction open so that the other INSERT runs while this one is
                # uncommitted: PostgreSQL makes it wait, then fail on the unique key.
                time.sleep(0.3)
            results.append(result)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    assert sum(r is not None for r in results) == 1
    assert Notification.objects.filter(dedup_key="deadline:payment:7:vop").count() == 1
    assert len(mail.outbox) == 1


# --- many recipients at once ---------------------------------------------------------------------


def _send_many(users, about, occasion="2026-03-01"):
    return notification_send_many(
        recipients=users,
        kind="foundation.test.reminder",
        about=about,
        occasion=occasion,
        template="notifications/email/notice",
        context={"subject": "Reminder: your report", "body": "Your report is due."},
    )


@pytest.mark.django_db
def test_send_many_twice_gives_each_recipient_one_email(django_capture_on_commit_callbacks):
    """R-DL-3: the key is (kind, subject, deadline, recipient); a second run sends nothing."""
    org = factories.OrganisationFactory()
    users = factories.UserFactory.create_batch(3)
    with django_capture_on_commit_callbacks(execute=True):
        first = _send_many([*users, users[0]], org)  # a user listed twice is told once
        second = _send_many(users, org)
    assert len(first) == 3
    assert second == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    assert {n.dedup_key for n in first} == {
        f"foundation.test.reminder:{org.pk}:2026-03-01:{u.pk}" for u in users
    }
    assert all(n.about == org and n.recipient in users for n in first)


@pytest.mark.django_db
def test_send_many_a_new_deadline_is_a_new_reminder(django_capture_on_commit_callbacks):
    """R-DL-3: at most once per deadline — a moved deadline gets its own reminder."""
    org = factories.OrganisationFactory()
    user = factories.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _send_many([user], org, occasion="2026-03-01")
        again = _send_many([user], org, occasion="2026-03-08")
    assert len(again) == 1
    assert len(mail.outbox) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_send_many_run_twice_at_once_gives_each_recipient_one_email_on_postgres():
    """R-DL-3: two workers notify the same users at the same moment; each user gets one."""
    from django.db import transaction

    org = factories.OrganisationFactory()
    users = factories.UserFactory.create_batch(3)

    def worker():
        with transaction.atomic():
            created = _send_many(users, org)
            time.sleep(0.3)  # hold the transaction so that the other one's INSERTs wait
        return len(created)

    results = run_twice(worker)
    assert sorted(results) == [0, 3], results
    assert Notification.objects.filter(kind="foundation.test.reminder").count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
