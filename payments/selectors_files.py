"""Every read of the bank-details (R-PAY-6) and evidence (R-PAY-4 (c)) pages, scoped by the user:
a user who may not see a thing gets a 404, as if it did not exist."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from exchanges.models import Exchange, ExchangeStatus
from organisations.models import Organisation, Representative, RepresentativeStatus
from partnerships.models import PartnershipStaff

from .bank import format_iban, mask_iban
from .models import BankAccount, Evidence
from .permissions_files import (
    BankView,
    bank_details_view,
    can_change_bank_details,
    can_review_evidence,
    can_upload_evidence,
    can_view_evidence,
)

# --- bank details ------------------------------------------------------------------------------


def visitor_vop_ids(*, organisation_id: int) -> frozenset[int]:
    """The partnerships that are VOP of the organisation's exchanges not cancelled (one query)."""
    return frozenset(
        Exchange.objects.filter(visitor_id=organisation_id)
        .exclude(status=ExchangeStatus.CANCELLED)
        .values_list("vop_id", flat=True)
    )


@dataclass(frozen=True)
class BankPage:
    """What the bank-details page shows ``user``: the IBAN in full or masked (R-PAY-6)."""

    organisation: Organisation
    account: BankAccount | None
    view: BankView
    can_change: bool

    @property
    def full(self) -> bool:
        return self.view == BankView.FULL

    @property
    def iban_display(self) -> str:
        if self.account is None:
            return ""
        return format_iban(self.account.iban) if self.full else mask_iban(self.account.iban)


def bank_page_get(*, user, organisation_id: int) -> BankPage:
    """R-PAY-6: the organisation's bank account as ``user`` may see it; 404 for anyone else."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404("No such organisation.")
    view = bank_details_view(
        user, organisation.pk, visitor_vop_ids(organisation_id=organisation.pk)
    )
    if view is None:
        raise Http404("No such organisation.")
    account = BankAccount.objects.filter(organisation=organisation).first()
    return BankPage(
        organisation=organisation,
        account=account,
        view=view,
        can_change=can_change_bank_details(user, organisation.pk),
    )


def organisation_representative_users(*, organisation_id: int) -> list:
    """The active users who actively represent the organisation (the bank-change audience)."""
    reps = Representative.objects.filter(
        organisation_id=organisation_id, status=RepresentativeStatus.ACTIVE
    ).select_related("user")
    return [rep.user for rep in reps if rep.user.is_active]


# --- evidence ----------------------------------------------------------------------------------


def _evidence_queryset() -> QuerySet[Evidence]:
    return Evidence.objects.select_related("uploaded_by", "reviewed_by").order_by(
        "uploaded_at", "pk"
    )


@dataclass(frozen=True)
class EvidencePage:
    exchange: Exchange
    files: list[Evidence]
    can_upload: bool
    can_review: bool

    @property
    def accepted(self) -> int:
        return sum(1 for item in self.files if item.status == "accepted")

    @property
    def pending(self) -> int:
        return sum(1 for item in self.files if item.status == "pending")


def evidence_page_get(*, user, exchange_id: int) -> EvidencePage:
    """R-PAY-4 (c): an exchange's evidence files as ``user`` may see them (two queries whatever
    the number of files); 404 for anyone who may not see the evidence."""
    exchange = (
        Exchange.objects.select_related("visitor", "host", "vop", "hop")
        .filter(pk=exchange_id)
        .first()
    )
    if exchange is None or not can_view_evidence(user, exchange):
        raise Http404("No such exchange.")
    return EvidencePage(
        exchange=exchange,
        files=list(_evidence_queryset().filter(exchange=exchange)),
        can_upload=can_upload_evidence(user, exchange),
        can_review=can_review_evidence(user, exchange),
    )


def evidence_get(*, user, pk: int) -> Evidence:
    """One evidence file with its exchange; 404 for anyone who may not see it (so a guessed id
    tells nothing)."""
    evidence = (
        Evidence.objects.select_related("exchange", "uploaded_by", "reviewed_by")
        .filter(pk=pk)
        .first()
    )
    if evidence is None or not can_view_evidence(user, evidence.exchange):
        raise Http404("No such file.")
    return evidence


def exchange_visitor_users(*, exchange: Exchange) -> list:
    """The visitor's active representatives (told when a file is rejected)."""
    return organisation_representative_users(organisation_id=exchange.visitor_id)


def exchange_vop_reviewers(*, exchange: Exchange) -> list:
    """The VOP's staff who may approve exchanges (told that a file waits for review)."""
    rows = PartnershipStaff.objects.filter(
        partnership_id=exchange.vop_id, can_approve_exchanges=True
    ).select_related("user")
    return [row.user for row in rows if row.user.is_active]
