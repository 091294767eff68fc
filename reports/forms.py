"""The public verify form (R-DOC-7): a SHA-256 or an uploaded PDF."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from cxc_portal.core.uploads import PrivateFileField

_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")


class VerifyForm(forms.Form):
    sha256 = forms.CharField(
        label=_("SHA-256 of the file"),
        required=False,
        max_length=200,
        help_text=_("64 hexadecimal characters (0–9, a–f)."),
    )
    file = PrivateFileField(use="document", label=_("or the PDF itself"), required=False)

    def clean_sha256(self) -> str:
        value = "".join(self.cleaned_data.get("sha256", "").split()).lower()
        if value and not _HEX64.match(value):
            raise forms.ValidationError(
                _(
                    "A SHA-256 is 64 hexadecimal characters (0–9, a–f); this is %(count)d "
                    "characters and not only hexadecimal ones."
                )
                if not re.fullmatch(r"[0-9a-f]*", value)
                else _("A SHA-256 is 64 hexadecimal characters; this one has %(count)d."),
                params={"count": len(value)},
                code="not_sha256",
            )
        return value

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("sha256") and not data.get("file"):
            raise forms.ValidationError(_("Give a SHA-256 or choose a PDF file."), code="empty")
        return data


class SignForm(forms.Form):
    """R-DOC-5: the signer types their full name (checked against their account by
    ``signing.typed_name_refusals``: case and spacing aside)."""

    typed_name = forms.CharField(
        label=_("Type your full name to sign"),
        max_length=200,
        help_text=_("As your account has it; upper or lower case and spaces do not matter."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
