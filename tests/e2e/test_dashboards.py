"""The KPI dashboards in a real browser (issue 13): the charts draw under the strict CSP (no
console error), the data tables are behind their toggles, and both dashboards pass check_page
(axe-core, no sideways scrolling at 390 px, screenshots)."""

from datetime import date

import pytest
from playwright.sync_api import expect

from exchanges.models import ExchangeMode, ExchangeStatus
from payments.models import PaymentStatus
from tests.e2e.conftest import check_page, log_in
from tests.exchanges.factories import approver, support_office_user
from tests.factories import PartnershipFactory
from tests.reports.kpi_helpers import kpi_exchange, lump_sum

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def programme():
    names = ("BALTIC-SMART", "EU-AGRIFOOD", "GREEN-MOBILITY", "MED-TOURISM")
    partnerships = [PartnershipFactory(acronym=name, name=f"{name} partnership") for name in names]
    countries = ("BE", "PT", "ES", "FR", "DE", "IT")
    statuses = (ExchangeStatus.CONTRACTED, ExchangeStatus.EXECUTED, ExchangeStatus.CLOSED)
    for i in range(18):
        vop, hop = partnerships[i % 4], partnerships[(i + 1) % 4]
        exchange = kpi_exchange(
            vop,
            hop,
            status=statuses[i % 3],
            mode=ExchangeMode.VIRTUAL if i % 5 == 0 else ExchangeMode.PHYSICAL,
            start=date(2027, 1 + i % 12, 4),
            visitor_country=countries[i % 6],
            host_country=countries[(i + 1 + i // 6) % 6],
        )
        if i % 5 and statuses[i % 3] == ExchangeStatus.CLOSED:
            lump_sum(
                exchange,
                "780.00",
                status=PaymentStatus.PAID if i % 2 else PaymentStatus.DUE,
                closed=date(2027, 2, 1),
                due=date(2027, 2, 11),
                paid=date(2027, 2, 5 + i % 9) if i % 2 else None,
            )
        elif i % 5:
            lump_sum(exchange, "390.00")
    return partnerships


def test_the_dashboards_draw_their_charts_and_pass_the_page_checks(browsing):
    partnerships = programme()
    support = support_office_user()
    staff = approver(partnerships[0])

    page = browsing.new_page()
    log_in(page, support.email, totp=True)
    page.goto("/dashboards/?start=2027-01-01&end=2027-12-31")
    expect(page.get_by_role("heading", name="Programme dashboard")).to_be_visible()
    for chart in ("chart-months", "chart-lump-sums"):
        canvas = page.locator(f"canvas[data-chart={chart}]")
        expect(canvas).to_be_visible()
        drawn = "(el) => Boolean(window.Chart.getChart(el))"
        assert canvas.evaluate(drawn)
    page.get_by_text("The chart's data as a table").first.click()
    check_page(page, "programme-dashboard")

    page = browsing.new_page()
    log_in(page, staff.email, totp=True)
    page.goto("/dashboards/?start=2027-01-01&end=2027-12-31")
    expect(page.get_by_role("heading", name="Dashboard of BALTIC-SMART")).to_be_visible()
    counted = page.locator("[data-headline] a").first
    check_page(page, "partnership-dashboard")
    number = counted.inner_text()
    counted.click()
    expect(page.locator("[data-drill-down]")).to_be_visible()
    expect(page.get_by_text(f"{number} exchange")).to_be_visible()
