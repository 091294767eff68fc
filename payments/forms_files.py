"""The input shape of the bank-details (R-PAY-6) and evidence (R-PAY-4 (c)) forms. The rules are
checked again by the services; the forms only give early, field-by-field messages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cxc_portal.core.refusals import apply_errors
from cxc_portal.core.uploads import PrivateFileField

from .bank import HOLDER_MAX, BankDetails, check_bank_details
from .models import EvidenceKind
from .services_evidence import COMMENT_MAX


class BankAccountForm(forms.Form):
    holder = forms.CharField(
        label=_("Account holder"),
        max_length=HOLDER_MAX,
        help_text=_("The name on the account, usually the organisation's legal name."),
    )
    iban = forms.CharField(
        label=_("IBAN"),
        max_length=50,  # spaces allowed while typing; 34 characters once compact
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    bic = forms.CharField(
        label=_("BIC"),
        max_length=20,
        required=False,
        help_text=_("Leave empty: it is found from the IBAN where the bank is known."),
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        checked = check_bank_details(
            holder=data.get("holder", ""), iban=data.get("iban", ""), bic=data.get("bic", "")
        )
        if not isinstance(checked, BankDetails):
            apply_errors(checked, self)
        return data


class EvidenceUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What it proves"), choices=EvidenceKind.choices)
    file = PrivateFileField(use="evidence", label=_("File"))


class EvidenceRejectForm(forms.Form):
    comment = forms.CharField(
        label=_("Why is it rejected?"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required: the visitor reads it and sends another file."),
        error_messages={
            "required": _("Say why the file is rejected: the visitor reads it (R-PAY-4).")
        },
    )


class EvidenceAcceptForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 1}),
    )
