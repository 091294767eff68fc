"""Odd input from a browser or a script never gives a 500: ids no database can hold, NUL
characters, dates at the edge of the calendar, double clicks. Each gives a message next to the
field (or a 404), keeps what was typed and saves nothing half-done."""

import pytest
from django.urls import reverse

from organisations.models import Organisation
from tests import factories as f
from tests.organisations.factories import draft_sme, gazetteer_city, profile_post

pytestmark = pytest.mark.django_db

#: Larger than any database integer: SQLite raises OverflowError on it in an IN (...) query.
HUGE = "99999999999999999999999"


def html(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("clusters", ["²"]),  # a digit to str.isdigit(), not to int()
        ("clusters", [HUGE]),
        ("clusters", ["abc"]),
        ("ecosystems", [HUGE]),
        ("sectors", ["²"]),
    ],
)
def test_an_id_no_database_can_hold_is_a_field_error_not_a_500(client, field, value):
    client.force_login(f.UserFactory())
    response = client.post(reverse("organisations:create"), profile_post(**{field: value}))
    assert response.status_code == 200
    page = html(response)
    assert f'id="error_1_id_{field}"' in page
    assert 'value="Gent Greenhouse Sensors BV"' in page
    assert not Organisation.objects.exists()


def test_r_elig_12_the_live_verdict_ignores_unusable_ids(client):
    org, user = draft_sme()
    client.force_login(user)
    url = reverse("organisations:eligibility_preview")
    response = client.post(url, profile_post(clusters=["²", HUGE]))
    assert response.status_code == 200
    assert 'data-rule="R-ELIG-4" data-met="no"' in html(response)
    for odd in ("²", HUGE, "-1", "abc"):
        assert client.post(f"{url}?organisation={odd}", profile_post()).status_code == 404
    edit = client.post(reverse("organisations:edit", args=[org.pk]), profile_post(clusters=["²"]))
    assert edit.status_code == 200 and 'id="error_1_id_clusters"' in html(edit)


def test_r_elig_12_the_live_verdict_waits_for_the_type_and_the_country(client):
    client.force_login(f.UserFactory())
    url = reverse("organisations:eligibility_preview")
    response = client.post(url, profile_post(country=""))
    page = html(response)
    # No verdict on a blank country: it would wrongly say "not a COSME participating country".
    assert "data-verdict-waiting" in page and "R-ELIG-8" not in page
    assert "data-verdict-waiting" in html(client.post(url, profile_post(org_type="")))
    assert 'data-role-verdict="visitor"' in html(client.post(url, profile_post()))


@pytest.mark.parametrize("city_id", ["abc", HUGE, "-5", "²"])
def test_an_unusable_picked_city_id_is_ignored_and_the_typed_name_decides(client, city_id):
    client.force_login(f.UserFactory())
    response = client.post(reverse("organisations:create"), profile_post(city=city_id))
    assert response.status_code == 302
    org = Organisation.objects.get()
    assert org.city == gazetteer_city("BE", "Gent") and org.latitude is not None


@pytest.mark.parametrize(
    "params",
    [
        {"country": "BE", "city_name": "ge\x00nt"},  # PostgreSQL refuses NUL with an error
        {"country": "\x00\x00", "city_name": "gent"},
        {"country": "Belgium", "city_name": "gent"},
        {"country": "BE", "city_name": "%_%"},
    ],
)
def test_the_city_picker_answers_odd_queries_without_error(client, params):
    client.force_login(f.UserFactory())
    response = client.get(reverse("organisations:city_search"), params)
    assert response.status_code == 200
    if params["country"] != "BE":
        assert "Choose the country first" in html(response)


def test_a_double_clicked_save_creates_one_profile(client):
    client.force_login(f.UserFactory())
    url = reverse("organisations:create")
    assert client.post(url, profile_post()).status_code == 302
    again = client.post(url, profile_post(legal_name="gent greenhouse sensors bv"))
    assert again.status_code == 200
    assert 'id="error_1_id_legal_name"' in html(again) and "You already represent" in html(again)
    assert Organisation.objects.count() == 1


def test_r_elig_9_the_checker_answers_a_residence_date_at_the_end_of_the_calendar(client):
    answers = {
        "org_type": "cluster",
        "country": "BE",
        "representative_age": "30",
        "nationality": "US",
        "residence_since": "9999-12-31",
    }
    page = html(client.get(reverse("eligibility"), answers))
    assert 'data-rule="R-ELIG-9" data-met="no"' in page
    data = client.get(reverse("eligibility"), {**answers, "format": "json"}).json()
    assert data["can_host"] is False
    assert [r["rule"] for r in data["host"]["reasons"] if not r["met"]] == ["R-ELIG-9"]


def test_the_checker_tells_caches_it_answers_by_accept_and_ignores_foreign_parameters(client):
    response = client.get(reverse("eligibility"), {"utm_source": "newsletter"})
    assert "Accept" in response["Vary"]
    assert "This field is required" not in html(response)  # not asked yet: no errors
    json_response = client.get(
        reverse("eligibility"),
        {"org_type": "cluster", "country": "BE"},
        headers={"accept": "application/json"},
    )
    assert json_response["Content-Type"] == "application/json"
    assert "Accept" in json_response["Vary"]
