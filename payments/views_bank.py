"""The bank-details page of an organisation (R-PAY-6): read by those who may (in full or
masked), changed by its representatives. Thin: one selector, one service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cxc_portal.core.refusals import apply_errors

from .bank import format_iban
from .forms_files import BankAccountForm
from .permissions_files import DENIALS
from .selectors_files import bank_page_get
from .services_bank import bank_account_save


@login_required
def bank_account(request, pk: int):
    """R-PAY-6: show the account (masked except the last four characters unless the user may
    read it in full); the organisation's representatives change it here."""
    page = bank_page_get(user=request.user, organisation_id=pk)
    form = None
    if request.method == "POST":
        if not page.can_change:
            raise PermissionDenied(DENIALS["bank_change"])
        form = BankAccountForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                bank_account_save(
                    actor=request.user,
                    organisation=page.organisation,
                    holder=d["holder"],
                    iban=d["iban"],
                    bic=d.get("bic", ""),
                )
            except ValidationError as error:
                apply_errors(error, form)
            else:
                messages.success(
                    request,
                    _(
                        "The bank account is saved. Every representative of the organisation "
                        "is told by e-mail."
                    ),
                )
                return redirect("payments:bank_account", pk=page.organisation.pk)
    elif page.can_change:
        account = page.account
        form = BankAccountForm(
            initial={
                "holder": account.holder if account else page.organisation.legal_name,
                "iban": format_iban(account.iban) if account else "",
                "bic": account.bic if account else "",
            }
        )
    return render(request, "payments/bank/account.html", {"page": page, "form": form})
