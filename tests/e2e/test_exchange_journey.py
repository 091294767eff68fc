"""In a real browser: the VOP's staff build a draft's action plan in the htmx editor until the
24 hours are reached (R-EXC-4), the six signatures are given (R-DOC-2, R-DOC-3) and the VOP's
staff contract the exchange (R-EXC-2)."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from exchanges.models import ExchangeStatus
from reports.models import Signature
from tests.e2e.conftest import DESKTOP, PHONE, assert_assets_loaded, check_page, log_in
from tests.exchanges.factories import approver, future_exchange, sign_all

pytestmark = [
    pytest.mark.e2e,
    # The live server needs committed data (a transactional test); the flush keeps the
    # reference data (countries, cities, rates): tests/reference_data.py.
    pytest.mark.django_db(transaction=True),
]


def test_r_exc_4_plan_editor_reaches_24_hours_then_signatures_and_r_exc_2_contract(browsing):
    exchange = future_exchange()
    staff = approver(exchange.vop)

    page = browsing.new_page()
    log_in(page, staff.email, totp=True)
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Exchanges"
    ).click()
    check_page(page, "staff-exchange-list")
    page.get_by_role("link", name=exchange.reference).click()
    assert_assets_loaded(page)
    check_page(page, "exchange-draft")
    expect(page.locator("h1 + .status-badge")).to_have_text("Draft")
    contract = page.locator("[data-action=contract] button")
    expect(contract).to_be_disabled()
    expect(page.locator("#why-contract")).to_contain_text("at least 24 are needed")

    # --- The action plan editor: each row is added in place (htmx), the totals follow.
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads
    plan = page.locator("#plan")
    for day in range(4):
        form = page.locator("[data-activity-form]")
        form.get_by_label("Date").fill((exchange.start_date + timedelta(days=day)).isoformat())
        form.get_by_label("Hours").fill("6")
        form.get_by_label("Title").fill(f"Workshop day {day + 1}")
        form.get_by_role("button", name="Add to the plan").click()
        expect(plan.locator("table[data-plan-rows]")).to_have_attribute(
            "data-plan-rows", str(day + 1)
        )
        expect(plan.locator("[data-counted-hours]")).to_have_text(
            re.compile(rf"^\s*{6 * (day + 1)} h\b")
        )
        expect(plan.get_by_role("cell", name=f"Workshop day {day + 1}")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True  # no page reload
    expect(plan.locator("[data-counted-hours]")).to_contain_text("24 h / 24 h needed")
    # The "Next steps" card was refreshed with the plan: only the signatures are missing now.
    expect(page.locator("#why-contract")).not_to_contain_text("at least 24 are needed")
    expect(page.locator("#why-contract")).to_contain_text("has not been prepared yet")
    expect(contract).to_be_disabled()
    check_page(page, "exchange-plan-24-hours")
    # On a phone the plan's table scrolls in its box: a named region the keyboard can reach
    # (WCAG 2.1.1); on a desktop it fits, and is no extra tab stop.
    page.set_viewport_size(PHONE)
    expect(page.get_by_role("region", name="Action plan — table")).to_have_attribute(
        "tabindex", "0"
    )
    page.set_viewport_size(DESKTOP)
    expect(page.locator("#plan .table-responsive")).not_to_have_attribute("tabindex", "0")

    # --- The six signatures (R-DOC-2, R-DOC-3), recorded through the signing service (the sign
    # form and its re-authentication are tested in tests/reports/test_signing.py); the cards
    # then say both documents are fully signed.
    sign_all(exchange)
    page.reload()
    expect(page.locator('#documents [data-signing-status="signed"]')).to_have_count(2)

    # --- Contract: the badge and the timeline say so.
    expect(contract).to_be_enabled()
    contract.click()
    expect(page.get_by_role("alert")).to_contain_text(f"{exchange.reference} is contracted.")
    expect(page.locator("h1 + .status-badge")).to_have_text("Contracted")
    contracted = page.locator(
        '[data-timeline] li.entry-event[data-code="exchanges.exchange.contracted"]'
    )
    expect(contracted).to_contain_text("Contracted")
    expect(page.locator("[data-activity-form]")).to_have_count(0)  # the plan is frozen
    check_page(page, "exchange-contracted")

    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.CONTRACTED
    assert exchange.activities.count() == 4
    assert (
        Signature.objects.filter(document__exchange=exchange, voided_at__isnull=True).count() == 6
    )
