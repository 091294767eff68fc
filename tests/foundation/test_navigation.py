"""Navigation and home page differ by role."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def nav_markers(response) -> set[str]:
    html = response.content.decode()
    return {m for m in ("applicant", "staff", "support-office") if f'data-role-nav="{m}"' in html}


def test_anonymous_home_explains_the_programme_and_leads_to_signup(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "What is an exchange?",
        "You can visit if you are",
        "You can host if you are",
        "Preparation",
        "Execution",
        "Finalisation",
    ):
        assert text in html
    assert reverse("account_signup") in html
    assert nav_markers(response) == set()


def test_newcomer_without_organisation_is_invited_to_create_a_profile(client):
    user = factories.UserFactory()
    client.force_login(user)
    response = client.get(reverse("home"))
    assert 'data-dashboard="newcomer"' in response.content.decode()
    assert reverse("organisations:create") in response.content.decode()
    assert nav_markers(response) == set()
    # A pending join request is followed from "My organisation".
    assert 'data-role-nav="newcomer"' in response.content.decode()


def test_applicant_navigation(client):
    rep = factories.RepresentativeFactory()
    client.force_login(rep.user)
    response = client.get(reverse("home"))
    assert nav_markers(response) == {"applicant"}
    assert 'data-dashboard="applicant"' in response.content.decode()
    assert reverse("organisations:mine") in response.content.decode()


def test_partnership_staff_navigation(staff_client):
    response = staff_client.get(reverse("home"))
    assert nav_markers(response) == {"staff"}
    html = response.content.decode()
    assert 'data-dashboard="staff"' in html
    assert reverse("organisations:staff_queue") in html


def test_support_office_navigation(support_client):
    response = support_client.get(reverse("home"))
    assert nav_markers(response) == {"staff", "support-office"}
    assert reverse("admin:index") in response.content.decode()
