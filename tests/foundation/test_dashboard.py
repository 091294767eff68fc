"""The home page tells each role what is waiting for them, from the rooms' scoped selectors."""

import pytest
from django.urls import reverse

from exchanges.models import ExchangeStatus
from organisations.choices import ProfileStatus
from partnerships.models import InterestStatus, MatchStatus
from tests import factories

pytestmark = pytest.mark.django_db


def _staff_world(staff, n: int):
    """n submitted profiles, interests and draft exchanges for the staff's partnership, and
    the same again for another partnership (which the staff must not count)."""
    other = factories.PartnershipFactory()
    for partnership in (staff.partnership, other):
        for _ in range(n):
            org = factories.OrganisationFactory(
                status=ProfileStatus.SUBMITTED, validating_partnership=partnership
            )
            factories.ExpressionOfInterestFactory(
                organisation=org, partnership=partnership, status=InterestStatus.SUBMITTED
            )
            visitor = factories.OrganisationFactory(validating_partnership=partnership)
            factories.ExchangeFactory(visitor=visitor, vop=partnership)


def test_staff_dashboard_counts_only_their_partnership(staff_client):
    _staff_world(staff_client.staff, 3)
    response = staff_client.get(reverse("home"))
    board = response.context["staff_dashboard"]
    assert board.profiles_waiting == 3
    assert board.interests_waiting == 3
    assert board.exchanges_by_status[ExchangeStatus.DRAFT] == 3
    assert board.exchanges_by_status[ExchangeStatus.CLOSED] == 0
    assert board.matches_to_encode == 0


def test_staff_dashboard_costs_constant_queries(staff_client, django_assert_max_num_queries):
    _staff_world(staff_client.staff, 1)
    with django_assert_max_num_queries(20) as few:
        staff_client.get(reverse("home"))
    _staff_world(staff_client.staff, 15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(reverse("home"))


def test_accepted_match_without_exchange_is_waiting_to_be_encoded(staff_client):
    partnership = staff_client.staff.partnership
    interest = factories.ExpressionOfInterestFactory(partnership=partnership)
    host = factories.OrganisationFactory(country="PT")
    from partnerships.models import Match

    Match.objects.create(
        visitor=interest.organisation,
        host=host,
        visitor_interest=interest,
        vop=partnership,
        hop=host.validating_partnership,
        score=50,
        proposed_by_role="visitor",
        status=MatchStatus.ACCEPTED,
    )
    board = staff_client.get(reverse("home")).context["staff_dashboard"]
    assert board.matches_to_encode == 1


def test_applicant_dashboard_lists_their_organisations_and_exchanges(client):
    rep = factories.RepresentativeFactory()
    factories.RepresentativeFactory()  # someone else's organisation
    factories.ExchangeFactory(visitor=rep.organisation)
    client.force_login(rep.user)
    response = client.get(reverse("home"))
    board = response.context["applicant_dashboard"]
    assert [o.pk for o in board.organisations] == [rep.organisation.pk]
    assert board.exchanges_by_status[ExchangeStatus.DRAFT] == 1
    html = response.content.decode()
    assert rep.organisation.legal_name in html
    assert "staff_dashboard" not in response.context
