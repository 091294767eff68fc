"""The finance pages' forms (R-PAY-4)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .services_payments import REFERENCE_MAX


class MarkPaidForm(forms.Form):
    paid_on = forms.DateField(
        label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    reference = forms.CharField(
        label=_("Payment reference"), max_length=REFERENCE_MAX + 20, required=False
    )
    confirm = forms.BooleanField(
        label=_("I confirm that this transfer was made."),
        required=True,
        error_messages={"required": _("Tick the box to confirm the payment.")},
    )
