"""The documents room's part in the exchange lifecycle (``exchanges.gates``).

On **contract**, a consequence refreshes the documents (R-DOC-5): the FA then reads the amount
the payments room has just fixed (R-PAY-5; ``payments`` registers its consequence first, its app
is listed before ``reports``). Unchanged data make no new version; rendering is queued on commit,
so a failed contracting leaves no version and no task.

On **close**, a condition: the visitor's final activity report is validated by the VOP
(R-PAY-4 (a)+(b), R-DOC-6). It replaced the interim closing-report record of ``exchanges``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from cxc_portal.core.refusals import Refusal
from exchanges import gates

from .models import FinalReport, FinalReportSide, FinalReportStatus
from .services import document_refresh


def refresh_on_contract(exchange: Any, actor: Any) -> None:
    document_refresh(actor=actor, exchange=exchange.pk)


def visitor_report_validated(exchange: Any, today: date) -> list[Refusal]:
    """R-PAY-4 (a)+(b), R-DOC-6: closing waits for the visitor's final activity report (Annex 3)
    validated by the VOP (one query)."""
    report = (
        FinalReport.objects.filter(exchange_id=exchange.pk, side=FinalReportSide.VISITOR)
        .values_list("status", flat=True)
        .first()
    )
    if report == FinalReportStatus.VALIDATED:
        return []
    if report in (FinalReportStatus.SUBMITTED,):
        text = _("The visitor's final activity report awaits the VOP's validation.")
    elif report == FinalReportStatus.RETURNED:
        text = _("The visitor's final activity report was returned for a correction.")
    else:
        text = _("The visitor has not submitted the final activity report yet.")
    return [Refusal("R-PAY-4", text)]


def register() -> None:
    gates.register_consequence("contract", refresh_on_contract)
    gates.register_condition("close", visitor_report_validated)
