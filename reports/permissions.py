"""Who may read and prepare an exchange's documents (R-DOC-1): predicates over (user, exchange)
read through ``accounts.roles.user_access`` (one reading per request).

- **Read / download**: the active representatives of the four parties' organisations (host,
  visitor), the staff of the two partnerships (HOP, VOP) and the Support Office. Nobody else:
  not anonymous users, other applicants or other partnerships' staff.
- **The Financial Agreement** (R-DOC-3) is between the VOP and the visitor: only they and the
  Support Office read it (the lump sum and the visitor's bank account are none of the host's
  or the HOP's business). The host's side sees the CTQ only.
- **Prepare** (ask for a new version when the data changed): the HOP's and VOP's staff and the
  Support Office; for a draft, or a contracted exchange under an amendment (R-DOC-8) — never a
  signed contract otherwise: a new version would void its signatures with no way to sign again.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cxc_portal.accounts.roles import user_access
from exchanges.models import AmendmentStatus, ExchangeStatus

from .models import DocumentKind

PREPARE_DENIED = _("Only the staff of the exchange's partnerships prepare its documents.")
FA_DENIED = _(
    "The Financial Agreement is between the visitor and its partnership (VOP): only they and "
    "the Support Office read it (R-DOC-3)."
)


def can_read_documents(user, exchange) -> bool:
    access = user_access(user)
    return (
        access.support_office
        or bool({exchange.visitor_id, exchange.host_id} & access.organisations)
        or bool({exchange.vop_id, exchange.hop_id} & access.staff_partnerships)
    )


def can_read_document_kind(user, exchange, kind: str) -> bool:
    """R-DOC-1, R-DOC-3: whether ``user`` reads the documents of ``kind`` of ``exchange`` (the
    FA: the visitor's representatives, the VOP's staff and the Support Office only)."""
    if not can_read_documents(user, exchange):
        return False
    return reads_document_kind(user_access(user), exchange, kind)


def reads_document_kind(access, exchange, kind: str) -> bool:
    """R-DOC-3 on an access already known to read the exchange's documents: every party reads
    the CTQ; the FA only the visitor's side, the VOP's staff and the Support Office."""
    if kind != DocumentKind.FA:
        return True
    return (
        access.support_office
        or exchange.visitor_id in access.organisations
        or exchange.vop_id in access.staff_partnerships
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
