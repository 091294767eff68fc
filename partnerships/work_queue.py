"""The partnerships room's sections of the work queue (``cxc_portal.core.work_queue``).

* staff: expressions of interest to decide (R-PART-2), oldest first, for the partnerships the
  user works for (any staff member decides them: see ``permissions``);
* Support Office: EASME requests (R-ELIG-6): SME profiles that are no member of a validated
  cluster organisation, ask to host (an active expression of interest as host) and have no
  EASME pre-approval recorded yet.

(Accepted matches to encode are the exchanges room's: whether an exchange exists is its fact.)
Each section: a COUNT and a LIMITed SELECT on an indexed sort key (issue 12).
"""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef
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
from organisations.choices import OrganisationType, ParticipantRole, ProfileStatus
from organisations.models import EasmePreApproval, Organisation

from .models import ACTIVE_INTEREST_STATUSES, ExpressionOfInterest, InterestStatus
from .permissions import staff_partnership_ids


def interests_to_decide(request: QueueRequest) -> QueueSlice | None:
    """R-PART-2: submitted interests of the user's partnerships, waiting longest first."""
    partnerships = staff_partnership_ids(request.user)
    if not partnerships:
        return None
    waiting = ExpressionOfInterest.objects.filter(
        status=InterestStatus.SUBMITTED, partnership_id__in=partnerships
    ).order_by()
    count = waiting.count()
    rows = waiting.order_by("created_at", "pk").values(
        "pk", "role", "created_at", "organisation__legal_name", "partnership__acronym"
    )[: request.limit]
    roles = dict(ParticipantRole.choices)
    items = [
        QueueItem(
            what=_("Decide on an expression of interest as %(role)s")
            % {"role": str(roles.get(row["role"], row["role"])).lower()},
            subject=f"{row['organisation__legal_name']} → {row['partnership__acronym']}",
            url=reverse("partnerships:interest_detail", kwargs={"pk": row["pk"]}),
            since=local_day(row["created_at"]),
        )
        for row in rows
    ]
    return QueueSlice(count, items, reverse("partnerships:staff_inbox"))


def easme_requests(request: QueueRequest) -> QueueSlice | None:
    """R-ELIG-6: SMEs that are no cluster member (R-ELIG-4: no membership of a validated cluster
    organisation) and ask to host, without EASME's pre-approval recorded: the Support Office
    records it on the profile (or the SME cannot host). Oldest request first.

    Index-driven (issues 12 and 13), never a read of the organisations table or of every
    membership: membership is the fact kept on the row (``Organisation.in_validated_cluster``,
    R-ELIG-4), so the partial index ``organisation_easme_queue`` holds only the SMEs submitted
    or validated that are no cluster member, by ``submitted_at`` — a few thousand at programme
    scale. The count reads it with the EXISTS probes (``interest_active_host``, the
    pre-approvals); the rows walk it in order and stop at the first ``limit``. Its conditions
    must stay those of the index's predicate."""
    host_interest = ExpressionOfInterest.objects.filter(
        organisation=OuterRef("pk"),
        role=ParticipantRole.HOST,
        status__in=ACTIVE_INTEREST_STATUSES,
    )
    waiting = (
        Organisation.objects.filter(
            org_type=OrganisationType.SME,
            status__in=(ProfileStatus.SUBMITTED, ProfileStatus.VALIDATED),
            in_validated_cluster=False,
        )
        .filter(Exists(host_interest))
        .exclude(Exists(EasmePreApproval.objects.filter(organisation=OuterRef("pk"))))
        .order_by()
    )
    count = waiting.count()
    rows = waiting.order_by(F("submitted_at").asc(nulls_last=True), "pk").values(
        "pk", "legal_name", "country", "submitted_at"
    )[: request.limit]
    items = [
        QueueItem(
            what=_("Record EASME's pre-approval of a non-member SME as host"),
            subject=f"{row['legal_name']} ({row['country']})",
            url=reverse("organisations:easme", kwargs={"pk": row["pk"]}),
            since=local_day(row["submitted_at"]),
        )
        for row in rows
    ]
    return QueueSlice(count, items)


def register() -> None:
    """Called once from ``PartnershipsConfig.ready``."""
    register_queue_section(
        "partnerships.interests_to_decide",
        gettext_lazy("Expressions of interest to decide"),
        interests_to_decide,
        audience=Audience.STAFF,
        order=20,
    )
    register_queue_section(
        "partnerships.easme_requests",
        gettext_lazy("EASME requests"),
        easme_requests,
        audience=Audience.SUPPORT_OFFICE,
        order=110,
    )
