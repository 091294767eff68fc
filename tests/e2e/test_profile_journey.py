"""In a real browser: an applicant builds a profile with the live eligibility verdict (htmx,
R-ELIG-12) and the city picker, submits it; the validating partnership's staff validate it
and the applicant is e-mailed."""

import re

import pytest
from playwright.sync_api import expect

from organisations.choices import ProfileStatus
from organisations.models import Organisation
from tests import factories as f
from tests.e2e.conftest import assert_assets_loaded, check_page, log_in

pytestmark = [
    pytest.mark.e2e,
    # The live server needs committed data (a transactional test); the flush keeps the
    # reference data (countries, cities, ecosystems): tests/reference_data.py.
    pytest.mark.django_db(transaction=True),
]


def visitor_card(page):
    return page.locator("#eligibility-verdict [data-role-verdict=visitor]")


def test_r_elig_12_applicant_profile_live_verdict_then_staff_validation(browsing, mailoutbox):
    partnership = f.PartnershipFactory(acronym="AGRI", name="Agri-food Partnership")
    staff = f.PartnershipStaffFactory(partnership=partnership)
    f.give_totp(staff.user)
    f.OrganisationFactory(legal_name="Flanders Food Cluster", country="BE", city_name="Brussels")
    applicant = f.UserFactory(email="anna@example.org", first_name="Anna", last_name="Peeters")

    # --- The public pages, as anyone first sees them (issue 14: axe, phone width).
    page = browsing.new_page()
    page.goto("/")
    check_page(page, "home")
    page.goto("/accounts/login/")
    check_page(page, "login")

    # --- The applicant logs in and opens the profile form from the navigation.
    log_in(page, applicant.email)
    assert_assets_loaded(page)
    check_page(page, "applicant-home")
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="My organisation"
    ).click()
    check_page(page, "my-organisation")
    page.get_by_role("link", name="Create your organisation's profile").click()
    expect(page.locator("#eligibility-verdict [data-verdict-waiting]")).to_be_visible()
    check_page(page, "profile-form-empty")
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads

    page.get_by_label("Legal name").fill("Gent Greenhouse Sensors BV")
    page.get_by_label("Organisation type").select_option("sme")
    page.get_by_label("Size").select_option("small")
    # A country outside COSME: neither role allowed, R-ELIG-8 named.
    page.locator("#profile-form [name=country]").select_option("US")
    expect(visitor_card(page)).to_have_attribute("data-allowed", "no")
    expect(visitor_card(page)).to_contain_text("Cannot visit")
    expect(visitor_card(page).locator('[data-rule="R-ELIG-8"][data-met=no]')).to_be_visible()

    # Belgium: the country is met (R-ELIG-7), but an SME without a membership cannot visit.
    page.locator("#profile-form [name=country]").select_option("BE")
    expect(visitor_card(page).locator('[data-rule="R-ELIG-7"][data-met=yes]')).to_be_visible()
    expect(visitor_card(page).locator('[data-rule="R-ELIG-4"][data-met=no]')).to_be_visible()
    expect(visitor_card(page)).to_contain_text("Cannot visit")

    # The city picker: type a few letters, pick the suggestion.
    page.locator("[data-city-input]").press_sequentially("Gen", delay=50)
    suggestion = page.locator('#city-suggestions [data-city-pick][data-city-name="Gent"]')
    suggestion.click()
    expect(page.locator("[data-city-input]")).to_have_value("Gent")
    expect(page.locator("[data-city-id]")).to_have_value(re.compile(r"^\d+$"))
    expect(page.locator("#city-suggestions [data-city-pick]")).to_have_count(0)

    page.get_by_label("Description").fill("Sensors for greenhouses.")
    page.get_by_label("Agri-food").check()

    # Picking a validated cluster's membership in the searchable picker flips the verdict: the
    # SME could visit, once validated.
    picker = "Member of these cluster organisations"
    page.get_by_role("combobox", name=picker).fill("Flanders")
    page.get_by_role("listbox", name=picker).get_by_role(
        "option", name=re.compile(r"Flanders Food Cluster \(BE")
    ).click()
    expect(visitor_card(page)).to_have_attribute("data-allowed", "yes")
    expect(visitor_card(page)).to_contain_text("Could visit once validated")
    expect(visitor_card(page).locator('[data-rule="R-ELIG-4"][data-met=yes]')).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True  # updated in place, no reload
    check_page(page, "profile-form-filled")

    page.get_by_label("Partnership that will validate the profile").select_option(
        label="AGRI — Agri-food Partnership"
    )
    page.locator("[name=signatory-role_title]").fill("CEO")
    page.locator("[name=signatory-date_of_birth]").fill("1980-05-17")
    page.locator("[name=signatory-nationality]").select_option("BE")
    page.get_by_role("button", name="Save the draft").click()

    # --- The profile page: a draft that can visit once validated; submit it.
    expect(page.get_by_role("heading", name="Gent Greenhouse Sensors BV")).to_be_visible()
    expect(page.locator(".status-badge")).to_have_text("Draft")
    expect(page.locator("[data-role-verdict=visitor]")).to_contain_text(
        "Could visit once validated"
    )
    check_page(page, "profile-draft")
    page.get_by_role("button", name="Submit for validation").click()
    expect(page.get_by_text("Waiting for validation by AGRI.")).to_be_visible()
    check_page(page, "profile-submitted")
    expect(page.locator(".status-badge")).to_have_text("Submitted for validation")
    organisation = Organisation.objects.get(legal_name="Gent Greenhouse Sensors BV")
    assert organisation.status == ProfileStatus.SUBMITTED
    assert organisation.city.name == "Gent" and organisation.validating_partnership == partnership
    assert [m.to for m in mailoutbox] == [[staff.user.email]]  # the partnership is told

    # --- The partnership's staff (password + TOTP) validate it from their queue.
    staff_page = browsing.new_page()
    log_in(staff_page, staff.user.email, totp=True)
    check_page(staff_page, "staff-home")
    nav = staff_page.get_by_role("navigation", name="Main navigation")
    nav.get_by_role("link", name="Profiles", exact=True).click()
    check_page(staff_page, "staff-profile-queue")
    staff_page.get_by_role("link", name="Gent Greenhouse Sensors BV").click()
    check_page(staff_page, "staff-profile")
    staff_page.get_by_role("button", name="Validate the profile").click()
    expect(staff_page.get_by_role("alert")).to_contain_text("The profile is validated")
    check_page(staff_page, "staff-profile-validated")
    expect(staff_page.locator(".status-badge")).to_have_text("Validated")
    expect(
        staff_page.locator('[data-timeline] li.entry-event[data-code$="validated"]')
    ).to_be_visible()

    organisation.refresh_from_db()
    assert organisation.status == ProfileStatus.VALIDATED
    to_applicant = [m for m in mailoutbox if m.to == [applicant.email]]
    assert len(to_applicant) == 1
    assert "Your profile is validated: Gent Greenhouse Sensors BV" in to_applicant[0].subject

    # The applicant sees it too.
    page.reload()
    expect(page.locator(".status-badge")).to_have_text("Validated")
