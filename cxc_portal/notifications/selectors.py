from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet

from cxc_portal.accounts.roles import user_access, user_roles

from .models import Notification


def notification_list_about(*, about: models.Model) -> QuerySet[Notification]:
    """Notices about one object (for its timeline), oldest first, in one query."""
    return Notification.objects.filter(
        about_type=ContentType.objects.get_for_model(about), about_id=str(about.pk)
    ).order_by("created_at", "id")


def notification_ids_due(*, now: datetime, limit: int) -> list[int]:
    """Pending notices whose next attempt is due and that no worker holds, oldest first."""
    return list(
        Notification.objects.filter(sent_at__isnull=True, undeliverable_at__isnull=True)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )


def notification_list_undeliverable(*, user) -> QuerySet[Notification]:
    """The e-mails given up on, newest first: the Support Office's list (nothing for others)."""
    if not user_access(user).support_office:
        return Notification.objects.none()
    return Notification.objects.filter(undeliverable_at__isnull=False).order_by(
        "-undeliverable_at", "-id"
    )


def notification_get_for_support_office(*, user, pk: int) -> Notification:
    """One notice, for the Support Office only (``Notification.DoesNotExist`` for others)."""
    if not user_access(user).support_office:
        raise Notification.DoesNotExist
    return Notification.objects.get(pk=pk)


def notification_list_outbox(*, user) -> QuerySet[Notification]:
    """Every stored e-mail, newest first: the development outbox, for the people who run the
    scheme (staff, Support Office, superusers); nothing for others. The view also refuses the
    page outside development."""
    if not user_roles(user).is_staff_like:
        return Notification.objects.none()
    return Notification.objects.select_related("recipient").order_by("-created_at", "-id")
