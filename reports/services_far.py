"""Writes of the Final Activity Reports (R-DOC-4, R-DOC-6, R-PAY-4, R-PAY-7, R-DL-1, R-DL-3).

- :func:`far_save`: a side's representatives save a draft, or submit (final until returned);
- :func:`far_validate` / :func:`far_return`: that side's partnership validates it, or returns
  it **once** with a comment for a correction (R-DOC-6); the visitor's validated report is
  R-PAY-4 (a)+(b), so validating it may close the exchange by itself (R-PAY-7);
- :func:`far_render`: the PDF of a submission (Celery task ``render_far_task``, queued on commit);
- :func:`far_deadline_notify`: the daily reminder and overdue notice (R-DL-1), each at most once
  per (report, kind, recipient) by the notification key (R-DL-3).

Every change locks the exchange row, then the report (always in that order), re-checks, saves
with ``update_fields``, audits (subject: the exchange, so it is on its timeline) and e-mails
after commit.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML

from cxc_portal.audit.services import record
from cxc_portal.core.queue import enqueue_on_commit
from cxc_portal.core.refusals import Refusal, raise_if_refused
from cxc_portal.notifications.services import notification_send_many
from exchanges.models import Exchange
from exchanges.services import transitions as exchange_transitions
from exchanges.services.report_facts import exchange_report_submitted

from .far_rules import (
    FAR_MAX_RETURNS,
    Answers,
    answer_refusals,
    far_due_date,
    far_is_open,
    return_comment_refusals,
)
from .models import FinalReport, FinalReportSide, FinalReportStatus
from .permissions_far import REVIEW_DENIED, WRITE_DENIED, can_review_far, can_write_far
from .rendering import LocalOnlyFetcher, fonts_dir
from .selectors import data_hash
from .selectors_far import (
    far_author_users,
    far_data,
    far_exchange,
    far_objectives,
    far_partnership_users,
    far_reviewer_users,
    side_label,
)

REMINDER = "reports.far.reminder"
OVERDUE = "reports.far.overdue"


def _today(today: date | None) -> date:
    return today if today is not None else timezone.localdate()


def _lock_exchange(pk: int) -> Exchange:
    return (
        Exchange.objects.select_related("visitor", "host", "vop", "hop")
        .select_for_update(of=("self",))
        .get(pk=pk)
    )


def _side(side: str) -> str:
    if side not in FinalReportSide.values:
        raise ValueError(f"Unknown report side {side!r}.")
    return side


def far_url(exchange: Exchange, side: str, name: str = "far_detail") -> str:
    return reverse(f"reports:{name}", kwargs={"exchange_id": exchange.pk, "side": side})


def _audit(actor: Any, action: str, exchange: Exchange, side: str, **data: Any) -> None:
    # Subject: the exchange, so the event shows on its timeline; "name" is its one-line summary.
    record(
        actor=actor,
        action=action,
        subject=exchange,
        data={"name": side_label(side), "side": side, **data},
    )


def _context(
    exchange: Exchange, side: str, report: FinalReport | None = None, *, url: str = ""
) -> dict[str, Any]:
    return {
        "exchange": exchange,
        "report": report,
        "side_label": side_label(side),
        "due_date": far_due_date(exchange.end_date),
        "url": url or far_url(exchange, side),
    }


def _activity_ids(exchange: Exchange) -> set[int]:
    return set(exchange.activities.values_list("pk", flat=True))


def _apply(report: FinalReport, answers: Answers, objectives: list[str]) -> list[str]:
    scores = list(answers.objective_scores)
    scores += [None] * (len(objectives) - len(scores))
    report.objective_scores = [
        {"objective": objective, "score": score}
        for objective, score in zip(objectives, scores, strict=False)
    ]
    report.activities_done = sorted(set(answers.activities_done))
    fields = ["objective_scores", "activities_done"]
    for name in (
        "results_achieved",
        "results_text",
        "collaborations",
        "collaborations_text",
        "follow_up",
        "satisfaction_counterpart",
        "satisfaction_partnership",
        "satisfaction_overall",
        "would_recommend",
        "comments",
    ):
        value = getattr(answers, name)
        setattr(report, name, value.strip() if isinstance(value, str) else value)
        fields.append(name)
    return fields


def far_save(
    *,
    actor: Any,
    exchange: Exchange | int,
    side: str,
    answers: Answers,
    submit: bool,
    today: date | None = None,
) -> FinalReport:
    """R-DOC-4: save the side's answers as a draft (``submit=False``) or submit them.

    By the side's active representatives only, from the last day of the stay of a contracted,
    executed or closed exchange (``far_rules.far_is_open``), while the report is a draft or was
    returned for a correction (R-DOC-6). Bad answers (a score outside 1–5, an over-long text;
    at submission also a missing answer) raise one ``ValidationError`` keyed by form field and
    save nothing. A submission stamps the time, queues the PDF and tells that side's partnership
    staff that a report awaits their validation.
    """
    side = _side(side)
    today = _today(today)
    pk = exchange if isinstance(exchange, int) else exchange.pk
    with transaction.atomic():
        locked = _lock_exchange(pk)
        if not can_write_far(actor, locked, side):
            raise PermissionDenied(WRITE_DENIED)
        if not far_is_open(status=locked.status, end_date=locked.end_date, today=today):
            raise_if_refused(
                [
                    Refusal(
                        "R-DOC-4",
                        _(
                            "The final activity report is filled in from the last day of the "
                            "stay of a contracted exchange."
                        ),
                    )
                ]
            )
        report = FinalReport.objects.select_for_update().filter(exchange=locked, side=side).first()
        # Re-checked under the lock: a colleague may have submitted it a moment ago.
        if report is not None and not report.is_editable:
            raise_if_refused(
                [
                    Refusal(
                        "R-DOC-4",
                        _("This report is already %(status)s: it can no longer be changed.")
                        % {"status": report.get_status_display().lower()},
                    )
                ]
            )
        objectives = far_objectives(locked)
        raise_if_refused(
            answer_refusals(
                answers,
                objectives=objectives,
                activity_ids=_activity_ids(locked),
                complete=submit,
            )
        )
        created = report is None
        if report is None:
            report = FinalReport(exchange=locked, side=side, created_by=actor)
        fields = _apply(report, answers, objectives)
        if created:
            report.save()
            _audit(actor, "reports.far.drafted", locked, side)
        now = timezone.now()
        if submit:
            report.status = FinalReportStatus.SUBMITTED
            report.submitted_at = now
            report.first_submitted_at = report.first_submitted_at or now
            report.submitted_by = actor
            report.decided_at = None
            report.decided_by = None
            report.file, report.sha256, report.size, report.rendered_at = "", "", 0, None
            # A new submission's PDF gets a fresh series of attempts (PdfWork).
            fields += report.pdf_work_reset()
            fields += [
                "status",
                "submitted_at",
                "first_submitted_at",
                "submitted_by",
                "decided_at",
                "decided_by",
                "file",
                "sha256",
                "size",
                "rendered_at",
            ]
        if not created or submit:
            report.save(update_fields=[*fields, "updated_at"])
        if submit:
            # R-DOC-4: the exchange's "report in" fact (set once, never unset), in this
            # transaction: what the work queues' overdue sections read.
            exchange_report_submitted(
                exchange=locked, side=side, at=report.first_submitted_at or now
            )
        if submit:
            _audit(
                actor, "reports.far.submitted", locked, side, resubmission=report.returned_count > 0
            )
            notification_send_many(
                recipients=far_reviewer_users(exchange=locked, side=side),
                kind="reports.far.submitted",
                about=locked,
                occasion=f"{side}:{now.isoformat()}",
                template="reports/far/email/submitted",
                context=_context(locked, side, report),
            )
            report_id = report.pk
            from .tasks import render_far_task

            enqueue_on_commit(render_far_task, report_id=report_id)
    return report


def _lock_for_review(actor: Any, exchange_id: int, side: str) -> tuple[Exchange, FinalReport]:
    locked = _lock_exchange(exchange_id)
    if not can_review_far(actor, locked, side):
        raise PermissionDenied(REVIEW_DENIED)
    report = FinalReport.objects.select_for_update().filter(exchange=locked, side=side).first()
    # Re-checked under the lock: a colleague may have decided on it a moment ago.
    if report is None or report.status != FinalReportStatus.SUBMITTED:
        status = report.get_status_display().lower() if report else _("not submitted")
        raise_if_refused(
            [
                Refusal(
                    "R-DOC-6",
                    _("Only a submitted report is validated or returned; this one is %(s)s.")
                    % {"s": status},
                )
            ]
        )
    assert report is not None
    return locked, report


def far_validate(
    *, actor: Any, exchange: Exchange | int, side: str, today: date | None = None
) -> FinalReport:
    """R-DOC-6: the side's partnership validates its submitted report (the VOP the visitor's,
    the HOP the host's); the authors are told after commit.

    R-PAY-4 (a)+(b), R-PAY-7: the visitor's validated report is a closing condition, so when it
    was the last one missing the exchange closes by itself in the same transaction
    (``exchange_close_if_ready``), ``actor`` as the closer."""
    side = _side(side)
    pk = exchange if isinstance(exchange, int) else exchange.pk
    with transaction.atomic():
        locked, report = _lock_for_review(actor, pk, side)
        report.status = FinalReportStatus.VALIDATED
        report.decided_at = timezone.now()
        report.decided_by = actor
        report.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
        _audit(actor, "reports.far.validated", locked, side)
        notification_send_many(
            recipients=far_author_users(exchange=locked, side=side),
            kind="reports.far.validated",
            about=locked,
            occasion=side,
            template="reports/far/email/validated",
            context=_context(locked, side, report),
        )
        if side == FinalReportSide.VISITOR:
            exchange_transitions.exchange_close_if_ready(
                exchange=locked, actor=actor, today=_today(today)
            )
    return report


def far_return(*, actor: Any, exchange: Exchange | int, side: str, comment: str) -> FinalReport:
    """R-DOC-6: the side's partnership returns a submitted report **once**, with a comment
    saying what to correct (required); the authors are told after commit and may edit and
    submit it again. A second return is refused: the report is then validated as it stands."""
    side = _side(side)
    raise_if_refused(return_comment_refusals(comment))
    comment = comment.strip()
    pk = exchange if isinstance(exchange, int) else exchange.pk
    with transaction.atomic():
        locked, report = _lock_for_review(actor, pk, side)
        if report.returned_count >= FAR_MAX_RETURNS:
            raise_if_refused(
                [
                    Refusal(
                        "R-DOC-6",
                        _(
                            "This report was already returned once for a correction; it can "
                            "only be validated now."
                        ),
                        "comment",
                    )
                ]
            )
        report.status = FinalReportStatus.RETURNED
        report.returned_count += 1
        report.return_comment = comment
        report.decided_at = timezone.now()
        report.decided_by = actor
        report.save(
            update_fields=[
                "status",
                "returned_count",
                "return_comment",
                "decided_at",
                "decided_by",
                "updated_at",
            ]
        )
        _audit(actor, "reports.far.returned", locked, side, comment=comment)
        notification_send_many(
            recipients=far_author_users(exchange=locked, side=side),
            kind="reports.far.returned",
            about=locked,
            occasion=side,
            template="reports/far/email/returned",
            context={
                **_context(locked, side, report, url=far_url(locked, side, "far_edit")),
                "comment": comment,
            },
        )
    return report


# --- the PDF (R-DOC-5) ---------------------------------------------------------------------------


def far_render_pdf(*, data: dict[str, Any], version: int, generated_at, digest: str) -> bytes:
    """The PDF of one report: ``templates/reports/pdf/far.html`` on the documents' base (running
    header, page numbers, the data's SHA-256 in the footer), bundled fonts only."""
    html = render_to_string(
        "reports/pdf/far.html",
        {
            "doc": data,
            "version": version,
            "generated_at": generated_at,
            "data_hash": digest,
            "fonts_url": fonts_dir().as_uri(),
        },
    )
    return HTML(
        string=html, base_url=fonts_dir().as_uri() + "/", url_fetcher=LocalOnlyFetcher()
    ).write_pdf()


def far_render(*, report_id: int) -> bool:
    """Render a submitted report to PDF and store it in private storage with its SHA-256; True
    when it did. Skips a report that is not awaiting its PDF any more (a second worker rendered
    it, or it changed meanwhile): the slow rendering runs outside the transaction, the stamp
    under the row lock after a re-check of the submission time."""
    report = FinalReport.objects.filter(pk=report_id).first()
    if report is None or report.status == FinalReportStatus.DRAFT or report.file:
        return False
    exchange = far_exchange(report.exchange_id)
    assert exchange is not None
    data = far_data(report, exchange)
    generated_at = timezone.now()
    version = 1 + report.returned_count
    pdf = far_render_pdf(
        data=data, version=version, generated_at=generated_at, digest=data_hash(data)
    )
    name = (
        f"documents/{exchange.reference}/FAR-{report.side}-v{version}-"
        f"{secrets.token_urlsafe(12)}.pdf"
    )
    with transaction.atomic():
        locked = FinalReport.objects.select_for_update().get(pk=report_id)
        if locked.file or locked.submitted_at != report.submitted_at:
            return False
        locked.file = default_storage.save(name, ContentFile(pdf))
        locked.sha256 = hashlib.sha256(pdf).hexdigest()
        locked.size = len(pdf)
        locked.rendered_at = generated_at
        reset = locked.pdf_work_reset()
        locked.save(update_fields=["file", "sha256", "size", "rendered_at", *reset])
        record(
            actor=None,
            action="reports.far.rendered",
            subject=locked,
            data={"side": locked.side, "sha256": locked.sha256},
        )
    return True


# --- reminders (R-DL-1, R-DL-3) ------------------------------------------------------------------


def far_deadline_notify(*, exchange_id: int, side: str, today: date) -> int:
    """R-DL-1: while the side's report was never submitted, remind its representatives
    ``CXC_FAR_REMINDER_DAYS`` days before the due date (and until it); once the due date has
    passed, tell them and their partnership's staff that it is overdue.

    R-DL-3: each notice at most once per (report, kind, recipient) whatever the retries or
    duplicate workers: ``notification_send_many``'s key holds the kind, the exchange, the side
    and its due date, and the recipient, and is unique in the database. The notices are about
    the exchange: they show on its timeline. Returns how many were created now."""
    side = _side(side)
    exchange = Exchange.objects.select_related("visitor", "host", "vop", "hop").get(pk=exchange_id)
    report = FinalReport.objects.filter(exchange=exchange, side=side).first()
    # Re-checked on the fresh rows: it may have been submitted since the scan listed it.
    if report is not None and report.first_submitted_at is not None:
        return 0
    if not far_is_open(status=exchange.status, end_date=exchange.end_date, today=today):
        return 0
    due = far_due_date(exchange.end_date)
    if today > due:
        kind, template = OVERDUE, "reports/far/email/overdue"
        url = reverse("exchanges:detail", kwargs={"pk": exchange.pk})
        recipients = far_author_users(exchange=exchange, side=side) + far_partnership_users(
            exchange=exchange, side=side
        )
    elif today >= due - timedelta(days=settings.CXC_FAR_REMINDER_DAYS):
        kind, template = REMINDER, "reports/far/email/reminder"
        url = far_url(exchange, side, "far_edit")
        recipients = far_author_users(exchange=exchange, side=side)
    else:
        return 0
    created = notification_send_many(
        recipients=recipients,
        kind=kind,
        about=exchange,
        occasion=f"{side}:{due.isoformat()}",
        template=template,
        context=_context(exchange, side, report, url=url),
    )
    return len(created)
