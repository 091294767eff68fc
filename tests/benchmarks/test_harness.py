"""The benchmark harness's own pieces: its data builder and its URLconf (issue 12).

No timing here: speed lives in the harness (``make bench``), never in the test suite.
"""

import pytest
from django.urls import Resolver404, resolve, reverse
from django.urls.exceptions import NoReverseMatch

from benchmarks import data

pytestmark = pytest.mark.django_db


def test_the_builder_makes_the_programme_spread_at_a_tiny_scale():
    """20 exchanges → 1.4 organisations, 4.7 activities, 13 audit events per exchange (about),
    one visit per visitor, every status, and a payment only for physical contracted+ ones."""
    from exchanges.models import Exchange, ExchangeMode, ExchangeStatus
    from payments.models import Payment

    built = data.build(20)
    counts = built["counts"]
    assert counts["exchanges.Exchange"] == 20
    assert counts["partnerships.Partnership"] == data.PARTNERSHIPS
    # one visitor per exchange, 0.4 host per exchange, and the spare visitors of the matching page
    assert counts["organisations.Organisation"] == 20 + 8 + data.SPARE_VISITORS
    assert counts["partnerships.Match"] == 20
    assert counts["partnerships.ExpressionOfInterest"] == 20 + 8 + data.SPARE_VISITORS
    assert 4 * 20 <= counts["exchanges.Activity"] <= 5 * 20
    assert 10 * 20 <= counts["audit.AuditEvent"] <= 16 * 20
    assert counts["notifications.Notification"] == 20
    # R-ELIG-4, R-ELIG-6: SMEs take part as cluster members (or, hosts, with EASME's approval):
    # the Support Office's EASME requests are the few left, not every SME host
    from organisations.models import ClusterMembership
    from organisations.models import Organisation as Org

    smes = Org.objects.filter(org_type="sme").count()
    assert counts["organisations.ClusterMembership"] >= smes * 0.8
    assert not ClusterMembership.objects.filter(member__org_type="cluster").exists()
    exchanges = Exchange.objects.all()
    assert exchanges.values("visitor").distinct().count() == 20
    assert all(e.visitor.country != e.host.country for e in exchanges)
    assert len({e.status for e in exchanges}) >= 4
    paid_for = Exchange.objects.filter(
        mode=ExchangeMode.PHYSICAL,
        status__in=[ExchangeStatus.CONTRACTED, ExchangeStatus.EXECUTED, ExchangeStatus.CLOSED],
    )
    assert counts["payments.Payment"] == paid_for.count()
    assert set(Payment.objects.values_list("exchange", flat=True)) == set(
        paid_for.values_list("pk", flat=True)
    )
    # the matching page's pre-ranking tokens are filled as the services keep them (issue 12)
    from organisations.models import Organisation

    assert not Organisation.objects.filter(match_tokens__isnull=True).exists()
    assert not Organisation.objects.filter(match_interest_tokens__isnull=True).exists()
    # the created dates are spread over years, not all "now"
    assert Exchange.objects.dates("created_at", "year").count() >= 2
    # ``--reuse`` without the state file (a database built elsewhere) reads the same ids back
    assert data.recover(20) == built


def test_the_builder_adds_the_paperwork_the_queues_read():
    """R-DOC-2, R-DOC-3: every exchange past draft has its current CTQ and FA signed by all six
    parties; some drafts have theirs partly signed (documents to sign). R-DOC-4: every closed
    exchange has the visitor's validated report (the close condition); the exchanges' "report
    first submitted" facts agree with the reports."""
    from django.db.models import Count, Q

    from exchanges.models import Exchange, ExchangeStatus
    from reports.models import Document, FinalReport, FinalReportStatus, Signature

    counts = data.build(60)["counts"]
    assert counts["reports.Document"] == Document.objects.count() > 0
    assert counts["reports.Signature"] == Signature.objects.count() > 0
    assert counts["reports.FinalReport"] == FinalReport.objects.count() > 0
    past_draft = Exchange.objects.filter(
        status__in=[ExchangeStatus.CONTRACTED, ExchangeStatus.EXECUTED, ExchangeStatus.CLOSED]
    )
    signed = past_draft.annotate(
        docs=Count("documents", distinct=True),
        sigs=Count("documents__signatures", filter=Q(documents__signatures__voided_at=None)),
    )
    assert {(e.docs, e.sigs) for e in signed} == {(2, 6)}
    drafts = Document.objects.filter(exchange__status=ExchangeStatus.DRAFT)
    assert drafts.annotate(n=Count("signatures")).filter(n__lt=4).exists()
    closed = Exchange.objects.filter(status=ExchangeStatus.CLOSED)
    assert closed.exists()
    assert (
        FinalReport.objects.filter(
            exchange__in=closed, side="visitor", status=FinalReportStatus.VALIDATED
        ).count()
        == closed.count()
    )
    for side in ("visitor", "host"):
        submitted = set(
            FinalReport.objects.filter(side=side, first_submitted_at__isnull=False).values_list(
                "exchange_id", flat=True
            )
        )
        marked = set(
            Exchange.objects.filter(**{f"{side}_report_at__isnull": False}).values_list(
                "pk", flat=True
            )
        )
        assert submitted == marked


def test_the_bare_view_lives_only_in_the_benchmark_urlconf():
    """The constant view is mounted by benchmarks.urls, never by cxc_portal.urls."""
    from benchmarks import urls as bench_urls

    assert reverse("bench_bare", urlconf=bench_urls) == "/__bench__/bare/"
    assert resolve("/__bench__/bare/", urlconf=bench_urls).url_name == "bench_bare"
    with pytest.raises(NoReverseMatch):
        reverse("bench_bare", urlconf="cxc_portal.urls")
    with pytest.raises(Resolver404):
        resolve("/__bench__/bare/", urlconf="cxc_portal.urls")


def test_the_explain_check_flags_big_table_scans_and_disk_sorts_only():
    """A Seq Scan on a big table and a sort spilled to disk are flagged, nested at any depth;
    a scan of a small table, an index scan and an in-memory sort are not."""
    from benchmarks.harness import plan_flags

    big = {"exchanges_exchange", "audit_auditevent"}
    plan = {
        "Node Type": "Limit",
        "Plans": [
            {
                "Node Type": "Sort",
                "Sort Method": "external merge",
                "Sort Space Type": "Disk",
                "Sort Space Used": 2048,
                "Plans": [
                    {"Node Type": "Seq Scan", "Relation Name": "exchanges_exchange"},
                    {"Node Type": "Seq Scan", "Relation Name": "partnerships_partnership"},
                    {"Node Type": "Index Scan", "Relation Name": "audit_auditevent"},
                ],
            },
            {"Node Type": "Sort", "Sort Method": "quicksort", "Sort Space Type": "Memory"},
        ],
    }
    flags = plan_flags(plan, big)
    assert len(flags) == 2
    assert flags[0] == "Sort spilled to disk (2048 kB)"
    assert flags[1].startswith("Seq Scan on exchanges_exchange")
