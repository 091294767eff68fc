"""R-EXC-2: every transition — the allowed path, each refused path with its message, and who
may trigger it (per role)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cxc_portal.audit.models import AuditEvent
from cxc_portal.notifications.models import Notification
from exchanges.models import ExchangeStatus
from exchanges.services import (
    exchange_cancel,
    exchange_close,
    exchange_contract,
    exchange_create,
    exchange_execute,
)
from organisations.choices import ProfileStatus
from tests.exchanges.factories import (
    TODAY,
    approver,
    contracted_exchange,
    executed_exchange,
    fill_plan,
    ready_exchange,
    representative,
    sign_all,
    support_office_user,
)
from tests.factories import ExchangeFactory, OrganisationFactory, PartnershipFactory
from tests.payments.factories import accept_evidence
from tests.reports.helpers import far_validate, validated_visitor_far

pytestmark = pytest.mark.django_db

AFTER_STAY = date(2027, 3, 13)


# --- contract ----------------------------------------------------------------------------------


def test_r_exc_2_contract_allowed_path_audited_and_notified():
    exchange = ExchangeFactory()
    fill_plan(exchange)
    actor = approver(exchange.hop)
    rep = representative(exchange.visitor)  # before the documents: a signatory in the CTQ
    sign_all(exchange)
    result = exchange_contract(exchange=exchange, actor=actor, today=TODAY)
    assert result.status == ExchangeStatus.CONTRACTED
    assert result.contracted_at is not None
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.CONTRACTED
    event = AuditEvent.objects.get(action="exchanges.exchange.contracted")
    assert event.actor == actor and event.data == {"from": "draft", "to": "contracted"}
    assert Notification.objects.filter(
        kind="exchanges.exchange.contracted", to_email=rep.email
    ).exists()


def test_r_exc_4_contract_refused_with_23_hours():
    exchange = ExchangeFactory()
    fill_plan(exchange, days=1, hours_per_day=Decimal("23"))
    sign_all(exchange)
    with pytest.raises(ValidationError) as error:
        exchange_contract(exchange=exchange, actor=approver(exchange.vop), today=TODAY)
    assert error.value.messages == [
        "The action plan holds 23 hours of activities; at least 24 are needed."
    ]
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.DRAFT
    assert not AuditEvent.objects.filter(action__startswith="exchanges.").exists()


def test_r_doc_2_r_doc_3_contract_refused_until_every_party_signed():
    exchange = ExchangeFactory()
    fill_plan(exchange)
    sign_all(exchange, except_=(("CTQ", "ho"), ("FA", "vop")))
    with pytest.raises(ValidationError) as error:
        exchange_contract(exchange=exchange, actor=approver(exchange.vop), today=TODAY)
    assert error.value.messages == [
        "The Commitment to Quality (version 1) is not signed yet by: HO.",
        "The Financial Agreement (version 1) is not signed yet by: VOP.",
    ]


def test_r_exc_3_contract_rechecks_the_dates():
    # The stay started already (contracting on the first day is still allowed).
    exchange = ready_exchange()
    actor = approver(exchange.vop)
    with pytest.raises(ValidationError, match="cannot start in the past"):
        exchange_contract(exchange=exchange, actor=actor, today=date(2027, 3, 9))
    exchange_contract(exchange=exchange, actor=actor, today=date(2027, 3, 8))


def test_r_elig_5_contract_rechecks_the_parties_eligibility():
    exchange = ready_exchange()
    host = exchange.host
    host.status = ProfileStatus.REJECTED
    host.save(update_fields=["status"])
    with pytest.raises(ValidationError, match="cannot host"):
        exchange_contract(exchange=exchange, actor=approver(exchange.vop), today=TODAY)


def test_r_exc_8_contract_refused_for_a_virtual_draft_once_virtual_is_switched_off(settings):
    exchange = ready_exchange(mode="virtual")
    settings.CXC_VIRTUAL_EXCHANGES_ENABLED = False
    with pytest.raises(ValidationError, match="switched off"):
        exchange_contract(exchange=exchange, actor=approver(exchange.vop), today=TODAY)


def test_r_exc_2_contract_twice_is_refused_as_already_contracted():
    exchange = ready_exchange()
    actor = approver(exchange.vop)
    exchange_contract(exchange=exchange, actor=actor, today=TODAY)
    # The same (stale) instance, as a double submit would hold it.
    with pytest.raises(ValidationError) as error:
        exchange_contract(exchange=exchange, actor=actor, today=TODAY)
    assert error.value.messages == ["This exchange is already contracted."]
    assert AuditEvent.objects.filter(action="exchanges.exchange.contracted").count() == 1


def test_r_exc_2_a_cancelled_exchange_cannot_be_contracted():
    exchange = ready_exchange()
    actor = approver(exchange.vop)
    exchange_cancel(exchange=exchange, actor=actor, reason="No budget")
    with pytest.raises(ValidationError) as error:
        exchange_contract(exchange=exchange, actor=actor, today=TODAY)
    assert error.value.messages == [
        "Only a draft exchange can be contracted; this one is cancelled."
    ]


# --- execute -----------------------------------------------------------------------------------


def test_r_exc_2_execute_allowed_once_the_stay_is_over():
    exchange = contracted_exchange()
    result = exchange_execute(exchange=exchange, actor=approver(exchange.vop), today=AFTER_STAY)
    assert result.status == ExchangeStatus.EXECUTED and result.executed_at
    assert AuditEvent.objects.filter(action="exchanges.exchange.executed").count() == 1


def test_r_exc_2_execute_refused_on_the_last_day_of_the_stay():
    exchange = contracted_exchange()
    with pytest.raises(ValidationError) as error:
        exchange_execute(exchange=exchange, actor=approver(exchange.vop), today=exchange.end_date)
    assert error.value.messages == [
        "The stay ends on 12 Mar 2027: it can be recorded as executed from 13 Mar 2027."
    ]


def test_r_exc_2_execute_refusal_on_the_calendars_last_day_is_a_message_not_a_crash():
    exchange = contracted_exchange(start_date=date(9999, 12, 27), end_date=date.max)
    with pytest.raises(ValidationError, match="The stay ends on 31 Dec 9999"):
        exchange_execute(exchange=exchange, actor=approver(exchange.vop), today=AFTER_STAY)


def test_r_exc_2_execute_refused_for_a_draft():
    exchange = ExchangeFactory()
    with pytest.raises(ValidationError) as error:
        exchange_execute(exchange=exchange, actor=approver(exchange.vop), today=AFTER_STAY)
    assert error.value.messages == [
        "Only a contracted exchange can be recorded as executed; this one is draft."
    ]


def test_r_exc_2_execute_twice_is_refused():
    exchange = contracted_exchange()
    actor = approver(exchange.hop)
    exchange_execute(exchange=exchange, actor=actor, today=AFTER_STAY)
    with pytest.raises(ValidationError, match="already recorded as executed"):
        exchange_execute(exchange=exchange, actor=actor, today=AFTER_STAY)


# --- close (R-PAY-4) ----------------------------------------------------------------------------


def test_r_pay_4_close_refused_until_the_vop_validated_the_visitor_report():
    """R-PAY-4 (a)+(b), R-DOC-6: closing waits for the visitor's final activity report validated
    by the VOP (the reports room's gate) and the accepted evidence; the validation coming last
    closes the exchange by itself (R-PAY-7)."""
    exchange = executed_exchange()
    actor = approver(exchange.vop)
    with pytest.raises(ValidationError) as error:
        exchange_close(exchange=exchange, actor=actor)
    assert "The visitor has not submitted the final activity report yet." in (error.value.messages)
    accept_evidence(exchange)  # R-PAY-4 (c)
    with pytest.raises(ValidationError) as error:
        exchange_close(exchange=exchange, actor=actor)
    assert error.value.messages == ["The visitor has not submitted the final activity report yet."]
    far_validate(exchange, today=AFTER_STAY)
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.CLOSED and exchange.closed_at
    codes = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert codes[-2:] == ["reports.far.validated", "exchanges.exchange.closed"]


def test_r_pay_4_only_vop_staff_close():
    exchange = executed_exchange()
    validated_visitor_far(exchange)
    hop_staff = approver(exchange.hop)
    with pytest.raises(PermissionDenied, match="R-PAY-4"):
        exchange_close(exchange=exchange, actor=hop_staff)
    with pytest.raises(PermissionDenied):
        exchange_close(exchange=exchange, actor=approver(exchange.vop, can_approve=False))


def test_r_exc_2_close_refused_for_a_contracted_exchange():
    exchange = contracted_exchange()
    with pytest.raises(ValidationError) as error:
        exchange_close(exchange=exchange, actor=approver(exchange.vop))
    assert error.value.messages == [
        "Only an executed exchange can be closed; this one is contracted."
    ]


# --- cancel --------------------------------------------------------------------------------------


@pytest.mark.parametrize("factory", [ExchangeFactory, contracted_exchange])
def test_r_exc_2_cancel_from_draft_or_contracted_with_a_reason(factory):
    exchange = factory()
    rep = representative(exchange.host)
    result = exchange_cancel(exchange=exchange, actor=approver(exchange.vop), reason=" Strike ")
    assert result.status == ExchangeStatus.CANCELLED
    assert result.status_reason == "Strike"
    event = AuditEvent.objects.get(action="exchanges.exchange.cancelled")
    assert event.data["reason"] == "Strike"
    notice = Notification.objects.get(kind="exchanges.exchange.cancelled", to_email=rep.email)
    assert "Strike" in notice.body


def test_r_exc_2_cancel_needs_a_reason():
    exchange = ExchangeFactory()
    with pytest.raises(ValidationError) as error:
        exchange_cancel(exchange=exchange, actor=approver(exchange.vop), reason="   ")
    assert error.value.message_dict == {"reason": ["Say why the exchange is cancelled."]}
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.DRAFT


@pytest.mark.parametrize(
    ("factory", "message"),
    [
        (
            executed_exchange,
            "Only a draft or contracted exchange can be cancelled; this one is executed.",
        ),
        (
            lambda: ExchangeFactory(status=ExchangeStatus.CANCELLED),
            "This exchange is already cancelled.",
        ),
    ],
)
def test_r_exc_2_cancel_refused_after_execution_or_twice(factory, message):
    exchange = factory()
    with pytest.raises(ValidationError) as error:
        exchange_cancel(exchange=exchange, actor=approver(exchange.vop), reason="x")
    assert error.value.messages == [message]


def test_r_elig_11_cancelling_a_contracted_exchange_frees_the_visit():
    exchange = contracted_exchange()
    actor = approver(exchange.vop)
    exchange_cancel(exchange=exchange, actor=actor, reason="Postponed")
    host = OrganisationFactory(country="FR")
    again = exchange_create(
        actor=actor,
        visitor=exchange.visitor,
        host=host,
        vop=exchange.vop,
        hop=host.validating_partnership,
        start_date=date(2027, 3, 8),
        end_date=date(2027, 3, 12),
        today=TODAY,
    )
    assert again.visitor == exchange.visitor


# --- who may trigger each transition (per role) -------------------------------------------------


def _actors(exchange):
    return {
        "vop_approver": approver(exchange.vop),
        "hop_approver": approver(exchange.hop),
        "vop_staff_without_flag": approver(exchange.vop, can_approve=False),
        "other_partnership": approver(PartnershipFactory()),
        "visitor_rep": representative(exchange.visitor),
        "host_rep": representative(exchange.host),
        "support_office": support_office_user(),
    }


ALLOWED = {
    "contract": {"vop_approver", "hop_approver"},
    "execute": {"vop_approver", "hop_approver"},
    "cancel": {"vop_approver", "hop_approver"},
    "close": {"vop_approver"},
}


def _run(name, exchange, actor):
    if name == "contract":
        return exchange_contract(exchange=exchange, actor=actor, today=TODAY)
    if name == "execute":
        return exchange_execute(exchange=exchange, actor=actor, today=AFTER_STAY)
    if name == "cancel":
        return exchange_cancel(exchange=exchange, actor=actor, reason="r")
    # Every condition of R-PAY-4 in, recorded without the service that would close it.
    validated_visitor_far(exchange)
    accept_evidence(exchange)
    return exchange_close(exchange=exchange, actor=actor)


EXPECTED = {
    "contract": ExchangeStatus.CONTRACTED,
    "execute": ExchangeStatus.EXECUTED,
    "cancel": ExchangeStatus.CANCELLED,
    "close": ExchangeStatus.CLOSED,
}

MAKERS = {
    "contract": ready_exchange,
    "execute": contracted_exchange,
    "cancel": ExchangeFactory,
    "close": executed_exchange,
}


@pytest.mark.parametrize("transition", sorted(ALLOWED))
@pytest.mark.parametrize(
    "role",
    [
        "vop_approver",
        "hop_approver",
        "vop_staff_without_flag",
        "other_partnership",
        "visitor_rep",
        "host_rep",
        "support_office",
    ],
)
def test_r_exc_6_r_pay_4_who_may_trigger_each_transition(transition, role):
    if transition == "contract":
        # The actors first: the representatives are signatories named in the CTQ (R-DOC-2),
        # then the six signatures on documents that name them.
        exchange = ExchangeFactory()
        fill_plan(exchange)
        actor = _actors(exchange)[role]
        sign_all(exchange)
    else:
        exchange = MAKERS[transition]()
        actor = _actors(exchange)[role]
    if role in ALLOWED[transition]:
        assert _run(transition, exchange, actor).status == EXPECTED[transition]
    else:
        with pytest.raises(PermissionDenied):
            _run(transition, exchange, actor)
        before = exchange.status
        exchange.refresh_from_db()
        assert exchange.status == before
