"""Double submits on PostgreSQL: two requests run the same service at the same time; the row
lock (and the R-ELIG-11 constraint) let exactly one win, the other gets a clear refusal."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cxc_portal.audit.models import AuditEvent
from exchanges.models import Exchange, ExchangeStatus
from exchanges.services import (
    exchange_cancel,
    exchange_close,
    exchange_closing_report_validate,
    exchange_contract,
    exchange_create,
    exchange_execute,
)
from tests.concurrency import run_twice
from tests.exchanges.factories import (
    TODAY,
    approver,
    contracted_exchange,
    executed_exchange,
    ready_exchange,
)
from tests.factories import OrganisationFactory

# serialized_rollback: a transactional test flushes the tables; this restores the reference
# data the migrations loaded (participating countries) for the next test.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
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
    exchange = executed_exchange()
    actor = approver(exchange.vop)
    exchange_closing_report_validate(exchange=exchange, actor=actor)
    results = run_twice(lambda: exchange_close(exchange=exchange, actor=actor))
    assert sorted(type(r).__name__ for r in results) == ["Exchange", "ValidationError"], results
    loss = next(r for r in results if isinstance(r, ValidationError))
    assert loss.messages == ["This exchange is already closed."]
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.CLOSED
    assert AuditEvent.objects.filter(action="exchanges.exchange.closed").count() == 1


def test_r_pay_4_double_closing_report_validation_records_it_once():
    exchange = executed_exchange()
    actor = approver(exchange.vop)
    results = run_twice(lambda: exchange_closing_report_validate(exchange=exchange, actor=actor))
    assert sorted(type(r).__name__ for r in results) == ["Exchange", "ValidationError"], results
    loss = next(r for r in results if isinstance(r, ValidationError))
    assert loss.messages == ["The closing report is already recorded as validated."]
    assert AuditEvent.objects.filter(action="exchanges.closing_report.validated").count() == 1


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
