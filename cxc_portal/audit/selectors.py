from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from .models import AuditEvent


def audit_event_list_for(*, subject: models.Model) -> QuerySet[AuditEvent]:
    """The events about one object, oldest first, with their actors (one query)."""
    return (
        AuditEvent.objects.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk)
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )
