"""Writing the audit log. Every service that changes data calls ``record`` in its transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from .models import AuditEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cxc_portal.accounts.models import User


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    # Dates, Decimals and UUIDs become strings exactly as Django serialises them.
    import json

    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def record(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    subject: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event. ``action`` is a dotted code: ``<app>.<noun>.<verb-past>``."""
    if action.count(".") < 2:
        raise ValueError(f"Audit action codes are dotted (app.noun.verb): {action!r}")
    event = AuditEvent(
        actor=cast("User", actor) if getattr(actor, "is_authenticated", False) else None,
        action=action,
        data=_jsonable(data or {}),
    )
    if subject is not None:
        event.subject_type = ContentType.objects.get_for_model(subject)
        event.subject_id = str(subject.pk)
        event.subject_repr = str(subject)[:255]
    event.save()
    return event
