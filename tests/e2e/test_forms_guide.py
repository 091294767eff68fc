"""In a real browser: forms that guide. A failed submit puts the focus on the error summary
(even when the only error is far down the page); the profile form's searchable picker takes
three cluster memberships; its errors follow what is typed. Screenshots (desktop and phone)
of the reworked pages are saved under var/e2e-artefacts/."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests import factories as f
from tests.e2e.conftest import log_in
from tests.partnerships import factories as pf

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]

ARTEFACTS = Path(settings.BASE_DIR) / "var" / "e2e-artefacts"


def screenshot(page, name: str) -> None:
    """The page as a person sees it, at desktop and at phone width (then back to desktop)."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTEFACTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size(size)


def test_a_failed_interest_form_puts_the_focus_on_the_error_summary(browsing):
    """R-PART-2: the only error is the period, far down the form: after the submit, the focus
    is on the summary at the top, whose link leads to the field."""
    partnership = f.PartnershipFactory(acronym="AGRI", name="Agri-food Partnership")
    organisation = pf.org("BE", legal_name="Flanders Food Cluster")
    user = pf.representative_of(organisation)
    page = browsing.new_page()
    log_in(page, user.email)
    page.goto(f"/partnerships/{partnership.slug}/interest/")
    page.locator("[name=role][value=visitor]").check()
    page.get_by_label("Objectives").fill("Meet food-tech start-ups in Portugal.")
    page.get_by_label("Available from").fill("2027-05-10")
    page.get_by_label("Available until").fill("2027-05-01")
    page.get_by_role("button", name="Send the expression of interest").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("The period must end after it starts.")
    assert page.evaluate("document.activeElement.getBoundingClientRect().top") < 300
    screenshot(page, "interest-form-error-summary")
    summary.get_by_role("link", name=re.compile("Available until")).click()
    expect(page.get_by_label("Available until")).to_be_focused()
    expect(page.get_by_label("Available until")).to_have_value("2027-05-01")  # input kept


def test_profile_form_picks_three_memberships_and_errors_follow_the_input(browsing):
    """R-ELIG-4: cluster memberships chosen with the searchable picker; the sections say what
    is complete; an error of the failed submit goes as soon as its field is filled."""
    for name, city in (
        ("Flanders Food", "Brussels"),
        ("Wallonia Agro", "Namur"),
        ("Gent Bio", "Gent"),
    ):
        f.OrganisationFactory(legal_name=f"{name} Cluster", country="BE", city_name=city)
    f.OrganisationFactory(legal_name="Porto Tech Cluster", country="PT", city_name="Porto")
    user = f.UserFactory(first_name="Anna", last_name="Peeters")
    page = browsing.new_page()
    log_in(page, user.email)
    page.goto("/organisations/new/")
    expect(page.locator('[data-section="organisation"]')).to_have_attribute(
        "data-status", "missing"
    )

    # A failed submit: the summary takes the focus and names the legal name.
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator("[data-error-summary]")).to_be_focused()
    legal_name_error = page.locator("#div_id_legal_name [id^=error_]")
    expect(legal_name_error).to_have_text("This field is required.")
    screenshot(page, "profile-form-after-failed-submit")

    # Typing the legal name (then leaving the field): its error and summary entry go.
    page.get_by_label("Legal name").fill("Gent Greenhouse Sensors BV")
    page.get_by_label("Legal name").press("Tab")
    expect(legal_name_error).to_have_count(0)
    expect(page.locator('[data-error-summary] [data-error-for="legal_name"]')).to_have_count(0)
    expect(page.get_by_label("Legal name")).not_to_have_class(re.compile("is-invalid"))

    # Three memberships through the searchable picker.
    picker = "Member of these cluster organisations"
    for typed, option in (
        ("Flan", "Flanders Food"),
        ("Wall", "Wallonia Agro"),
        ("Gent", "Gent Bio"),
    ):
        page.get_by_role("combobox", name=picker).fill(typed)
        page.get_by_role("listbox", name=picker).get_by_role(
            "option", name=re.compile(option)
        ).click()
    chosen = page.locator("select[name=clusters] option:checked")
    expect(chosen).to_have_count(3)
    memberships = page.locator('[data-section="memberships"]')
    expect(memberships).to_have_attribute("data-status", "complete")
    expect(memberships).to_contain_text("3 chosen")
    page.locator("#section-memberships").scroll_into_view_if_needed()
    screenshot(page, "profile-form-three-memberships")
