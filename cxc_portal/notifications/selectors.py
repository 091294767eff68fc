from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from .models import Notification


def notification_list_about(*, about: models.Model) -> QuerySet[Notification]:
    """Notices about one object (for its timeline), oldest first, in one query."""
    return Notification.objects.filter(
        about_type=ContentType.objects.get_for_model(about), about_id=str(about.pk)
    ).order_by("created_at", "id")
