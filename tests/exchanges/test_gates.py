"""Transition gates (R-EXC-2): a room above ``exchanges`` registers conditions and consequences
on a transition; the services and the exchange page both honour them."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from cxc_portal.audit.models import AuditEvent
from cxc_portal.core.refusals import Refusal
from cxc_portal.notifications.models import Notification
from exchanges import gates, services
from exchanges.models import Exchange, ExchangeStatus
from reports import gates as report_gates
from tests.exchanges import factories as make
from tests.factories import ExchangeFactory
from tests.payments.factories import accept_evidence
from tests.reports.helpers import validated_visitor_far

pytestmark = pytest.mark.django_db

AFTER_STAY = date(2027, 3, 13)

EVIDENCE = Refusal("R-PAY-4", "The evidence that the stay took place is not accepted yet.")


def evidence_missing(exchange, today):
    return [EVIDENCE]


def _ready(transition):
    """An exchange and an actor for which ``transition`` passes every condition of today."""
    if transition == "contract":
        exchange = make.ready_exchange()
    elif transition == "execute":
        exchange = make.contracted_exchange()
    elif transition == "close":
        exchange = make.executed_exchange()
        validated_visitor_far(exchange)  # R-PAY-4 (a)+(b), the reports room's condition
        accept_evidence(exchange)  # R-PAY-4 (c), the payments room's condition
    else:
        exchange = ExchangeFactory()
    return exchange, make.approver(exchange.vop)


def _run(transition, exchange, actor):
    if transition == "contract":
        return services.exchange_contract(exchange=exchange, actor=actor, today=make.TODAY)
    if transition == "execute":
        return services.exchange_execute(exchange=exchange, actor=actor, today=AFTER_STAY)
    if transition == "close":
        return services.exchange_close(exchange=exchange, actor=actor, today=AFTER_STAY)
    return services.exchange_cancel(
        exchange=exchange, actor=actor, reason="No budget", today=make.TODAY
    )


@pytest.mark.parametrize("transition", ["contract", "execute", "close", "cancel"])
def test_r_exc_2_a_registered_condition_refuses_each_transition(transition):
    """R-EXC-2: the four transition services read the gate registry: a registered condition's
    refusal is raised with its text, nothing is saved and nothing is audited."""
    exchange, actor = _ready(transition)
    before = exchange.status
    with (
        gates.temporary_gate(transition, condition=evidence_missing),
        pytest.raises(ValidationError) as error,
    ):
        _run(transition, exchange, actor)
    assert error.value.messages == [EVIDENCE.text]
    exchange.refresh_from_db()
    assert exchange.status == before
    assert not AuditEvent.objects.filter(action__startswith="exchanges.").exists()
    # Unregistered when the block ends: the same call now goes through.
    assert _run(transition, exchange, actor).status != before


def test_r_exc_2_a_condition_receives_the_locked_row_and_today():
    """R-EXC-2: a condition is asked on the fresh row, with the day the service was given."""
    exchange, actor = _ready("contract")
    seen = []

    def condition(row, today):
        seen.append((row.pk, row.status, today, transaction.get_connection().in_atomic_block))
        return []

    with gates.temporary_gate("contract", condition=condition):
        services.exchange_contract(exchange=exchange, actor=actor, today=make.TODAY)
    assert seen == [(exchange.pk, ExchangeStatus.DRAFT, make.TODAY, True)]


def test_r_exc_2_a_condition_is_not_asked_from_the_wrong_state():
    """R-EXC-2: from the wrong state the only refusal is the state's ("already contracted")."""
    exchange = make.contracted_exchange()
    with gates.temporary_gate("contract", condition=evidence_missing):
        refusals = gates.transition_refusals("contract", exchange, today=make.TODAY)
    assert [r.text for r in refusals] == ["This exchange is already contracted."]


def test_r_exc_2_a_consequence_runs_in_the_transaction_on_the_transitioned_row():
    """R-EXC-2: a consequence runs inside the transition's transaction, after the save (the row
    in the database already holds the new state) and before the audit record."""
    exchange, actor = _ready("contract")
    seen = {}

    def fix_lump_sum(row, who):
        seen["status"] = row.status
        seen["stored"] = Exchange.objects.values_list("status", flat=True).get(pk=row.pk)
        seen["actor"] = who
        seen["atomic"] = transaction.get_connection().in_atomic_block
        seen["audited"] = AuditEvent.objects.filter(action="exchanges.exchange.contracted").exists()

    with gates.temporary_gate("contract", consequence=fix_lump_sum):
        services.exchange_contract(exchange=exchange, actor=actor, today=make.TODAY)
    assert seen == {
        "status": ExchangeStatus.CONTRACTED,
        "stored": ExchangeStatus.CONTRACTED,
        "actor": actor,
        "atomic": True,
        "audited": False,
    }
    assert AuditEvent.objects.filter(action="exchanges.exchange.contracted").count() == 1


def test_r_exc_2_a_consequence_that_fails_rolls_the_transition_back():
    """R-EXC-2: a consequence is part of the transition: when it fails, the state, the stamp,
    the audit and the notices are all undone."""
    exchange, actor = _ready("contract")  # the parties' representatives signed: they would be told

    def broken(row, who):
        raise RuntimeError("the lump-sum rate is missing")

    with gates.temporary_gate("contract", consequence=broken), pytest.raises(RuntimeError):
        services.exchange_contract(exchange=exchange, actor=actor, today=make.TODAY)
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.DRAFT
    assert exchange.contracted_at is None
    assert not AuditEvent.objects.exclude(action__startswith="reports.").exists()
    assert not Notification.objects.exists()


def test_r_exc_2_the_page_lists_a_registered_condition_next_to_the_disabled_button(client):
    """R-EXC-2: the exchange page reads the same registry: a draft that passes every rule of
    its own shows "Contract" disabled with the gate's reason and rule id; the parties see it
    among what contracting still waits for; posting is refused with the same text."""
    exchange = make.future_exchange()
    make.fill_plan(exchange)
    people = make.sign_all(exchange)
    url = reverse("exchanges:detail", kwargs={"pk": exchange.pk})
    client.force_login(make.approver(exchange.vop))
    with gates.temporary_gate("contract", condition=evidence_missing):
        body = client.get(url).content.decode()
        assert 'data-action="contract" data-enabled="false"' in body
        why = body[body.index('id="why-contract"') :]
        why = why[: why.index("</ul>")]
        assert f'{EVIDENCE.text} <span class="text-nowrap">(R-PAY-4)</span>' in why
        response = client.post(
            reverse("exchanges:contract", kwargs={"pk": exchange.pk}), follow=True
        )
        assert EVIDENCE.text in response.content.decode()
        client.force_login(people["vo"])  # the visitor's representative (R-DOC-2: a signatory)
        assert EVIDENCE.text in client.get(url).content.decode()
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.DRAFT
    client.force_login(make.approver(exchange.vop))
    assert 'data-action="contract" data-enabled="true"' in client.get(url).content.decode()


def test_no_interim_record_is_left_the_reports_room_holds_both_gates():
    """R-DOC-2, R-DOC-3: contracting waits for the documents room's signatures; R-PAY-4 (a)+(b):
    closing waits for the reports room's gate (the visitor's validated final activity report).
    The interim records of ``exchanges`` are gone."""
    from reports.gates import documents_signed

    assert documents_signed in gates.conditions("contract")
    assert report_gates.visitor_report_validated in gates.conditions("close")
    with pytest.raises(ImportError):
        import exchanges.interim_gates  # noqa: F401


def test_temporary_gates_are_removed_even_when_the_block_fails_and_register_once():
    with pytest.raises(KeyError), gates.temporary_gate("execute", condition=evidence_missing):
        gates.register_condition("execute", evidence_missing)
        assert gates.conditions("execute").count(evidence_missing) == 1
        raise KeyError("boom")
    assert evidence_missing not in gates.conditions("execute")


def test_a_gate_on_an_unknown_transition_is_refused_at_registration():
    with pytest.raises(ValueError, match="No exchange transition 'sign'"):
        gates.register_condition("sign", evidence_missing)
