"""Who may read and prepare an exchange's documents (R-DOC-1): predicates over (user, exchange)
read through ``accounts.roles.user_access`` (one reading per request).

- **Read / download**: the active representatives of the four parties' organisations (host,
  visitor), the staff of the two partnerships (HOP, VOP) and the Support Office. Nobody else:
  not anonymous users, other applicants or other partnerships' staff.
- **Prepare** (ask for a new version when the data changed): the HOP's and VOP's staff and the
  Support Office; for a draft, or a contracted exchange under an amendment (R-DOC-8) — never a
  signed contract otherwise: a new version would void its signatures with no way to sign again.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cxc_portal.accounts.roles import user_access
from exchanges.models import AmendmentStatus, ExchangeStatus

PREPARE_DENIED = _("Only the staff of the exchange's partnerships prepare its documents.")


def can_read_documents(user, exchange) -> bool:
    access = user_access(user)
    return (
        access.support_office
        or bool({exchange.visitor_id, exchange.host_id} & access.organisations)
        or bool({exchange.vop_id, exchange.hop_id} & access.staff_partnerships)
    )


def can_prepare_documents(user, exchange) -> bool:
    """R-DOC-5, R-DOC-8 (one query for a contracted exchange)."""
    if exchange.status == ExchangeStatus.CONTRACTED:
        if not exchange.amendments.filter(status=AmendmentStatus.OPEN).exists():
            return False
    elif exchange.status != ExchangeStatus.DRAFT:
        return False
    access = user_access(user)
    return access.support_office or bool(
        {exchange.vop_id, exchange.hop_id} & access.staff_partnerships
    )
