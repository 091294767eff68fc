"""The finance pages (R-PAY-4): the payments of the VOPs a user pays for (the Support Office
reads them all), with totals, overdue first; record a payment; the SEPA file and CSV of a
selection. Views parse, call one selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cxc_portal.core.csv import csv_response
from cxc_portal.core.refusals import apply_errors

from .forms_finance import MarkPaidForm
from .models import PaymentStatus
from .permissions import PAY_DENIED, PAYMENTS_DENIED, can_pay, can_view_payments
from .selectors_payments import payment_list, payment_totals, payments_for_transfer
from .sepa import CSV_HEADER, sepa_credit_transfer, transfer_refusals, transfer_rows
from .services_payments import payment_mark_paid

STATUS_FILTERS = [
    ("", _("All")),
    ("overdue", _("Overdue")),
    (PaymentStatus.DUE, _("Due")),
    (PaymentStatus.PENDING, _("Pending")),
    (PaymentStatus.PAID, _("Paid")),
]


def _require_payments(user) -> None:
    if not can_view_payments(user):
        raise PermissionDenied(PAYMENTS_DENIED)


@login_required
def payment_list_view(request):
    """R-PAY-4: payments by status with totals, overdue first."""
    _require_payments(request.user)
    today = timezone.localdate()
    status = request.GET.get("status", "")
    payments = list(payment_list(user=request.user, today=today, status=status))
    rows = [
        {
            "payment": p,
            "overdue": p.is_overdue(today),
            "selectable": p.status == PaymentStatus.DUE and can_pay(request.user, p.exchange),
        }
        for p in payments
    ]
    return render(
        request,
        "payments/payment_list.html",
        {
            "rows": rows,
            "totals": payment_totals(user=request.user, today=today),
            "status": status,
            "status_filters": STATUS_FILTERS,
            "any_selectable": any(row["selectable"] for row in rows),
        },
    )


@login_required
def payment_mark_paid_view(request, pk: int):
    """R-PAY-4: record a due payment as paid (date, reference), after a confirmation."""
    _require_payments(request.user)
    found = payment_list(user=request.user, today=timezone.localdate()).filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such payment."))
    if not can_pay(request.user, found.exchange):
        raise PermissionDenied(PAY_DENIED)
    form = MarkPaidForm(request.POST or None, initial={"paid_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            payment_mark_paid(
                payment=found,
                actor=request.user,
                paid_on=form.cleaned_data["paid_on"],
                reference=form.cleaned_data["reference"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(
                request,
                _("The payment of exchange %(ref)s is recorded as paid.")
                % {"ref": found.exchange.reference},
            )
            return redirect("payments:payment_list")
    return render(request, "payments/payment_mark_paid.html", {"payment": found, "form": form})


def _selected_ids(request) -> list[int]:
    return [int(value) for value in request.GET.getlist("payment") if value.isdigit()][:1000]


@login_required
@require_GET
def payment_transfer_view(request):
    """R-PAY-4: the selected due payments as a SEPA credit transfer (pain.001) or as CSV."""
    _require_payments(request.user)
    payments = payments_for_transfer(user=request.user, ids=_selected_ids(request))
    refusals = transfer_refusals(payments)
    if payments and not all(can_pay(request.user, p.exchange) for p in payments):
        raise PermissionDenied(PAY_DENIED)
    if refusals:
        for refusal in refusals:
            messages.error(request, refusal.cited)
        return redirect("payments:payment_list")
    today = timezone.localdate()
    if request.GET.get("format") == "csv":
        return csv_response(
            f"payments-{today.isoformat()}.csv", CSV_HEADER, transfer_rows(payments)
        )
    xml = sepa_credit_transfer(payments=payments, execution_date=today)
    response = HttpResponse(xml, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="sepa-{today.isoformat()}.xml"'
    response["Cache-Control"] = "private, no-store"
    return response
