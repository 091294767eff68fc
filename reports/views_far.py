"""Pages of the Final Activity Reports (R-DOC-4, R-DOC-6): fill in (save a draft, submit), read,
validate or return, download the PDF. Thin: the permissions of ``permissions_far`` decide, the
services of ``services_far`` act.

Anyone who may not read an exchange's documents gets a 404 on every one of these URLs (not even
whether the exchange or the report exists); a party or staff member who may read but not do the
thing asked gets a 403 with the reason.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxc_portal.core.downloads import private_file_response
from cxc_portal.core.refusals import apply_errors
from cxc_portal.core.uploads import PDF

from .far_rules import far_due_date, far_is_late, far_is_open
from .forms_far import FinalReportForm, ReturnForm
from .models import FinalReportSide, FinalReportStatus
from .permissions_far import (
    REVIEW_DENIED,
    WRITE_DENIED,
    can_review_far,
    can_see_far_section,
    can_write_far,
)
from .selectors_far import (
    far_data,
    far_exchange,
    far_get,
    far_objectives,
    far_readable,
    side_label,
)
from .services_far import far_return, far_save, far_url, far_validate


def _exchange(request, exchange_id: int, side: str):
    """The exchange, for a user who may read its documents; 404 for anyone else."""
    if side not in FinalReportSide.values:
        raise Http404
    exchange = far_exchange(exchange_id)
    if exchange is None or not can_see_far_section(request.user, exchange):
        raise Http404
    return exchange


def _readable(request, exchange_id: int, side: str):
    found = far_readable(user=request.user, exchange_id=exchange_id, side=side)
    if found is None:
        raise Http404
    return found


def _late(exchange, report, today) -> bool:
    first = report.first_submitted_at if report else None
    return far_is_late(
        end_date=exchange.end_date,
        first_submitted_on=timezone.localdate(first) if first else None,
        today=today,
    )


@login_required
def far_detail_view(request, exchange_id: int, side: str):
    """The answers of a submitted report (its authors also read their draft), with the
    validate and return buttons for the side's partnership."""
    exchange, report = _readable(request, exchange_id, side)
    today = timezone.localdate()
    return render(
        request,
        "reports/far/detail.html",
        {
            "exchange": exchange,
            "report": report,
            "side": side,
            "side_label": side_label(side),
            "doc": far_data(report, exchange),
            "due_date": far_due_date(exchange.end_date),
            "late": _late(exchange, report, today),
            "can_review": report.status == FinalReportStatus.SUBMITTED
            and can_review_far(request.user, exchange, side),
            "can_return": report.returned_count == 0,
            "can_edit": report.is_editable
            and can_write_far(request.user, exchange, side)
            and far_is_open(status=exchange.status, end_date=exchange.end_date, today=today),
            "return_form": ReturnForm(),
        },
    )


@login_required
def far_edit_view(request, exchange_id: int, side: str):
    """R-DOC-4: the questionnaire. "Save draft" keeps a draft (only over-long texts and scores
    outside 1–5 are refused); "Submit" needs every required answer. Bad input: the messages next
    to the fields, the input kept, nothing saved."""
    exchange = _exchange(request, exchange_id, side)
    if not can_write_far(request.user, exchange, side):
        raise PermissionDenied(WRITE_DENIED)
    today = timezone.localdate()
    report = far_get(exchange.pk, side)
    if report is not None and not report.is_editable:
        messages.info(request, _("This report is submitted: it can no longer be changed."))
        return redirect(far_url(exchange, side))
    is_open = far_is_open(status=exchange.status, end_date=exchange.end_date, today=today)
    activities = list(exchange.activities.all())
    objectives = far_objectives(exchange)
    submitting = request.method == "POST" and "submit" in request.POST
    form = FinalReportForm(
        request.POST if request.method == "POST" else None,
        side=side,
        objectives=objectives,
        activities=activities,
        report=report,
        submitting=submitting,
    )
    if request.method == "POST" and is_open and form.is_valid():
        try:
            far_save(
                actor=request.user,
                exchange=exchange,
                side=side,
                answers=form.answers(),
                submit=submitting,
                today=today,
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            if submitting:
                messages.success(
                    request,
                    _("Your report is submitted; your partnership has been asked to validate it."),
                )
                return redirect(far_url(exchange, side))
            messages.success(request, _("Your draft is saved. Submit it when it is complete."))
            return redirect(far_url(exchange, side, "far_edit"))
    return render(
        request,
        "reports/far/edit.html",
        {
            "exchange": exchange,
            "report": report,
            "side": side,
            "side_label": side_label(side),
            "form": form,
            "is_open": is_open,
            "due_date": far_due_date(exchange.end_date),
            "late": _late(exchange, report, today),
        },
        status=200,
    )


def _reviewable(request, exchange_id: int, side: str):
    exchange = _exchange(request, exchange_id, side)
    if not can_review_far(request.user, exchange, side):
        raise PermissionDenied(REVIEW_DENIED)
    return exchange


@login_required
@require_POST
def far_validate_view(request, exchange_id: int, side: str):
    """R-DOC-6: validate a submitted report (the VOP the visitor's, the HOP the host's)."""
    exchange = _reviewable(request, exchange_id, side)
    try:
        far_validate(actor=request.user, exchange=exchange, side=side)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The report is validated."))
    return redirect(far_url(exchange, side))


@login_required
def far_return_view(request, exchange_id: int, side: str):
    """R-DOC-6: return a submitted report once, with a comment (required)."""
    exchange = _reviewable(request, exchange_id, side)
    report = far_get(exchange.pk, side)
    if report is None or report.status != FinalReportStatus.SUBMITTED:
        raise Http404
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            far_return(
                actor=request.user,
                exchange=exchange,
                side=side,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("The report is returned to its authors for a correction."))
            return redirect(far_url(exchange, side))
    return render(
        request,
        "reports/far/return.html",
        {
            "exchange": exchange,
            "report": report,
            "side": side,
            "side_label": side_label(side),
            "form": form,
        },
    )


@login_required
def far_download_view(request, exchange_id: int, side: str):
    """The PDF of the last submission, to those who may read the report; never a media URL."""
    exchange, report = _readable(request, exchange_id, side)
    if not report.file:
        raise Http404("The PDF is being prepared.")
    return private_file_response(
        allowed=True,
        name=report.file,
        content_type=PDF,
        download_name=f"{exchange.reference}-FAR-annex-{report.annex}.pdf",
    )
