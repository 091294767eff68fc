"""Reads of the Final Activity Reports (R-DOC-4, R-DOC-6, R-DL-1).

:func:`far_data` is the **one** reading of a report's answers: the read page and the PDF render
its plain, JSON-ready value. :func:`far_cards` is what the exchange page's section shows, scoped
to the user (what they may open, fill in or review). :func:`far_deadline_candidates` is the
daily scan of the reminder task.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from exchanges.models import Activity, Exchange
from organisations.models import Representative, RepresentativeStatus
from partnerships.models import PartnershipStaff

from .far_rules import (
    FAR_DUE_DAYS,
    FAR_OPEN_STATES,
    far_due_date,
    far_is_late,
    far_is_open,
    objective_list,
)
from .models import FinalReport, FinalReportSide, FinalReportStatus
from .permissions_far import (
    can_read_far,
    can_review_far,
    can_write_far,
    side_organisation_id,
    side_partnership_id,
)

#: R-DL-1: how far back the daily scan looks for reports whose due date passed (a beat that was
#: down for a while still sends the overdue notices; older ones were sent long ago).
FAR_SCAN_CATCH_UP_DAYS = 30


def far_exchange(exchange_id: int) -> Exchange | None:
    """The exchange a report page shows, with its parties and action plan (permissions are
    checked by the caller)."""
    return (
        Exchange.objects.select_related("visitor", "host", "vop", "hop")
        .prefetch_related(
            Prefetch("activities", queryset=Activity.objects.order_by("date", "id")),
        )
        .filter(pk=exchange_id)
        .first()
    )


def far_reports(exchange_id: int) -> dict[str, FinalReport]:
    """Both reports of an exchange that exist, by side (one query)."""
    return {
        report.side: report
        for report in FinalReport.objects.filter(exchange_id=exchange_id).select_related(
            "submitted_by", "decided_by"
        )
    }


def far_get(exchange_id: int, side: str) -> FinalReport | None:
    return (
        FinalReport.objects.select_related("submitted_by", "decided_by")
        .filter(exchange_id=exchange_id, side=side)
        .first()
    )


def far_readable(*, user: Any, exchange_id: int, side: str) -> tuple[Exchange, FinalReport] | None:
    """The exchange and its ``side`` report as ``user`` may read them, or ``None`` (the view
    answers 404): the parties, their partnerships' staff and the Support Office once submitted,
    only its authors while a draft (``permissions_far.can_read_far``). Two queries."""
    if side not in FinalReportSide.values:
        return None
    exchange = far_exchange(exchange_id)
    if exchange is None:
        return None
    report = far_get(exchange.pk, side)
    if report is None or not can_read_far(user, exchange, side, report):
        return None
    return exchange, report


def far_by_file_hash(sha256: str):
    """The submitted reports whose PDF has this SHA-256 (for a verify page)."""
    return (
        FinalReport.objects.select_related("exchange")
        .filter(sha256=sha256.lower())
        .exclude(sha256="")
    )


def side_label(side: str) -> str:
    return str(FinalReportSide(side).label)


@dataclass(frozen=True)
class FarCard:
    """One side's report as the exchange page shows it to one user."""

    side: str
    label: str
    report: FinalReport | None
    due_date: date
    late: bool
    open: bool
    can_write: bool
    can_review: bool
    can_read: bool

    @property
    def status(self) -> str:
        return self.report.status if self.report else "not_started"

    @property
    def status_label(self) -> str:
        if self.report is None:
            return _("Not started")
        return str(self.report.get_status_display())

    @property
    def awaiting_review(self) -> bool:
        return self.report is not None and self.report.status == FinalReportStatus.SUBMITTED


def far_cards(*, user: Any, exchange: Exchange, today: date) -> list[FarCard]:
    """R-DOC-4, R-DOC-6: the visitor's then the host's report of ``exchange`` for ``user``: its
    status, due date, whether it is late, and what the user may do with it (one query)."""
    reports = far_reports(exchange.pk)
    due = far_due_date(exchange.end_date)
    is_open = far_is_open(status=exchange.status, end_date=exchange.end_date, today=today)
    cards = []
    for side in (FinalReportSide.VISITOR, FinalReportSide.HOST):
        report = reports.get(side)
        first = report.first_submitted_at if report else None
        cards.append(
            FarCard(
                side=side.value,
                label=side_label(side),
                report=report,
                due_date=due,
                late=exchange.status in FAR_OPEN_STATES
                and far_is_late(
                    end_date=exchange.end_date,
                    first_submitted_on=timezone.localdate(first) if first else None,
                    today=today,
                ),
                open=is_open,
                can_write=is_open
                and can_write_far(user, exchange, side)
                and (report is None or report.is_editable),
                can_review=report is not None
                and report.status == FinalReportStatus.SUBMITTED
                and can_review_far(user, exchange, side),
                can_read=can_read_far(user, exchange, side, report),
            )
        )
    return cards


# --- the answers, as the read page and the PDF show them -----------------------------------------


def _yes_no(value: bool | None) -> str:
    if value is None:
        return "—"
    return _("Yes") if value else _("No")


def _score(value: int | None) -> str:
    return "—" if value is None else f"{value} / 5"


def far_data(report: FinalReport, exchange: Exchange) -> dict[str, Any]:
    """R-DOC-4: the plain content of one report (Annex 2 or 3) — the questions with the answers
    given — for the read page and the PDF. ``exchange`` should come from :func:`far_exchange`
    (its activities prefetched)."""
    host = report.side == FinalReportSide.HOST
    counterpart = exchange.visitor if host else exchange.host
    own = exchange.host if host else exchange.visitor
    partnership = exchange.hop if host else exchange.vop
    done = set(report.activities_done or [])
    annex = report.annex
    return {
        "kind": "FAR",
        "title": _("Final Activity Report — Annex %(annex)d (%(side)s)")
        % {"annex": annex, "side": _("host") if host else _("visitor")},
        "reference": exchange.reference,
        "side": report.side,
        "annex": annex,
        "organisation": own.legal_name,
        "counterpart": counterpart.legal_name,
        "partnership": f"{partnership.name} ({partnership.acronym})",
        "start_date": exchange.start_date.isoformat(),
        "end_date": exchange.end_date.isoformat(),
        "due_date": far_due_date(exchange.end_date).isoformat(),
        "objectives": [
            {"objective": str(item.get("objective", "")), "score": _score(item.get("score"))}
            for item in (report.objective_scores or [])
        ],
        "activities": [
            {
                "date": activity.date.isoformat(),
                "title": activity.title,
                "done": _yes_no(activity.pk in done),
            }
            for activity in exchange.activities.all()
        ],
        "answers": [
            {"question": _("Were results achieved?"), "answer": _yes_no(report.results_achieved)},
            {"question": _("Which results?"), "answer": report.results_text or "—"},
            {
                "question": _("Did new collaborations start?"),
                "answer": _yes_no(report.collaborations),
            },
            {"question": _("Which collaborations?"), "answer": report.collaborations_text or "—"},
            {"question": _("Follow-up plans"), "answer": report.follow_up or "—"},
            {
                "question": _("Satisfaction with the visitor")
                if host
                else _("Satisfaction with the host"),
                "answer": _score(report.satisfaction_counterpart),
            },
            {
                "question": _("Satisfaction with your partnership"),
                "answer": _score(report.satisfaction_partnership),
            },
            {"question": _("Overall satisfaction"), "answer": _score(report.satisfaction_overall)},
            {
                "question": _("Would you recommend ClusterXchange?"),
                "answer": _yes_no(report.would_recommend),
            },
            {"question": _("Comments"), "answer": report.comments or "—"},
        ],
        "submitted_at": report.submitted_at.isoformat() if report.submitted_at else "",
        "submitted_by": (
            (report.submitted_by.get_full_name() or report.submitted_by.email)
            if report.submitted_by
            else ""
        ),
    }


def far_objectives(exchange: Exchange) -> list[str]:
    """R-DOC-4: the objectives a report scores (the CTQ's, one per line)."""
    return objective_list(exchange.objectives)


# --- who is told ---------------------------------------------------------------------------------


def far_author_users(*, exchange: Exchange, side: str) -> list:
    """The active representatives of the side's organisation (the report's authors)."""
    reps = Representative.objects.filter(
        organisation_id=side_organisation_id(exchange, side), status=RepresentativeStatus.ACTIVE
    ).select_related("user")
    return [rep.user for rep in reps if rep.user.is_active]


def far_reviewer_users(*, exchange: Exchange, side: str) -> list:
    """The side's partnership's staff who may approve exchanges (who validate or return it)."""
    rows = PartnershipStaff.objects.filter(
        partnership_id=side_partnership_id(exchange, side), can_approve_exchanges=True
    ).select_related("user")
    return [row.user for row in rows if row.user.is_active]


def far_partnership_users(*, exchange: Exchange, side: str) -> list:
    """Every active staff member of the side's partnership (told when a report is overdue)."""
    rows = PartnershipStaff.objects.filter(
        partnership_id=side_partnership_id(exchange, side)
    ).select_related("user")
    return [row.user for row in rows if row.user.is_active]


# --- the daily scan (R-DL-1) ---------------------------------------------------------------------


def far_deadline_candidates(*, today: date) -> list[tuple[int, str]]:
    """R-DL-1: the (exchange id, side) pairs whose report may need a reminder or an overdue
    notice today: an exchange in an open state whose due date is at most
    ``CXC_FAR_REMINDER_DAYS`` ahead (and passed at most ``FAR_SCAN_CATCH_UP_DAYS`` ago), and a
    report never submitted. Two queries; the service re-checks each pair."""
    reminder_days = settings.CXC_FAR_REMINDER_DAYS
    latest_end = today + timedelta(days=reminder_days) - timedelta(days=FAR_DUE_DAYS)
    earliest_end = today - timedelta(days=FAR_SCAN_CATCH_UP_DAYS + FAR_DUE_DAYS)
    exchange_ids = list(
        Exchange.objects.filter(
            status__in=FAR_OPEN_STATES, end_date__lte=latest_end, end_date__gte=earliest_end
        )
        .order_by("end_date", "id")
        .values_list("id", flat=True)
    )
    submitted = set(
        FinalReport.objects.filter(
            exchange_id__in=exchange_ids, first_submitted_at__isnull=False
        ).values_list("exchange_id", "side")
    )
    return [
        (pk, side)
        for pk in exchange_ids
        for side in FinalReportSide.values
        if (pk, side) not in submitted
    ]
