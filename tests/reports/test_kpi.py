"""The KPI counting (R-KPI-1, R-KPI-2), money and median figures, the flow table, and the
drill-down links: every dashboard number equals the row count of the list it links to."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from exchanges.models import ExchangeMode, ExchangeStatus
from organisations.models import IndustrialEcosystem
from payments.models import PaymentStatus
from reports import kpi
from reports.kpi import Period, default_period, heat_level, median
from tests.exchanges.factories import approver, support_office_user
from tests.factories import PartnershipFactory
from tests.reports.kpi_helpers import P2027, PERIOD_QUERY, kpi_exchange, lump_sum

pytestmark = pytest.mark.django_db


def rows_for(*partnerships, period=P2027, today=date(2027, 6, 1)):
    rows, totals = kpi.kpi_rows(period=period, today=today, partnerships=list(partnerships))
    return {row.partnership.pk: row for row in rows}, totals


# --- pure helpers ----------------------------------------------------------------------------


@pytest.mark.django_db(False)
def test_r_kpi_2_the_default_period_is_the_calendar_year_of_today():
    assert default_period(date(2027, 6, 15)) == Period(date(2027, 1, 1), date(2027, 12, 31))
    assert default_period(date(2028, 1, 1)).start == date(2028, 1, 1)


@pytest.mark.django_db(False)
def test_median_of_odd_even_and_no_values():
    assert median([10, 3, 5]) == 5
    assert median([4, 1, 3, 2]) == 2.5
    assert median([]) is None


@pytest.mark.django_db(False)
def test_period_months_and_heat_levels():
    assert Period(date(2026, 11, 15), date(2027, 1, 2)).months() == [
        date(2026, 11, 1),
        date(2026, 12, 1),
        date(2027, 1, 1),
    ]
    assert [heat_level(n, 10) for n in (0, 1, 2, 5, 10)] == [0, 1, 1, 3, 5]


# --- R-KPI-1 and R-KPI-2 ---------------------------------------------------------------------


def test_r_kpi_1_an_exchange_counts_only_for_its_vop_never_its_hop():
    vop, hop = PartnershipFactory(), PartnershipFactory()
    kpi_exchange(vop, hop)
    rows, totals = rows_for(vop, hop)
    assert rows[vop.pk].total == 1
    assert rows[hop.pk].total == 0
    assert totals.total == 1  # once
    assert kpi.hosted_by_status(P2027, hop.pk) == {"contracted": 1}
    assert kpi.hosted_by_status(P2027, vop.pk) == {}


def test_r_kpi_2_drafts_and_cancelled_exchanges_never_count():
    vop, hop = PartnershipFactory(), PartnershipFactory()
    kpi_exchange(vop, hop, status=ExchangeStatus.DRAFT)
    # Contracted once, then cancelled: not counted either.
    kpi_exchange(vop, hop, status=ExchangeStatus.CANCELLED)
    kpi_exchange(vop, hop, status=ExchangeStatus.CONTRACTED)
    kpi_exchange(vop, hop, status=ExchangeStatus.EXECUTED)
    kpi_exchange(vop, hop, status=ExchangeStatus.CLOSED)
    row = rows_for(vop)[0][vop.pk]
    assert (row.total, row.contracted, row.executed, row.closed) == (3, 1, 1, 1)
    assert kpi.hosted_by_status(P2027, hop.pk) == {"contracted": 1, "executed": 1, "closed": 1}


def test_r_kpi_1_a_virtual_exchange_counts_with_no_lump_sum():
    vop, hop = PartnershipFactory(), PartnershipFactory()
    kpi_exchange(vop, hop, mode=ExchangeMode.VIRTUAL)
    physical = kpi_exchange(vop, hop)
    lump_sum(physical, "780.00")
    row = rows_for(vop)[0][vop.pk]
    assert (row.total, row.physical, row.virtual) == (2, 1, 1)
    assert row.committed == Decimal("780.00")
    assert row.committed_count == 1


def test_r_kpi_2_the_period_is_the_one_the_stay_starts_in():
    vop, hop = PartnershipFactory(), PartnershipFactory()
    kpi_exchange(vop, hop, start=date(2026, 12, 31))  # ends in 2027: still 2026's
    kpi_exchange(vop, hop, start=date(2027, 1, 1))
    kpi_exchange(vop, hop, start=date(2027, 12, 31))  # ends in 2028: 2027's
    kpi_exchange(vop, hop, start=date(2028, 1, 1))
    assert rows_for(vop)[0][vop.pk].total == 2
    p2026 = Period(date(2026, 1, 1), date(2026, 12, 31))
    assert rows_for(vop, period=p2026)[0][vop.pk].total == 1


def test_lump_sums_are_decimal_sums_committed_and_paid_with_on_time_late_and_median():
    vop, hop = PartnershipFactory(), PartnershipFactory()
    closed = ExchangeStatus.CLOSED
    paid = PaymentStatus.PAID
    # Closed 1 March; paid after 3, 5 and 12 days (due 10 days after closing).
    for amount, paid_on in (("780.10", 4), ("390.05", 6), ("100.00", 13)):
        lump_sum(
            kpi_exchange(vop, hop, status=closed),
            amount,
            status=paid,
            closed=date(2027, 3, 1),
            due=date(2027, 3, 11),
            paid=date(2027, 3, paid_on),
        )
    lump_sum(kpi_exchange(vop, hop), "500.00")  # committed, pending
    # Cancelled after contracting: its lump sum stays in the table, never in the KPIs.
    lump_sum(kpi_exchange(vop, hop, status=ExchangeStatus.CANCELLED), "999.99")
    rows, totals = rows_for(vop, hop)
    row = rows[vop.pk]
    assert row.committed == Decimal("1770.15")
    assert isinstance(row.committed, Decimal)
    assert row.paid == Decimal("1270.15")
    assert (row.committed_count, row.paid_count, row.on_time, row.late) == (4, 3, 2, 1)
    assert row.median_days == 5
    assert rows[hop.pk].median_days is None
    assert totals.committed == Decimal("1770.15")
    assert totals.median_days == 5


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two():
    vop, hop = PartnershipFactory(), PartnershipFactory()
    for days in (2, 4, 6, 20):
        lump_sum(
            kpi_exchange(vop, hop, status=ExchangeStatus.CLOSED),
            "100.00",
            status=PaymentStatus.PAID,
            closed=date(2027, 3, 1),
            due=date(2027, 3, 11),
            paid=date(2027, 3, 1 + days),
        )
    assert rows_for(vop)[0][vop.pk].median_days == 5


def test_r_kpi_1_each_vop_has_its_median_and_the_programme_the_median_of_all_lump_sums():
    """R-KPI-1: each VOP's median days from closing to payment is over its own paid lump sums,
    the programme's over all of them (never a mean of the VOPs' medians) — on PostgreSQL both
    from one grouped query (grouping sets); none where nothing is paid."""
    first, second, idle = PartnershipFactory(), PartnershipFactory(), PartnershipFactory()
    for vop, days in ((first, 2), (first, 4), (first, 30), (second, 10), (second, 12)):
        lump_sum(
            kpi_exchange(vop, idle, status=ExchangeStatus.CLOSED),
            "100.00",
            status=PaymentStatus.PAID,
            closed=date(2027, 3, 1),
            due=date(2027, 3, 11),
            paid=date(2027, 3, 1 + days),
        )
    rows, totals = rows_for(first, second, idle)
    assert (rows[first.pk].median_days, rows[second.pk].median_days) == (4, 11)
    assert rows[idle.pk].median_days is None
    assert totals.median_days == 10
    assert rows_for(idle)[1].median_days is None


def test_overdue_payments_are_counted_today_by_vop():
    vop, hop = PartnershipFactory(), PartnershipFactory()
    lump_sum(
        kpi_exchange(vop, hop, status=ExchangeStatus.CLOSED),
        "780.00",
        status=PaymentStatus.DUE,
        due=date(2027, 5, 31),
    )
    lump_sum(
        kpi_exchange(vop, hop, status=ExchangeStatus.CLOSED),
        "780.00",
        status=PaymentStatus.DUE,
        due=date(2027, 6, 1),  # due today: not overdue yet
    )
    row = rows_for(vop)[0][vop.pk]
    assert (row.overdue, row.overdue_amount) == (1, Decimal("780.00"))


def test_flow_table_counts_visitor_country_by_host_country():
    a, b = PartnershipFactory(), PartnershipFactory()
    kpi_exchange(a, b, visitor_country="BE", host_country="PT")
    kpi_exchange(a, b, visitor_country="BE", host_country="PT")
    kpi_exchange(b, a, visitor_country="PT", host_country="ES")
    kpi_exchange(b, a, visitor_country="PT", host_country="ES", status=ExchangeStatus.DRAFT)
    assert kpi.flow(P2027) == {("BE", "PT"): 2, ("PT", "ES"): 1}
    table = kpi.flow_table(P2027, lambda code: code)
    assert table.columns[1:] == ["ES", "PT", "Total"]
    assert [[c.value for c in row] for row in table.rows] == [["BE", 0, 2, 2], ["PT", 1, 0, 1]]
    assert table.rows[0][2].heat == 5
    assert [c.value for c in table.footer] == ["Total", 1, 2, 3]
    # A cell's link (built without reverse/urlencode per cell) is the list's own link.
    assert table.rows[0][2].href == kpi.exchange_list_link(
        P2027, visitor_country="BE", host_country="PT"
    )
    assert table.rows[0][1].href == ""


def test_cells_render_in_python_as_the_template_did():
    """The dashboard tables' cells are rendered by ``Cell.html`` (no include per cell, issue
    12): values escaped, money with two decimals and grouped thousands, days with at most one
    decimal, an absent value as a dash, a link only when there is an ``href``; a body row's
    ``<td>`` carries its heat shade."""
    assert kpi.Cell("<b>BE</b>", kind="text").html() == "&lt;b&gt;BE&lt;/b&gt;"
    assert kpi.Cell(Decimal("1234.5"), kind="money").html() == "1,234.50"
    assert kpi.Cell(12.0, kind="days").html() == "12"
    assert kpi.Cell(12.5, kind="days").html() == "12.5"
    assert kpi.Cell(None, kind="days").html() == "—"
    assert kpi.Cell(7, "/exchanges/?a=1&b=2").html() == '<a href="/exchanges/?a=1&amp;b=2">7</a>'
    assert kpi.Cell(0).html() == "0"
    table = kpi.KpiTable(
        key="t",
        caption="T",
        columns=["", "n"],
        rows=[[kpi.Cell("BE", kind="text"), kpi.Cell(3, "/x/", heat=2)]],
        footer=[kpi.Cell("Total", kind="text"), kpi.Cell(3, "/x/", heat=2)],
    )
    assert table.html_rows() == [
        '<tr><th scope="row">BE</th><td class="text-end kpi-heat-2"><a href="/x/">3</a></td></tr>'
    ]
    assert table.html_footer() == (
        '<tr class="fw-semibold"><th scope="row">Total</th>'
        '<td class="text-end"><a href="/x/">3</a></td></tr>'
    )


def test_by_host_country_and_ecosystem_count_the_vops_exchanges():
    vop, hop = PartnershipFactory(), PartnershipFactory()
    energy, tourism = IndustrialEcosystem.objects.all()[:2]
    kpi_exchange(vop, hop, host_country="PT", ecosystems=[energy, tourism])
    kpi_exchange(vop, hop, host_country="ES", ecosystems=[energy])
    kpi_exchange(vop, hop, host_country="ES")
    assert kpi.by_host_country(P2027, vop.pk) == [("ES", 2), ("PT", 1)]
    counts = {code: n for code, _name, n in kpi.by_ecosystem(P2027, vop.pk)}
    assert counts == {energy.code: 2, tourism.code: 1, None: 1}


# --- every number links to exactly its exchanges ---------------------------------------------


def list_count(client, href: str) -> int:
    response = client.get(href)
    assert response.status_code == 200
    return response.context["table"].paginator.count


def linked_cells(tables):
    for table in tables:
        for row in [*table.rows, *([table.footer] if table.footer else [])]:
            for cell in row:
                if cell.href and cell.kind == "count":
                    yield table.key, cell


def busy_programme():
    a, b, c = PartnershipFactory(), PartnershipFactory(), PartnershipFactory()
    energy = IndustrialEcosystem.objects.first()
    kpi_exchange(a, b, ecosystems=[energy])
    kpi_exchange(a, c, mode=ExchangeMode.VIRTUAL, host_country="ES")
    kpi_exchange(a, a, status=ExchangeStatus.EXECUTED, start=date(2027, 5, 3))
    lump_sum(
        kpi_exchange(b, a, status=ExchangeStatus.CLOSED, visitor_country="PT", host_country="BE"),
        "780.00",
        status=PaymentStatus.PAID,
        closed=date(2027, 3, 20),
        due=date(2027, 3, 30),
        paid=date(2027, 4, 2),
    )
    lump_sum(
        kpi_exchange(b, c, status=ExchangeStatus.CLOSED, visitor_country="PT"),
        "390.00",
        status=PaymentStatus.DUE,
        closed=date(2020, 3, 20),
        due=date(2020, 3, 30),
    )
    kpi_exchange(a, b, status=ExchangeStatus.DRAFT)
    kpi_exchange(a, b, status=ExchangeStatus.CANCELLED)
    kpi_exchange(a, b, start=date(2028, 2, 7))
    return a, b, c


def test_each_programme_number_equals_the_count_of_the_list_it_links_to(client):
    busy_programme()
    client.force_login(support_office_user())
    response = client.get(reverse("dashboards:index"), PERIOD_QUERY)
    tables = [response.context[name] for name in ("partnership_table", "months", "flow", "overdue")]
    checked = 0
    for key, cell in linked_cells(tables):
        assert list_count(client, cell.href) == cell.value, (key, cell)
        checked += 1
    assert checked > 30


def test_each_partnership_number_equals_the_count_of_the_list_its_staff_opens(client):
    a, _b, _c = busy_programme()
    client.force_login(approver(a))
    response = client.get(reverse("dashboards:partnership", kwargs={"slug": a.slug}), PERIOD_QUERY)
    tables = [*response.context["tables"], response.context["months"]]
    checked = 0
    for key, cell in linked_cells(tables):
        assert list_count(client, cell.href) == cell.value, (key, cell)
        checked += 1
    assert checked >= 10
    # The money figures link to the exchanges whose lump sums they add up.
    payments = next(t for t in tables if t.key == "payments")
    committed = payments.rows[0][1]
    assert committed.kind == "money"


def test_money_links_list_the_exchanges_whose_lump_sums_are_summed(client):
    _a, b, _c = busy_programme()
    client.force_login(support_office_user())
    response = client.get(reverse("dashboards:index"), PERIOD_QUERY)
    row = next(r for r in response.context["partnership_table"].rows if r[0].value == b.acronym)
    assert row[7].value == Decimal("1170.00")
    assert list_count(client, row[7].href) == 2  # committed: both lump sums
    assert list_count(client, row[8].href) == 1  # paid


def test_the_payment_filter_values_are_the_payment_statuses():
    """The exchanges room filters lump sums by status strings (it may not import payments)."""
    assert (PaymentStatus.DUE.value, PaymentStatus.PAID.value) == ("due", "paid")
