"""The exchanges room's sections of the work queue (``cxc_portal.core.work_queue``).

Staff, scoped to their partnerships:

* accepted matches to encode as exchange drafts (R-EXC-6), for the partnerships where the user
  approves exchanges (VOP or HOP of the match), oldest acceptance first;
* drafts and what each is missing (R-EXC-2): the stay starting soonest first, due on its first
  day (a draft whose stay has begun can no longer be contracted: overdue). *Which* thing is
  missing is the exchange list's own one-line "waiting for" (``waiting.waiting_for``: the
  plan's hours, R-EXC-4, then the signatures, R-DOC-2 and R-DOC-3), computed on the shown rows
  only;
* contracted exchanges whose stay is over, to record as executed (R-EXC-2), oldest end first.

Support Office:

* extra activities to approve (R-EXC-4) in drafts, the stay starting soonest first.

Each section: a COUNT and a LIMITed SELECT on an indexed sort key (issue 12); the drafts'
"which" adds the exchange list's query on the shown ids (hours summed on those rows only) and
its prefetch.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxc_portal.accounts.roles import user_access
from cxc_portal.core.work_queue import (
    Audience,
    QueueItem,
    QueueRequest,
    QueueSlice,
    local_day,
    register_queue_section,
)
from partnerships.models import Match, MatchStatus

from .models import Activity, Exchange, ExchangeStatus
from .selectors import exchange_list
from .waiting import waiting_for


def _of_partnerships(ids) -> Q:
    return Q(vop_id__in=ids) | Q(hop_id__in=ids)


def _subject(row: dict) -> str:
    return f"{row['reference']} · {row['visitor__legal_name']} → {row['host__legal_name']}"


_ROW = ("pk", "reference", "visitor__legal_name", "host__legal_name", "start_date", "end_date")


def matches_to_encode(request: QueueRequest) -> QueueSlice | None:
    """R-EXC-6: confirmed matches of the user's partnerships (VOP or HOP, where they approve
    exchanges) with no exchange encoded yet."""
    partnerships = user_access(request.user).approver_partnerships
    if not partnerships:
        return None
    # ``encoded`` (kept by ``exchange_create``), not an anti-join over every exchange: the
    # partial indexes match_to_encode_vop/_hop hold exactly these rows (issue 12).
    waiting = Match.objects.filter(
        _of_partnerships(partnerships), status=MatchStatus.ACCEPTED, encoded=False
    ).order_by()
    count = waiting.count()
    rows = waiting.order_by("decided_at", "pk").values(
        "pk", "decided_at", "created_at", "visitor__legal_name", "host__legal_name"
    )[: request.limit]
    items = [
        QueueItem(
            what=_("Encode the exchange of a confirmed match"),
            subject=f"{row['visitor__legal_name']} → {row['host__legal_name']}",
            url=reverse("exchanges:create_from_match", kwargs={"match_id": row["pk"]}),
            since=local_day(row["decided_at"] or row["created_at"]),
        )
        for row in rows
    ]
    return QueueSlice(count, items)


def drafts_missing_something(request: QueueRequest) -> QueueSlice | None:
    """R-EXC-2: the drafts of the user's partnerships (VOP or HOP), the stay starting soonest
    first, each with what it waits for (R-EXC-4 hours, R-DOC-2 and R-DOC-3 signatures)."""
    partnerships = user_access(request.user).staff_partnerships
    if not partnerships:
        return None
    drafts = Exchange.objects.filter(
        _of_partnerships(partnerships), status=ExchangeStatus.DRAFT
    ).order_by()
    count = drafts.count()
    ids = list(drafts.order_by("start_date", "pk").values_list("pk", flat=True)[: request.limit])
    # The list's own query on the shown rows only: hours summed for these ids, signatures
    # prefetched once — so "which" is exactly the staff list's "waiting for".
    # Only the columns the item shows (the list's select_related loads five whole rows each).
    shown_rows = (
        exchange_list(user=request.user)
        .select_related(None)
        .select_related("visitor", "host")
        .only(
            "reference",
            "status",
            "start_date",
            "end_date",
            "visitor__legal_name",
            "host__legal_name",
        )
        .filter(pk__in=ids)
    )
    shown = {exchange.pk: exchange for exchange in shown_rows}
    items = []
    for pk in ids:
        exchange = shown.get(pk)
        if exchange is None:  # not visible after all: scoped twice, never shown unscoped
            continue
        items.append(
            QueueItem(
                what=_("Prepare the draft for contracting"),
                subject=f"{exchange.reference} · {exchange.visitor.legal_name} → "
                f"{exchange.host.legal_name}",
                url=reverse("exchanges:detail", kwargs={"pk": pk}),
                due=exchange.start_date,
                detail=_("Waiting for: %(what)s")
                % {"what": waiting_for(exchange, today=request.today)},
            )
        )
    return QueueSlice(count, items, reverse("exchanges:list") + "?status=draft")


def ended_to_record(request: QueueRequest) -> QueueSlice | None:
    """R-EXC-2: contracted exchanges of the user's partnerships (VOP or HOP, where they approve
    exchanges) whose last day has passed: staff record them as executed."""
    partnerships = user_access(request.user).approver_partnerships
    if not partnerships:
        return None
    ended = Exchange.objects.filter(
        _of_partnerships(partnerships),
        status=ExchangeStatus.CONTRACTED,
        end_date__lt=request.today,
    ).order_by()
    count = ended.count()
    rows = ended.order_by("end_date", "pk").values(*_ROW)[: request.limit]
    items = [
        QueueItem(
            what=_("Record the exchange as executed"),
            subject=_subject(row),
            url=reverse("exchanges:detail", kwargs={"pk": row["pk"]}),
            since=row["end_date"],
        )
        for row in rows
    ]
    return QueueSlice(count, items)


def extra_activities_to_approve(request: QueueRequest) -> QueueSlice | None:
    """R-EXC-4: extra activities proposed in drafts, waiting for the Support Office's approval
    (only then do they count towards the 24 hours); the stay starting soonest first."""
    waiting = Activity.objects.filter(
        is_extra=True, approved_at__isnull=True, exchange__status=ExchangeStatus.DRAFT
    ).order_by()
    count = waiting.count()
    rows = waiting.order_by("exchange__start_date", "pk").values(
        "pk",
        "title",
        "hours",
        "created_at",
        "exchange_id",
        "exchange__reference",
        "exchange__start_date",
    )[: request.limit]
    items = [
        QueueItem(
            what=_("Approve an extra activity"),
            subject=f"{row['exchange__reference']} · {row['title']} ({row['hours']} h)",
            url=reverse("exchanges:detail", kwargs={"pk": row["exchange_id"]}),
            since=local_day(row["created_at"]),
            due=row["exchange__start_date"],
        )
        for row in rows
    ]
    return QueueSlice(count, items)


def register() -> None:
    """Called once from ``ExchangesConfig.ready``."""
    register_queue_section(
        "exchanges.matches_to_encode",
        gettext_lazy("Accepted matches to encode"),
        matches_to_encode,
        audience=Audience.STAFF,
        order=25,
    )
    register_queue_section(
        "exchanges.drafts",
        gettext_lazy("Drafts missing something"),
        drafts_missing_something,
        audience=Audience.STAFF,
        order=30,
    )
    register_queue_section(
        "exchanges.ended_to_record",
        gettext_lazy("Stays ended, to record as executed"),
        ended_to_record,
        audience=Audience.STAFF,
        order=50,
    )
    register_queue_section(
        "exchanges.extra_activities",
        gettext_lazy("Extra activities to approve"),
        extra_activities_to_approve,
        audience=Audience.SUPPORT_OFFICE,
        order=100,
    )
