"""Signing the CTQ and the FA (R-DOC-2, R-DOC-3, R-DOC-5, R-ELIG-10, R-EXC-2): who signs for
which party, every refusal with nothing recorded, voiding by a new version, the contract gate on
the current versions, contracting by the last signature, re-authentication, reminders."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cxc_portal.audit.models import AuditEvent
from cxc_portal.notifications.models import Notification
from exchanges.models import Activity, ExchangeStatus
from exchanges.services import exchange_activity_update, exchange_contract
from reports import gates as report_gates
from reports import services_signing
from reports.models import Document, DocumentStatus, Signature
from reports.services_signing import signature_add, signature_reminders
from tests.exchanges.factories import (
    TODAY,
    approver,
    fill_plan,
    prepare_documents,
    sign_all,
    signatories,
    support_office_user,
)
from tests.factories import (
    ExchangeFactory,
    PartnershipFactory,
    PartnershipStaffFactory,
    RepresentativeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

#: A moment before the factory's stay (8–12 March 2027): contracting is possible that day.
NOW = timezone.make_aware(timezone.datetime(2027, 1, 15, 10, 0))


def _sign(user, document, party, *, name=None, now=NOW):
    return signature_add(
        actor=user,
        document=document,
        party=party,
        typed_name=user.get_full_name() if name is None else name,
        ip="203.0.113.7",
        user_agent="pytest-browser",
        now=now,
    )


@pytest.fixture
def prepared():
    """A draft with its 24 hours, its four signatories and its two documents rendered."""
    exchange = ExchangeFactory()
    fill_plan(exchange)
    people = signatories(exchange)
    documents = prepare_documents(exchange)
    return exchange, people, documents


def _refused(user, document, party, match, **kwargs):
    before = (Signature.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError, match=match):
        _sign(user, document, party, **kwargs)
    assert (Signature.objects.count(), AuditEvent.objects.count()) == before


# --- the pure rules -------------------------------------------------------------------------------


def test_r_doc_2_r_doc_3_who_signs_which_document():
    """R-DOC-2: the CTQ by HO, HOP, VO, VOP; R-DOC-3: the FA by VO and VOP."""
    from reports.signing import missing_parties, normalise_name, required_parties

    assert required_parties("CTQ") == ("ho", "hop", "vo", "vop")
    assert required_parties("FA") == ("vo", "vop")
    assert missing_parties("FA", ["vo"]) == ["vop"]
    assert normalise_name("  helena   HOSTESS ") == normalise_name("Helena Hostess")
    assert normalise_name("Hélène") != normalise_name("Helene")  # accents are part of a name


# --- a signature and what it keeps ----------------------------------------------------------------


def test_r_doc_2_a_signature_keeps_version_signer_hash_time_ip_and_agent(prepared):
    exchange, people, documents = prepared
    ctq = documents["CTQ"]
    signature = _sign(people["ho"], ctq, "ho", name="  " + people["ho"].get_full_name().upper())
    assert signature.document == ctq and signature.signer == people["ho"]
    assert signature.signed_sha256 == ctq.sha256 and len(signature.signed_sha256) == 64
    assert signature.signed_at == NOW and signature.ip == "203.0.113.7"
    assert signature.user_agent == "pytest-browser"
    event = AuditEvent.objects.get(action="reports.signature.added")
    assert event.data["party"] == "ho" and event.data["document"] == "CTQ"


@pytest.mark.parametrize("signer", ["ho", "hop", "vo", "vop"])
@pytest.mark.parametrize("party", ["ho", "hop", "vo", "vop"])
def test_r_doc_2_r_doc_3_each_signatory_signs_only_for_its_own_party(prepared, signer, party):
    """R-DOC-2, R-DOC-3: the host's representative signs only as HO, the HOP's signing staff
    only as HOP, and so on; for any other party: refused, nothing recorded."""
    exchange, people, documents = prepared
    if signer == party:
        _sign(people[signer], documents["CTQ"], party)
        assert Signature.objects.get().party == party
    else:
        _refused(people[signer], documents["CTQ"], party, "signs for it|sign documents")


@pytest.mark.parametrize(
    "who", ["vop_approver_without_sign_flag", "other_partnership", "support_office", "stranger"]
)
@pytest.mark.parametrize("party", ["ho", "hop", "vo", "vop"])
def test_r_doc_2_nobody_else_signs(prepared, who, party):
    exchange, _, documents = prepared
    user = {
        "vop_approver_without_sign_flag": lambda: approver(exchange.vop),
        "other_partnership": lambda: (
            PartnershipStaffFactory(partnership=PartnershipFactory(), can_sign=True).user
        ),
        "support_office": support_office_user,
        "stranger": UserFactory,
    }[who]()
    _refused(user, documents["CTQ"], party, "signs for it|sign documents")


def test_r_doc_3_the_fa_is_not_signed_by_the_host_side(prepared):
    exchange, people, documents = prepared
    _refused(people["ho"], documents["FA"], "ho", "signed only by VO, VOP")
    _refused(people["hop"], documents["FA"], "hop", "signed only by VO, VOP")


def test_r_doc_5_the_wrong_typed_name_is_refused_next_to_the_field(prepared):
    exchange, people, documents = prepared
    with pytest.raises(ValidationError) as error:
        _sign(people["vo"], documents["FA"], "vo", name="Someone Else")
    assert "typed_name" in error.value.message_dict
    assert people["vo"].get_full_name() in error.value.message_dict["typed_name"][0]
    _refused(people["vo"], documents["FA"], "vo", "Type your full name", name="   ")
    assert not Signature.objects.exists()


def test_r_doc_5_a_second_signature_by_the_same_party_is_refused(prepared):
    exchange, people, documents = prepared
    _sign(people["vop"], documents["FA"], "vop")
    other = PartnershipStaffFactory(partnership=exchange.vop, can_sign=True).user
    _refused(other, documents["FA"], "vop", "already signed")
    _refused(people["vop"], documents["FA"], "vop", "already signed")
    assert Signature.objects.count() == 1


def test_r_doc_5_an_old_version_is_not_signed(prepared):
    """Version 1 replaced by version 2 (a changed plan): refused on version 1."""
    exchange, people, documents = prepared
    old = documents["CTQ"]
    Activity.objects.filter(exchange=exchange).update(title="Another title")
    new = prepare_documents(exchange)["CTQ"]
    assert new.version == 2
    _refused(people["ho"], old, "ho", "was replaced by version 2")
    _sign(people["ho"], new, "ho")


def test_r_doc_5_a_version_still_being_rendered_is_not_signed(prepared):
    exchange, people, documents = prepared
    Document.objects.filter(pk=documents["CTQ"].pk).update(status=DocumentStatus.RENDERING)
    _refused(people["ho"], documents["CTQ"], "ho", "still being prepared")


@pytest.mark.parametrize("party", ["ho", "vo"])
def test_r_elig_10_a_minor_representative_does_not_sign(prepared, party):
    exchange, _, documents = prepared
    organisation = exchange.host if party == "ho" else exchange.visitor
    today = timezone.localdate(NOW)
    minor = RepresentativeFactory(
        organisation=organisation, date_of_birth=date(today.year - 17, today.month, 1)
    ).user
    _refused(minor, documents["CTQ"], party, "aged 18 or over")
    unknown = RepresentativeFactory(
        organisation=organisation, date_of_birth=None, declares_adult=False
    ).user
    _refused(unknown, documents["CTQ"], party, "date of birth is not known")
    adult = RepresentativeFactory(
        organisation=organisation, date_of_birth=None, declares_adult=True
    ).user
    _sign(adult, documents["CTQ"], party)


def test_r_exc_2_documents_are_signed_only_on_drafts(prepared):
    exchange, people, documents = prepared
    type(exchange).objects.filter(pk=exchange.pk).update(status=ExchangeStatus.CANCELLED)
    _refused(people["ho"], documents["CTQ"], "ho", "signed while the exchange is a draft")


def test_a_partnership_that_is_both_vop_and_hop_signs_as_both():
    partnership = PartnershipFactory()
    from tests.factories import OrganisationFactory

    exchange = ExchangeFactory(
        visitor=OrganisationFactory(validating_partnership=partnership),
        host=OrganisationFactory(country="PT", validating_partnership=partnership),
        vop=partnership,
        hop=partnership,
    )
    people = signatories(exchange)
    documents = prepare_documents(exchange)
    _sign(people["vop"], documents["CTQ"], "vop")
    _sign(people["vop"], documents["CTQ"], "hop")
    _refused(people["vop"], documents["CTQ"], "vo", "signs for it")


# --- voiding by a new version (R-DOC-5) -----------------------------------------------------------


def test_r_doc_5_a_plan_changed_after_two_signatures_makes_version_2_and_voids_them(
    prepared, django_capture_on_commit_callbacks
):
    """Two parties sign the CTQ; the plan changes: version 2, both signatures void (audited),
    an e-mail to each of the two signers; the FA (its data unchanged) keeps version 1."""
    exchange, people, documents = prepared
    _sign(people["ho"], documents["CTQ"], "ho")
    _sign(people["hop"], documents["CTQ"], "hop")
    activity = exchange.activities.first()
    with django_capture_on_commit_callbacks(execute=True):
        exchange_activity_update(
            exchange=exchange,
            actor=people["ho"],
            activity_id=activity.pk,
            date=activity.date,
            activity_type=activity.activity_type,
            title="A new title",
            hours=activity.hours,
        )
    versions = dict(
        Document.objects.filter(exchange=exchange)
        .exclude(status=DocumentStatus.VOID)
        .values_list("kind", "version")
    )
    assert versions == {"CTQ": 2, "FA": 1}
    assert not Signature.objects.filter(voided_at__isnull=True).exists()
    assert Signature.objects.filter(voided_at__isnull=False).count() == 2
    assert AuditEvent.objects.filter(action="reports.signature.voided").count() == 1
    told = Notification.objects.filter(kind="reports.signature.voided")
    assert set(told.values_list("to_email", flat=True)) == {people["ho"].email, people["hop"].email}
    assert {m.to[0] for m in mail.outbox if "sign again" in m.subject} == {
        people["ho"].email,
        people["hop"].email,
    }


def test_r_doc_5_nothing_is_prepared_for_a_draft_that_has_no_documents_yet():
    """Before the first "Prepare documents", a draft's changes make no PDF."""
    exchange = ExchangeFactory()
    fill_plan(exchange)
    activity = exchange.activities.first()
    exchange_activity_update(
        exchange=exchange,
        actor=approver(exchange.vop),
        activity_id=activity.pk,
        date=activity.date,
        activity_type=activity.activity_type,
        title="Changed",
        hours=activity.hours,
    )
    assert not Document.objects.exists()


# --- contracting (R-DOC-2, R-DOC-3, R-EXC-2) ------------------------------------------------------


def test_r_exc_2_contracting_waits_for_all_six_signatures_then_happens_by_itself(prepared):
    """Each missing party is named per document until the sixth signature, which contracts the
    exchange in the same transaction, the signer as the actor; no new version is made (the FA
    signed states the amount payments fixes, R-PAY-5)."""
    exchange, people, documents = prepared
    staff = approver(exchange.vop)
    order = [("CTQ", "ho"), ("CTQ", "hop"), ("CTQ", "vo"), ("FA", "vo"), ("CTQ", "vop")]
    for kind, party in order:
        _sign(people[party], documents[kind], party)
        exchange.refresh_from_db()
        assert exchange.status == ExchangeStatus.DRAFT
    with pytest.raises(ValidationError) as error:
        exchange_contract(exchange=exchange, actor=staff, today=TODAY)
    assert error.value.messages == [
        "The Financial Agreement (version 1) is not signed yet by: VOP."
    ]
    _sign(people["vop"], documents["FA"], "vop")
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.CONTRACTED
    event = AuditEvent.objects.get(action="exchanges.exchange.contracted")
    assert event.actor == people["vop"] and event.data["automatic"] is True
    assert list(Document.objects.values_list("version", flat=True)) == [1, 1]
    assert Signature.objects.filter(voided_at__isnull=True).count() == 6


def test_r_doc_5_signatures_on_a_stale_version_do_not_contract(prepared):
    """A rate changed after signing (the FA's amount would differ): the signed FA is not current,
    contracting is refused with the reason, and the last signature does not contract."""
    from payments.models import LumpSumRate

    exchange, people, documents = prepared
    sign_all(exchange)
    rate = LumpSumRate.objects.filter(country="PT").order_by("-valid_from").first()
    LumpSumRate.objects.filter(pk=rate.pk).update(amount=rate.amount + Decimal("10"))
    with pytest.raises(ValidationError, match="no longer matches the exchange's data"):
        exchange_contract(exchange=exchange, actor=approver(exchange.vop), today=TODAY)


def test_r_doc_2_the_last_signature_does_not_contract_when_another_condition_fails():
    """23 hours of plan: all six signatures go in, the exchange stays a draft and the page's
    reasons say what is missing."""
    exchange = ExchangeFactory()
    fill_plan(exchange, days=1, hours_per_day=Decimal("23"))
    sign_all(exchange, contract=True)
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.DRAFT
    assert Signature.objects.count() == 6


def test_r_doc_7_a_fully_signed_document_is_queued_for_sealing(
    prepared, monkeypatch, django_capture_on_commit_callbacks
):
    exchange, people, documents = prepared
    queued = []
    monkeypatch.setattr(services_signing, "_queue_seal", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        _sign(people["vo"], documents["FA"], "vo")
    assert queued == []
    with django_capture_on_commit_callbacks(execute=True):
        _sign(people["vop"], documents["FA"], "vop")
    assert queued == [documents["FA"].pk]


def test_the_gate_is_registered_on_contract():
    from exchanges import gates

    assert report_gates.documents_signed in gates.conditions("contract")


# --- re-authentication and the page (R-DOC-5) -----------------------------------------------------


def _reauthenticated(client, user):
    """The session allauth leaves after its re-authentication page (password or TOTP)."""
    from allauth.account.internal.flows.login import record_authentication
    from django.http import HttpRequest

    client.force_login(user)
    request = HttpRequest()
    request.session = client.session
    request.user = user
    record_authentication(request, user, "password", reauthenticated=True)
    request.session.save()


def test_r_doc_5_signing_needs_a_recent_reauthentication_and_keeps_the_typed_name(client, prepared):
    """A POST without re-authentication records nothing and goes to allauth's re-authentication
    page; after the password, allauth replays the kept POST: the signature is recorded with the
    name as typed the first time."""
    exchange, people, documents = prepared
    host = people["ho"]
    host.set_password("correct-horse-battery")
    host.save()
    client.force_login(host)
    url = reverse("reports:sign", kwargs={"pk": documents["CTQ"].pk, "party": "ho"})
    response = client.post(url, {"typed_name": host.get_full_name().lower()})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not Signature.objects.exists()
    response = client.post(response["Location"], {"password": "correct-horse-battery"})
    assert response.status_code == 302
    assert response["Location"].endswith("#documents")
    signature = Signature.objects.get()
    assert signature.typed_name == host.get_full_name().lower()


def test_r_doc_5_the_signature_records_the_client_s_address_behind_the_proxy(
    client, prepared, settings
):
    """R-DOC-5: behind the production proxy (TRUSTED_PROXY_COUNT=1) the signature keeps the
    client's address from X-Forwarded-For, not the proxy's REMOTE_ADDR."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    exchange, people, documents = prepared
    _reauthenticated(client, people["vo"])
    url = reverse("reports:sign", kwargs={"pk": documents["FA"].pk, "party": "vo"})
    response = client.post(
        url,
        {"typed_name": people["vo"].get_full_name()},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.23",
    )
    assert response.status_code == 302
    assert Signature.objects.get().ip == "198.51.100.23"


def test_the_sign_page_shows_the_refusal_next_to_the_field_and_keeps_the_input(client, prepared):
    exchange, people, documents = prepared
    _reauthenticated(client, people["vo"])
    url = reverse("reports:sign", kwargs={"pk": documents["FA"].pk, "party": "vo"})
    html = client.post(url, {"typed_name": "Nobody Known"}).content.decode()
    assert 'aria-invalid="true"' in html and "invalid-feedback" in html
    assert 'value="Nobody Known"' in html
    assert not Signature.objects.exists()
    response = client.post(url, {"typed_name": people["vo"].get_full_name()}, follow=True)
    assert "You signed version 1 of the Financial Agreement as VO." in response.content.decode()


def test_outsiders_cannot_open_the_sign_page(client, prepared):
    """404 to outsiders, as if the document did not exist (a guessed id tells nothing)."""
    exchange, _, documents = prepared
    _reauthenticated(client, approver(PartnershipFactory()))
    url = reverse("reports:sign", kwargs={"pk": documents["CTQ"].pk, "party": "ho"})
    assert client.get(url).status_code == 404
    assert client.post(url, {"typed_name": "x"}).status_code == 404
    assert not Signature.objects.exists()
    bad_party = reverse("reports:sign", kwargs={"pk": documents["CTQ"].pk, "party": "xx"})
    assert client.get(bad_party).status_code == 404


def test_the_cards_say_who_signed_who_is_missing_and_offer_the_form(client, prepared):
    exchange, people, documents = prepared
    _sign(people["hop"], documents["CTQ"], "hop")
    client.force_login(people["ho"])
    html = client.get(reverse("exchanges:detail", kwargs={"pk": exchange.pk})).content.decode()
    ctq = html.split('data-document="CTQ"')[1]
    assert 'data-signing="awaiting"' in ctq and "still to sign: HO, VO, VOP" in ctq
    assert "HOP: signed by " + people["hop"].get_full_name() in ctq
    assert "Sign as HO" in ctq
    assert f'for="id_typed_name_{documents["CTQ"].pk}_ho"' in ctq  # a label for the field
    # R-DOC-3: the host neither signs nor reads the FA: no card for it on the host's page.
    assert 'data-document="FA"' not in html
    sign_all(exchange)
    html = client.get(reverse("exchanges:detail", kwargs={"pk": exchange.pk})).content.decode()
    assert html.count('data-signing-status="signed"') == 1 and "Sign as" not in html
    client.force_login(people["vo"])
    html = client.get(reverse("exchanges:detail", kwargs={"pk": exchange.pk})).content.decode()
    assert html.count('data-signing-status="signed"') == 2


# --- reminders (R-DL-3) ---------------------------------------------------------------------------


def test_signatories_are_reminded_once_after_the_set_number_of_days(prepared, settings):
    """N days after the version became ready, each signatory still missing is reminded, once
    per version and person, however many times the task runs."""
    exchange, people, documents = prepared
    settings.CXC_SIGNATURE_REMINDER_DAYS = 5
    _sign(people["vo"], documents["FA"], "vo")
    rendered = documents["CTQ"].rendered_at
    assert signature_reminders(now=rendered + timedelta(days=4)) == 0
    later = rendered + timedelta(days=5, minutes=1)
    # CTQ: HO, HOP, VO, VOP; FA: VOP — four people, the VOP's signer twice (two documents).
    assert signature_reminders(now=later) == 5
    assert signature_reminders(now=later) == 0
    reminded = Notification.objects.filter(kind="reports.signature.reminder")
    assert reminded.count() == 5
    assert set(reminded.values_list("to_email", flat=True)) == {p.email for p in people.values()}


def test_the_reminder_task_is_on_the_beat_schedule():
    from cxc_portal.celery import app

    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "reports.tasks.signature_reminders_task" in tasks


# --- the work queue's facts (issue 13) ------------------------------------------------------------


def test_r_doc_2_r_doc_3_a_partnerships_signature_takes_the_version_off_its_queue(prepared):
    """R-DOC-2, R-DOC-3: a new version waits for the HOP (the CTQ only) and the VOP (the CTQ
    and the FA); the partnership's signature through the service clears its fact in the same
    transaction, and the version leaves that partnership's "documents to sign"."""
    from cxc_portal.core.work_queue import QueueRequest
    from reports.work_queue import documents_to_sign

    exchange, people, documents = prepared
    ctq, fa = documents["CTQ"], documents["FA"]
    assert (ctq.awaits_hop, ctq.awaits_vop, fa.awaits_hop, fa.awaits_vop) == (
        True,
        True,
        False,
        True,
    )

    def waiting(party):
        request = QueueRequest(user=people[party], today=NOW.date())
        return documents_to_sign(request).count

    assert (waiting("hop"), waiting("vop")) == (1, 2)
    _sign(people["hop"], ctq, "hop")
    _sign(people["vo"], fa, "vo")
    ctq.refresh_from_db()
    fa.refresh_from_db()
    assert (ctq.awaits_hop, ctq.awaits_vop, fa.awaits_vop) == (False, True, True)
    assert (waiting("hop"), waiting("vop")) == (0, 2)
    _sign(people["vop"], fa, "vop")
    assert waiting("vop") == 1
