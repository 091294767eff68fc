"""A refusal: why something may not happen, with the rule it comes from (R-EXC-2 [design]).

Guards and the calendar return lists of ``Refusal`` (empty = allowed); services turn them into a
``ValidationError`` so that a view can show each message next to its form field, and the detail
page shows the same texts beside a disabled button.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


@dataclass(frozen=True)
class Refusal:
    """One reason why an action is refused: a rule id, a plain sentence, and the form field the
    message belongs to (``None`` for the form as a whole)."""

    rule: str
    text: str
    field: str | None = None

    def __str__(self) -> str:
        return self.text


def raise_if_refused(refusals: Iterable[Refusal]) -> None:
    """Raise one ``ValidationError`` carrying every refusal, keyed by field."""
    errors: dict[str, list[str]] = {}
    for refusal in refusals:
        errors.setdefault(refusal.field or NON_FIELD_ERRORS, []).append(refusal.text)
    if errors:
        raise ValidationError(errors)
