"""Demo step of the payments room's paperwork: bank details (R-PAY-6) for the demo visitors and
evidence (R-PAY-4 (c)) on the executed demo exchange, one file accepted and one rejected.

Runs after the exchanges step. Everything goes through the services (audited, notified), as the
visitor's representative and the VOP's approving staff. Idempotent: an organisation that has a
bank account keeps it; an exchange that has evidence gets none added.
"""

from __future__ import annotations

from django.core.files.base import ContentFile

from cxc_portal.core.demo import SeedContext
from exchanges.models import Exchange, ExchangeMode, ExchangeStatus
from organisations.models import Representative, RepresentativeStatus
from partnerships.models import PartnershipStaff

from .models import BankAccount, Evidence
from .services_bank import bank_account_save
from .services_evidence import evidence_accept, evidence_reject, evidence_upload

#: Published example IBANs (valid checksums, no real account behind them), by country.
DEMO_IBANS = {
    "AT": "AT611904300234573201",
    "BE": "BE68539007547034",
    "CZ": "CZ6508000000192000145399",
    "DE": "DE89370400440532013000",
    "ES": "ES9121000418450200051332",
    "FI": "FI2112345600000785",
    "FR": "FR1420041010050500013M02606",
    "GR": "GR1601101250000000012300695",
    "IE": "IE29AIBK93115212345678",
    "IT": "IT60X0542811101000000123456",
    "NL": "NL91ABNA0417164300",
    "PL": "PL61109010140000071219812874",
    "PT": "PT50000201231234567890154",
    "SE": "SE4550000000058398257466",
}
FALLBACK_IBAN = DEMO_IBANS["DE"]

#: A minimal, valid-looking PDF: what the upload validator sniffs as application/pdf.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


def _representative_of(organisation_id: int):
    rep = (
        Representative.objects.filter(
            organisation_id=organisation_id,
            status=RepresentativeStatus.ACTIVE,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return rep.user if rep else None


def _vop_approver(exchange: Exchange):
    row = (
        PartnershipStaff.objects.filter(
            partnership_id=exchange.vop_id, can_approve_exchanges=True, user__is_active=True
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return row.user if row else None


def _seed_bank_accounts(ctx: SeedContext) -> int:
    visitors = (
        Exchange.objects.filter(mode=ExchangeMode.PHYSICAL)
        .exclude(status=ExchangeStatus.CANCELLED)
        .exclude(visitor__bank_account__isnull=False)
        .select_related("visitor")
        .order_by("pk")
    )
    made = 0
    for exchange in visitors:
        organisation = exchange.visitor
        if BankAccount.objects.filter(organisation=organisation).exists():
            continue
        actor = _representative_of(organisation.pk)
        if actor is None:
            continue
        bank_account_save(
            actor=actor,
            organisation=organisation,
            holder=organisation.legal_name,
            iban=DEMO_IBANS.get(str(organisation.country.code), FALLBACK_IBAN),
        )
        made += 1
    return made


def _seed_evidence(ctx: SeedContext) -> bool:
    exchange = (
        Exchange.objects.filter(status=ExchangeStatus.EXECUTED, mode=ExchangeMode.PHYSICAL)
        .select_related("visitor", "vop")
        .order_by("pk")
        .first()
    )
    if exchange is None or Evidence.objects.filter(exchange=exchange).exists():
        return False
    visitor, reviewer = _representative_of(exchange.visitor_id), _vop_approver(exchange)
    if visitor is None or reviewer is None:
        ctx.say(f"Payments demo: {exchange.reference} has no visitor or VOP reviewer for evidence.")
        return False
    boarding = evidence_upload(
        actor=visitor,
        exchange=exchange,
        file=ContentFile(DEMO_PDF, name="boarding-pass.pdf"),
        kind="boarding_pass",
    )
    invoice = evidence_upload(
        actor=visitor,
        exchange=exchange,
        file=ContentFile(DEMO_PDF, name="hotel-invoice.pdf"),
        kind="accommodation_invoice",
    )
    evidence_reject(
        actor=reviewer,
        evidence=invoice,
        comment="The invoice shows other dates than the stay: please upload the right one.",
    )
    evidence_accept(
        actor=reviewer, evidence=boarding, comment="Matches the first day.", today=ctx.today
    )
    return True


def seed(ctx: SeedContext) -> None:
    """Bank accounts for the demo visitors; evidence accepted and rejected on an executed one."""
    accounts = _seed_bank_accounts(ctx)
    evidence = _seed_evidence(ctx)
    ctx.say(
        f"Payments paperwork: {accounts} bank account(s) entered; "
        f"evidence {'accepted and rejected on an executed exchange' if evidence else 'unchanged'}."
    )
