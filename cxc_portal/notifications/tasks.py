"""Thin tasks: ids in, the service does the work (and records every failure itself)."""

from celery import shared_task

from .services import notification_deliver, notifications_deliver_due


@shared_task
def deliver_notification_task(*, notification_id: int) -> None:
    """Deliver one stored notification, right after the transaction that created it."""
    notification_deliver(notification_id=notification_id)


@shared_task
def deliver_due_notifications_task() -> None:
    """The sweep (beat, every minute): retry failed e-mails whose back-off has passed."""
    notifications_deliver_due()
