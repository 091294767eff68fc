"""The reports room's work-queue sections and journey steps (issue 13 × issue 11): documents
to sign (R-DOC-2, R-DOC-3), final reports to validate (R-DOC-6) and overdue (R-DOC-4,
R-DL-1) — each for the right person only, with its due date, gone once done — and the
applicant's "documents" and "report" steps."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exchanges.models import REPORT_STATES, ExchangeStatus
from partnerships.models import PartnershipStaff
from reports.far_rules import FAR_OPEN_STATES
from reports.models import (
    Document,
    DocumentStatus,
    FinalReport,
    FinalReportStatus,
    Signature,
)
from reports.services_far import far_return, far_save
from reports.services_signing import document_signed_by
from tests import factories
from tests.exchanges.factories import approver, fill_plan, representative, support_office_user
from tests.reports.helpers import far_answers, far_row, far_submit

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def section(client, user, key):
    queue = home(client, user).context["work_queue"]
    return next((s for s in queue.sections if s.key == key), None)


def signer_of(partnership):
    staff = factories.PartnershipStaffFactory(partnership=partnership, can_sign=True)
    factories.give_totp(staff.user)
    return staff.user


def ready(exchange, kind, version=1, status=DocumentStatus.READY):
    return Document.objects.create(
        exchange=exchange,
        kind=kind,
        version=version,
        data={},
        data_hash=f"{kind}{version}".ljust(64, "0"),
        file=f"documents/{exchange.pk}-{kind}-{version}.pdf",
        sha256=f"{exchange.pk}{kind}{version}".ljust(64, "f").lower(),
        status=status,
    )


def sign(document, party, user):
    """A live signature written straight to the database, the version's "awaits" facts kept
    as the signing service keeps them."""
    document_signed_by(document, party)
    return Signature.objects.create(
        document=document,
        party=party,
        signer=user,
        typed_name=user.get_full_name() or "A Name",
        signed_at=timezone.now(),
        signed_sha256=document.sha256,
    )


def ended_exchange(days_ago: int, **kwargs):
    end = today() - timedelta(days=days_ago)
    return factories.ExchangeFactory(
        status=kwargs.pop("status", ExchangeStatus.EXECUTED),
        start_date=end - timedelta(days=4),
        end_date=end,
        **kwargs,
    )


def submitted(exchange, side, *, days_ago=0, status=FinalReportStatus.SUBMITTED):
    moment = timezone.now() - timedelta(days=days_ago)
    return far_row(
        exchange,
        side,
        status=status,
        first_submitted_at=moment,
        submitted_at=moment,
        decided_at=moment if status == FinalReportStatus.VALIDATED else None,
        returned_count=1 if status == FinalReportStatus.RETURNED else 0,
    )


# --- documents to sign ---------------------------------------------------------------------------


def test_r_doc_2_r_doc_3_documents_wait_for_the_partnerships_that_sign_them(client):
    """R-DOC-2, R-DOC-3: the VOP signs the CTQ and the FA, the HOP the CTQ only — for staff
    with the "may sign" flag; due on the stay's first day; gone once their partnership signed;
    a void version or a contracted exchange is not listed."""
    exchange = factories.ExchangeFactory()
    ctq, fa = ready(exchange, "CTQ"), ready(exchange, "FA")
    vop_signer, hop_signer = signer_of(exchange.vop), signer_of(exchange.hop)
    vop_items = section(client, vop_signer, "reports.documents_to_sign")
    assert vop_items.count == 2
    assert {i.what for i in vop_items.items} == {
        "Sign the Commitment to Quality",
        "Sign the Financial Agreement",
    }
    assert all(i.due == exchange.start_date for i in vop_items.items)
    assert all("as VOP" in i.detail for i in vop_items.items)
    assert vop_items.items[0].url == reverse("exchanges:detail", kwargs={"pk": exchange.pk})
    hop_items = section(client, hop_signer, "reports.documents_to_sign")
    assert hop_items.count == 1 and "as HOP" in hop_items.items[0].detail
    # Staff who may not sign have no such section; another partnership's signers see nothing.
    assert section(client, approver(exchange.vop), "reports.documents_to_sign") is None
    other = signer_of(factories.PartnershipFactory())
    assert section(client, other, "reports.documents_to_sign").count == 0
    # Signed by the VOP: gone for the VOP, still there for the HOP.
    sign(ctq, "vop", vop_signer)
    sign(fa, "vop", vop_signer)
    assert section(client, vop_signer, "reports.documents_to_sign").count == 0
    assert section(client, hop_signer, "reports.documents_to_sign").count == 1
    # A voided version (replaced by a new one) is not signed any more: only the new one waits.
    Document.objects.filter(pk=ctq.pk).update(status=DocumentStatus.VOID)
    ready(exchange, "CTQ", version=2)
    hop_items = section(client, hop_signer, "reports.documents_to_sign")
    assert hop_items.count == 1 and "version 2" in hop_items.items[0].detail
    # Contracted: nothing to sign.
    type(exchange).objects.filter(pk=exchange.pk).update(status=ExchangeStatus.CONTRACTED)
    assert section(client, hop_signer, "reports.documents_to_sign").count == 0


def test_documents_to_sign_soonest_stay_first_and_overdue_once_the_stay_began(client):
    vop = factories.PartnershipFactory()
    late = factories.ExchangeFactory(
        visitor=factories.OrganisationFactory(validating_partnership=vop),
        start_date=today() - timedelta(days=2),
        end_date=today() + timedelta(days=2),
    )
    soon = factories.ExchangeFactory(
        visitor=factories.OrganisationFactory(validating_partnership=vop),
        start_date=today() + timedelta(days=5),
        end_date=today() + timedelta(days=9),
    )
    ready(soon, "FA")
    ready(late, "FA")
    items = section(client, signer_of(vop), "reports.documents_to_sign").items
    assert [i.due for i in items] == [late.start_date, soon.start_date]
    assert items[0].is_overdue and not items[1].is_overdue


# --- final reports to validate -------------------------------------------------------------------


def test_r_doc_6_the_vop_validates_the_visitors_report_the_hop_the_hosts(client):
    """R-DOC-6: a submitted visitor's report waits for the VOP's approvers, a host's for the
    HOP's, the oldest submission first; gone once validated (or returned)."""
    exchange = ended_exchange(3)
    older = ended_exchange(
        4, visitor=factories.OrganisationFactory(validating_partnership=exchange.vop)
    )
    submitted(exchange, "visitor", days_ago=1)
    submitted(older, "visitor", days_ago=2)
    host_report = submitted(exchange, "host")
    vop_staff, hop_staff = approver(exchange.vop), approver(exchange.hop)
    vop_section = section(client, vop_staff, "reports.far_to_validate")
    assert vop_section.count == 2
    assert [i.url for i in vop_section.items] == [
        reverse("reports:far_detail", kwargs={"exchange_id": pk, "side": "visitor"})
        for pk in (older.pk, exchange.pk)
    ]
    assert vop_section.items[0].days_waiting == 2
    hop_section = section(client, hop_staff, "reports.far_to_validate")
    assert hop_section.count == 1 and hop_section.items[0].url.endswith("/host/")
    # Staff who do not approve exchanges have no such section; other partnerships see nothing.
    assert (
        section(client, approver(exchange.vop, can_approve=False), "reports.far_to_validate")
        is None
    )
    assert (
        section(client, approver(factories.PartnershipFactory()), "reports.far_to_validate").count
        == 0
    )
    FinalReport.objects.filter(pk=host_report.pk).update(
        status=FinalReportStatus.VALIDATED, decided_at=timezone.now()
    )
    assert section(client, hop_staff, "reports.far_to_validate").count == 0


# --- overdue final reports -----------------------------------------------------------------------


def test_r_doc_4_overdue_reports_for_their_sides_partnership_and_the_support_office(client):
    """R-DOC-4, R-DL-1: a report not submitted 7 days after the stay is overdue for its side's
    partnership (VOP: the visitor's, HOP: the host's) and for the Support Office across
    partnerships; gone once submitted; not yet due is not listed."""
    exchange = ended_exchange(10)
    ended_exchange(
        7, visitor=factories.OrganisationFactory(validating_partnership=exchange.vop)
    )  # due today: not overdue yet
    vop_staff, hop_staff = approver(exchange.vop), approver(exchange.hop)
    vop_section = section(client, vop_staff, "reports.far_overdue")
    assert vop_section.count == 1
    item = vop_section.items[0]
    assert item.due == exchange.end_date + timedelta(days=7)
    assert item.is_overdue and item.days_overdue == 3
    assert item.detail == "Visitor (Annex 3)"
    assert section(client, hop_staff, "reports.far_overdue").items[0].detail == "Host (Annex 2)"
    assert section(client, vop_staff, "reports.far_overdue_all") is None  # staff: own only
    assert (
        section(client, approver(factories.PartnershipFactory()), "reports.far_overdue").count == 0
    )
    so = support_office_user()
    everywhere = section(client, so, "reports.far_overdue_all")
    assert everywhere.count == 2
    submitted(exchange, "visitor")
    assert section(client, vop_staff, "reports.far_overdue").count == 0
    assert section(client, so, "reports.far_overdue_all").count == 1
    # A draft exchange has no reports to chase.
    type(exchange).objects.filter(pk=exchange.pk).update(status=ExchangeStatus.DRAFT)
    assert section(client, so, "reports.far_overdue_all").count == 0


def test_r_doc_4_r_doc_6_the_first_submission_marks_the_report_in_and_a_return_keeps_it(client):
    """R-DOC-4, R-DOC-6: submitting a side's report (``far_save``) records on the exchange the
    moment it was first submitted, in the same transaction — what the overdue sections read; a
    draft does not; a return for a correction keeps it in (not overdue again) and the
    resubmission keeps the first moment."""
    exchange = ended_exchange(10)
    fill_plan(exchange)
    author = representative(exchange.host)
    so = support_office_user()
    far_save(
        actor=author,
        exchange=exchange,
        side="host",
        answers=far_answers(exchange),
        submit=False,
    )
    exchange.refresh_from_db()
    assert exchange.host_report_at is None
    assert section(client, so, "reports.far_overdue_all").count == 2
    report = far_submit(exchange, "host", author=author)
    exchange.refresh_from_db()
    assert exchange.host_report_at == report.first_submitted_at is not None
    assert exchange.visitor_report_at is None
    assert [i.detail for i in section(client, so, "reports.far_overdue_all").items] == [
        "Visitor (Annex 3)"
    ]
    far_return(actor=approver(exchange.hop), exchange=exchange, side="host", comment="More.")
    assert section(client, so, "reports.far_overdue_all").count == 1
    first = exchange.host_report_at
    far_submit(exchange, "host", author=author, results_text="Much more.")
    exchange.refresh_from_db()
    assert exchange.host_report_at == first
    assert section(client, so, "reports.far_overdue_all").count == 1


def test_r_doc_4_the_report_facts_are_filled_from_the_reports_already_submitted():
    """R-DOC-4: the data migration fills each exchange's "report first submitted" facts from
    the submitted reports (a draft leaves it empty), set-based, and (R-DOC-6) each report's
    reviewer: the VOP for the visitor's, the HOP for the host's; the exchanges room's report
    states are the reports room's."""
    migration = importlib.import_module("reports.migrations.0005_queue_report_facts")
    visitor_in, host_draft = ended_exchange(10), ended_exchange(11)
    moment = timezone.now() - timedelta(days=2)
    FinalReport.objects.create(
        exchange=visitor_in,
        side="visitor",
        status=FinalReportStatus.RETURNED,
        first_submitted_at=moment,
        submitted_at=moment,
        returned_count=1,
    )
    FinalReport.objects.create(exchange=host_draft, side="host")
    FinalReport.objects.update(reviewer=None)
    migration.fill_report_facts(django_apps, None)
    migration.fill_reviewers(django_apps, None)
    assert dict(FinalReport.objects.values_list("side", "reviewer")) == {
        "visitor": visitor_in.vop_id,
        "host": host_draft.hop_id,
    }
    visitor_in.refresh_from_db()
    host_draft.refresh_from_db()
    assert (visitor_in.visitor_report_at, visitor_in.host_report_at) == (moment, None)
    assert (host_draft.visitor_report_at, host_draft.host_report_at) == (None, None)
    assert set(REPORT_STATES) == set(FAR_OPEN_STATES)


def test_the_reports_sections_cost_the_same_queries_with_one_or_many_items(client):
    """Issue 12: each section a COUNT and a LIMITed SELECT, whatever the data."""
    vop = factories.PartnershipFactory()
    user = signer_of(vop)
    PartnershipStaff.objects.filter(user=user).update(can_approve_exchanges=True)
    so = support_office_user()

    def world(n):
        for _ in range(n):

            def visitor():
                return factories.OrganisationFactory(validating_partnership=vop)

            ready(factories.ExchangeFactory(visitor=visitor()), "FA")
            submitted(ended_exchange(3, visitor=visitor()), "visitor")
            ended_exchange(12, visitor=visitor())

    def cost(who):
        client.force_login(who)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("home"))
        return len(captured), response.context["work_queue"]

    world(1)
    few, _q = cost(user)
    few_so, _q = cost(so)
    world(12)
    many, queue = cost(user)
    assert many == few
    counts = {s.key: s.count for s in queue.sections if s.key.startswith("reports.")}
    assert counts == {
        "reports.documents_to_sign": 13,
        "reports.far_to_validate": 13,
        "reports.far_overdue": 13,
    }
    many_so, queue = cost(so)
    assert many_so == few_so
    # both sides of each overdue exchange
    assert next(s for s in queue.sections if s.key == "reports.far_overdue_all").count == 26


# --- the applicant's journey ------------------------------------------------------------------


def journey(client, rep):
    response = home(client, rep.user)
    return next(j for j in response.context["journeys"] if j.organisation.pk == rep.organisation_id)


def test_staff_and_support_office_homes_link_to_the_dashboards_applicants_not(client):
    """Issue 13: the home page leads staff to their partnership's dashboard and the Support
    Office to the programme's; an applicant's home has no such link."""
    url = reverse("dashboards:index")
    staff_html = home(client, approver(factories.PartnershipFactory())).content.decode()
    assert 'data-home-link="dashboards"' in staff_html and url in staff_html
    assert "Your partnership's KPI dashboard" in staff_html
    so_html = home(client, support_office_user()).content.decode()
    assert "Programme dashboard" in so_html
    rep = factories.RepresentativeFactory()
    assert 'data-home-link="dashboards"' not in home(client, rep.user).content.decode()


def test_r_doc_2_the_journey_names_the_documents_to_sign_then_who_is_missing(client):
    """R-DOC-2, R-DOC-3: the visitor's signatory signs the CTQ and the FA before the stay's
    first day; once signed on their side, the step says whose signature is missing; a
    representative who may not sign is told their signatory signs."""
    rep = factories.RepresentativeFactory()
    exchange = factories.ExchangeFactory(visitor=rep.organisation)
    ctq, fa = ready(exchange, "CTQ"), ready(exchange, "FA")
    step = journey(client, rep).next_step
    assert step.text == "Sign CTQ v1, FA v1"
    assert "Sign CTQ v1, FA v1</a>" in home(client, rep.user).content.decode()
    assert step.due == exchange.start_date
    assert step.url == reverse("exchanges:detail", kwargs={"pk": exchange.pk})
    sign(ctq, "vo", rep.user)
    sign(fa, "vo", rep.user)
    assert journey(client, rep).next_step.text == "Signed on your side: waiting for HO, HOP, VOP"
    helper = factories.RepresentativeFactory(organisation=exchange.host, is_signatory=False)
    assert journey(client, helper).next_step.text == "Your organisation's signatory signs CTQ v1"


def test_r_doc_3_the_hosts_journey_never_names_the_fas_missing_signatures(client):
    """R-DOC-3: the FA is the visitor's, the VOP's and the Support Office's to read: once the
    host has signed the CTQ, its journey waits for the CTQ's other parties only — never says
    who has not signed the FA yet, and says nothing once the CTQ is complete."""
    host_rep = factories.RepresentativeFactory()
    exchange = factories.ExchangeFactory(host=host_rep.organisation)
    ctq, _fa = ready(exchange, "CTQ"), ready(exchange, "FA")
    sign(ctq, "ho", host_rep.user)
    assert (
        journey(client, host_rep).next_step.text == "Signed on your side: waiting for HOP, VO, VOP"
    )
    for party in ("vo", "hop", "vop"):
        sign(ctq, party, host_rep.user)
    step = journey(client, host_rep).next_step
    assert step is None or "waiting for" not in step.text


def test_r_doc_4_the_journey_says_what_to_do_with_the_report_and_how_late(client):
    """R-DOC-4, R-DOC-6: after the stay, write the report (due end + 7 days, late in words),
    finish the draft, correct it once returned, then wait for the partnership."""
    rep = factories.RepresentativeFactory()
    exchange = ended_exchange(10, visitor=rep.organisation)
    step = journey(client, rep).next_step
    assert step.text == "Write your final activity report (3 days late)"
    assert step.due == exchange.end_date + timedelta(days=7)
    assert step.url == reverse(
        "reports:far_edit", kwargs={"exchange_id": exchange.pk, "side": "visitor"}
    )
    report = FinalReport.objects.create(exchange=exchange, side="visitor")
    assert journey(client, rep).next_step.text.startswith("Finish and submit")
    FinalReport.objects.filter(pk=report.pk).update(
        status=FinalReportStatus.SUBMITTED,
        first_submitted_at=timezone.now(),
        submitted_at=timezone.now(),
    )
    assert journey(client, rep).next_step.text == (
        f"Wait for {exchange.vop.acronym} to validate your final activity report"
    )
    FinalReport.objects.filter(pk=report.pk).update(
        status=FinalReportStatus.RETURNED, returned_count=1
    )
    assert journey(client, rep).next_step.text.startswith("Correct your final activity report")
    host_rep = factories.RepresentativeFactory(organisation=exchange.host)
    assert journey(client, host_rep).next_step.url == reverse(
        "reports:far_edit", kwargs={"exchange_id": exchange.pk, "side": "host"}
    )
