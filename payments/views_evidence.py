"""The evidence page of an exchange (R-PAY-4 (c)): the visitor uploads, the VOP accepts or
rejects each file, and files are downloaded only through a permission-checked view."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cxc_portal.core.downloads import private_file_response
from cxc_portal.core.refusals import apply_errors

from .forms_files import EvidenceAcceptForm, EvidenceRejectForm, EvidenceUploadForm
from .models import EvidenceStatus
from .permissions_files import DENIALS, can_review_evidence, can_view_evidence
from .selectors_files import EvidencePage, evidence_get, evidence_page_get
from .services_evidence import (
    evidence_accept,
    evidence_reject,
    evidence_state_refusals,
    evidence_upload,
)


def _render(request, page: EvidencePage, *, upload_form=None, bound: dict | None = None):
    """The page; ``bound`` holds the one review form posted with errors, by evidence id."""
    bound = bound or {}
    rows = []
    for item in page.files:
        review = page.can_review and item.status == EvidenceStatus.PENDING
        rows.append(
            {
                "evidence": item,
                "review": review,
                "accept_form": (
                    bound.get(("accept", item.pk), EvidenceAcceptForm(prefix=f"a{item.pk}"))
                    if review
                    else None
                ),
                "reject_form": (
                    bound.get(("reject", item.pk), EvidenceRejectForm(prefix=f"r{item.pk}"))
                    if review
                    else None
                ),
            }
        )
    closed_reasons = evidence_state_refusals(page.exchange)
    if page.can_upload and upload_form is None and not closed_reasons:
        upload_form = EvidenceUploadForm()
    return render(
        request,
        "payments/evidence/page.html",
        {
            "page": page,
            "exchange": page.exchange,
            "rows": rows,
            "upload_form": upload_form,
            "closed_reasons": closed_reasons,
        },
        status=400 if bound or (upload_form is not None and upload_form.errors) else 200,
    )


@login_required
def evidence_page(request, exchange_id: int):
    """R-PAY-4 (c): the exchange's evidence; a POST is an upload by the visitor."""
    page = evidence_page_get(user=request.user, exchange_id=exchange_id)
    if request.method != "POST":
        return _render(request, page)
    if not page.can_upload:
        raise PermissionDenied(DENIALS["evidence_upload"])
    form = EvidenceUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            evidence_upload(
                actor=request.user,
                exchange=page.exchange,
                file=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("The file is uploaded; the partnership will review it."))
            return redirect("payments:evidence", exchange_id=page.exchange.pk)
    return _render(request, page, upload_form=form)


def _review(request, pk: int, decision: str):
    evidence = evidence_get(user=request.user, pk=pk)
    if not can_review_evidence(request.user, evidence.exchange):
        # R-PAY-4 (c): refused before the form is read (the service checks again).
        raise PermissionDenied(DENIALS["evidence_review"])
    form_class = EvidenceAcceptForm if decision == "accept" else EvidenceRejectForm
    form = form_class(request.POST, prefix=f"{decision[0]}{pk}")
    if form.is_valid():
        try:
            if decision == "accept":
                evidence_accept(
                    actor=request.user, evidence=evidence, comment=form.cleaned_data["comment"]
                )
                messages.success(request, _("The file is accepted."))
            else:
                evidence_reject(
                    actor=request.user, evidence=evidence, comment=form.cleaned_data["comment"]
                )
                messages.success(request, _("The file is rejected; the visitor is told why."))
        except ValidationError as error:
            if "comment" not in getattr(error, "error_dict", {}):
                # Not about the comment (already decided, exchange closed): say so at the top.
                for message in error.messages:
                    messages.error(request, message)
                return redirect("payments:evidence", exchange_id=evidence.exchange_id)
            apply_errors(error, form)
        else:
            return redirect("payments:evidence", exchange_id=evidence.exchange_id)
    page = evidence_page_get(user=request.user, exchange_id=evidence.exchange_id)
    return _render(request, page, bound={(decision, pk): form})


@login_required
@require_POST
def evidence_accept_view(request, pk: int):
    return _review(request, pk, "accept")


@login_required
@require_POST
def evidence_reject_view(request, pk: int):
    return _review(request, pk, "reject")


@login_required
def evidence_download(request, pk: int):
    """R-PAY-4 (c): one file, to those who may see the exchange's evidence only (404 to others,
    as if it did not exist)."""
    evidence = evidence_get(user=request.user, pk=pk)
    return private_file_response(
        allowed=can_view_evidence(request.user, evidence.exchange),
        name=evidence.file,
        content_type=evidence.content_type,
        download_name=evidence.original_name,
    )
