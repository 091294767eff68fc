"""The final activity reports' demo step (R-DOC-4, R-DOC-6): reports drafted, submitted,
returned, validated and late; the closed stays close on them (R-PAY-7); idempotent."""

from datetime import date

import pytest

from cxc_portal.core.demo import SeedContext
from exchanges import demo as exchanges_demo
from exchanges.models import Exchange, ExchangeStatus
from payments import demo as payments_demo
from reports import demo_far
from reports.far_rules import far_is_late
from reports.models import FinalReport
from tests.exchanges.test_demo import COUNTRIES, _world

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


def test_r_doc_4_the_demo_shows_reports_in_every_state_and_late_ones():
    _world(COUNTRIES)
    ctx = SeedContext(today=TODAY, log=[].append)
    exchanges_demo.seed(ctx)
    demo_far.seed(ctx)
    payments_demo.seed(ctx)
    statuses = set(FinalReport.objects.values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "returned", "validated"}
    late = [
        report
        for report in FinalReport.objects.select_related("exchange")
        if far_is_late(
            end_date=report.exchange.end_date,
            first_submitted_on=report.first_submitted_at and report.first_submitted_at.date(),
            today=TODAY,
        )
    ]
    assert late  # the "ended" stay's draft
    closed = Exchange.objects.filter(status=ExchangeStatus.CLOSED)
    assert closed.count() == 3
    assert all(e.final_reports.filter(side="visitor", status="validated") for e in closed)
    count = FinalReport.objects.count()
    demo_far.seed(ctx)
    assert FinalReport.objects.count() == count
