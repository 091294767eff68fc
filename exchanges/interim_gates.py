"""Interim transition gates: the records staff enter until the real capabilities land.

Registered by the exchanges room itself (``ExchangesConfig.ready``) exactly as a room above
would register its gates. Each is to be **deleted**, not kept in parallel, when the capability
that owns the fact registers its own gate:

- :func:`closing_documents_missing` — until the reports and evidence capabilities land, VOP
  staff record that they validated the visitor's closing report (R-PAY-4 (b)). Delete it when
  reports register the final activity reports (R-DOC-4) and payments the evidence that the stay
  took place (R-PAY-4 (c)) on ``close``.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from cxc_portal.core.refusals import Refusal

from . import gates
from .guards import closing_report_validated


def closing_documents_missing(exchange, today: date) -> list[Refusal]:
    """R-PAY-4: closing waits for the VOP's recorded validation of the visitor's closing report
    (R-PAY-4 (b))."""
    if closing_report_validated(exchange):
        return []
    return [
        Refusal(
            "R-PAY-4",
            _("The visitor's closing report has not been validated by the VOP yet."),
        )
    ]


def register() -> None:
    """Called once from ``ExchangesConfig.ready``."""
    gates.register_condition("close", closing_documents_missing)
