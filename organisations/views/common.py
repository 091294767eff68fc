"""Small helpers shared by the organisations views."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def apply_errors(exc: ValidationError, *forms_: forms.Form) -> None:
    """Put a service's refusal next to the fields it names (in whichever form has the field);
    what names no field goes to the first form's non-field errors. Input is kept as typed."""
    if not hasattr(exc, "error_dict"):
        forms_[0].add_error(None, exc.messages)
        return
    for field, messages in exc.message_dict.items():
        target = next((f for f in forms_ if field in f.fields), None)
        if target is None:
            forms_[0].add_error(None, messages)
        else:
            target.add_error(field, messages)
