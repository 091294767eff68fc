"""The money flow of a physical exchange: the lump sum fixed at contracting (R-PAY-5), the
evidence gate and the exchange closing by itself (R-PAY-4, R-PAY-7), the payment due 10 days
later and recorded as paid."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cxc_portal.audit.models import AuditEvent
from exchanges import gates
from exchanges.models import ExchangeMode, ExchangeStatus
from exchanges.services import exchange_contract, exchange_execute
from payments.models import EvidenceStatus, LumpSumRate, Payment, PaymentStatus
from payments.selectors_payments import exchange_lump_sum
from payments.services import rate_add
from payments.services_evidence import evidence_accept, evidence_reject
from payments.services_payments import payment_fall_due, payment_mark_paid
from tests.exchanges.factories import (
    TODAY,
    approver,
    contracted_exchange,
    executed_exchange,
    fill_plan,
    ready_exchange,
    sign_all,
    support_office_user,
)
from tests.factories import ExchangeFactory, PartnershipFactory
from tests.payments.factories import accept_evidence, evidence
from tests.reports.helpers import far_validate, validated_visitor_far

pytestmark = pytest.mark.django_db


def _contract(exchange=None, **kwargs):
    exchange = exchange or ready_exchange(**kwargs)
    return exchange_contract(exchange=exchange, actor=approver(exchange.vop), today=TODAY)


def test_r_pay_5_contracting_fixes_the_amount_with_its_explanation():
    """R-PAY-5, R-PAY-2: Brussels → Porto, 8–12 March 2027 (5 working days, ~1,570 km): the
    Portuguese rate in full, stored with the rate, days and distance, audited on the exchange."""
    exchange = _contract()
    payment = exchange.payment
    assert payment.amount == Decimal("780.00")
    assert (payment.rate, payment.working_days, payment.halved) == (Decimal("780.00"), 5, False)
    assert payment.distance_km > 1400
    assert payment.status == PaymentStatus.PENDING and payment.due_date is None
    assert AuditEvent.objects.filter(action="payments.payment.fixed").count() == 1


def test_r_pay_5_the_amount_does_not_change_when_a_rate_is_edited_later():
    """R-PAY-5: a new Portuguese rate from before the stay, added after contracting, changes
    what the same exchange would cost today but not the amount fixed at contracting."""
    exchange = _contract()
    rate_add(
        actor=support_office_user(),
        country="PT",
        amount=Decimal("900.00"),
        valid_from=date(2027, 1, 1),
    )
    # The edit is real: the same stay would now be computed at 900 €.
    assert exchange_lump_sum(exchange).lump_sum.amount == Decimal("900.00")
    LumpSumRate.objects.filter(country="PT", amount=Decimal("780.00")).update(
        amount=Decimal("700.00")
    )
    payment = Payment.objects.get(exchange=exchange)
    assert payment.amount == Decimal("780.00") and payment.rate == Decimal("780.00")


def test_r_pay_2_a_short_stay_is_fixed_at_half_the_rate():
    """R-PAY-2: three working days → half of 780 €, with the reason stored."""
    exchange = ExchangeFactory(start_date=date(2027, 3, 8), end_date=date(2027, 3, 10))
    fill_plan(exchange, hours_per_day=Decimal("8.0"), days=3)
    sign_all(exchange)
    exchange = _contract(exchange)
    assert exchange.payment.amount == Decimal("390.00")
    assert exchange.payment.halved
    assert [r["rule"] for r in exchange.payment.reasons] == ["R-PAY-2"]


def test_r_exc_8_a_virtual_exchange_gets_no_payment():
    """R-EXC-8: contracting a virtual exchange creates no payment row."""
    exchange = _contract(mode=ExchangeMode.VIRTUAL)
    assert exchange.status == ExchangeStatus.CONTRACTED
    assert not Payment.objects.exists()


def test_r_pay_3_contract_refused_without_a_rate_for_the_host_country():
    """R-PAY-3: no Portuguese rate on the first day → contracting is refused, nothing saved."""
    LumpSumRate.objects.filter(country="PT").delete()
    exchange = ready_exchange()
    with pytest.raises(ValidationError) as error:
        exchange_contract(exchange=exchange, actor=approver(exchange.vop), today=TODAY)
    assert any("has no lump-sum rate on 8 Mar 2027" in m for m in error.value.messages)
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.DRAFT and not Payment.objects.exists()


def test_r_pay_2_contract_refused_when_the_distance_is_unknown():
    """R-PAY-2: the lump sum needs the organisations' distance: no coordinates, no contract."""
    exchange = ready_exchange(host__latitude=None, host__longitude=None)
    refusals = gates.transition_refusals("contract", exchange, today=TODAY)
    assert [r.rule for r in refusals] == ["R-PAY-2"]


def _closable(**kwargs):
    """An executed physical exchange with its pending payment of 780 €."""
    exchange = executed_exchange(**kwargs)
    Payment.objects.create(
        exchange=exchange, amount=Decimal("780.00"), rate=Decimal("780.00"), working_days=5
    )
    return exchange


def test_r_pay_4_closing_waits_for_accepted_evidence_and_none_pending():
    """R-PAY-4 (c): no evidence, or one still pending, keeps the exchange from closing."""
    exchange = _closable()
    validated_visitor_far(exchange)
    texts = [r.text for r in gates.transition_refusals("close", exchange, today=TODAY)]
    assert any("No evidence" in t for t in texts)
    accept_evidence(exchange)
    evidence(exchange)  # pending
    texts = [r.text for r in gates.transition_refusals("close", exchange, today=TODAY)]
    assert texts == ["1 piece(s) of evidence await the VOP's review."]


def test_r_pay_7_accepting_the_last_evidence_closes_and_the_payment_falls_due():
    """R-PAY-7, R-PAY-4: the visitor's final activity report is validated; accepting the
    evidence closes the exchange by itself (audited, the reviewer as actor) and the payment is
    due 10 days later."""
    exchange = _closable()
    staff = approver(exchange.vop)
    far_validate(exchange)
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.EXECUTED  # the evidence is missing
    rejected = evidence_reject(evidence=evidence(exchange), actor=staff, comment="Unreadable.")
    assert rejected.status == EvidenceStatus.REJECTED
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.EXECUTED
    evidence_accept(evidence=evidence(exchange), actor=staff)
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.CLOSED
    closed = AuditEvent.objects.get(action="exchanges.exchange.closed")
    assert closed.actor == staff and closed.data["automatic"] is True
    payment = Payment.objects.get(exchange=exchange)
    assert payment.status == PaymentStatus.DUE
    assert payment.due_date == timezone.localdate() + timedelta(days=10)


def test_r_pay_7_validating_the_report_last_closes_too():
    """R-PAY-7, R-PAY-4, R-DOC-6: whichever item comes last closes: here the VOP's validation
    of the visitor's final activity report."""
    exchange = _closable()
    accept_evidence(exchange)
    far_validate(exchange)
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.CLOSED
    assert Payment.objects.get(exchange=exchange).status == PaymentStatus.DUE


def test_r_pay_7_recording_the_stay_as_executed_last_closes_too():
    """R-PAY-7, R-PAY-4, R-EXC-2: the report validated and the evidence accepted while the
    exchange was still contracted: "Record as executed" is then the last step, and the exchange
    closes by itself in the same transaction (the payment falls due)."""
    exchange = contracted_exchange()
    Payment.objects.create(
        exchange=exchange, amount=Decimal("780.00"), rate=Decimal("780.00"), working_days=5
    )
    accept_evidence(exchange)
    far_validate(exchange)
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.CONTRACTED  # closing starts from executed
    staff = approver(exchange.vop)
    after = exchange_execute(
        exchange=exchange, actor=staff, today=exchange.end_date + timedelta(days=1)
    )
    assert after.status == ExchangeStatus.CLOSED
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.CLOSED
    closed = AuditEvent.objects.get(action="exchanges.exchange.closed")
    assert closed.actor == staff and closed.data["automatic"] is True
    assert Payment.objects.get(exchange=exchange).status == PaymentStatus.DUE


def test_r_pay_7_recording_as_executed_without_the_items_stays_executed():
    """R-PAY-7: without the evidence, "Record as executed" executes and nothing more."""
    exchange = contracted_exchange()
    far_validate(exchange)
    after = exchange_execute(
        exchange=exchange, actor=approver(exchange.vop), today=exchange.end_date + timedelta(days=1)
    )
    assert after.status == ExchangeStatus.EXECUTED
    assert not AuditEvent.objects.filter(action="exchanges.exchange.closed").exists()


def test_r_pay_4_rejecting_needs_a_comment_and_only_vop_staff_review():
    """R-PAY-4 (c): a rejection says why; the HOP's staff do not review."""
    exchange = _closable()
    piece = evidence(exchange)
    with pytest.raises(ValidationError):
        evidence_reject(evidence=piece, actor=approver(exchange.vop), comment="")
    with pytest.raises(PermissionDenied):
        evidence_accept(evidence=piece, actor=approver(exchange.hop))
    piece.refresh_from_db()
    assert piece.status == EvidenceStatus.PENDING


def _due_payment(*, due_date=None, **kwargs):
    exchange = ExchangeFactory(status=ExchangeStatus.CLOSED, **kwargs)
    return Payment.objects.create(
        exchange=exchange,
        amount=Decimal("780.00"),
        rate=Decimal("780.00"),
        working_days=5,
        status=PaymentStatus.DUE,
        due_date=due_date or timezone.localdate() + timedelta(days=5),
    )


def test_r_pay_4_mark_paid_once_with_one_audit_event():
    """R-PAY-4: recorded once; a second call is refused, one audit event."""
    payment = _due_payment()
    payer = approver(payment.exchange.vop)
    today = timezone.localdate()
    paid = payment_mark_paid(payment=payment, actor=payer, paid_on=today, reference=" SEPA-1 ")
    assert (paid.status, paid.paid_on, paid.reference, paid.paid_by) == (
        PaymentStatus.PAID,
        today,
        "SEPA-1",
        payer,
    )
    with pytest.raises(ValidationError, match="already recorded as paid"):
        payment_mark_paid(payment=payment, actor=payer, paid_on=today, reference="SEPA-2")
    assert AuditEvent.objects.filter(action="payments.payment.paid").count() == 1
    payment.refresh_from_db()
    assert payment.reference == "SEPA-1"


def test_r_pay_4_mark_paid_refuses_a_future_date_and_a_missing_reference():
    """R-PAY-4: field errors, nothing saved."""
    payment = _due_payment()
    payer = approver(payment.exchange.vop)
    with pytest.raises(ValidationError) as error:
        payment_mark_paid(
            payment=payment,
            actor=payer,
            paid_on=timezone.localdate() + timedelta(days=1),
            reference="  ",
        )
    assert set(error.value.message_dict) == {"paid_on", "reference"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.DUE and not AuditEvent.objects.exists()


def test_r_pay_4_only_the_vops_payers_mark_paid():
    """R-PAY-4: the VOP pays: not its staff without ``can_pay``, not another partnership, not
    the Support Office (read-only)."""
    payment = _due_payment()
    vop = payment.exchange.vop
    no_flag = approver(vop)
    no_flag.partnership_staff.update(can_pay=False)
    for user in (no_flag, approver(PartnershipFactory()), support_office_user()):
        with pytest.raises(PermissionDenied):
            payment_mark_paid(
                payment=payment, actor=user, paid_on=timezone.localdate(), reference="X"
            )


def test_r_pay_4_a_pending_payment_cannot_be_marked_paid():
    """R-PAY-4: nothing is paid before the exchange is closed."""
    payment = _due_payment()
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.PENDING, due_date=None)
    with pytest.raises(ValidationError, match="not due yet"):
        payment_mark_paid(
            payment=payment,
            actor=approver(payment.exchange.vop),
            paid_on=timezone.localdate(),
            reference="X",
        )


def test_r_pay_4_the_close_consequence_leaves_a_paid_payment_alone():
    """R-PAY-4: the due date is set once, from pending only."""
    payment = _due_payment()
    Payment.objects.filter(pk=payment.pk).update(
        status=PaymentStatus.PAID, paid_on=date(2027, 1, 1), reference="R"
    )
    payment_fall_due(payment.exchange, None)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID


def test_r_pay_4_overdue_is_derived_from_the_due_date():
    """R-PAY-4: due and past its due date = overdue (method and queryset agree)."""
    today = timezone.localdate()
    late = _due_payment(due_date=today - timedelta(days=1))
    on_time = _due_payment(due_date=today)
    assert late.is_overdue(today) and not on_time.is_overdue(today)
    assert list(Payment.objects.overdue(today)) == [late]
