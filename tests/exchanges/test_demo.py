"""The exchanges demo step: every state, a group of three visitors, a virtual exchange;
idempotent; tolerant of a small world."""

from datetime import date, timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from schwifty import IBAN

from cxc_portal.audit.models import AuditEvent
from cxc_portal.core.demo import SeedContext
from exchanges import demo
from exchanges.models import (
    Amendment,
    AmendmentStatus,
    Exchange,
    ExchangeGroup,
    ExchangeMode,
    ExchangeStatus,
)
from partnerships.models import Partnership, PartnershipStaff
from payments import demo as payments_demo
from payments.models import Payment
from reports import demo as reports_demo
from reports import demo_far
from reports.models import Document, DocumentStatus, FinalReport, FinalReportStatus, Signature
from tests.exchanges.factories import approver, representative, support_office_user
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

COUNTRIES = [
    "BE",
    "PT",
    "DE",
    "FR",
    "IT",
    "ES",
    "NL",
    "AT",
    "PL",
    "SE",
    "FI",
    "DK",
    "CZ",
    "HU",
    "IE",
]


def _world(countries):
    for code in countries:
        org = OrganisationFactory(country=code)
        representative(org)  # each organisation signs through its representative (R-DOC-2)
        staff = approver(org.validating_partnership, totp=False)
        # R-DOC-2, R-DOC-3: the partnerships sign through staff who may sign.
        PartnershipStaff.objects.filter(user=staff).update(can_sign=True)


def test_demo_seeds_every_state_a_group_and_a_virtual_exchange_idempotently():
    _world(COUNTRIES)
    messages: list[str] = []
    ctx = SeedContext(today=date(2026, 11, 23), log=messages.append)
    demo.seed(ctx)
    reports_demo.seed_documents(ctx)
    # R-PAY-7: a physical stay closes once the visitor's final activity report is validated
    # (the reports step) and its evidence accepted (the payments step).
    demo_far.seed(ctx)
    payments_demo.seed(ctx)
    statuses = set(Exchange.objects.values_list("status", flat=True))
    assert statuses == set(ExchangeStatus.values)
    assert Exchange.objects.filter(mode=ExchangeMode.VIRTUAL).exists()
    group = ExchangeGroup.objects.get(name=demo.GROUP_NAME)
    assert group.exchanges.filter(status=ExchangeStatus.DRAFT).count() == 3
    assert len({e.visitor_id for e in group.exchanges.all()}) == 3
    flagged = Exchange.objects.filter(
        status=ExchangeStatus.CONTRACTED, end_flagged_at__isnull=False
    )
    assert flagged.count() == 1
    # R-DOC-8: one amendment signed (the stay shortened: the payment followed the new FA), one
    # in progress; both exchanges still contracted.
    signed = Amendment.objects.get(status=AmendmentStatus.SIGNED)
    assert signed.exchange.status == ExchangeStatus.CONTRACTED
    assert sorted(signed.documents) == ["CTQ v3", "FA v2"]
    assert Payment.objects.get(exchange=signed.exchange).halved
    assert AuditEvent.objects.filter(
        action="payments.payment.amended", subject_id=str(signed.exchange_id)
    ).exists()
    in_progress = Amendment.objects.get(status=AmendmentStatus.OPEN)
    assert in_progress.exchange.status == ExchangeStatus.CONTRACTED
    ctq = in_progress.exchange.documents.get(kind="CTQ", version=2)
    assert set(ctq.signatures.values_list("party", flat=True)) == {"ho", "hop"}
    # No demo bookkeeping shows in what users read (the objectives).
    assert not Exchange.objects.filter(objectives__contains="[demo").exists()
    count = Exchange.objects.count()
    demo.seed(SeedContext(today=date(2026, 11, 23), log=messages.append))
    assert Exchange.objects.count() == count
    assert ExchangeGroup.objects.count() == 1
    documents = (count, Document.objects.count(), Signature.objects.count())
    reports_demo.seed_documents(ctx)
    assert (count, Document.objects.count(), Signature.objects.count()) == documents


def test_demo_documents_and_reports_in_every_state_and_their_pages_answer(client):
    """Issue 11: documents being signed, fully signed and sealed (the sealed files exist),
    voided by a change (a version 2, void signatures on version 1); final reports drafted,
    submitted, returned, validated and late, their PDFs rendered; each exchange page answers
    the Support Office."""
    _world(COUNTRIES)
    ctx = SeedContext(today=date(2026, 11, 23), log=[].append)
    demo.seed(ctx)
    reports_demo.seed_documents(ctx)
    demo_far.seed(ctx)
    payments_demo.seed(ctx)
    # Being signed: the demo draft's CTQ has the host side's signatures only.
    draft = Exchange.objects.get(objectives=demo.OBJECTIVES["draft"])
    ctq = Document.objects.get(exchange=draft, kind="CTQ", version=1)
    live = set(ctq.signatures.filter(voided_at__isnull=True).values_list("party", flat=True))
    assert live == {"ho", "hop"} and ctq.sealed_at is None
    # Fully signed and sealed: every contracted (or later) exchange's current versions.
    contracted = Exchange.objects.get(objectives=demo.OBJECTIVES["contracted"])
    for document in Document.objects.filter(exchange=contracted, status=DocumentStatus.READY):
        assert document.is_sealed and default_storage.exists(document.sealed_file)
    assert Document.objects.filter(sealed_at__isnull=False).count() >= 10
    # Voided by a change: version 2 of a group draft's CTQ, version 1 void with its signatures.
    void = Document.objects.get(status=DocumentStatus.VOID, exchange__group__isnull=False)
    assert void.version == 1 and void.kind == "CTQ"
    assert set(void.signatures.values_list("party", flat=True)) == {"ho", "hop"}
    assert not void.signatures.filter(voided_at__isnull=True).exists()
    current = Document.objects.get(exchange=void.exchange, kind="CTQ", version=2)
    assert current.status == DocumentStatus.READY and not current.signatures.exists()
    # The final reports: every state, the submitted ones with their PDF.
    statuses = set(FinalReport.objects.values_list("status", flat=True))
    assert statuses == set(FinalReportStatus.values)
    for report in FinalReport.objects.exclude(status=FinalReportStatus.DRAFT):
        assert report.sha256 and default_storage.exists(report.file)
    # Late (R-DOC-4): submitted after the due date, and not submitted past it.
    submitted_late = [
        report
        for report in FinalReport.objects.filter(first_submitted_at__isnull=False)
        if report.first_submitted_at.date() > report.exchange.end_date + timedelta(days=7)
    ]
    assert submitted_late
    missing = Exchange.objects.filter(
        status__in=("executed", "closed"), end_date__lt=ctx.today - timedelta(days=7)
    ).exclude(final_reports__side="host")
    assert missing.exists()
    client.force_login(support_office_user())
    for exchange in Exchange.objects.all():
        response = client.get(reverse("exchanges:detail", kwargs={"pk": exchange.pk}))
        assert response.status_code == 200, exchange.objectives


def test_demo_in_a_small_world_skips_what_it_cannot_build():
    _world(["BE", "PT"])
    messages: list[str] = []
    demo.seed(SeedContext(today=date(2026, 11, 23), log=messages.append))
    assert Exchange.objects.count() == 2  # two visitors: the first two scenarios only
    assert any("skipped" in m for m in messages)


def test_the_demo_vops_have_an_account_so_finance_staff_can_download_a_sepa_file():
    """R-PAY-4: the SEPA file's debtor is the VOP's own account. The demo had none, so every
    "SEPA transfer file" click was refused; the payments step now gives each partnership a
    valid example IBAN (once: a second run changes nothing)."""
    _world(COUNTRIES)
    ctx = SeedContext(today=date(2026, 11, 23), log=[].append)
    demo.seed(ctx)
    payments_demo.seed(ctx)
    ibans = dict(Partnership.objects.values_list("pk", "iban"))
    assert ibans and all(IBAN(iban) for iban in ibans.values())
    payments_demo.seed(ctx)
    assert dict(Partnership.objects.values_list("pk", "iban")) == ibans
