"""Double submits on PostgreSQL: two requests run the same service at the same time; the row
locks (and the constraints behind them) let exactly one win, the other gets a clear refusal."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cxc_portal.audit.models import AuditEvent
from partnerships import services
from partnerships.models import ExpressionOfInterest, InterestStatus, Match, MatchStatus
from tests import factories as f
from tests.concurrency import run_together
from tests.partnerships import factories as pf

# Real transactions; the flush that ends each test keeps the reference data the migrations
# loaded (tests/reference_data.py).
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]
TODAY = date(2026, 11, 23)


def test_r_part_2_double_submit_creates_one_interest():
    p = f.PartnershipFactory(acronym="DUP")
    organisation = pf.org("BE")
    user = pf.representative_of(organisation)

    def submit():
        return services.interest_submit(
            actor=user,
            organisation=organisation,
            partnership=p,
            role="visitor",
            objectives="Meet clusters abroad.",
            today=TODAY,
        )

    results = run_together(submit, submit)
    assert sorted(type(r).__name__ for r in results) == [
        "ExpressionOfInterest",
        "ValidationError",
    ], results
    refusal = next(r for r in results if isinstance(r, ValidationError))
    assert "already has an expression of interest as visitor with DUP" in str(refusal)
    assert ExpressionOfInterest.objects.count() == 1
    assert AuditEvent.objects.filter(action="partnerships.interest.submitted").count() == 1


def test_r_part_2_accept_and_decline_racing_make_one_decision():
    p = f.PartnershipFactory()
    interest = pf.interest(pf.org("BE"), p, status=InterestStatus.SUBMITTED)
    staff_a, staff_b = pf.staff_of(p), pf.staff_of(p)
    results = run_together(
        lambda: services.interest_accept(actor=staff_a, interest=interest, today=TODAY),
        lambda: services.interest_decline(actor=staff_b, interest=interest, reason="No room"),
    )
    assert sorted(type(r).__name__ for r in results) == [
        "ExpressionOfInterest",
        "ValidationError",
    ], results
    interest.refresh_from_db()
    assert interest.status in (InterestStatus.ACCEPTED, InterestStatus.DECLINED)
    assert AuditEvent.objects.filter(action__startswith="partnerships.interest.").count() == 1


def test_r_match_2_visitor_and_host_proposing_each_other_at_once_make_one_match(world):
    results = run_together(
        lambda: services.match_propose(
            actor=world.visitor_user,
            interest=world.visitor_interest,
            counterpart=world.host,
            today=TODAY,
        ),
        lambda: services.match_propose(
            actor=world.host_user,
            interest=world.host_interest,
            counterpart=world.visitor,
            today=TODAY,
        ),
    )
    assert sorted(type(r).__name__ for r in results) == ["Match", "ValidationError"], results
    assert Match.objects.count() == 1


def test_r_elig_11_two_hosts_accepting_the_same_visitor_at_once_confirm_one_match(world):
    second_host = pf.org("ES", legal_name="Madrid Cluster")
    second_user = pf.representative_of(second_host)
    first = services.match_propose(
        actor=world.visitor_user,
        interest=world.visitor_interest,
        counterpart=world.host,
        today=TODAY,
    )
    second = services.match_propose(
        actor=world.visitor_user,
        interest=world.visitor_interest,
        counterpart=second_host,
        today=TODAY,
    )
    results = run_together(
        lambda: services.match_accept(actor=world.host_user, match=first, today=TODAY),
        lambda: services.match_accept(actor=second_user, match=second, today=TODAY),
    )
    assert sorted(type(r).__name__ for r in results) == ["Match", "ValidationError"], results
    assert Match.objects.filter(status=MatchStatus.ACCEPTED).count() == 1
    assert Match.objects.filter(status=MatchStatus.WITHDRAWN).count() == 1
