"""In a real browser at 390 px (a phone), issue 14: the eligibility checker lands on its verdict
(R-ELIG-12), the staff exchange list folds its filters away, and both pages pass check_page
(axe-core, no sideways scrolling, screenshots)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, check_page, log_in
from tests.exchanges.factories import approver, future_exchange

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


def test_r_elig_12_the_checker_lands_on_the_verdict_on_a_phone(browsing):
    page = browsing.new_page()
    # A short page keeps its footer at the bottom of the window, not half-way up.
    page.goto("/accounts/login/")
    footer_bottom, window_height = page.evaluate(
        "() => [document.querySelector('body > footer').getBoundingClientRect().bottom,"
        " window.innerHeight]"
    )
    assert abs(footer_bottom - window_height) <= 1
    page.goto("/eligibility/")
    check_page(page, "eligibility-empty")
    page.set_viewport_size(PHONE)
    page.locator("#eligibility-form [name=org_type]").select_option("sme")
    page.locator("#eligibility-form [name=country]").select_option("PT")
    page.get_by_role("button", name="Check").click()
    verdict = page.locator("#the-answer [data-role-verdict=visitor]")
    expect(verdict).to_be_visible()
    expect(verdict).to_be_in_viewport()  # the page opened on the answer, not on the form
    page.evaluate("window.scrollTo(0, 0)")
    page.get_by_role("link", name="See the verdict").click()
    expect(page.locator("#the-answer h2")).to_be_in_viewport()
    page.set_viewport_size({"width": 1366, "height": 900})
    check_page(page, "eligibility-verdict")


def test_the_exchange_list_folds_its_filters_on_a_phone(browsing):
    exchange = future_exchange()
    staff = approver(exchange.vop)
    page = browsing.new_page()
    log_in(page, staff.email, totp=True)
    page.goto("/exchanges/")
    filters = page.get_by_role("form", name="Filter the exchanges")
    expect(filters).to_be_visible()  # on a desktop they are open
    page.set_viewport_size(PHONE)
    expect(filters).to_be_hidden()
    expect(page.get_by_role("link", name=exchange.reference)).to_be_in_viewport()
    page.get_by_role("button", name="Filters").click()
    expect(filters).to_be_visible()
    page.set_viewport_size({"width": 1366, "height": 900})
    check_page(page, "exchange-list")
