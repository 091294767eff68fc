"""The one refusal type of the portal: why something may not happen, with its rule id.

Rules answer with lists of :class:`Refusal` — empty means allowed: the eligibility engine
(R-ELIG-*), the matching score's hard zeros (R-MATCH-1), the exchange guards and transition
gates (R-EXC-2), the candidate selectors. A service turns them into one ``ValidationError``
(:func:`raise_if_refused`); a view puts that error next to the fields of its form
(:func:`apply_errors`), keeping the user's input; a page shows the same texts beside a
disabled button.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


@dataclass(frozen=True)
class Refusal:
    """One reason why an action is refused: a rule id, a plain sentence, and the form field the
    message belongs to (``None`` for the form, or the page, as a whole)."""

    rule: str
    text: str
    field: str | None = None

    def __str__(self) -> str:
        return self.text

    @property
    def cited(self) -> str:
        """The sentence followed by its rule id, for a message that has no room for a badge."""
        return f"{self.text} ({self.rule})"


def refusal_error(refusals: Iterable[Refusal]) -> ValidationError | None:
    """One ``ValidationError`` carrying every refusal, keyed by field; ``None`` when none."""
    errors: dict[str, list[str]] = {}
    for refusal in refusals:
        errors.setdefault(refusal.field or NON_FIELD_ERRORS, []).append(refusal.text)
    return ValidationError(errors) if errors else None


def raise_if_refused(refusals: Iterable[Refusal]) -> None:
    """Raise one ``ValidationError`` carrying every refusal, keyed by field."""
    error = refusal_error(refusals)
    if error is not None:
        raise error


def apply_errors(error: ValidationError | Iterable[Refusal], *forms_: forms.BaseForm) -> None:
    """Put a service's refusal next to the fields it names, in whichever of ``forms_`` has the
    field; what names no field (or a field no form has) goes on top of the first form.

    The forms stay bound, so the page shows the user's input as typed with each message beside
    it. ``error`` is a ``ValidationError`` from a service or the refusals of a rule.
    """
    if not isinstance(error, ValidationError):
        error = refusal_error(error) or ValidationError([])
    first = forms_[0]
    if not hasattr(error, "error_dict"):
        for message in error.error_list:
            first.add_error(None, message)
        return
    for name, messages in error.error_dict.items():
        target = next(
            (f for f in forms_ if name != NON_FIELD_ERRORS and name in f.fields),
            None,
        )
        for message in messages:
            if target is None:
                first.add_error(None, message)
            else:
                target.add_error(name, message)
