"""The dashboard pages (issue 13): who sees which dashboard, bad input, exports (CSV, XLSX, the
full exchange export), constant query counts, and figures right straight after a transition."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from exchanges.models import ExchangeStatus
from exchanges.services import exchange_cancel
from payments.models import PaymentStatus
from tests.exchanges.factories import approver, representative, support_office_user
from tests.factories import PartnershipFactory
from tests.reports.kpi_helpers import PERIOD_QUERY, kpi_exchange, lump_sum

pytestmark = pytest.mark.django_db


def partnership_url(partnership) -> str:
    return reverse("dashboards:partnership", kwargs={"slug": partnership.slug})


# --- access ----------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_sign_in(client):
    partnership = PartnershipFactory()
    for url in (
        reverse("dashboards:index"),
        partnership_url(partnership),
        reverse("dashboards:exchange_export"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_applicants_get_no_dashboard(client):
    vop, hop = PartnershipFactory(), PartnershipFactory()
    exchange = kpi_exchange(vop, hop)
    client.force_login(representative(exchange.visitor))
    assert client.get(reverse("dashboards:index")).status_code == 403
    assert client.get(partnership_url(vop)).status_code == 403
    assert client.get(reverse("dashboards:exchange_export")).status_code == 403


def test_staff_see_their_partnership_only(client):
    mine, other = PartnershipFactory(), PartnershipFactory()
    kpi_exchange(other, mine)
    client.force_login(approver(mine))
    response = client.get(reverse("dashboards:index"))
    assert response.status_code == 302
    assert response["Location"] == partnership_url(mine)
    assert client.get(partnership_url(mine)).status_code == 200
    assert client.get(partnership_url(other)).status_code == 404
    assert (
        client.get(partnership_url(other), {"export": "csv", "table": "status"}).status_code == 404
    )
    assert client.get(reverse("dashboards:exchange_export")).status_code == 403


def test_staff_of_several_partnerships_choose_one(client):
    first, second = PartnershipFactory(), PartnershipFactory()
    user = approver(first)
    approver(second).delete()
    from partnerships.models import PartnershipStaff

    PartnershipStaff.objects.create(user=user, partnership=second)
    client.force_login(user)
    response = client.get(reverse("dashboards:index"))
    assert response.status_code == 200
    assert partnership_url(first) in response.content.decode()
    assert partnership_url(second) in response.content.decode()


def test_the_support_office_sees_the_programme_and_every_partnership(client):
    partnership = PartnershipFactory(acronym="ALPHA")
    client.force_login(support_office_user())
    response = client.get(reverse("dashboards:index"))
    assert response.status_code == 200
    assert "ALPHA" in response.content.decode()
    assert client.get(partnership_url(partnership)).status_code == 200


def test_the_dashboard_is_in_the_staff_navigation_only(client):
    partnership = PartnershipFactory()
    client.force_login(approver(partnership))
    assert 'data-role-nav="dashboards"' in client.get(reverse("exchanges:list")).content.decode()
    exchange = kpi_exchange(partnership, PartnershipFactory())
    client.force_login(representative(exchange.visitor))
    assert 'data-role-nav="dashboards"' not in client.get(reverse("home")).content.decode()


# --- bad input -------------------------------------------------------------------------------


def test_a_period_ending_before_it_starts_is_refused_next_to_the_field(client):
    client.force_login(support_office_user())
    response = client.get(reverse("dashboards:index"), {"start": "2027-05-01", "end": "2027-04-01"})
    assert response.status_code == 200
    assert "The period cannot end before it starts." in response.content.decode()
    assert response.context["form"].data["start"] == "2027-05-01"  # input kept


@pytest.mark.parametrize(
    "query",
    [{"start": "not-a-date", "end": "2027-01-01"}, {"start": "1900-01-01", "end": "9999-12-31"}],
)
def test_a_malformed_or_absurd_period_is_a_message_not_a_500(client, query):
    client.force_login(support_office_user())
    response = client.get(reverse("dashboards:index"), query)
    assert response.status_code == 200
    assert response.context["form"].errors


def test_an_unknown_partnership_or_export_is_a_404(client):
    client.force_login(support_office_user())
    url = reverse("dashboards:partnership", kwargs={"slug": "no-such-partnership"})
    assert client.get(url).status_code == 404
    index = reverse("dashboards:index")
    assert client.get(index, {"export": "csv", "table": "nope"}).status_code == 404
    assert client.get(index, {"export": "pdf", "table": "flow"}).status_code == 404


def test_a_malformed_drill_down_filter_is_shown_with_its_message(client):
    client.force_login(support_office_user())
    response = client.get(reverse("exchanges:list"), {"start_from": "31/12/2027", "vop": "x"})
    assert response.status_code == 200
    assert response.context["filter"].errors.keys() == {"start_from", "vop"}
    assert 'name="start_from"' in response.content.decode()


# --- exports ---------------------------------------------------------------------------------


def test_every_programme_table_exports_as_csv_and_xlsx_with_the_page_numbers(client):
    vop, hop = PartnershipFactory(acronym="=HYPERLINK(1)"), PartnershipFactory(acronym="HOST")
    lump_sum(kpi_exchange(vop, hop), "780.50")
    client.force_login(support_office_user())
    page = client.get(reverse("dashboards:index"), PERIOD_QUERY)
    table = page.context["partnership_table"]
    query = {**PERIOD_QUERY, "table": "partnerships"}

    response = client.get(reverse("dashboards:index"), {**query, "export": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith('"Partnership (VOP)","Counted"')  # every field quoted
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[1][:2] == ["'=HYPERLINK(1)", "1"]  # formula guard
    assert lines[1][7] == "780.50"
    assert len(lines) == 1 + len(table.rows) + 1  # header, rows, programme totals

    response = client.get(reverse("dashboards:index"), {**query, "export": "xlsx"})
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Partnership (VOP)"
    assert values[1][0] == "'=HYPERLINK(1)"
    assert values[1][1] == 1
    assert Decimal(str(values[1][7])) == Decimal("780.50")
    assert values[-1][:2] == ["Programme", 1]

    for key in ("months", "flow", "overdue"):
        for kind in ("csv", "xlsx"):
            got = client.get(reverse("dashboards:index"), {"export": kind, "table": key})
            assert got.status_code == 200, (key, kind)


def test_every_partnership_table_exports(client):
    vop, hop = PartnershipFactory(), PartnershipFactory()
    kpi_exchange(vop, hop, host_country="ES")
    client.force_login(approver(vop))
    for key in ("status", "mode", "payments", "host_country", "ecosystem", "hosted", "months"):
        response = client.get(partnership_url(vop), {**PERIOD_QUERY, "export": "csv", "table": key})
        assert response.status_code == 200, key
    response = client.get(
        partnership_url(vop), {**PERIOD_QUERY, "export": "csv", "table": "host_country"}
    )
    assert list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")))) == [
        ["Host country", "Exchanges"],
        ["Spain", "1"],
    ]


def test_the_full_exchange_export_streams_one_row_per_exchange(client):
    vop, hop = PartnershipFactory(acronym="VOPX"), PartnershipFactory()
    closed = kpi_exchange(vop, hop, status=ExchangeStatus.CLOSED)
    lump_sum(
        closed,
        "780.00",
        status=PaymentStatus.PAID,
        closed=date(2027, 3, 20),
        due=date(2027, 3, 30),
        paid=date(2027, 3, 27),
    )
    kpi_exchange(vop, hop, status=ExchangeStatus.DRAFT)
    client.force_login(support_office_user())
    response = client.get(reverse("dashboards:exchange_export"))
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = list(csv.DictReader(io.StringIO(text)))
    assert len(lines) == 2
    row = next(line for line in lines if line["reference"] == closed.reference)
    assert row["counted (R-KPI-2)"] == "yes"
    assert (row["VOP"], row["lump sum (EUR)"], row["days from closing to payment"]) == (
        "VOPX",
        "780.00",
        "7",
    )
    assert {line["counted (R-KPI-2)"] for line in lines} == {"yes", "no"}


# --- speed and freshness ---------------------------------------------------------------------


def queries_of(client, url, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def spread(n: int, partnerships) -> None:
    for i in range(n):
        vop, hop = partnerships[i % len(partnerships)], partnerships[(i + 1) % len(partnerships)]
        exchange = kpi_exchange(
            vop, hop, status=ExchangeStatus.CLOSED, host_country=("PT", "ES", "FR")[i % 3]
        )
        lump_sum(
            exchange,
            "100.00",
            status=PaymentStatus.PAID,
            closed=date(2027, 3, 20),
            due=date(2027, 3, 30),
            paid=date(2027, 3, 21 + i % 9),
        )


#: Session, user, MFA check, roles and access (a few), the partnerships, the grouped KPIs, the
#: median's day counts, the overdue payments, the grouped final reports, the reports overdue
#: today, the months, the flow: measured (13), with headroom.
PROGRAMME_MAX = 16
#: The same for one partnership, plus its host countries, ecosystems and hosted exchanges.
PARTNERSHIP_MAX = 18


def test_the_dashboards_cost_a_constant_number_of_queries(client):
    """Issue 13: the same number of queries with 10 and with 1,000 exchanges."""
    partnerships = [PartnershipFactory() for _ in range(3)]
    spread(10, partnerships)
    so = support_office_user()
    staff = approver(partnerships[0])
    client.force_login(so)
    programme_few = queries_of(client, reverse("dashboards:index"), PERIOD_QUERY)
    client.force_login(staff)
    partnership_few = queries_of(client, partnership_url(partnerships[0]), PERIOD_QUERY)
    spread(990, partnerships)
    client.force_login(so)
    assert queries_of(client, reverse("dashboards:index"), PERIOD_QUERY) == programme_few
    client.force_login(staff)
    assert queries_of(client, partnership_url(partnerships[0]), PERIOD_QUERY) == partnership_few
    assert programme_few <= PROGRAMME_MAX
    assert partnership_few <= PARTNERSHIP_MAX


def test_the_full_export_reads_the_exchanges_in_chunks(client, django_assert_max_num_queries):
    partnerships = [PartnershipFactory() for _ in range(2)]
    spread(12, partnerships)
    client.force_login(support_office_user())
    response = client.get(reverse("dashboards:exchange_export"))
    # one chunk of exchanges, one of ecosystems, one of final reports
    with django_assert_max_num_queries(3):
        lines = b"".join(response.streaming_content).splitlines()
    assert len(lines) == 13


def test_the_figures_are_right_straight_after_a_transition(client):
    vop, hop = PartnershipFactory(), PartnershipFactory()
    exchange = kpi_exchange(vop, hop, start=date(2027, 3, 8))
    staff = approver(vop)
    client.force_login(staff)
    url = partnership_url(vop)
    assert client.get(url, PERIOD_QUERY).context["row"].total == 1
    exchange_cancel(
        exchange=exchange, actor=staff, reason="The visitor fell ill.", today=date(2027, 1, 15)
    )
    assert client.get(url, PERIOD_QUERY).context["row"].total == 0
