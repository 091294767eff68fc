"""Who may see and change bank details (R-PAY-6) and evidence (R-PAY-4 (c)): predicates over the
user and the object, read through ``accounts.roles.user_access`` (one reading per request).

- **Bank details** of an organisation: its active representatives enter and change them and read
  them in full; the Support Office and the *finance staff* (``can_pay``) of a partnership that is
  the VOP of one of the organisation's (not cancelled) exchanges read them in full; the other
  staff of such a VOP see them masked (the last four characters). Nobody else sees them: not the
  host, not the HOP, not other applicants.
- **Evidence** of an exchange: the visitor's active representatives upload it; the VOP's staff
  who may approve exchanges accept or reject each file; the visitor's representatives, any staff
  of the VOP and the Support Office see and download it. Never the host nor the HOP (unless the
  HOP is also the VOP), other applicants or anonymous users.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from cxc_portal.accounts.roles import user_access


class BankView(StrEnum):
    """How much of an organisation's bank details a user may read (R-PAY-6)."""

    FULL = "full"
    MASKED = "masked"


def bank_details_view(user, organisation_id: int, vop_ids: Collection[int]) -> BankView | None:
    """R-PAY-6: ``FULL``, ``MASKED`` or ``None`` (the page does not exist for this user).

    ``vop_ids``: the partnerships that are VOP of the organisation's exchanges that are not
    cancelled (``selectors_files.visitor_vop_ids``).
    """
    access = user_access(user)
    if access.support_office or organisation_id in access.organisations:
        return BankView.FULL
    if set(vop_ids) & access.payment_partnerships:
        return BankView.FULL
    if set(vop_ids) & access.staff_partnerships:
        return BankView.MASKED
    return None


def can_change_bank_details(user, organisation_id: int) -> bool:
    """R-PAY-6: only the organisation's own active representatives enter its bank account."""
    return organisation_id in user_access(user).organisations


def can_view_evidence(user, exchange) -> bool:
    """R-PAY-4 (c): the visitor's representatives, any staff of the VOP, the Support Office."""
    access = user_access(user)
    return (
        access.support_office
        or exchange.visitor_id in access.organisations
        or exchange.vop_id in access.staff_partnerships
    )


def can_upload_evidence(user, exchange) -> bool:
    """R-PAY-4 (c): the visitor proves its own stay: its active representatives only."""
    return exchange.visitor_id in user_access(user).organisations


def can_review_evidence(user, exchange) -> bool:
    """R-PAY-4 (c): the VOP's staff who may approve exchanges (the VOP validates and pays)."""
    return exchange.vop_id in user_access(user).approver_partnerships


DENIALS = {
    "bank_change": _(
        "Only the organisation's active representatives enter its bank account (R-PAY-6)."
    ),
    "evidence_upload": _(
        "Only the visiting organisation's active representatives upload its evidence (R-PAY-4)."
    ),
    "evidence_review": _(
        "Only staff of the visitor's partnership (VOP) who may approve exchanges review the "
        "evidence (R-PAY-4)."
    ),
}
