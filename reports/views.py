"""Pages of the documents room: the exchange page's document cards (and their polling partial),
the "Prepare documents" button, the permission-checked download, an HTML preview rendered from
the same data and template as the PDF, and the public verify page (R-DOC-5, R-DOC-7)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cxc_portal.accounts.roles import require_support_office
from cxc_portal.core.downloads import private_file_response
from cxc_portal.core.uploads import PDF

from .forms import VerifyForm
from .page import TEMPLATE, cards_context
from .permissions import (
    FA_DENIED,
    PREPARE_DENIED,
    can_prepare_documents,
    can_read_document_kind,
    can_read_documents,
)
from .rendering import render_html
from .selectors import document_get, exchange_get, pdf_failure_label, pdf_failures
from .services import PDF_SOURCES, document_refresh, pdf_retry
from .verification import document_verify


def _exchange_or_404(request, pk: int):
    """The exchange, 404 to whoever may not read its documents — the same answer as for an id
    that does not exist, and as the exchange page's to them, so a guessed id tells nothing."""
    exchange = exchange_get(pk)
    if exchange is None or not can_read_documents(request.user, exchange):
        raise Http404
    return exchange


@login_required
def document_cards_view(request, exchange_id: int):
    """The cards alone, for htmx polling while a version is being prepared."""
    exchange = _exchange_or_404(request, exchange_id)
    return render(request, TEMPLATE, {"section": cards_context(request, exchange)})


@login_required
@require_POST
def document_prepare_view(request, exchange_id: int):
    exchange = _exchange_or_404(request, exchange_id)
    if not can_prepare_documents(request.user, exchange):
        raise PermissionDenied(PREPARE_DENIED)
    created = document_refresh(actor=request.user, exchange=exchange)
    if created:
        messages.success(request, _("The documents are being prepared."))
    else:
        messages.info(request, _("The documents are up to date: nothing changed."))
    return redirect(reverse("exchanges:detail", kwargs={"pk": exchange.pk}) + "#documents")


def _readable_document(request, pk: int):
    """The document, 404 to whoever may not see its exchange (as if it did not exist); 403 to
    the host's side for the Financial Agreement (R-DOC-3)."""
    document = document_get(pk)
    if document is None or not can_read_documents(request.user, document.exchange):
        raise Http404
    if not can_read_document_kind(request.user, document.exchange, document.kind):
        raise PermissionDenied(FA_DENIED)
    return document


@login_required
def document_download_view(request, pk: int):
    """The PDF as an attachment, to the parties, their partnerships' staff and the Support
    Office only; never through a public media URL (there is none)."""
    document = _readable_document(request, pk)
    if not document.is_ready:
        raise Http404("This version is not ready.")
    name = f"{document.exchange.reference}-{document.kind}-v{document.version}"
    if document.is_sealed:  # R-DOC-7: the signed and sealed copy once there is one
        return private_file_response(
            allowed=True,
            name=document.sealed_file,
            content_type=PDF,
            download_name=f"{name}-signed.pdf",
        )
    return private_file_response(
        allowed=True, name=document.file, content_type=PDF, download_name=f"{name}.pdf"
    )


@login_required
def document_preview_view(request, pk: int):
    """The document as a web page: the same data and template as its PDF."""
    document = _readable_document(request, pk)
    return HttpResponse(
        render_html(
            kind=document.kind,
            data=document.data,
            version=document.version,
            generated_at=document.rendered_at or document.created_at,
            data_hash=document.data_hash,
        )
    )


def verify_view(request):
    """R-DOC-7: anyone may ask whether a PDF, or a SHA-256, is a document the portal issued,
    and whether an uploaded file's seal is intact.

    The signatories' and parties' names are shown only for an uploaded file (whoever holds it
    reads them anyway), never for a bare hash. The file is read, never stored."""
    posted = request.method == "POST"
    form = VerifyForm(request.POST, request.FILES) if posted else VerifyForm()
    result = None
    if posted and form.is_valid():
        upload = form.cleaned_data.get("file")
        if upload:
            upload.seek(0)
            result = document_verify(pdf_bytes=upload.read())
        else:
            result = document_verify(sha256=form.cleaned_data["sha256"])
    return render(request, "reports/verify.html", {"form": form, "result": result})


# --- PDFs given up on (the Support Office) -------------------------------------------------------


#: The 403's reason for anyone but the Support Office.
PDF_FAILURES_DENIED = gettext_lazy("PDFs that could not be made are for the Support Office.")


@login_required
def pdf_failures_view(request):
    """The PDFs the sweep gave up on, newest first: which exchange and document, how many
    attempts, the worker's last error, and "Try again"."""
    require_support_office(request.user, PDF_FAILURES_DENIED)
    page = Paginator(pdf_failures(request.user), 50).get_page(request.GET.get("page"))
    for row in page.object_list:
        row["label"] = pdf_failure_label(row)
    return render(request, "reports/pdf_failures.html", {"page": page})


@login_required
@require_POST
def pdf_retry_view(request, source: str, pk: int):
    require_support_office(request.user, PDF_FAILURES_DENIED)
    if source not in PDF_SOURCES:
        raise Http404
    try:
        pdf_retry(actor=request.user, source=source, pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The PDF is queued again."))
    return redirect("reports:pdf_failures")
