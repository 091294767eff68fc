"""Small helpers shared by the exchange views: a service's refusal as flash messages (onto a
form: ``cxc_portal.core.refusals.apply_errors``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError


def flash_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)
