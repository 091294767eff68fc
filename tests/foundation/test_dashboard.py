"""The applicant's home (issue 13): where each of their organisations stands in the journey
profile → interest → match → exchange → documents → stay → report → evidence → payment, with
the one next step and its deadline; and what the home page shows each role."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cxc_portal.core.work_queue import (
    NextStep,
    journey_refinement,
    register_journey_step,
    unregister_journey_step,
)
from exchanges.models import ExchangeStatus
from organisations.choices import ProfileStatus
from partnerships.models import InterestStatus, Match, MatchStatus
from payments.models import Evidence, Payment, PaymentStatus
from tests import factories
from tests.queries import session_queries

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def journey_of(client, rep):
    client.force_login(rep.user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    journeys = response.context["journeys"]
    assert "work_queue" not in response.context  # applicants get no staff queue
    return next(j for j in journeys if j.organisation.pk == rep.organisation_id), (
        response.content.decode()
    )


def states(journey) -> dict[str, str]:
    return {step.key: str(step.state) for step in journey.steps}


def test_a_draft_profile_is_the_first_step(client):
    rep = factories.RepresentativeFactory(
        organisation=factories.OrganisationFactory(status=ProfileStatus.DRAFT)
    )
    journey, html = journey_of(client, rep)
    assert states(journey)["profile"] == "current"
    assert journey.next_step.text == "Complete and submit your organisation's profile"
    assert 'data-dashboard="applicant"' in html
    assert 'aria-current="step"' in html


def test_a_validated_profile_without_interest_is_invited_to_express_one(client):
    rep = factories.RepresentativeFactory()
    journey, _ = journey_of(client, rep)
    assert states(journey)["profile"] == "done"
    assert states(journey)["interest"] == "current"
    assert journey.next_step.url == reverse("partnerships:directory")


def test_an_accepted_interest_leads_to_finding_a_match_then_answering_one(client):
    """R-PART-2, R-MATCH-2: after an accepted interest, the match; a proposal from the other
    side is answered by the applicant."""
    rep = factories.RepresentativeFactory()
    interest = factories.ExpressionOfInterestFactory(
        organisation=rep.organisation, status=InterestStatus.ACCEPTED
    )
    journey, _ = journey_of(client, rep)
    assert states(journey)["interest"] == "done"
    assert journey.next_step.text == "Find a match and propose it"
    host = factories.OrganisationFactory(country="PT")
    match = Match.objects.create(
        visitor=rep.organisation,
        host=host,
        visitor_interest=interest,
        vop=interest.partnership,
        hop=host.validating_partnership,
        score=40,
        proposed_by_role="host",
        status=MatchStatus.PROPOSED,
    )
    journey, _ = journey_of(client, rep)
    assert journey.next_step.text == "Answer the match proposal"
    assert journey.next_step.url == reverse("partnerships:match_detail", kwargs={"pk": match.pk})


def test_a_draft_exchange_asks_for_the_documents_before_the_stay(client):
    """R-DOC-2, R-DOC-3: the CTQ and FA are signed before the stay: its first day is the
    deadline."""
    rep = factories.RepresentativeFactory()
    exchange = factories.ExchangeFactory(visitor=rep.organisation)
    journey, html = journey_of(client, rep)
    assert states(journey)["exchange"] == "done"
    assert states(journey)["documents"] == "current"
    assert journey.next_step.due == exchange.start_date
    assert journey.next_step.url == reverse("exchanges:detail", kwargs={"pk": exchange.pk})
    assert f"Deadline: {exchange.start_date:%-d %b %Y}" in html


def test_after_the_stay_the_report_is_due_seven_days_later_and_overdue_says_so(client):
    """R-DOC-4: the final report is due 7 days after the stay's last day; past it, the next
    step says "Overdue" in words (not only in red)."""
    rep = factories.RepresentativeFactory()
    end = today() - timedelta(days=10)
    factories.ExchangeFactory(
        visitor=rep.organisation,
        status=ExchangeStatus.EXECUTED,
        start_date=end - timedelta(days=4),
        end_date=end,
    )
    journey, html = journey_of(client, rep)
    assert states(journey)["stay"] == "done"
    assert states(journey)["report"] == "current"
    assert journey.next_step.due == end + timedelta(days=7)
    assert journey.is_overdue
    assert "Overdue: it was due on" in html
    assert states(journey)["evidence"] == "current"


def test_evidence_then_payment_for_the_visitor(client):
    """R-PAY-4: evidence sent waits for the review; a paid lump sum completes the journey."""
    rep = factories.RepresentativeFactory()
    exchange = factories.ExchangeFactory(
        visitor=rep.organisation,
        status=ExchangeStatus.CLOSED,
        start_date=today() - timedelta(days=30),
        end_date=today() - timedelta(days=26),
    )
    Evidence.objects.create(
        exchange=exchange,
        file="e/x.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        kind="boarding_pass",
        status="accepted",
    )
    payment = Payment.objects.create(
        exchange=exchange,
        amount=Decimal("780.00"),
        rate=Decimal("780.00"),
        working_days=5,
        status=PaymentStatus.DUE,
        due_date=today() + timedelta(days=4),
    )
    journey, _ = journey_of(client, rep)
    assert states(journey)["evidence"] == "done"
    assert states(journey)["payment"] == "current"
    assert journey.next_step.due == payment.due_date
    Payment.objects.filter(pk=payment.pk).update(
        status=PaymentStatus.PAID, paid_on=today(), reference="SEPA-9"
    )
    journey, html = journey_of(client, rep)
    assert states(journey)["payment"] == "done"
    assert journey.next_step is None
    assert "Nothing left to do" in html


def test_a_host_has_no_evidence_nor_payment_step(client):
    rep = factories.RepresentativeFactory()
    factories.ExchangeFactory(host=rep.organisation)
    journey, _ = journey_of(client, rep)
    assert journey.role == "host"
    assert states(journey)["evidence"] == "n/a"
    assert states(journey)["payment"] == "n/a"
    assert journey.next_step.text == "Sign the Commitment to Quality"


def test_the_reports_room_refines_the_documents_step_through_its_slot(client):
    """The slot ``register_journey_step("documents", ...)``: the reports room's next action
    replaces the derived one for the exchanges it knows."""
    rep = factories.RepresentativeFactory()
    exchange = factories.ExchangeFactory(visitor=rep.organisation)

    def refine(user, day, exchanges):
        return {e.pk: NextStep("Sign the CTQ version 2", "/sign/", e.start_date) for e in exchanges}

    previous = journey_refinement("documents")  # the reports room's own (restored after)
    register_journey_step("documents", refine)
    try:
        journey, _ = journey_of(client, rep)
    finally:
        unregister_journey_step("documents")
        if previous is not None:
            register_journey_step("documents", previous)
    assert journey.next_step == NextStep("Sign the CTQ version 2", "/sign/", exchange.start_date)


def test_other_organisations_are_not_in_the_applicants_home(client):
    rep = factories.RepresentativeFactory()
    other = factories.RepresentativeFactory()
    client.force_login(rep.user)
    response = client.get(reverse("home"))
    assert [j.organisation.pk for j in response.context["journeys"]] == [rep.organisation_id]
    assert other.organisation.legal_name not in response.content.decode()


#: session, user, access (2), organisations and their representatives (the eligibility
#: prefetch), interests, matches, exchanges, evidence, payments; the reports room's journey
#: steps: the documents with who signed them, the user's signatory roles, the final reports.
APPLICANT_HOME_QUERIES = 13  # + session_queries()


def test_applicant_home_costs_the_same_queries_with_one_or_many_organisations(
    client, django_assert_num_queries
):
    """Issue 12 bar: pinned and flat — one organisation with one exchange, or four with
    exchanges, interests and matches."""
    rep = factories.RepresentativeFactory()
    factories.ExchangeFactory(visitor=rep.organisation)
    client.force_login(rep.user)
    with django_assert_num_queries(APPLICANT_HOME_QUERIES + session_queries()):
        client.get(reverse("home"))
    for _ in range(3):
        other = factories.RepresentativeFactory(user=rep.user).organisation
        factories.ExpressionOfInterestFactory(organisation=other)
        factories.ExchangeFactory(visitor=other, status=ExchangeStatus.CONTRACTED)
        factories.ExchangeFactory(host=other)
    with django_assert_num_queries(APPLICANT_HOME_QUERIES + session_queries()):
        response = client.get(reverse("home"))
    assert len(response.context["journeys"]) == 4
