"""The organisations room's sections of the work queue (``cxc_portal.core.work_queue``).

* staff: submitted profiles to validate (R-ELIG-5), oldest submission first, with the days they
  have waited — for the partnerships where the user validates profiles.

(The Support Office's EASME requests need the expressions of interest: ``partnerships``.)

Each section: a COUNT and a LIMITed SELECT on an indexed sort key (issue 12).
"""

from __future__ import annotations

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxc_portal.core.work_queue import (
    Audience,
    QueueItem,
    QueueRequest,
    QueueSlice,
    local_day,
    register_queue_section,
)

from .choices import ProfileStatus
from .models import Organisation
from .permissions import represented_organisation_ids, staff_partnership_ids


def profiles_to_validate(request: QueueRequest) -> QueueSlice | None:
    """R-ELIG-5: submitted profiles of the partnerships where ``user`` validates, oldest
    submission first (the order of ``organisation_queue_next``), not their own organisation."""
    partnerships = staff_partnership_ids(request.user, validators_only=True)
    if not partnerships:
        return None
    waiting = (
        Organisation.objects.filter(
            status=ProfileStatus.SUBMITTED, validating_partnership_id__in=partnerships
        )
        .exclude(pk__in=represented_organisation_ids(request.user))
        .order_by()
    )
    count = waiting.count()
    rows = waiting.order_by(F("submitted_at").asc(nulls_last=True), "pk").values(
        "pk", "legal_name", "country", "submitted_at"
    )[: request.limit]
    items = [
        QueueItem(
            what=_("Validate the profile"),
            subject=f"{row['legal_name']} ({row['country']})",
            url=reverse("organisations:detail", kwargs={"pk": row["pk"]}),
            since=local_day(row["submitted_at"]),
        )
        for row in rows
    ]
    return QueueSlice(count, items, reverse("organisations:staff_queue") + "?status=submitted")


def register() -> None:
    """Called once from ``OrganisationsConfig.ready``."""
    register_queue_section(
        "organisations.profiles_to_validate",
        gettext_lazy("Profiles to validate"),
        profiles_to_validate,
        audience=Audience.STAFF,
        order=10,
    )
