"""The three homes in a real browser (issue 13): the staff work queue, the Support Office's
queue and the applicant's journey pass check_page (axe-core at 1366 and 390 px, no sideways
scrolling, screenshots), with overdue items said in words."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cxc_portal.notifications.models import Notification
from exchanges.models import Activity, ExchangeStatus
from organisations.choices import ProfileStatus
from partnerships.models import InterestStatus
from reports.models import Document, DocumentStatus
from tests import factories
from tests.e2e.conftest import check_page, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _busy_partnership():
    today = timezone.localdate()
    partnership = factories.PartnershipFactory(acronym="ECP-GREEN")
    for days in (12, 3):
        factories.OrganisationFactory(
            legal_name=f"Very Long Cluster Organisation Name Waiting {days} Days",
            status=ProfileStatus.SUBMITTED,
            validating_partnership=partnership,
            submitted_at=timezone.now() - timedelta(days=days),
        )
    factories.ExpressionOfInterestFactory(partnership=partnership, status=InterestStatus.SUBMITTED)
    factories.ExchangeFactory(
        visitor=factories.OrganisationFactory(validating_partnership=partnership),
        start_date=today - timedelta(days=2),
        end_date=today + timedelta(days=2),
    )
    factories.ExchangeFactory(
        visitor=factories.OrganisationFactory(validating_partnership=partnership),
        status=ExchangeStatus.CONTRACTED,
        start_date=today - timedelta(days=9),
        end_date=today - timedelta(days=5),
    )
    return partnership


def test_the_staff_work_queue(browsing):
    partnership = _busy_partnership()
    staff = factories.PartnershipStaffFactory(partnership=partnership)
    factories.give_totp(staff.user)
    page = browsing.new_page()
    log_in(page, staff.user.email, totp=True)
    page.goto("/")
    expect(page.get_by_role("heading", name="Profiles to validate")).to_be_visible()
    expect(page.locator("[data-overdue]").first).to_contain_text("Overdue by 2 days")
    check_page(page, "staff-home")


def test_the_support_office_queue(browsing):
    exchange = factories.ExchangeFactory()
    Activity.objects.create(
        exchange=exchange,
        date=exchange.start_date,
        activity_type="networking",
        title="Trade fair visit with the whole delegation",
        hours=Decimal("3.0"),
        is_extra=True,
    )
    Notification.objects.create(
        dedup_key="e2e-1",
        kind="payments.payment.overdue",
        to_email="someone.with.a.long.address@organisation.example.org",
        subject="Your payment is overdue",
        body="...",
        undeliverable_at=timezone.now(),
    )
    Document.objects.create(
        exchange=exchange,
        kind="CTQ",
        version=1,
        data={},
        data_hash="0" * 64,
        status=DocumentStatus.RENDERING,
        pdf_attempts=5,
        pdf_failed_at=timezone.now(),
        pdf_error="OSError: [Errno 28] No space left on device: "
        "'/var/lib/cxc/media/documents/CXC-2026-00042/CTQ-v1-very-long-generated-name.pdf'",
    )
    support = factories.UserFactory(is_support_office=True)
    factories.give_totp(support)
    page = browsing.new_page()
    log_in(page, support.email, totp=True)
    page.goto("/")
    expect(page.get_by_role("heading", name="Extra activities to approve")).to_be_visible()
    expect(page.get_by_role("heading", name="PDFs that could not be made")).to_be_visible()
    check_page(page, "support-office-home")
    # The PDFs given up on, with the worker's last error and "Try again".
    page.goto("/documents/pdf-failures/")
    expect(page.locator("[data-pdf-failures]")).to_contain_text("No space left on device")
    check_page(page, "pdf-failures")


def test_the_applicant_journey(browsing):
    today = timezone.localdate()
    rep = factories.RepresentativeFactory()
    factories.ExchangeFactory(
        visitor=rep.organisation,
        status=ExchangeStatus.EXECUTED,
        start_date=today - timedelta(days=14),
        end_date=today - timedelta(days=10),
    )
    page = browsing.new_page()
    log_in(page, rep.user.email)
    page.goto("/")
    expect(page.locator("[data-next-step]")).to_contain_text("Write your final activity report")
    expect(page.locator("[data-next-step] [data-overdue]")).to_contain_text("Overdue")
    check_page(page, "applicant-home")
