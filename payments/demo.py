"""The payments demo step (after ``exchanges.demo.seed``): payments in every status.

Contracted exchanges already have their pending payment (fixed at contracting, R-PAY-5) and the
virtual one has none (R-EXC-8). This step accepts evidence for the demo's past stays whose
visitor's final activity report the reports step validated — the exchange then closes by itself
and its payment falls due (R-PAY-7) — moves one due date into the past to show an overdue
payment, and records one as paid. The VOPs get an account of their own (a published example
IBAN), the debtor of the SEPA file, so finance staff can download one. Idempotent: it acts only
on exchanges still waiting and on partnerships without an IBAN. Evidence files and bank details
are the evidence/bank step's business: the rows made here carry no file of their own.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q

from cxc_portal.core.demo import SeedContext
from exchanges.demo import OBJECTIVES, _approver_of
from exchanges.models import Exchange, ExchangeStatus
from partnerships.models import Partnership, PartnershipStaff

from .demo_files import DEMO_IBANS
from .models import Evidence, EvidenceKind, Payment, PaymentStatus
from .services_evidence import evidence_accept, evidence_reject
from .services_payments import payment_mark_paid


def _evidence(exchange, kind, name):
    return Evidence.objects.create(
        exchange=exchange,
        file=f"evidence/demo/{exchange.reference}-{kind}.pdf",
        original_name=name,
        content_type="application/pdf",
        size=48_213,
        sha256="0" * 64,
        kind=kind,
    )


def _payer(exchange):
    staff = (
        PartnershipStaff.objects.filter(partnership_id=exchange.vop_id, can_pay=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return staff.user if staff else None


#: The demo VOPs' own accounts (R-PAY-4: the SEPA transfer's debtor); example IBANs and BICs.
VOP_ACCOUNTS = (("DE", "COBADEFFXXX"), ("NL", "ABNANL2A"), ("BE", "BBRUBEBB"), ("FR", ""))


def _seed_vop_accounts() -> int:
    """Give every demo partnership without an IBAN one, so a SEPA file can be downloaded."""
    missing = list(Partnership.objects.filter(iban="").order_by("pk"))
    for index, partnership in enumerate(missing):
        country, bic = VOP_ACCOUNTS[index % len(VOP_ACCOUNTS)]
        partnership.iban, partnership.bic = DEMO_IBANS[country], bic
        partnership.save(update_fields=["iban", "bic"])
    return len(missing)


def seed(ctx: SeedContext) -> None:
    today = ctx.today
    accounts = _seed_vop_accounts()
    waiting = Exchange.objects.filter(
        Q(objectives=OBJECTIVES["closed"])
        | Q(objectives=OBJECTIVES["closed_overdue"])
        | Q(objectives=OBJECTIVES["closed_paid"]),
        status=ExchangeStatus.EXECUTED,
    ).order_by("pk")
    closed = 0
    for exchange in waiting:
        actor = _approver_of(exchange.vop_id)
        if actor is None:
            continue
        rejected = _evidence(exchange, EvidenceKind.OTHER, "photo-of-the-team.pdf")
        evidence_reject(
            evidence=rejected,
            actor=actor,
            comment="A photo does not prove the stay: send the boarding passes.",
        )
        accepted = _evidence(exchange, EvidenceKind.BOARDING_PASS, "boarding-passes.pdf")
        evidence_accept(evidence=accepted, actor=actor, today=today)
        closed += 1
        payment = Payment.objects.filter(exchange=exchange, status=PaymentStatus.DUE).first()
        if payment is None:
            continue
        if exchange.objectives == OBJECTIVES["closed_overdue"]:
            # Demo data only: as if it had closed two weeks ago (its due date has passed).
            Payment.objects.filter(pk=payment.pk).update(due_date=today - timedelta(days=4))
        elif exchange.objectives == OBJECTIVES["closed_paid"] and (payer := _payer(exchange)):
            payment_mark_paid(
                payment=payment,
                actor=payer,
                paid_on=today,
                reference=f"SEPA-{exchange.reference}",
                today=today,
            )
    ctx.say(
        f"Payments: {accounts} partnership account(s) entered; "
        f"{closed} exchanges closed on accepted evidence; "
        f"{Payment.objects.count()} payments "
        f"({', '.join(sorted(set(Payment.objects.values_list('status', flat=True))))})."
    )
