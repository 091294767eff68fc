"""The public lump-sum estimator at /lump-sum/ (R-PAY-2, R-PAY-3, R-EXC-3, R-EXC-8): HTML and
JSON, no account."""

import pytest
from django.urls import reverse

from organisations.models import City

pytestmark = pytest.mark.django_db

URL = "/lump-sum/"
WEEK = {"host_country": "PT", "start": "2026-03-09", "end": "2026-03-13", "mode": "physical"}


def as_json(client, **params):
    return client.get(URL, {"format": "json", **params})


def city(name: str, country: str) -> City:
    return City.objects.filter(name=name, country=country).order_by("-population").first()


def error_codes(response, field: str) -> list[str]:
    return [e["code"] for e in response.json()["errors"][field]]


def test_r_pay_2_the_documented_json_example_answers_780(client):
    """R-PAY-2: Portugal, Mon 9 – Fri 13 March 2026, 1450 km → the full 780.00 €."""
    assert reverse("lump_sum") == URL
    response = as_json(client, **WEEK, distance_km="1450")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert {k: data[k] for k in ("amount", "currency", "rate", "working_days", "halved")} == {
        "amount": "780.00",
        "currency": "EUR",
        "rate": "780.00",
        "working_days": 5,
        "halved": False,
    }
    assert data["distance_km"] == "1450.0"
    assert data["reasons"] == [] and data["holidays"] == []


def test_r_pay_2_a_three_day_stay_answers_390_with_its_reason(client):
    """R-PAY-2: Portugal, 3 working days → 390.00 €, halved, the reason with its rule id."""
    data = as_json(client, **{**WEEK, "end": "2026-03-11"}, distance_km="1450").json()
    assert (data["amount"], data["working_days"], data["halved"]) == ("390.00", 3, True)
    assert [(r["rule"], r["field"]) for r in data["reasons"]] == [("R-PAY-2", "working_days")]


def test_r_pay_2_a_public_holiday_is_named_and_not_counted(client):
    """R-PAY-2, R-EXC-3: Mon 7 – Fri 11 June 2027 in Portugal has 4 working days (the 10th is
    the Day of Portugal): halved, and the holiday is named."""
    data = as_json(
        client, host_country="PT", start="2027-06-07", end="2027-06-11", distance_km="900"
    ).json()
    assert (data["amount"], data["working_days"]) == ("390.00", 4)
    assert [h["date"] for h in data["holidays"]] == ["2027-06-10"]
    assert data["holidays"][0]["name"]
    page = client.get(
        URL,
        {"host_country": "PT", "start": "2027-06-07", "end": "2027-06-11", "distance_km": "900"},
    ).content.decode()
    assert 'data-holiday="2027-06-10"' in page and "390.00 €" in page


def test_r_pay_2_the_two_cities_give_the_distance(client):
    """R-PAY-2: gazetteer ids instead of a distance; Lisbon – Porto (about 274 km) is full,
    Lisbon – Setúbal (under 200 km) is halved."""
    lisbon, porto = city("Lisbon", "PT"), city("Porto", "PT")
    data = as_json(client, **WEEK, visitor_city=lisbon.pk, host_city=porto.pk).json()
    assert 270 < float(data["distance_km"]) < 280
    assert (data["amount"], data["halved"]) == ("780.00", False)
    assert (data["visitor_city"], data["host_city"]) == (lisbon.pk, porto.pk)
    setubal = city("Setúbal", "PT")
    near = as_json(client, **WEEK, visitor_city=lisbon.pk, host_city=setubal.pk).json()
    assert (near["amount"], near["halved"]) == ("390.00", True)
    assert [r["field"] for r in near["reasons"]] == ["distance_km"]


def test_r_exc_8_a_virtual_exchange_answers_zero_without_a_distance(client):
    """R-EXC-8: virtual → 0.00, with its reason; no distance needed."""
    data = as_json(client, **{**WEEK, "mode": "virtual"}).json()
    assert (data["amount"], data["halved"]) == ("0.00", False)
    assert [r["rule"] for r in data["reasons"]] == ["R-EXC-8"]


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"end": "2026-03-06"}, "end", "R-EXC-3"),  # end before start
        ({"host_country": "ZZ"}, "host_country", "unknown_country"),
        ({"host_country": "US"}, "host_country", "R-ELIG-8"),  # not a COSME country
        ({"distance_km": "-1"}, "distance_km", "min_value"),
        ({"end": "2026-03-10"}, "end", "R-EXC-3"),  # Mon–Tue: 2 working days
        ({"end": "2026-04-10"}, "end", "R-EXC-3"),  # over a month
        ({"distance_km": ""}, "distance_km", "required"),  # neither a distance nor cities
        ({"start": "not-a-date"}, "start", "invalid"),
        (
            {"visitor_city": "999999999", "host_city": "1", "distance_km": ""},
            "visitor_city",
            "unknown_city",
        ),
    ],
)
def test_bad_requests_answer_400_with_the_field_errors(client, params, field, code):
    """R-EXC-3, R-ELIG-8, R-PAY-2: each bad parameter is named with its reason, status 400."""
    response = as_json(client, **{**WEEK, "distance_km": "1450", **params})
    assert response.status_code == 400
    assert code in error_codes(response, field)
    assert all(e["message"] for e in response.json()["errors"][field])


def test_r_exc_3_the_duration_reasons_are_the_calendars_own(client):
    """R-EXC-3: the 2-day and over-a-month refusals come from ``exchanges.calendar``."""
    short = as_json(client, **{**WEEK, "end": "2026-03-10"}, distance_km="1450").json()
    assert "at least 3 full working days" in short["errors"]["end"][0]["message"]
    long = as_json(client, **{**WEEK, "end": "2026-04-10"}, distance_km="1450").json()
    assert "at most one month" in long["errors"]["end"][0]["message"]


def test_a_day_before_any_rate_is_refused_with_r_pay_3(client):
    """R-PAY-3: a stay before the rate table starts has no rate: 400, on the start field."""
    response = as_json(
        client, host_country="PT", start="2019-03-04", end="2019-03-08", distance_km="1450"
    )
    assert response.status_code == 400
    assert error_codes(response, "start") == ["R-PAY-3"]


def test_json_without_questions_is_a_400(client):
    response = as_json(client)
    assert response.status_code == 400 and "__all__" in response.json()["errors"]


def test_the_html_form_shows_the_errors_next_to_the_fields_and_keeps_the_input(client):
    """R-EXC-3, R-ELIG-8: the page answers with each message beside its field, input kept."""
    response = client.get(
        URL, {"host_country": "US", "start": "2026-03-09", "end": "2026-03-06", "distance_km": "-3"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "not a COSME participating country" in page
    assert "A distance cannot be negative." in page
    assert 'value="2026-03-09"' in page and 'value="-3"' in page
    assert "data-lump-sum-amount" not in page


def test_the_html_page_explains_the_amount(client):
    """R-PAY-2: the amount, the rate, the working days and each halving reason."""
    page = client.get(
        URL,
        {
            "host_country": "PT",
            "start": "2026-03-09",
            "end": "2026-03-11",
            "mode": "physical",
            "distance_km": "150",
        },
    ).content.decode()
    assert 'data-lump-sum-amount="390.00"' in page
    assert "780.00 €" in page
    assert "3 working days" in page
    assert page.count('data-rule="R-PAY-2"') == 2
    assert "halved once" in page


def test_the_html_form_picks_cities_by_name(client):
    """R-PAY-2: the cities typed (or picked) on the page give the distance."""
    page = client.get(
        URL,
        {
            **WEEK,
            "visitor_country": "BE",
            "visitor_city_name": "Brussels",
            "host_city_name": "Lisbon",
        },
    ).content.decode()
    assert 'data-lump-sum-amount="780.00"' in page
    assert "Brussels – Lisbon" in page
    missing = client.get(
        URL,
        {
            **WEEK,
            "visitor_country": "BE",
            "visitor_city_name": "Nowhereville",
            "host_city_name": "Lisbon",
        },
    ).content.decode()
    assert "No city of that name in Belgium" in missing


def test_the_city_suggestions_are_public(client):
    """The estimator's city picker works without an account (the gazetteer is public data)."""
    response = client.get(
        reverse("lump_sum_cities"), {"side": "host", "host_country": "PT", "host_city_name": "lisb"}
    )
    assert response.status_code == 200
    assert 'data-city-name="Lisbon"' in response.content.decode()
    visitor = client.get(
        reverse("lump_sum_cities"),
        {"side": "visitor", "visitor_country": "BE", "visitor_city_name": "brus"},
    )
    assert 'data-city-name="Brussels"' in visitor.content.decode()


def test_the_page_has_no_inline_script_or_style(client):
    """Strict CSP: the picker's behaviour lives in static/js/lump-sum.js."""
    page = client.get(URL).content.decode()
    assert "js/lump-sum.js" in page
    assert "<script>" not in page and " style=" not in page and "onclick" not in page
    assert 'for="id_host_country"' in page and 'for="id_visitor_city_name"' in page


def test_staff_without_a_second_factor_may_still_use_the_public_estimator(client):
    """The estimator is public: the staff MFA redirect does not hide it (like /eligibility/)."""
    from tests import factories

    client.force_login(factories.PartnershipStaffFactory().user)  # no TOTP set up
    assert client.get("/organisations/staff/").status_code == 302
    response = as_json(client, **WEEK, distance_km="1450")
    assert response.status_code == 200 and response.json()["amount"] == "780.00"


def test_the_result_comes_before_the_form_so_a_phone_shows_it_after_compute(client):
    """R-PAY-2: on a 390 px phone the form is ~2000 px long; the amount used to be rendered below
    it, off-screen after "Compute". It now comes first in the page (CSS keeps it on the right on
    wide screens), and a page without a question shows no empty result column."""
    page = client.get(URL, {**WEEK, "distance_km": "1450"}).content.decode()
    assert page.index('data-lump-sum-amount="780.00"') < page.index('id="lump-sum-form"')
    assert 'id="lump-sum-result"' not in client.get(URL).content.decode()
