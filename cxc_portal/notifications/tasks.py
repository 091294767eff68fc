import logging
import smtplib

from celery import shared_task

from .models import Notification
from .services import notification_deliver

logger = logging.getLogger(__name__)


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def deliver_notification_task(*, notification_id: int) -> None:
    """Deliver one stored notification; retries only on temporary mail-server errors."""
    try:
        notification_deliver(notification_id=notification_id)
    except Notification.DoesNotExist:
        logger.warning("Notification %s vanished before delivery", notification_id)
