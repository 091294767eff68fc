"""The public eligibility checker at /eligibility/ (R-ELIG-12): HTML and JSON, no account."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = "/eligibility/"


def test_the_checker_is_mounted_at_eligibility_and_shows_a_form(client):
    assert reverse("eligibility") == URL
    response = client.get(URL)
    assert response.status_code == 200
    assert 'name="org_type"' in response.content.decode()
    assert "The answer" not in response.content.decode()


def test_r_elig_4_an_sme_in_a_business_network_only_can_neither_visit_nor_host(client):
    page = client.get(
        URL, {"org_type": "sme", "country": "PT", "business_network_member": "on"}
    ).content.decode()
    assert 'data-role-verdict="visitor" data-allowed="no"' in page
    assert 'data-role-verdict="host" data-allowed="no"' in page
    assert "membership of a business network" in page


def test_r_elig_6_the_same_sme_with_easme_pre_approval_can_host_not_visit_as_json(client):
    response = client.get(
        URL,
        {
            "org_type": "sme",
            "country": "PT",
            "business_network_member": "on",
            "easme_pre_approved": "on",
            "format": "json",
        },
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert (data["can_visit"], data["can_host"]) == (False, True)
    assert data["host"]["allowed"] is True
    assert any(r["rule"] == "R-ELIG-6" and r["met"] for r in data["host"]["reasons"])


def test_the_accept_header_asks_for_json_too(client):
    response = client.get(
        URL,
        {"org_type": "large_company", "country": "DE", "cluster_member": "on"},
        HTTP_ACCEPT="application/json",
    )
    data = response.json()
    assert (data["can_visit"], data["can_host"]) == (False, True)
    assert [r["rule"] for r in data["visitor"]["reasons"] if not r["met"]] == ["R-ELIG-2"]


def test_r_elig_10_a_17_year_old_cannot_sign_for_a_host(client):
    data = client.get(
        URL,
        {
            "org_type": "cluster",
            "country": "BE",
            "representative_age": "17",
            "nationality": "BE",
            "format": "json",
        },
    ).json()
    assert data["can_host"] is False
    assert any("is 17" in r["text"] for r in data["host"]["reasons"] if not r["met"])
    adult = client.get(
        URL,
        {
            "org_type": "cluster",
            "country": "BE",
            "representative_age": "18",
            "nationality": "BE",
            "format": "json",
        },
    ).json()
    assert adult["can_host"] is True


def test_r_elig_9_and_8_residence_and_country_in_the_checker(client):
    data = client.get(
        URL,
        {
            "org_type": "cluster",
            "country": "NO",
            "representative_age": "40",
            "nationality": "US",
            "format": "json",
        },
    ).json()
    failed = {r["rule"] for r in data["visitor"]["reasons"] if not r["met"]}
    assert failed == {"R-ELIG-8", "R-ELIG-9"}


def test_r_elig_11_an_organisation_that_visited_can_still_host(client):
    data = client.get(
        URL, {"org_type": "cluster", "country": "BE", "already_visited": "on", "format": "json"}
    ).json()
    assert (data["can_visit"], data["can_host"]) == (False, True)


def test_bad_input_gives_errors_next_to_the_fields_and_400_in_json(client):
    page = client.get(URL, {"org_type": "spaceship", "country": "BE", "representative_age": "17"})
    html = page.content.decode()
    assert 'id="error_1_id_org_type"' in html and 'id="error_1_id_nationality"' in html
    assert 'value="17"' in html
    response = client.get(URL, {"org_type": "sme", "format": "json"})
    assert response.status_code == 400
    assert "country" in response.json()["errors"]
    assert client.get(URL, {"format": "json"}).status_code == 400


def test_r_elig_8_kosovo_is_a_country_and_a_nationality_everywhere(client):
    """Kosovo ("XK", no ISO 3166-1 code yet) participates in COSME: every form offers it."""
    from django.utils import timezone

    from organisations.forms import EligibilityCheckForm, OrganisationForm, SignatoryForm

    def codes(field):
        return {str(code) for code, _ in field.choices}

    assert "XK" in codes(OrganisationForm(today=timezone.localdate()).fields["country"])
    assert "XK" in codes(SignatoryForm().fields["nationality"])
    checker = EligibilityCheckForm().fields
    assert "XK" in codes(checker["country"]) and "XK" in codes(checker["nationality"])
    data = client.get(
        URL,
        {
            "org_type": "cluster",
            "country": "XK",
            "representative_age": "40",
            "nationality": "XK",
            "format": "json",
        },
    ).json()
    assert data["can_visit"] is True and data["can_host"] is True
