"""The staff exchange list at programme scale (issue 12): the plan hours are summed for the
page's rows only (a correlated subquery), the count runs without the joins, and the rows are
rendered in one Python pass. Query counts and SQL shape only: time lives in the harness."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.exchanges.factories import approver, fill_plan, support_office_user
from tests.factories import ActivityFactory, ExchangeFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


def test_r_exc_4_the_lists_plan_hours_count_only_the_stays_activities(client):
    """R-EXC-4: the "Plan hours" cell sums the activities inside the stay, extras once
    approved — the same figure as the plan — computed per row shown."""
    partnership = PartnershipFactory()
    exchange = ExchangeFactory(vop=partnership)
    fill_plan(exchange, hours_per_day=Decimal("5.5"), days=4)  # 22 h inside the stay
    ActivityFactory(exchange=exchange, date=exchange.end_date + timedelta(days=3), hours=8)
    ActivityFactory(exchange=exchange, date=exchange.start_date, hours=4, is_extra=True)
    client.force_login(approver(partnership))
    body = client.get(reverse("exchanges:list"), {"columns": "more"}).content.decode()
    row = next(tr for tr in body.split("<tr") if exchange.reference in tr)
    assert '<span class="text-body-secondary">22 h</span>' in row
    assert "action plan (22 of 24 h)" in row
    assert f'data-status="{exchange.status}"' in row


def test_the_lists_count_has_no_join_and_no_sum(client):
    """Issue 12: the page count reads the exchanges alone (no join to the parties, no sum of
    activities) and the page's query sums activities in a subquery, not a GROUP BY."""
    for _ in range(3):
        ExchangeFactory()
    client.force_login(support_office_user())
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("exchanges:list")).status_code == 200
    sqls = [q["sql"] for q in captured.captured_queries if "exchanges_exchange" in q["sql"]]
    count = next(s for s in sqls if "COUNT(" in s.upper())
    assert "JOIN" not in count.upper() and "exchanges_activity" not in count
    rows = next(s for s in sqls if "LIMIT" in s.upper() and "exchanges_activity" in s)
    assert "GROUP BY" not in rows.upper().split("(SELECT")[0]


def test_r_exc_6_sorted_by_an_organisation_a_page_is_the_scopes_rows_its_ids_read_first(client):
    """R-EXC-6, issue 12: sorted by visitor (either way) or host, each page holds the user's
    scope's rows — as VOP or as HOP, never another partnership's — by name, equal names by id,
    no row shared or skipped between pages; the page's ids are read first (a sliced subquery)
    and the joins and the plan hours only for them, in the one query of the rows."""
    mine = PartnershipFactory()
    other = PartnershipFactory()
    names = ["Alpha", "Beta", "Gamma"]
    seen = [ExchangeFactory(vop=mine, visitor__legal_name=names[i % 3]) for i in range(40)]
    seen += [
        ExchangeFactory(vop=other, hop=mine, visitor__legal_name=names[i % 3]) for i in range(15)
    ]
    for i in range(10):
        ExchangeFactory(vop=other, hop=other, visitor__legal_name=names[i % 3])
    client.force_login(approver(mine))
    for sort, key in (
        ("-visitor", lambda e: (e.visitor.legal_name, e.pk)),
        ("visitor", lambda e: (e.visitor.legal_name, e.pk)),
        ("host", lambda e: (e.host.legal_name, e.pk)),
    ):
        expected = [e.pk for e in sorted(seen, key=key, reverse=sort.startswith("-"))]
        shown = []
        for page in (1, 2):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(reverse("exchanges:list"), {"sort": sort, "page": page})
            assert response.context["table"].paginator.count == 55
            shown += [row["id"] for row in response.context["table"].page.object_list]
            rows = [
                q["sql"]
                for q in captured.captured_queries
                if "exchanges_activity" in q["sql"] and "LIMIT" in q["sql"].upper()
            ]
            assert len(rows) == 1
            outer, inner = rows[0].upper().split(" IN (SELECT", 1)
            assert "LIMIT" not in outer.rsplit("FROM", 1)[1] and "LIMIT" in inner
        assert shown == expected
