"""The final activity reports in the KPI dashboards (issue 13 × issue 11, R-DOC-4, R-KPI-1,
R-KPI-2): on time, late and overdue per VOP, each exchange counted once; the overall
satisfaction averaged over the reports themselves; every figure links to exactly its
exchanges; the overdue table and the full export carry them; the queries stay flat."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exchanges import filters as exchange_filters
from exchanges.models import ExchangeStatus
from reports import kpi
from reports.far_rules import FAR_DUE_DAYS
from reports.kpi import Period
from reports.models import FinalReportSide, FinalReportStatus
from tests.exchanges.factories import approver, support_office_user
from tests.factories import PartnershipFactory
from tests.reports.helpers import far_row
from tests.reports.kpi_helpers import kpi_exchange
from tests.reports.test_kpi import linked_cells, list_count

pytestmark = pytest.mark.django_db


def _today() -> date:
    return timezone.localdate()


def period_now() -> Period:
    """The 200 days behind today and the month ahead: the list's "overdue" filter reads the
    real today, so the scenario is dated from it."""
    return Period(_today() - timedelta(days=200), _today() + timedelta(days=30))


def query_of(period: Period) -> dict[str, str]:
    return {"start": period.start.isoformat(), "end": period.end.isoformat()}


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def report(exchange, side, *, on: datetime | None, overall=4, status=None):
    """A report written straight to the database, first submitted ``on`` (None: a draft)."""
    if status is None:
        status = FinalReportStatus.DRAFT if on is None else FinalReportStatus.SUBMITTED
    return far_row(
        exchange,
        side,
        status=status,
        first_submitted_at=on,
        submitted_at=on,
        decided_at=on if status == FinalReportStatus.VALIDATED else None,
        returned_count=1 if status == FinalReportStatus.RETURNED else 0,
        satisfaction_overall=overall,
    )


def ended(vop, hop, weeks_ago: int, **kwargs):
    """A counted exchange whose stay ended ``weeks_ago`` weeks ago."""
    start = _today() - timedelta(weeks=weeks_ago, days=4)
    return kpi_exchange(vop, hop, start=start, **kwargs)


def due_of(exchange) -> date:
    return exchange.end_date + timedelta(days=FAR_DUE_DAYS)


def scenario():
    """VOP ``a``: one exchange on time (one report returned after an on-time submission), one
    late (a report submitted after its due date), two overdue (one report missing, none at
    all), one not due yet; a draft and an exchange of 400 days ago with no report. VOP ``b``: an
    exchange hosted by ``a``, late, scored 1 and 1."""
    a, b, c = PartnershipFactory(), PartnershipFactory(), PartnershipFactory()
    on_time = ended(a, c, 10)
    report(on_time, "visitor", on=at(on_time.end_date), overall=5)
    report(
        on_time,
        "host",
        on=at(due_of(on_time), 23, 30),
        overall=3,
        status=FinalReportStatus.RETURNED,
    )
    late = ended(a, c, 8, status=ExchangeStatus.EXECUTED)
    report(late, "visitor", on=at(due_of(late)), overall=4, status=FinalReportStatus.VALIDATED)
    # Half past midnight, local time, the day after the due date: late (in UTC, still the
    # due date).
    report(late, "host", on=at(due_of(late) + timedelta(days=1), 0, 30), overall=2)
    missing_one = ended(a, c, 6)
    report(missing_one, "visitor", on=at(missing_one.end_date), overall=4)
    missing_both = ended(a, c, 4)
    not_due = kpi_exchange(a, c, start=_today() - timedelta(days=6))
    report(not_due, "visitor", on=None, overall=1)  # a draft: its score is not counted
    kpi_exchange(a, c, status=ExchangeStatus.DRAFT, start=_today() - timedelta(weeks=5))
    last_year = kpi_exchange(a, c, start=_today() - timedelta(days=400))
    hosted = ended(b, a, 9)
    report(hosted, "visitor", on=at(due_of(hosted) + timedelta(days=3)), overall=1)
    report(hosted, "host", on=at(hosted.end_date), overall=1)
    return (
        a,
        b,
        {
            "on_time": on_time,
            "late": late,
            "missing_one": missing_one,
            "missing_both": missing_both,
            "last_year": last_year,
            "hosted": hosted,
        },
    )


def test_r_doc_4_reports_on_time_late_and_overdue_count_each_exchange_once_for_its_vop():
    """R-DOC-4, R-KPI-1, R-KPI-2: a report first submitted on its due date (local day) is on
    time, even if returned later; after it, late; an exchange with a report missing past its
    due date is overdue; the exchange counts for its VOP only, once."""
    a, b, _e = scenario()
    rows, totals = kpi.kpi_rows(period=period_now(), today=_today(), partnerships=[a, b])
    row_a, row_b = rows
    assert (row_a.reports_on_time, row_a.reports_late, row_a.reports_overdue) == (1, 1, 2)
    assert (row_b.reports_on_time, row_b.reports_late, row_b.reports_overdue) == (0, 1, 0)
    # Overdue today, whatever the period: last year's exchange with no report too.
    assert (row_a.reports_overdue_today, row_b.reports_overdue_today) == (3, 0)
    assert (totals.reports_on_time, totals.reports_late, totals.reports_overdue) == (1, 2, 2)
    assert totals.reports_overdue_today == 3


def test_r_doc_4_the_programme_satisfaction_is_its_own_average_not_an_average_of_averages():
    """R-DOC-4: the overall satisfaction of every submitted report (visitor's and host's), a
    draft's score left out; the programme's mean is over all the scores."""
    a, b, _e = scenario()
    rows, totals = kpi.kpi_rows(period=period_now(), today=_today(), partnerships=[a, b])
    assert rows[0].satisfaction == pytest.approx((5 + 3 + 4 + 2 + 4) / 5)
    assert rows[1].satisfaction == 1
    assert totals.satisfaction == pytest.approx(round((18 + 2) / 7, 2))
    assert totals.satisfaction != pytest.approx((3.6 + 1) / 2)
    empty = PartnershipFactory()
    assert (
        kpi.kpi_rows(period=period_now(), today=_today(), partnerships=[empty])[0][0].satisfaction
        is None
    )


def test_r_doc_4_the_exchange_list_filter_uses_the_reports_rooms_values():
    """The exchanges room reads the reports by strings (it may not import the reports room)."""
    assert exchange_filters.FAR_DUE_DAYS == FAR_DUE_DAYS
    assert set(exchange_filters.FAR_SIDES) == set(FinalReportSide.values)


def test_every_final_report_number_links_to_exactly_its_exchanges(client):
    """R-DOC-4: each count equals the rows of its drill-down list, on the programme dashboard
    (the partnerships table and the overdue table) and on a partnership's."""
    a, b, found = scenario()
    client.force_login(support_office_user())
    response = client.get(reverse("dashboards:index"), query_of(period_now()))
    tables = [response.context["partnership_table"], response.context["overdue"]]
    report_columns = {13, 14, 15}
    checked = 0
    for table in tables:
        for row in [*table.rows, table.footer]:
            for index, cell in enumerate(row):
                overdue_reports = table.key == "overdue" and index == 3
                if (table.key == "partnerships" and index in report_columns) or overdue_reports:
                    assert list_count(client, cell.href) == cell.value if cell.href else True
                    checked += bool(cell.href)
    assert checked >= 8
    overdue_row = next(r for r in response.context["overdue"].rows if r[0].value == a.acronym)
    assert overdue_row[3].value == 3
    listed = client.get(overdue_row[3].href).context["table"].data
    assert {e.pk for e in listed} == {
        found["missing_one"].pk,
        found["missing_both"].pk,
        found["last_year"].pk,
    }
    # The satisfaction links to the exchanges whose reports it averages.
    sat = next(r for r in response.context["partnership_table"].rows if r[0].value == a.acronym)[16]
    assert sat.kind == "score" and list_count(client, sat.href) == 3
    # A partnership's own dashboard: its reports table.
    client.force_login(approver(a))
    response = client.get(
        reverse("dashboards:partnership", kwargs={"slug": a.slug}), query_of(period_now())
    )
    table = next(t for t in response.context["tables"] if t.key == "reports")
    assert [cell.value for _label, cell in table.rows] == [1, 1, 2, pytest.approx(3.6)]
    for key, cell in linked_cells([table]):
        assert list_count(client, cell.href) == cell.value, key
    headline = dict((str(label), cell) for label, cell in response.context["headline_pairs"])
    assert headline["Overall satisfaction (1-5)"].value == pytest.approx(3.6)
    assert b"3.60" in response.content


def test_a_malformed_report_filter_is_a_message_not_a_500(client):
    client.force_login(support_office_user())
    response = client.get(reverse("exchanges:list"), {"report": "soon"})
    assert response.status_code == 200
    assert "report" in response.context["filter"].form.errors


def test_the_full_export_has_the_final_report_columns(client):
    """R-DOC-4: the submitted day, on time or not (or overdue), the overall satisfaction of
    each side's report."""
    _a, _b, found = scenario()
    client.force_login(support_office_user())
    response = client.get(reverse("dashboards:exchange_export"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = {line["reference"]: line for line in csv.DictReader(io.StringIO(text))}
    late = lines[found["late"].reference]
    assert late["final reports due"] == due_of(found["late"]).isoformat()
    assert (late["visitor report on time"], late["host report on time"]) == ("yes", "no")
    assert late["host report submitted"] == (due_of(found["late"]) + timedelta(days=1)).isoformat()
    assert (late["visitor satisfaction"], late["host satisfaction"]) == ("4", "2")
    missing = lines[found["missing_one"].reference]
    assert (missing["visitor report on time"], missing["host report on time"]) == (
        "yes",
        "overdue",
    )
    assert missing["host satisfaction"] == ""


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_the_final_report_figures_keep_the_dashboards_flat(client):
    """Issue 13: the same number of queries with one exchange and its reports as with many."""
    a, c = PartnershipFactory(), PartnershipFactory()

    def more(n):
        for i in range(n):
            exchange = ended(a, c, 3 + i % 5)
            report(exchange, "visitor", on=at(exchange.end_date), overall=1 + i % 5)
            if i % 2:
                report(exchange, "host", on=at(due_of(exchange) + timedelta(days=2)))

    more(1)
    so, staff = support_office_user(), approver(a)
    urls = [
        (so, reverse("dashboards:index")),
        (staff, reverse("dashboards:partnership", kwargs={"slug": a.slug})),
    ]
    few = []
    for user, url in urls:
        client.force_login(user)
        few.append(_queries(client, url, query_of(period_now())))
    more(12)
    for (user, url), count in zip(urls, few, strict=True):
        client.force_login(user)
        assert _queries(client, url, query_of(period_now())) == count
