"""Small helpers shared by the exchange views: service refusals onto forms or messages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def apply_errors(form, error: ValidationError) -> None:
    """Attach a service's refusal to ``form``: each message next to its field when the form has
    that field, else at the top of the form. The user's input stays in the bound form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def flash_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)
