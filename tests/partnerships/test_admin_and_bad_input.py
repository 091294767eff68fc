"""The admin (Support Office maintains partnerships and staff) and bad input that must never
produce a server error (bad ids → 404, bad parameters → ignored or form errors)."""

import pytest
from django.urls import reverse

from partnerships import services
from partnerships.models import ExpressionOfInterest, InterestStatus, Match
from tests import factories as f
from tests.partnerships import factories as pf

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = f.UserFactory(is_superuser=True, is_staff=True)
    f.give_totp(user)
    client.force_login(user)
    return client


def test_admin_lists_and_edits_partnerships_and_staff(admin_client, world):
    for model in ("partnership", "partnershipstaff", "expressionofinterest", "match"):
        url = reverse(f"admin:partnerships_{model}_changelist")
        assert admin_client.get(url).status_code == 200, model
    url = reverse("admin:partnerships_partnership_change", args=[world.vop.pk])
    page = admin_client.get(url).content.decode()
    assert world.vop_staff.email in page  # staff inline
    assert admin_client.get(reverse("admin:partnerships_partnership_add")).status_code == 200


def test_admin_keeps_interests_and_matches_read_only(admin_client, world):
    """Their workflow (decision, audit, notifications) runs only through the services."""
    assert (
        admin_client.get(reverse("admin:partnerships_expressionofinterest_add")).status_code == 403
    )
    assert admin_client.get(reverse("admin:partnerships_match_add")).status_code == 403
    url = reverse(
        "admin:partnerships_expressionofinterest_change", args=[world.visitor_interest.pk]
    )
    response = admin_client.post(url, {"status": "declined"})
    assert response.status_code == 403
    world.visitor_interest.refresh_from_db()
    assert world.visitor_interest.status == "accepted"
    delete = reverse("admin:partnerships_match_changelist")
    assert admin_client.get(delete).status_code == 200


def test_bad_ids_are_404_and_bad_parameters_never_500(client, world):
    client.force_login(world.visitor_user)
    for url in (
        "/partnerships/interests/0/",
        "/partnerships/interests/0/matching/",
        f"/partnerships/interests/{world.visitor_interest.pk}/matching/propose/0/",
        "/partnerships/matches/0/",
        "/partnerships/no-such-partnership/interest/",
    ):
        assert client.get(url).status_code == 404, url
    for url, params in (
        ("/partnerships/", {"ecosystem": "nope", "country": "ZZ", "q": "x" * 500}),
        (
            reverse("partnerships:matching", kwargs={"pk": world.visitor_interest.pk}),
            {"page": "abc", "country": "ZZ", "ecosystem": "nope", "sort": "evil"},
        ),
        (reverse("partnerships:match_list"), {"status": "nope", "page": "-1"}),
    ):
        assert client.get(url, params).status_code == 200, url
    staff = world.vop_staff
    client.force_login(staff)
    response = client.get(
        reverse("partnerships:staff_inbox"),
        {"partnership": "abc", "status": "nope", "role": "x", "page": "999", "sort": "nope"},
    )
    assert response.status_code in (200, 404)
    assert not Match.objects.exists()
    assert ExpressionOfInterest.objects.count() == 2


def test_posting_to_a_decided_match_shows_a_message_not_an_error(client, world):
    match = services.match_propose(
        actor=world.visitor_user, interest=world.visitor_interest, counterpart=world.host
    )
    services.match_withdraw(actor=world.visitor_user, match=match)
    client.force_login(world.host_user)
    for action in ("match_accept", "match_decline"):
        response = client.post(
            reverse(f"partnerships:{action}", kwargs={"pk": match.pk}),
            {"reason": "Too late"},
            follow=True,
        )
        assert response.status_code == 200
        assert "This match is already withdrawn." in response.content.decode()


def test_declining_an_interest_decided_meanwhile_shows_a_message(client, world):
    interest = pf.interest(pf.org("FR"), world.vop, status=InterestStatus.SUBMITTED)
    services.interest_accept(actor=world.vop_staff, interest=interest)
    client.force_login(world.vop_staff)
    response = client.post(
        reverse("partnerships:interest_decline", kwargs={"pk": interest.pk}),
        {"reason": "Too late"},
        follow=True,
    )
    assert "This expression of interest is already accepted." in response.content.decode()
