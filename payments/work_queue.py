"""The payments room's sections of the work queue (``cxc_portal.core.work_queue``).

Staff, scoped to their partnerships as VOP:

* evidence to check (R-PAY-4 (c)): exchanges with files pending review, for the partnerships
  where the user approves exchanges (``permissions_files.can_review_evidence``), the file
  waiting longest first;
* payments due this week or overdue (R-PAY-4, R-DL-2): for the partnerships where the user pays
  (``can_pay``), the earliest due date first, overdue ones marked.

Support Office: overdue payments across every partnership (R-DL-2 escalation), earliest first.

Each section: a COUNT and a LIMITed SELECT on an indexed sort key (issue 12).
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxc_portal.accounts.roles import user_access
from cxc_portal.core.work_queue import (
    Audience,
    QueueItem,
    QueueRequest,
    QueueSlice,
    register_queue_section,
)
from exchanges.models import Exchange, ExchangeStatus

from .models import Evidence, EvidenceStatus, Payment, PaymentStatus

#: "Due this week": due within this many days from today (or already overdue).
DUE_SOON_DAYS = 7


def evidence_to_check(request: QueueRequest) -> QueueSlice | None:
    """R-PAY-4 (c): exchanges of the user's partnerships as VOP with evidence pending review."""
    partnerships = user_access(request.user).approver_partnerships
    if not partnerships:
        return None
    pending = Evidence.objects.filter(
        status=EvidenceStatus.PENDING, exchange__vop_id__in=partnerships
    ).exclude(exchange__status=ExchangeStatus.CANCELLED)
    count = pending.order_by().values("exchange_id").distinct().count()
    rows = (
        Exchange.objects.filter(pk__in=pending.values("exchange_id"))
        .annotate(
            files=Count("evidence", filter=_pending_q()),
            oldest=Min("evidence__uploaded_at", filter=_pending_q()),
        )
        .order_by("oldest", "pk")
        .values("pk", "reference", "visitor__legal_name", "files", "oldest")[: request.limit]
    )
    items = [
        QueueItem(
            what=_("Check the evidence that the stay took place"),
            subject=f"{row['reference']} · {row['visitor__legal_name']}",
            url=reverse("payments:evidence", kwargs={"exchange_id": row["pk"]}),
            since=timezone.localdate(row["oldest"]),
            detail=_("%(n)s file(s) to review") % {"n": row["files"]},
        )
        for row in rows
    ]
    return QueueSlice(count, items)


def _pending_q() -> Q:
    return Q(evidence__status=EvidenceStatus.PENDING)


def _payment_items(rows, what: str) -> list[QueueItem]:
    return [
        QueueItem(
            what=what,
            subject=f"{row['exchange__reference']} · {row['exchange__visitor__legal_name']}"
            f" · {row['amount']} EUR · {row['exchange__vop__acronym']}",
            url=reverse("payments:payment_list") + "?status=due",
            due=row["due_date"],
        )
        for row in rows
    ]


_PAYMENT_ROW = (
    "pk",
    "amount",
    "due_date",
    "exchange__reference",
    "exchange__visitor__legal_name",
    "exchange__vop__acronym",
)


def payments_due(request: QueueRequest) -> QueueSlice | None:
    """R-PAY-4, R-DL-2: due payments of the partnerships the user pays for, due within
    ``DUE_SOON_DAYS`` days or overdue, the earliest due date first (the (status, due_date)
    index)."""
    partnerships = user_access(request.user).payment_partnerships
    if not partnerships:
        return None
    horizon = request.today + timedelta(days=DUE_SOON_DAYS)
    # The payment's own VOP: a range of the partial index ``payment_due_by_vop``.
    due = Payment.objects.filter(
        status=PaymentStatus.DUE, due_date__lte=horizon, vop_id__in=list(partnerships)
    ).order_by()
    count = due.count()
    rows = due.order_by("due_date", "pk").values(*_PAYMENT_ROW)[: request.limit]
    return QueueSlice(
        count,
        _payment_items(rows, _("Pay the lump sum")),
        reverse("payments:payment_list") + "?status=due",
    )


def payments_overdue_everywhere(request: QueueRequest) -> QueueSlice | None:
    """R-DL-2: every overdue payment of the programme, for the Support Office's follow-up."""
    overdue = Payment.objects.overdue(request.today).order_by()
    count = overdue.count()
    rows = overdue.order_by("due_date", "pk").values(*_PAYMENT_ROW)[: request.limit]
    return QueueSlice(
        count,
        _payment_items(rows, _("Follow up an overdue payment")),
        reverse("payments:payment_list") + "?status=overdue",
    )


def register() -> None:
    """Called once from ``PaymentsConfig.ready``."""
    register_queue_section(
        "payments.evidence_to_check",
        gettext_lazy("Evidence to check"),
        evidence_to_check,
        audience=Audience.STAFF,
        order=80,
    )
    register_queue_section(
        "payments.due",
        gettext_lazy("Payments due this week or overdue"),
        payments_due,
        audience=Audience.STAFF,
        order=90,
    )
    register_queue_section(
        "payments.overdue_everywhere",
        gettext_lazy("Overdue payments across partnerships"),
        payments_overdue_everywhere,
        audience=Audience.SUPPORT_OFFICE,
        order=140,
    )
