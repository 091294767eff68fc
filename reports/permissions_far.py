"""Who may write, review and read a Final Activity Report (R-DOC-4, R-DOC-6).

- **Write** (fill in, save a draft, submit, correct after a return): the active representatives
  of that side's organisation — the host's for Annex 2, the visitor's for Annex 3.
- **Review** (validate, or return once for a correction): the staff who may approve exchanges of
  that side's partnership — the VOP for the visitor's report, the HOP for the host's (R-DOC-6).
- **Read** (the answers page and the PDF): the parties (both sides' representatives), their
  partnerships' staff and the Support Office — as for the CTQ and FA (``permissions``) — once
  the report has been submitted; a draft is read by its own authors only (it is not a report
  yet). Everyone else gets a 404: not even whether a report exists.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from cxc_portal.accounts.roles import user_access

from .models import FinalReportSide, FinalReportStatus
from .permissions import can_read_documents

WRITE_DENIED = _("Only the representatives of this side's organisation fill in its report.")
REVIEW_DENIED = _(
    "Only the staff of this side's partnership who may approve exchanges validate or return its "
    "report: the VOP for the visitor's, the HOP for the host's (R-DOC-6)."
)


def side_organisation_id(exchange: Any, side: str) -> int:
    return exchange.host_id if side == FinalReportSide.HOST else exchange.visitor_id


def side_partnership_id(exchange: Any, side: str) -> int:
    return exchange.hop_id if side == FinalReportSide.HOST else exchange.vop_id


def can_write_far(user: Any, exchange: Any, side: str) -> bool:
    """R-DOC-4: the side's own representatives."""
    return side_organisation_id(exchange, side) in user_access(user).organisations


def can_review_far(user: Any, exchange: Any, side: str) -> bool:
    """R-DOC-6: the VOP validates the visitor's report, the HOP the host's."""
    return side_partnership_id(exchange, side) in user_access(user).approver_partnerships


def can_read_far(user: Any, exchange: Any, side: str, report: Any | None) -> bool:
    """The parties, their partnerships' staff and the Support Office, once submitted; a draft
    (never submitted) only by its authors."""
    if report is None:
        return False
    if report.first_submitted_at is None or report.status == FinalReportStatus.DRAFT:
        return can_write_far(user, exchange, side)
    return can_read_documents(user, exchange)


def can_see_far_section(user: Any, exchange: Any) -> bool:
    """Whether the exchange page shows the reports' section (status, due date) to ``user``."""
    return can_read_documents(user, exchange)
