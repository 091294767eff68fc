"""Issue 14, "staff lists that fit": the staff exchange list shows the columns an officer works
from on one line each, what each exchange waits for next, links organisations to their
profile, and keeps the other columns for ``?columns=more`` and the CSV export."""

import csv
import io
import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse

from exchanges.waiting import waiting_for
from tests.exchanges.factories import (
    approver,
    contracted_exchange,
    executed_exchange,
    fill_plan,
    sign_all,
    support_office_user,
)
from tests.factories import ExchangeFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

TODAY = date(2027, 1, 15)


def _body(client, user, **query):
    client.force_login(user)
    response = client.get(reverse("exchanges:list"), query)
    assert response.status_code == 200
    return response.content.decode()


def _headers(body: str) -> list[str]:
    thead = body.split("<thead", 1)[1].split("</thead>", 1)[0]
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<th.*?</th>", thead, re.S)]


def _row(body: str, reference: str) -> str:
    return next(tr for tr in re.findall(r"<tr.*?</tr>", body, re.S) if reference in tr)


# --- the pure "waiting for" (R-EXC-2, R-EXC-4, R-DOC-2, R-DOC-3, R-PAY-4) ---------------------


def _draft(hours):
    return SimpleNamespace(status="draft", counted_hours=hours)


def test_a_draft_short_of_24_hours_waits_for_its_action_plan():
    """R-EXC-4: the plan comes first (the CTQ states it), with how far it is."""
    assert waiting_for(_draft(12), today=TODAY) == "action plan (12 of 24 h)"


def test_a_draft_with_its_plan_waits_for_its_signatures_and_contracting():
    """R-DOC-2, R-DOC-3: once the plan holds 24 hours, the documents are signed and the last
    signature contracts the exchange (who is still to sign: the exchange page's cards)."""
    assert waiting_for(_draft(24), today=TODAY) == "signatures and contracting"


def test_contracted_and_executed_exchanges_wait_for_the_next_step():
    """R-EXC-2 and R-PAY-4: the stay, its recording, then the visitor's final report and the
    evidence (closing follows by itself, R-PAY-7)."""
    end = date(2027, 3, 12)
    contracted = SimpleNamespace(status="contracted", end_date=end)
    assert waiting_for(contracted, today=end) == "stay to end (12 Mar 2027)"
    assert waiting_for(contracted, today=end + timedelta(days=1)) == "recording as executed"
    executed = SimpleNamespace(status="executed")
    assert waiting_for(executed, today=TODAY) == "final report and evidence"
    assert waiting_for(SimpleNamespace(status="closed"), today=TODAY) == ""
    assert waiting_for(SimpleNamespace(status="cancelled"), today=TODAY) == ""


# --- the page -----------------------------------------------------------------------------------


def test_the_list_shows_the_working_columns_on_one_line_with_short_dates(client):
    partnership = PartnershipFactory()
    exchange = ExchangeFactory(vop=partnership)  # 8–12 March 2027
    body = _body(client, approver(partnership))
    assert _headers(body) == [
        "Reference",
        "Visitor",
        "Host",
        "VOP",
        "First day",
        "Last day",
        "Status",
        "Waiting for",
    ]
    row = _row(body, exchange.reference)
    assert "8 Mar 2027" in row and "12 Mar 2027" in row
    assert "2027-03-08" not in row
    cells = re.findall(r"<td([^>]*)>", row)
    # reference, first day, last day, status and waiting-for stay on one line each
    assert sum("text-nowrap" in attrs for attrs in cells) >= 5
    assert "action plan (0 of 24 h)" in row


def test_more_columns_adds_the_rest_and_keeps_the_filters(client):
    partnership = PartnershipFactory()
    ExchangeFactory(vop=partnership)
    staff = approver(partnership)
    body = _body(client, staff)
    assert "columns=more" in body  # the toggle
    body = _body(client, staff, columns="more", status="draft")
    headers = _headers(body)
    for extra in ("Visitor country", "Host country", "HOP", "Mode", "Working days", "Group"):
        assert extra in headers
    assert "Plan hours" in headers and "Waiting for" in headers
    assert 'name="columns" value="more"' in body  # filtering keeps the wide view
    assert "Fewer columns" in body


def test_waiting_for_on_the_page_follows_each_exchange(client):
    partnership = PartnershipFactory()
    staff = approver(partnership)
    draft = ExchangeFactory(vop=partnership)
    fill_plan(draft)
    sign_all(draft, except_=(("CTQ", "ho"), ("FA", "vop")))
    running = contracted_exchange(vop=partnership, end_date=date(2099, 1, 1))
    done = executed_exchange(vop=partnership)
    body = _body(client, staff)
    assert "signatures and contracting" in _row(body, draft.reference)
    assert "stay to end (1 Jan 2099)" in _row(body, running.reference)
    assert "final report and evidence" in _row(body, done.reference)


def test_organisation_names_link_to_the_profiles_the_user_may_open(client):
    """The VOP's staff validate the visitor (a link); the host belongs to another partnership,
    whose profile page they may not open (plain text, never a link to a 404)."""
    exchange = ExchangeFactory()
    body = _body(client, approver(exchange.vop))
    row = _row(body, exchange.reference)
    visitor_url = reverse("organisations:detail", kwargs={"pk": exchange.visitor.pk})
    host_url = reverse("organisations:detail", kwargs={"pk": exchange.host.pk})
    assert f'href="{visitor_url}"' in row
    assert host_url not in row and exchange.host.legal_name in row
    body = _body(client, support_office_user())
    assert f'href="{host_url}"' in _row(body, exchange.reference)


def test_the_csv_export_keeps_every_column_with_iso_dates(client):
    partnership = PartnershipFactory()
    exchange = ExchangeFactory(vop=partnership)
    client.force_login(approver(partnership))
    response = client.get(reverse("exchanges:list"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert "Visitor country" in rows[0] and "Waiting for" in rows[0]
    (row,) = rows[1:]
    assert row[rows[0].index("First day")] == exchange.start_date.isoformat()
    assert row[rows[0].index("Visitor")] == exchange.visitor.legal_name  # no HTML link
    assert row[rows[0].index("Waiting for")] == "action plan (0 of 24 h)"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_rows_shared_parts_equal_the_per_cell_ones(language):
    """Issue 12: the list's rows take the detail URLs, the status and mode labels and the day
    format from one ``_RowKit`` per page; each equals what ``reverse``, the choices display and
    ``date_format`` give for that row, in the active language."""
    from django.utils import translation
    from django.utils.formats import date_format

    from exchanges.models import Exchange, ExchangeMode, ExchangeStatus
    from exchanges.tables import LIST_DATE_FORMAT, _RowKit

    exchange = ExchangeFactory()
    with translation.override(language):
        kit = _RowKit()
        assert kit.detail_url(exchange.pk) == reverse("exchanges:detail", args=[exchange.pk])
        assert kit.organisation_url(exchange.host_id) == reverse(
            "organisations:detail", args=[exchange.host_id]
        )
        for month in range(1, 13):
            day = date(2027, month, 9)
            assert kit.day(day) == date_format(day, LIST_DATE_FORMAT)
        for status in ExchangeStatus:
            assert kit.statuses[status] == Exchange(status=status).get_status_display()
        for mode in ExchangeMode:
            assert kit.modes[mode] == Exchange(mode=mode).get_mode_display()
