"""Amendments of a contracted exchange (R-DOC-8): who opens one and why, what it lets change and
who changes it, the new versions every party signs again while the exchange stays contracted,
the FA only when the lump sum changes, the amendment closing by itself after the last signature
and the payment following the newly signed FA only (R-PAY-5); the page and the timeline."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cxc_portal.audit.models import AuditEvent
from exchanges.models import Amendment, AmendmentStatus, ExchangeStatus
from exchanges.services import (
    amendment_open,
    amendment_withdraw,
    exchange_activity_update,
    exchange_cancel,
    exchange_execute,
    exchange_update,
)
from payments.models import Payment, PaymentStatus
from payments.services_payments import payment_amount_amend
from reports.models import Document, DocumentStatus, Signature
from reports.selectors import latest_documents
from reports.services import document_refresh, document_render
from reports.services_signing import signature_add
from reports.signing import required_parties
from tests.exchanges.factories import (
    approver,
    fill_plan,
    representative,
    sign_all,
    support_office_user,
)
from tests.factories import ExchangeFactory, PartnershipFactory, PartnershipStaffFactory

pytestmark = pytest.mark.django_db

REASON = "The host lab is closed on the last day: the plan moves."


@pytest.fixture
def contracted():
    """A physical exchange (Mon–Fri, 24 hours of plan, 780.00 EUR) contracted by its six real
    signatures, and an approver of its VOP."""
    exchange = ExchangeFactory()
    fill_plan(exchange)
    people = sign_all(exchange, contract=True)
    assert exchange.status == ExchangeStatus.CONTRACTED
    return exchange, people, approver(exchange.vop)


def _render_new_versions(exchange):
    """The Celery rendering of the versions a change queued, run inline."""
    for document in Document.objects.filter(exchange=exchange, status=DocumentStatus.RENDERING):
        document_render(document_id=document.pk)
    return latest_documents(exchange.pk)


def _sign_missing(exchange, people, *, skip=()):
    """Every party still missing on the newest versions signs (but the (kind, party) pairs in
    ``skip``)."""
    for kind, document in latest_documents(exchange.pk).items():
        for party in required_parties(kind):
            if (kind, party) in skip or document.signatures.filter(
                party=party, voided_at__isnull=True
            ):
                continue
            signature_add(
                actor=people[party],
                document=document.pk,
                party=party,
                typed_name=people[party].get_full_name(),
                ip="127.0.0.1",
                user_agent="pytest",
            )


def _retitle_first_activity(exchange, actor, title="Workshop moved to the pilot plant"):
    activity = exchange.activities.order_by("date", "pk").first()
    return exchange_activity_update(
        exchange=exchange,
        actor=actor,
        activity_id=activity.pk,
        date=activity.date,
        activity_type=activity.activity_type,
        title=title,
        hours=activity.hours,
    )


def _shorten_to_three_days(exchange, actor):
    """Mon–Fri → Mon–Wed (R-EXC-3: three working days): the Thursday activity first moves to
    Wednesday, then the end date; fewer than 5 working days halve the lump sum (R-PAY-2)."""
    thursday = exchange.activities.order_by("date", "pk").last()
    exchange_activity_update(
        exchange=exchange,
        actor=actor,
        activity_id=thursday.pk,
        date=exchange.start_date + timedelta(days=2),
        activity_type=thursday.activity_type,
        title=thursday.title,
        hours=thursday.hours,
    )
    return exchange_update(
        exchange=exchange, actor=actor, end_date=exchange.start_date + timedelta(days=2)
    )


def _paid(exchange):
    today = timezone.localdate()
    Payment.objects.filter(exchange=exchange).update(
        status=PaymentStatus.PAID, due_date=today, paid_on=today, reference="TRF-1"
    )


# --- opening an amendment -------------------------------------------------------------------------


def test_r_doc_8_an_approver_of_the_vop_opens_an_amendment_with_its_reason(
    contracted, django_capture_on_commit_callbacks
):
    """Audited on the exchange's timeline, the parties and staff told; the exchange stays
    contracted."""
    exchange, people, vop_staff = contracted
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        amendment = amendment_open(actor=vop_staff, exchange=exchange, reason=f"  {REASON} ")
    assert amendment.status == AmendmentStatus.OPEN and amendment.reason == REASON
    assert amendment.opened_by == vop_staff and amendment.closed_at is None
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.CONTRACTED
    event = AuditEvent.objects.get(action="exchanges.amendment.opened")
    assert event.actor == vop_staff and event.data["reason"] == REASON
    assert any("is being amended" in m.subject for m in mail.outbox)


@pytest.mark.parametrize(
    "who",
    ["vop_without_approval", "hop_approver", "visitor", "host", "other_partnership", "support"],
)
def test_r_doc_8_nobody_but_the_vops_approvers_opens_an_amendment(contracted, who):
    exchange, people, _ = contracted
    actor = {
        "vop_without_approval": lambda: approver(exchange.vop, can_approve=False),
        "hop_approver": lambda: approver(exchange.hop),
        "visitor": lambda: representative(exchange.visitor),
        "host": lambda: representative(exchange.host),
        "other_partnership": lambda: approver(PartnershipFactory()),
        "support": support_office_user,
    }[who]()
    with pytest.raises(PermissionDenied, match="R-DOC-8"):
        amendment_open(actor=actor, exchange=exchange, reason=REASON)
    assert not Amendment.objects.exists()


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "Say why the exchange is amended."), ("   ", "Say why"), ("x" * 1001, "1000 characters")],
)
def test_r_doc_8_the_reason_is_required_and_bounded(contracted, reason, message):
    exchange, _, vop_staff = contracted
    with pytest.raises(ValidationError, match=message) as error:
        amendment_open(actor=vop_staff, exchange=exchange, reason=reason)
    assert "reason" in error.value.message_dict
    assert not Amendment.objects.exists() and not AuditEvent.objects.filter(
        action="exchanges.amendment.opened"
    )


def test_r_doc_8_one_amendment_at_a_time_and_only_of_a_contracted_exchange(contracted):
    exchange, _, vop_staff = contracted
    amendment_open(actor=vop_staff, exchange=exchange, reason=REASON)
    with pytest.raises(ValidationError, match="already in progress"):
        amendment_open(actor=vop_staff, exchange=exchange, reason="Another one")
    draft = ExchangeFactory()
    with pytest.raises(ValidationError, match="a draft is simply edited"):
        amendment_open(actor=approver(draft.vop), exchange=draft, reason=REASON)
    executed = ExchangeFactory(status=ExchangeStatus.EXECUTED)
    with pytest.raises(ValidationError, match="this one is executed"):
        amendment_open(actor=approver(executed.vop), exchange=executed, reason=REASON)
    assert Amendment.objects.count() == 1


def test_r_doc_8_r_pay_5_a_paid_lump_sum_refuses_the_amendment(contracted):
    """The payments room's amendment condition: once paid, the amount no longer changes."""
    exchange, _, vop_staff = contracted
    _paid(exchange)
    with pytest.raises(ValidationError, match="The lump sum was paid on"):
        amendment_open(actor=vop_staff, exchange=exchange, reason=REASON)
    assert not Amendment.objects.exists()


def test_r_pay_5_a_paid_payment_does_not_follow_an_amended_fa(contracted):
    exchange, _, vop_staff = contracted
    _paid(exchange)
    with pytest.raises(ValidationError, match="already paid"):
        payment_amount_amend(
            actor=vop_staff,
            exchange=exchange,
            amount=Decimal("390.00"),
            reason=REASON,
            rate=Decimal("780.00"),
            working_days=3,
            distance_km=None,
            halved=True,
            reasons=[],
        )
    assert Payment.objects.get(exchange=exchange).amount == Decimal("780.00")


# --- what an amendment lets change, and who -------------------------------------------------------


def test_r_doc_8_a_contracted_plan_is_frozen_without_an_amendment(contracted):
    exchange, people, vop_staff = contracted
    with pytest.raises(ValidationError, match="only through an amendment"):
        _retitle_first_activity(exchange, vop_staff)
    with pytest.raises(ValidationError, match="only through an amendment"):
        exchange_update(exchange=exchange, actor=vop_staff, objectives="New objectives")


@pytest.mark.parametrize("who", ["hop_approver", "visitor", "vop_without_approval"])
def test_r_doc_8_only_the_vops_approvers_change_the_plan_while_it_is_open(contracted, who):
    exchange, _, vop_staff = contracted
    amendment_open(actor=vop_staff, exchange=exchange, reason=REASON)
    actor = {
        "hop_approver": lambda: approver(exchange.hop),
        "visitor": lambda: representative(exchange.visitor),
        "vop_without_approval": lambda: approver(exchange.vop, can_approve=False),
    }[who]()
    with pytest.raises(ValidationError, match="only the staff of the visitor's partnership"):
        _retitle_first_activity(exchange, actor)
    assert not Document.objects.filter(version=2).exists()


def test_r_doc_8_an_amendment_changes_neither_parties_nor_mode(contracted):
    exchange, _, vop_staff = contracted
    amendment_open(actor=vop_staff, exchange=exchange, reason=REASON)
    with pytest.raises(ValidationError, match="dates, the objectives and the action plan only"):
        exchange_update(exchange=exchange, actor=vop_staff, mode="virtual")


def test_r_doc_8_r_exc_3_amended_dates_still_follow_the_duration_rule(contracted):
    exchange, _, vop_staff = contracted
    amendment_open(actor=vop_staff, exchange=exchange, reason=REASON)
    with pytest.raises(ValidationError) as error:
        exchange_update(
            exchange=exchange, actor=vop_staff, end_date=exchange.start_date + timedelta(days=1)
        )
    assert "end_date" in error.value.message_dict or "__all__" in error.value.message_dict
    exchange.refresh_from_db()
    assert exchange.end_date == exchange.start_date + timedelta(days=4)


# --- new versions, signed again -------------------------------------------------------------------


def test_r_doc_8_a_plan_change_makes_ctq_v2_voids_its_signatures_and_keeps_the_fa(
    contracted, django_capture_on_commit_callbacks
):
    """The CTQ gets version 2, its four signatures void (those who signed told by e-mail); the FA
    (the lump sum unchanged) keeps version 1 and its two signatures; still contracted."""
    exchange, people, vop_staff = contracted
    amendment_open(actor=vop_staff, exchange=exchange, reason=REASON)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _retitle_first_activity(exchange, vop_staff)
    latest = latest_documents(exchange.pk)
    assert (latest["CTQ"].version, latest["FA"].version) == (2, 1)
    live = Signature.objects.filter(voided_at__isnull=True)
    assert set(live.values_list("document__kind", "party")) == {("FA", "vo"), ("FA", "vop")}
    assert Signature.objects.filter(voided_at__isnull=False, document__kind="CTQ").count() == 4
    assert {m.to[0] for m in mail.outbox if "sign again" in m.subject} == {
        people[p].email for p in ("ho", "hop", "vo", "vop")
    }
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.CONTRACTED


def test_r_doc_8_the_amendment_closes_by_itself_after_the_last_signature(
    contracted, django_capture_on_commit_callbacks
):
    """Each party signs CTQ v2; nothing closes before the fourth signature; the fourth closes the
    amendment (audited, on the timeline, the parties told); the payment keeps its amount."""
    exchange, people, vop_staff = contracted
    amendment = amendment_open(actor=vop_staff, exchange=exchange, reason=REASON)
    _retitle_first_activity(exchange, vop_staff)
    _render_new_versions(exchange)
    _sign_missing(exchange, people, skip=(("CTQ", "vop"),))
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.OPEN
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _sign_missing(exchange, people)
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.SIGNED and amendment.closed_at is not None
    assert amendment.documents == ["CTQ v2"]
    event = AuditEvent.objects.get(action="exchanges.amendment.signed")
    assert event.actor == people["vop"] and event.data["documents"] == ["CTQ v2"]
    assert any("amendment of exchange" in m.subject and "signed" in m.subject for m in mail.outbox)
    assert Payment.objects.get(exchange=exchange).amount == Decimal("780.00")
    assert not AuditEvent.objects.filter(action="payments.payment.amended").exists()
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.CONTRACTED
    # The plan is frozen again.
    with pytest.raises(ValidationError, match="only through an amendment"):
        _retitle_first_activity(exchange, vop_staff, title="Once more")


def test_r_doc_8_r_pay_5_shorter_stay_new_fa_and_the_payment_follows_only_once_signed(
    contracted,
):
    """Three working days instead of five: the lump sum halves (R-PAY-2) in FA v2; the payment
    keeps 780.00 until the last of the six signatures, then follows the signed FA (390.00)."""
    exchange, people, vop_staff = contracted
    amendment_open(actor=vop_staff, exchange=exchange, reason=REASON)
    _shorten_to_three_days(exchange, vop_staff)
    latest = _render_new_versions(exchange)
    assert latest["FA"].version == 2 and latest["FA"].data["lump_sum"]["amount"] == "390.00"
    assert latest["FA"].data["lump_sum"]["working_days"] == 3
    _sign_missing(exchange, people, skip=(("FA", "vop"),))
    assert Payment.objects.get(exchange=exchange).amount == Decimal("780.00")  # not before
    assert Amendment.objects.get().status == AmendmentStatus.OPEN
    _sign_missing(exchange, people)
    payment = Payment.objects.get(exchange=exchange)
    assert payment.amount == Decimal("390.00") and payment.working_days == 3 and payment.halved
    event = AuditEvent.objects.get(action="payments.payment.amended")
    assert event.data["reason"] == REASON
    amendment = Amendment.objects.get()
    assert amendment.status == AmendmentStatus.SIGNED
    assert sorted(amendment.documents) == ["CTQ v3", "FA v2"]
    # The documents' data now read the amended payment: a refresh makes nothing new.
    assert document_refresh(actor=None, exchange=exchange.pk) == []


def test_r_doc_8_r_exc_4_an_amended_plan_under_24_hours_is_not_signed(contracted):
    exchange, people, vop_staff = contracted
    amendment_open(actor=vop_staff, exchange=exchange, reason=REASON)
    activity = exchange.activities.order_by("date", "pk").first()
    exchange_activity_update(
        exchange=exchange,
        actor=vop_staff,
        activity_id=activity.pk,
        date=activity.date,
        activity_type=activity.activity_type,
        title=activity.title,
        hours=Decimal("5.0"),
    )
    ctq = _render_new_versions(exchange)["CTQ"]
    with pytest.raises(ValidationError, match="at least 24"):
        signature_add(
            actor=people["ho"],
            document=ctq.pk,
            party="ho",
            typed_name=people["ho"].get_full_name(),
            ip=None,
            user_agent="",
        )
    assert not Signature.objects.filter(document=ctq).exists()


def test_r_exc_2_a_contracted_exchange_without_an_amendment_is_not_signed_again(contracted):
    exchange, people, _ = contracted
    ctq = latest_documents(exchange.pk)["CTQ"]
    Signature.objects.filter(document=ctq, party="ho").update(voided_at=timezone.now())
    with pytest.raises(ValidationError, match="amendment of the contracted exchange"):
        signature_add(
            actor=people["ho"],
            document=ctq.pk,
            party="ho",
            typed_name=people["ho"].get_full_name(),
            ip=None,
            user_agent="",
        )


# --- withdrawing, executing, cancelling -----------------------------------------------------------


def test_r_doc_8_an_amendment_is_withdrawn_only_before_any_change(contracted):
    exchange, _, vop_staff = contracted
    amendment_open(actor=vop_staff, exchange=exchange, reason=REASON)
    with pytest.raises(PermissionDenied):
        amendment_withdraw(actor=approver(exchange.hop), exchange=exchange)
    withdrawn = amendment_withdraw(actor=vop_staff, exchange=exchange)
    assert withdrawn.status == AmendmentStatus.WITHDRAWN
    assert AuditEvent.objects.filter(action="exchanges.amendment.withdrawn").count() == 1
    amendment_open(actor=vop_staff, exchange=exchange, reason=REASON)
    _retitle_first_activity(exchange, vop_staff)
    with pytest.raises(ValidationError, match="already changed"):
        amendment_withdraw(actor=vop_staff, exchange=exchange)


def test_r_doc_8_no_execution_while_an_amendment_is_open(contracted):
    exchange, _, vop_staff = contracted
    amendment_open(actor=vop_staff, exchange=exchange, reason=REASON)
    after_stay = exchange.end_date + timedelta(days=1)
    with pytest.raises(ValidationError, match="An amendment is in progress"):
        exchange_execute(exchange=exchange, actor=vop_staff, today=after_stay)


def test_r_doc_8_cancelling_the_exchange_withdraws_its_open_amendment(contracted):
    exchange, _, vop_staff = contracted
    amendment_open(actor=vop_staff, exchange=exchange, reason=REASON)
    exchange_cancel(exchange=exchange, actor=vop_staff, reason="The visitor withdrew.")
    amendment = Amendment.objects.get()
    assert amendment.status == AmendmentStatus.WITHDRAWN and amendment.closed_at is not None


# --- R-DOC-5: partnership staff are not in the hashed data ----------------------------------


def test_r_doc_5_a_new_signing_staff_member_does_not_make_the_signed_ctq_stale(contracted):
    """The CTQ names the organisations' signatories, not the partnerships' staff: a colleague
    given the "may sign" flag after signing changes no version."""
    exchange, _, _ = contracted
    PartnershipStaffFactory(partnership=exchange.hop, can_sign=True)
    PartnershipStaffFactory(partnership=exchange.vop, can_sign=True)
    assert document_refresh(actor=None, exchange=exchange.pk) == []
    hop = latest_documents(exchange.pk)["CTQ"].data["parties"][1]
    assert hop["role"] == "HOP" and "signatories" not in hop


# --- the page -------------------------------------------------------------------------------------


def test_r_doc_8_the_page_offers_amend_then_shows_the_banner_and_the_timeline(client, contracted):
    exchange, people, vop_staff = contracted
    detail = reverse("exchanges:detail", kwargs={"pk": exchange.pk})
    amend = reverse("exchanges:amend", kwargs={"pk": exchange.pk})
    client.force_login(vop_staff)
    assert amend in client.get(detail).content.decode()
    response = client.post(amend, {"reason": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    response = client.post(amend, {"reason": REASON})
    assert response.status_code == 302
    _retitle_first_activity(exchange, vop_staff)
    _render_new_versions(exchange)
    html = client.get(detail).content.decode()
    assert "Amendment in progress:" in html and REASON in html
    assert "Documents to sign again:" in html and "still to sign: HO, HOP, VO, VOP" in html
    assert "Amendment opened" in html
    assert reverse("exchanges:edit", kwargs={"pk": exchange.pk}) in html
    _sign_missing(exchange, people)
    html = client.get(detail).content.decode()
    assert "Amendment in progress:" not in html
    assert "Amendment signed by every party" in html


def test_r_doc_8_the_amend_page_is_refused_to_the_hop_and_the_parties(client, contracted):
    exchange, people, _ = contracted
    amend = reverse("exchanges:amend", kwargs={"pk": exchange.pk})
    for user in (approver(exchange.hop), people["vo"]):
        client.force_login(user)
        assert client.get(amend).status_code == 403
        assert client.post(amend, {"reason": REASON}).status_code == 403
    assert not Amendment.objects.exists()


def test_r_doc_8_the_parties_see_the_banner_and_sign_from_the_cards(client, contracted):
    exchange, people, vop_staff = contracted
    amendment_open(actor=vop_staff, exchange=exchange, reason=REASON)
    _retitle_first_activity(exchange, vop_staff)
    ctq = _render_new_versions(exchange)["CTQ"]
    client.force_login(people["ho"])
    html = client.get(reverse("exchanges:detail", kwargs={"pk": exchange.pk})).content.decode()
    assert REASON in html
    assert reverse("reports:sign", kwargs={"pk": ctq.pk, "party": "ho"}) in html


def test_r_doc_8_the_signatories_of_an_amended_version_are_reminded_once(contracted, settings):
    """The daily reminder covers the amended versions (CTQ v2: its four parties), once each;
    nothing for the signed contract once the amendment closed."""
    from reports.services_signing import signature_reminders

    exchange, people, vop_staff = contracted
    settings.CXC_SIGNATURE_REMINDER_DAYS = 5
    later = timezone.now() + timedelta(days=6)
    assert signature_reminders(now=later) == 0  # a signed contract: nothing to remind
    amendment_open(actor=vop_staff, exchange=exchange, reason=REASON)
    _retitle_first_activity(exchange, vop_staff)
    _render_new_versions(exchange)
    assert signature_reminders(now=later) == 4
    assert signature_reminders(now=later) == 0
