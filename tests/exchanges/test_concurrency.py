"""Double submits on PostgreSQL: two requests run the same service at the same time; the row
lock (and the R-ELIG-11 constraint) let exactly one win, the other gets a clear refusal."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cxc_portal.audit.models import AuditEvent
from exchanges.models import Activity, Exchange, ExchangeGroup, ExchangeStatus
from exchanges.services import (
    exchange_activity_add,
    exchange_cancel,
    exchange_close,
    exchange_contract,
    exchange_create,
    exchange_execute,
    group_create,
)
from tests.concurrency import run_twice
from tests.exchanges.factories import (
    TODAY,
    approver,
    contracted_exchange,
    executed_exchange,
    ready_exchange,
    representative,
)
from tests.factories import ExchangeFactory, OrganisationFactory
from tests.payments.factories import accept_evidence
from tests.reports.helpers import validated_visitor_far

# Real transactions; the flush that ends each test keeps the reference data the migrations
# loaded (tests/reference_data.py).
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def test_r_exc_2_double_contract_makes_exactly_one_transition_and_one_event():
    exchange = ready_exchange()
    actor = approver(exchange.vop)
    results = run_twice(lambda: exchange_contract(exchange=exchange, actor=actor, today=TODAY))
    wins = [r for r in results if isinstance(r, Exchange)]
    losses = [r for r in results if isinstance(r, ValidationError)]
    assert len(wins) == 1 and len(losses) == 1, results
    assert losses[0].messages == ["This exchange is already contracted."]
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.CONTRACTED
    assert AuditEvent.objects.filter(action="exchanges.exchange.contracted").count() == 1


def test_r_exc_2_double_cancel_makes_exactly_one_transition():
    exchange = ready_exchange()
    actor = approver(exchange.hop)
    results = run_twice(lambda: exchange_cancel(exchange=exchange, actor=actor, reason="Clash"))
    assert sorted(type(r).__name__ for r in results) == ["Exchange", "ValidationError"], results
    loss = next(r for r in results if isinstance(r, ValidationError))
    assert loss.messages == ["This exchange is already cancelled."]
    assert AuditEvent.objects.filter(action="exchanges.exchange.cancelled").count() == 1


def test_r_exc_2_double_execute_makes_exactly_one_transition_and_one_event():
    exchange = contracted_exchange()
    actor = approver(exchange.vop)
    after_stay = date(2027, 3, 13)
    results = run_twice(lambda: exchange_execute(exchange=exchange, actor=actor, today=after_stay))
    assert sorted(type(r).__name__ for r in results) == ["Exchange", "ValidationError"], results
    loss = next(r for r in results if isinstance(r, ValidationError))
    assert loss.messages == ["This exchange is already recorded as executed."]
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.EXECUTED
    assert AuditEvent.objects.filter(action="exchanges.exchange.executed").count() == 1


def test_r_exc_2_r_pay_4_double_close_makes_exactly_one_transition_and_one_event():
    # Every item of R-PAY-4 recorded without the services that would close it (R-PAY-7).
    exchange = executed_exchange()
    validated_visitor_far(exchange)
    accept_evidence(exchange)
    actor = approver(exchange.vop)
    results = run_twice(lambda: exchange_close(exchange=exchange, actor=actor))
    assert sorted(type(r).__name__ for r in results) == ["Exchange", "ValidationError"], results
    loss = next(r for r in results if isinstance(r, ValidationError))
    assert loss.messages == ["This exchange is already closed."]
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.CLOSED
    assert AuditEvent.objects.filter(action="exchanges.exchange.closed").count() == 1


def test_r_elig_11_two_concurrent_encodings_of_one_visitor_create_one_exchange():
    visitor = OrganisationFactory(country="BE")
    host = OrganisationFactory(country="PT")
    actor = approver(visitor.validating_partnership)

    def encode():
        return exchange_create(
            actor=actor,
            visitor=visitor,
            host=host,
            vop=visitor.validating_partnership,
            hop=host.validating_partnership,
            start_date=date(2027, 3, 8),
            end_date=date(2027, 3, 12),
            today=TODAY,
        )

    results = run_twice(encode)
    losses = [r for r in results if isinstance(r, ValidationError)]
    assert len(losses) == 1, results
    assert "single visit" in " ".join(losses[0].messages)
    assert Exchange.objects.filter(visitor=visitor).count() == 1
    assert AuditEvent.objects.filter(action="exchanges.exchange.created").count() == 1


def test_r_exc_4_a_double_submitted_activity_makes_one_row():
    exchange = ExchangeFactory()
    actor = representative(exchange.visitor)

    def add():
        return exchange_activity_add(
            exchange=exchange,
            actor=actor,
            date=exchange.start_date,
            activity_type="networking",
            title="Visit of the cluster's members",
            hours=Decimal("6"),
        )

    results = run_twice(add)
    assert sorted(type(r).__name__ for r in results) == ["Activity", "ValidationError"], results
    assert Activity.objects.filter(exchange=exchange).count() == 1
    assert AuditEvent.objects.filter(action="exchanges.activity.added").count() == 1


def test_r_exc_7_a_double_submitted_group_makes_one_group():
    host = OrganisationFactory(country="PT")
    actor = approver(host.validating_partnership)

    def create():
        return group_create(
            actor=actor,
            name="Porto textile mission",
            host=host,
            vop=host.validating_partnership,
            hop=host.validating_partnership,
            today=TODAY,
        )

    results = run_twice(create)
    assert sorted(type(r).__name__ for r in results) == ["ExchangeGroup", "ValidationError"], (
        results
    )
    assert ExchangeGroup.objects.count() == 1
    assert AuditEvent.objects.filter(action="exchanges.group.created").count() == 1
