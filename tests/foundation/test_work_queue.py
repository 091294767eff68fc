"""The work queue on the home page (issue 13): each kind of item appears for the right person
only, most urgent first, with its age or due date, overdue ones in words; it disappears once
done; the registry lets a room (the reports room) add its own sections."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cxc_portal.core.work_queue import (
    QueueItem,
    QueueSlice,
    temporary_queue_section,
)
from exchanges.models import Activity, Exchange, ExchangeStatus
from exchanges.services import exchange_cancel, exchange_create, exchange_execute
from organisations.choices import OrganisationType, ProfileStatus
from organisations.models import EasmePreApproval
from organisations.services import organisation_validate
from partnerships.models import InterestStatus, Match, MatchStatus
from payments.models import Evidence, EvidenceStatus, Payment, PaymentStatus
from reports.models import Document, DocumentStatus, FinalReportStatus
from tests import factories
from tests.exchanges.factories import clean_week
from tests.foundation.test_dashboard import APPLICANT_HOME_QUERIES
from tests.queries import session_queries
from tests.reports.helpers import far_row
from tests.reports.test_work_queue_reports import ready
from tests.scale import grow_exchanges

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def queue_of(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.context["work_queue"], response.content.decode()


def section(queue, key):
    return next((s for s in queue.sections if s.key == key), None)


def keys(queue) -> set[str]:
    return {s.key for s in queue.sections}


def staff_of(partnership, **flags):
    staff = factories.PartnershipStaffFactory(partnership=partnership, **flags)
    factories.give_totp(staff.user)
    return staff.user


def login(client, user):
    client.force_login(user)
    return client


def submitted_profile(partnership, days_ago: int):
    return factories.OrganisationFactory(
        status=ProfileStatus.SUBMITTED,
        validating_partnership=partnership,
        submitted_at=timezone.now() - timedelta(days=days_ago),
    )


# --- profiles to validate (R-ELIG-5) -------------------------------------------------------------


def test_profiles_to_validate_oldest_first_with_days_waiting_and_gone_once_validated(
    staff_client,
):
    """R-ELIG-5: the submitted profiles of the staff's partnership, oldest first, each with
    its days waiting; validating one takes it off the queue."""
    partnership = staff_client.staff.partnership
    recent = submitted_profile(partnership, 2)
    oldest = submitted_profile(partnership, 9)
    submitted_profile(factories.PartnershipFactory(), 30)  # another partnership's
    queue, html = queue_of(staff_client)
    profiles = section(queue, "organisations.profiles_to_validate")
    assert profiles.count == 2
    assert [i.subject.split(" (")[0] for i in profiles.items] == [
        oldest.legal_name,
        recent.legal_name,
    ]
    assert profiles.items[0].days_waiting == 9
    assert "waiting 9 days (since" in html
    assert reverse("organisations:detail", kwargs={"pk": oldest.pk}) in html

    organisation_validate(actor=staff_client.staff.user, organisation=oldest)
    queue, _ = queue_of(staff_client)
    assert [
        i.subject.split(" (")[0] for i in section(queue, "organisations.profiles_to_validate").items
    ] == [recent.legal_name]


def test_profiles_section_only_for_validators_and_not_for_the_support_office(client):
    partnership = factories.PartnershipFactory()
    submitted_profile(partnership, 3)
    no_validator = staff_of(partnership, can_validate_profiles=False)
    queue, _ = queue_of(login(client, no_validator))
    assert "organisations.profiles_to_validate" not in keys(queue)
    support = factories.UserFactory(is_support_office=True)
    factories.give_totp(support)
    queue, _ = queue_of(login(client, support))
    assert "organisations.profiles_to_validate" not in keys(queue)


# --- interests to decide (R-PART-2) --------------------------------------------------------------


def test_interests_to_decide_for_their_partnership_only_and_gone_once_decided(staff_client, client):
    """R-PART-2: submitted interests wait for the partnership's staff; unrelated staff never
    see them; a decided one leaves the queue."""
    partnership = staff_client.staff.partnership
    interest = factories.ExpressionOfInterestFactory(
        partnership=partnership, status=InterestStatus.SUBMITTED
    )
    queue, html = queue_of(staff_client)
    interests = section(queue, "partnerships.interests_to_decide")
    assert interests.count == 1
    assert reverse("partnerships:interest_detail", kwargs={"pk": interest.pk}) in html
    assert interests.see_all_url == reverse("partnerships:staff_inbox")

    interest.status = InterestStatus.ACCEPTED
    interest.save(update_fields=["status"])
    queue, _ = queue_of(staff_client)
    assert section(queue, "partnerships.interests_to_decide").count == 0


def test_unrelated_partnership_staff_see_none_of_another_partnerships_items(client):
    """Scoping: staff of an unrelated partnership get every section empty."""
    partnership = factories.PartnershipFactory()
    submitted_profile(partnership, 3)
    factories.ExpressionOfInterestFactory(partnership=partnership, status=InterestStatus.SUBMITTED)
    factories.ExchangeFactory(
        visitor=factories.OrganisationFactory(validating_partnership=partnership)
    )
    stranger = staff_of(factories.PartnershipFactory())
    queue, html = queue_of(login(client, stranger))
    assert queue.total == 0
    assert "data-queue-empty" in html


# --- matches to encode (R-EXC-6) -----------------------------------------------------------------


def _accepted_match(partnership):
    interest = factories.ExpressionOfInterestFactory(partnership=partnership)
    host = factories.OrganisationFactory(country="PT")
    return Match.objects.create(
        visitor=interest.organisation,
        host=host,
        visitor_interest=interest,
        vop=partnership,
        hop=host.validating_partnership,
        score=50,
        proposed_by_role="visitor",
        status=MatchStatus.ACCEPTED,
        decided_at=timezone.now() - timedelta(days=4),
    )


def test_accepted_match_waits_to_be_encoded_until_its_exchange_exists(staff_client):
    """R-EXC-6: a confirmed match waits for the partnership to encode its exchange; encoding
    it (``exchange_create``, which marks the match encoded) takes it off the queue — and
    cancelling that exchange does not put it back (the match is used)."""
    match = _accepted_match(staff_client.staff.partnership)
    queue, html = queue_of(staff_client)
    matches = section(queue, "exchanges.matches_to_encode")
    assert matches.count == 1
    assert matches.items[0].days_waiting == 4
    assert reverse("exchanges:create_from_match", kwargs={"match_id": match.pk}) in html

    start, end = clean_week("PT", after=today() + timedelta(days=35))
    exchange = exchange_create(
        actor=staff_client.staff.user,
        visitor=match.visitor,
        host=match.host,
        vop=match.vop,
        hop=match.hop,
        start_date=start,
        end_date=end,
        match=match,
    )
    queue, _ = queue_of(staff_client)
    assert section(queue, "exchanges.matches_to_encode").count == 0

    exchange_cancel(exchange=exchange, actor=staff_client.staff.user, reason="Wrong dates")
    queue, _ = queue_of(staff_client)
    assert section(queue, "exchanges.matches_to_encode").count == 0


# --- drafts missing something (R-EXC-2) ----------------------------------------------------------


def test_drafts_soonest_first_with_what_they_miss_and_overdue_in_words(staff_client):
    """R-EXC-2, R-EXC-4: drafts by first day of the stay, each saying what it waits for; a
    draft whose stay has begun is overdue, said in words (not only in red)."""
    partnership = staff_client.staff.partnership
    visitor = factories.OrganisationFactory(validating_partnership=partnership)
    late = factories.ExchangeFactory(
        visitor=visitor,
        start_date=today() - timedelta(days=3),
        end_date=today() + timedelta(days=1),
    )
    later = factories.ExchangeFactory(
        visitor=factories.OrganisationFactory(validating_partnership=partnership),
        start_date=today() + timedelta(days=40),
        end_date=today() + timedelta(days=44),
    )
    queue, html = queue_of(staff_client)
    drafts = section(queue, "exchanges.drafts")
    assert drafts.count == 2
    assert [i.url for i in drafts.items] == [
        reverse("exchanges:detail", kwargs={"pk": late.pk}),
        reverse("exchanges:detail", kwargs={"pk": later.pk}),
    ]
    assert drafts.items[0].is_overdue and not drafts.items[1].is_overdue
    assert "action plan (0 of 24 h)" in drafts.items[1].detail
    assert re.search(r"data-overdue>.*?Overdue by 3 days", html, re.S)
    assert drafts.see_all_url == reverse("exchanges:list") + "?status=draft"

    Exchange.objects.filter(pk=later.pk).update(status=ExchangeStatus.CANCELLED)
    queue, _ = queue_of(staff_client)
    assert section(queue, "exchanges.drafts").count == 1


def test_a_section_shows_the_first_ten_and_links_to_all(staff_client):
    partnership = staff_client.staff.partnership
    for _ in range(12):
        submitted_profile(partnership, 1)
    queue, html = queue_of(staff_client)
    profiles = section(queue, "organisations.profiles_to_validate")
    assert profiles.count == 12 and len(profiles.items) == 10
    assert "See all 12" in html
    assert reverse("organisations:staff_queue") + "?status=submitted" in html


# --- ended stays to record as executed (R-EXC-2) -------------------------------------------------


def test_ended_stay_waits_to_be_recorded_as_executed_then_leaves(staff_client):
    """R-EXC-2: a contracted exchange whose last day has passed waits for staff to record it."""
    partnership = staff_client.staff.partnership
    exchange = factories.ExchangeFactory(
        visitor=factories.OrganisationFactory(validating_partnership=partnership),
        status=ExchangeStatus.CONTRACTED,
        start_date=today() - timedelta(days=12),
        end_date=today() - timedelta(days=8),
    )
    factories.ExchangeFactory(  # still on: not yet
        visitor=factories.OrganisationFactory(validating_partnership=partnership),
        status=ExchangeStatus.CONTRACTED,
        start_date=today() - timedelta(days=1),
        end_date=today() + timedelta(days=3),
    )
    queue, _ = queue_of(staff_client)
    ended = section(queue, "exchanges.ended_to_record")
    assert ended.count == 1 and ended.items[0].days_waiting == 8

    exchange_execute(exchange=exchange, actor=staff_client.staff.user, today=today())
    queue, _ = queue_of(staff_client)
    assert section(queue, "exchanges.ended_to_record").count == 0


# --- evidence and payments (R-PAY-4) -------------------------------------------------------------


def _evidence(exchange, **kwargs):
    return Evidence.objects.create(
        exchange=exchange,
        file="evidence/x.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        kind="boarding_pass",
        **kwargs,
    )


def test_evidence_to_check_for_the_vop_only_and_gone_once_reviewed(staff_client, client):
    """R-PAY-4 (c): the VOP's staff check the visitor's evidence; the HOP's staff do not."""
    partnership = staff_client.staff.partnership
    exchange = factories.ExchangeFactory(
        visitor=factories.OrganisationFactory(validating_partnership=partnership),
        status=ExchangeStatus.EXECUTED,
    )
    evidence = _evidence(exchange)
    _evidence(exchange)
    queue, html = queue_of(staff_client)
    to_check = section(queue, "payments.evidence_to_check")
    assert to_check.count == 1
    assert "2 file(s) to review" in to_check.items[0].detail
    assert reverse("payments:evidence", kwargs={"exchange_id": exchange.pk}) in html

    hop_staff = staff_of(exchange.hop)
    hop_queue, _ = queue_of(login(client, hop_staff))
    assert section(hop_queue, "payments.evidence_to_check").count == 0

    Evidence.objects.filter(exchange=exchange).update(status=EvidenceStatus.ACCEPTED)
    queue, _ = queue_of(login(client, staff_client.staff.user))
    assert section(queue, "payments.evidence_to_check").count == 0
    assert evidence.pk


def _payment(exchange, *, due, status=PaymentStatus.DUE, **kwargs):
    return Payment.objects.create(
        exchange=exchange,
        amount=Decimal("780.00"),
        rate=Decimal("780.00"),
        working_days=5,
        status=status,
        due_date=due,
        **kwargs,
    )


def test_r_pay_4_a_payment_keeps_its_vop_and_the_migration_fills_it():
    """R-PAY-4: the payment's VOP (who pays) is the exchange's, copied when the row is made —
    what the payments due section reads; the data migration fills it, set-based."""
    import importlib

    from django.apps import apps

    exchange = factories.ExchangeFactory(status=ExchangeStatus.CLOSED)
    payment = _payment(exchange, due=today())
    assert payment.vop_id == exchange.vop_id
    Payment.objects.update(vop=None)
    importlib.import_module("payments.migrations.0005_queue_payment_vop").fill_vop(apps, None)
    payment.refresh_from_db()
    assert payment.vop_id == exchange.vop_id


def test_payments_due_this_week_overdue_first_and_marked_gone_once_paid(staff_client):
    """R-PAY-4, R-DL-2: due payments within a week or overdue, the earliest first; an overdue
    one says so; a paid one leaves; one due later is not in the queue yet."""
    partnership = staff_client.staff.partnership

    def closed():
        return factories.ExchangeFactory(
            visitor=factories.OrganisationFactory(validating_partnership=partnership),
            status=ExchangeStatus.CLOSED,
        )

    soon = _payment(closed(), due=today() + timedelta(days=3))
    overdue = _payment(closed(), due=today() - timedelta(days=2))
    _payment(closed(), due=today() + timedelta(days=20))
    queue, html = queue_of(staff_client)
    due = section(queue, "payments.due")
    assert due.count == 2
    assert [i.due for i in due.items] == [overdue.due_date, soon.due_date]
    assert due.items[0].is_overdue
    assert "Overdue by 2 days" in html

    Payment.objects.filter(pk=overdue.pk).update(
        status=PaymentStatus.PAID, paid_on=today(), reference="SEPA-1"
    )
    queue, _ = queue_of(staff_client)
    assert section(queue, "payments.due").count == 1


def test_payments_section_only_for_staff_who_pay(client):
    partnership = factories.PartnershipFactory()
    no_payer = staff_of(partnership, can_pay=False)
    queue, _ = queue_of(login(client, no_payer))
    assert "payments.due" not in keys(queue)


# --- the Support Office's sections ---------------------------------------------------------------


def test_support_office_sees_programme_wide_sections_and_staff_do_not(support_client, client):
    """The Support Office's queue: extra activities (R-EXC-4), EASME requests (R-ELIG-6),
    overdue payments across partnerships (R-DL-2), undeliverable e-mails — never shown to
    partnership staff."""
    exchange = factories.ExchangeFactory(
        start_date=today() + timedelta(days=10), end_date=today() + timedelta(days=14)
    )
    extra = Activity.objects.create(
        exchange=exchange,
        date=exchange.start_date,
        activity_type="networking",
        title="Fair visit",
        hours=Decimal("3.0"),
        is_extra=True,
    )
    sme = factories.OrganisationFactory(
        org_type=OrganisationType.SME,
        status=ProfileStatus.SUBMITTED,
        submitted_at=timezone.now() - timedelta(days=5),
    )
    factories.ExpressionOfInterestFactory(organisation=sme, role="host")
    paid_late = factories.ExchangeFactory(status=ExchangeStatus.CLOSED)
    _payment(paid_late, due=today() - timedelta(days=6))
    from cxc_portal.notifications.models import Notification

    Notification.objects.create(
        dedup_key="k1",
        kind="x",
        to_email="lost@example.org",
        subject="Reminder",
        body="...",
        undeliverable_at=timezone.now(),
    )
    queue, html = queue_of(support_client)
    assert {
        "exchanges.extra_activities",
        "partnerships.easme_requests",
        "payments.overdue_everywhere",
        "notifications.undeliverable",
    } <= keys(queue)
    assert section(queue, "exchanges.extra_activities").count == 1
    assert section(queue, "partnerships.easme_requests").items[0].days_waiting == 5
    assert section(queue, "payments.overdue_everywhere").items[0].is_overdue
    assert section(queue, "notifications.undeliverable").count == 1
    assert "organisations.profiles_to_validate" not in keys(queue)

    staff = staff_of(exchange.vop)
    staff_queue, _ = queue_of(login(client, staff))
    assert not keys(staff_queue) & {
        "exchanges.extra_activities",
        "partnerships.easme_requests",
        "payments.overdue_everywhere",
        "notifications.undeliverable",
    }

    # Done: the activity approved, EASME's pre-approval recorded, the payment paid.
    Activity.objects.filter(pk=extra.pk).update(approved_at=timezone.now())
    EasmePreApproval.objects.create(organisation=sme, reference="EASME/1", granted_on=today())
    Payment.objects.filter(exchange=paid_late).update(
        status=PaymentStatus.PAID, paid_on=today(), reference="SEPA-2"
    )
    queue, _ = queue_of(login(client, support_client.user))
    for key in (
        "exchanges.extra_activities",
        "partnerships.easme_requests",
        "payments.overdue_everywhere",
    ):
        assert section(queue, key).count == 0


def test_an_sme_that_is_a_cluster_member_is_no_easme_request(support_client):
    """R-ELIG-6: only a non-member SME needs EASME's pre-approval to host."""
    member = factories.sme_member(status=ProfileStatus.SUBMITTED)
    factories.ExpressionOfInterestFactory(organisation=member, role="host")
    queue, _ = queue_of(support_client)
    assert section(queue, "partnerships.easme_requests").count == 0


# --- empty queue, registry slot ------------------------------------------------------------------


def test_an_empty_queue_says_so_plainly(staff_client):
    queue, html = queue_of(staff_client)
    assert queue.total == 0
    assert "Nothing is waiting for you" in html


def test_a_registered_section_appears_in_its_place_for_its_audience(staff_client):
    """The reports room's slot: a section registered with ``register_queue_section`` shows with
    its count and items, ordered by its ``order``."""

    def provider(request):
        return QueueSlice(
            1,
            [QueueItem("Sign the CTQ", "CXC-1", "/x/", due=request.today - timedelta(days=1))],
        )

    with temporary_queue_section(
        "reports.documents_to_sign", "Documents to sign", provider, audience="staff", order=40
    ):
        queue, html = queue_of(staff_client)
    documents = section(queue, "reports.documents_to_sign")
    assert documents.count == 1 and documents.items[0].is_overdue
    order = [s.key for s in queue.sections]
    assert order.index("exchanges.drafts") < order.index("reports.documents_to_sign")
    assert order.index("reports.documents_to_sign") < order.index("exchanges.ended_to_record")
    assert "Sign the CTQ" in html
    queue, _ = queue_of(staff_client)
    assert section(queue, "reports.documents_to_sign") is None


# --- speed: a constant number of queries ---------------------------------------------------------


def _staff_world(partnership, n: int):
    for _ in range(n):
        submitted_profile(partnership, 2)
        factories.ExpressionOfInterestFactory(
            partnership=partnership, status=InterestStatus.SUBMITTED
        )
        _accepted_match(partnership)
        draft = factories.ExchangeFactory(
            visitor=factories.OrganisationFactory(validating_partnership=partnership)
        )
        factories.ActivityFactory(exchange=draft)
        ended = factories.ExchangeFactory(
            visitor=factories.OrganisationFactory(validating_partnership=partnership),
            status=ExchangeStatus.CONTRACTED,
            start_date=today() - timedelta(days=9),
            end_date=today() - timedelta(days=5),
        )
        _evidence(ended)
        closed = factories.ExchangeFactory(
            visitor=factories.OrganisationFactory(validating_partnership=partnership),
            status=ExchangeStatus.CLOSED,
        )
        _payment(closed, due=today() - timedelta(days=1))
        # The reports room: a visitor's report submitted to the VOP, one overdue.
        submitted = factories.ExchangeFactory(
            visitor=factories.OrganisationFactory(validating_partnership=partnership),
            status=ExchangeStatus.EXECUTED,
            start_date=today() - timedelta(days=7),
            end_date=today() - timedelta(days=3),
        )
        far_row(
            submitted,
            "visitor",
            status=FinalReportStatus.SUBMITTED,
            first_submitted_at=timezone.now(),
            submitted_at=timezone.now(),
        )
        factories.ExchangeFactory(
            visitor=factories.OrganisationFactory(validating_partnership=partnership),
            status=ExchangeStatus.EXECUTED,
            start_date=today() - timedelta(days=20),
            end_date=today() - timedelta(days=16),
        )


#: The staff home page (``session_queries`` adds the session's query): user, MFA, access (2)
#: + each section's COUNT and SELECT (the drafts' "which": the list's query on the shown rows;
#: the reports room's documents to sign, final reports to validate and overdue: a COUNT and a
#: SELECT each).
STAFF_HOME_QUERIES = 25
#: ... the Support Office's sections (a COUNT and a SELECT each, the overdue final reports
#: across partnerships and the PDFs given up on among them).
SUPPORT_HOME_QUERIES = 16
#: Every section of the staff's and the Support Office's queues.
STAFF_SECTIONS = {
    "organisations.profiles_to_validate",
    "partnerships.interests_to_decide",
    "exchanges.matches_to_encode",
    "exchanges.drafts",
    "reports.documents_to_sign",
    "exchanges.ended_to_record",
    "reports.far_to_validate",
    "reports.far_overdue",
    "payments.evidence_to_check",
    "payments.due",
}
SUPPORT_SECTIONS = {
    "exchanges.extra_activities",
    "partnerships.easme_requests",
    "reports.far_overdue_all",
    "payments.overdue_everywhere",
    "notifications.undeliverable",
    "reports.pdf_failures",
}


def _every_kind_of_item(partnership):
    """One item in every section of the staff's (of ``partnership``) and the Support Office's
    queues: the staff world, a draft's CTQ to sign, an extra activity, an EASME request, an
    undeliverable e-mail and a PDF given up on. Returns the draft."""
    from cxc_portal.notifications.models import Notification

    _staff_world(partnership, 1)
    draft = Exchange.objects.get(vop=partnership, status=ExchangeStatus.DRAFT)
    ready(draft, "CTQ")
    ready(draft, "FA", status=DocumentStatus.RENDERING)
    Document.objects.filter(exchange=draft, kind="FA").update(
        pdf_failed_at=timezone.now(), pdf_attempts=5
    )
    Activity.objects.create(
        exchange=draft,
        date=draft.start_date,
        activity_type="networking",
        title="Extra",
        hours=Decimal("2.0"),
        is_extra=True,
    )
    sme = factories.OrganisationFactory(
        org_type=OrganisationType.SME, status=ProfileStatus.SUBMITTED, submitted_at=timezone.now()
    )
    factories.ExpressionOfInterestFactory(organisation=sme, role="host")
    Notification.objects.create(
        dedup_key="k1",
        kind="x",
        to_email="lost@example.org",
        subject="Reminder",
        body="...",
        undeliverable_at=timezone.now(),
    )
    return draft


def test_the_homes_cost_the_same_queries_with_10_and_1000_exchanges(
    client, django_assert_num_queries
):
    """Issue 13: every queue runs a constant number of SQL queries with 10 and with 1,000
    exchanges (pinned) — the staff's and the Support Office's with items in every section,
    the applicant's journey beside them. The 1,000 are copies of the 10 (``grow_exchanges``:
    bulk inserts), so every section holds about a hundred times more."""
    partnership = factories.PartnershipFactory()
    staff = staff_of(partnership, can_sign=True, can_pay=True)
    support = factories.UserFactory(is_support_office=True)
    factories.give_totp(support)
    draft = _every_kind_of_item(partnership)
    applicant = factories.RepresentativeFactory(organisation=draft.visitor).user
    homes = (
        (staff, STAFF_HOME_QUERIES, "work_queue", STAFF_SECTIONS),
        (support, SUPPORT_HOME_QUERIES, "work_queue", SUPPORT_SECTIONS),
        (applicant, APPLICANT_HOME_QUERIES, "journeys", None),
    )
    counts = {}
    for total in (10, 1000):
        grow_exchanges(total)
        assert Exchange.objects.count() == total
        for user, pin, shown, sections in homes:
            login(client, user)
            with django_assert_num_queries(pin + session_queries()):
                response = client.get(reverse("home"))
            assert response.status_code == 200 and response.context[shown]
            if sections:
                queue = response.context["work_queue"]
                assert sections <= {s.key for s in queue.waiting}, sections - keys(queue)
                counts[user.pk, total] = {s.key: s.count for s in queue.sections}
    # A hundred times the exchanges behind the sections that list exchanges.
    for user, key in ((staff, "exchanges.drafts"), (support, "reports.far_overdue_all")):
        assert counts[user.pk, 1000][key] >= 50 * counts[user.pk, 10][key] > 0
