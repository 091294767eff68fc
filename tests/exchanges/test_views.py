"""The exchange pages: scoping per role, filters and CSV, encoding with bad input kept, the
detail page's buttons and timeline, transitions through the browser."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import Exchange, ExchangeStatus
from organisations.models import Organisation
from partnerships.models import Match, MatchStatus, Partnership
from tests.exchanges.factories import (
    approver,
    clean_week,
    contracted_exchange,
    fill_plan,
    future_exchange,
    link_to_accepted_match,
    representative,
    sign_all,
    support_office_user,
)
from tests.factories import (
    ExchangeFactory,
    ExpressionOfInterestFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipStaffFactory,
    UserFactory,
)
from tests.payments.factories import accept_evidence
from tests.reports.helpers import validated_visitor_far

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def detail_url(exchange):
    return reverse("exchanges:detail", kwargs={"pk": exchange.pk})


# --- the list -------------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(reverse("exchanges:list"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_staff_list_shows_only_exchanges_of_their_partnerships(client):
    mine_as_vop = ExchangeFactory()
    staff = approver(mine_as_vop.vop)
    mine_as_hop = ExchangeFactory(hop=mine_as_vop.vop)
    other = ExchangeFactory()
    response = login(client, staff).get(reverse("exchanges:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert mine_as_vop.reference in body and mine_as_hop.reference in body
    assert other.reference not in body
    assert "New exchange" in body


def test_support_office_list_shows_every_exchange(client):
    exchanges = [ExchangeFactory(), ExchangeFactory()]
    body = login(client, support_office_user()).get(reverse("exchanges:list")).content.decode()
    assert all(e.reference in body for e in exchanges)
    assert "New exchange" not in body  # the Support Office does not encode


def test_applicant_sees_the_exchanges_of_their_organisations(client):
    mine = ExchangeFactory()
    hosted = ExchangeFactory(host=mine.visitor)
    other = ExchangeFactory()
    user = representative(mine.visitor)
    response = login(client, user).get(reverse("exchanges:list"))
    assert response.templates[0].name == "exchanges/exchange_list_applicant.html"
    body = response.content.decode()
    assert mine.reference in body and hosted.reference in body
    assert other.reference not in body


def test_a_newcomer_sees_an_empty_list_with_guidance(client):
    ExchangeFactory()
    body = login(client, UserFactory()).get(reverse("exchanges:list")).content.decode()
    assert "You have no exchange yet" in body


@pytest.fixture
def staff_and_exchanges():
    partnership = PartnershipFactory(acronym="MINE")
    staff = approver(partnership)
    a = ExchangeFactory(vop=partnership)
    b = ExchangeFactory(
        vop=partnership,
        host=OrganisationFactory(country="DE", legal_name="Berlin Cluster"),
        mode="virtual",
    )
    c = contracted_exchange(hop=partnership, start_date=a.start_date + timedelta(days=21))
    c.end_date = c.start_date + timedelta(days=4)
    Exchange.objects.filter(pk=c.pk).update(end_date=c.end_date)
    return staff, a, b, c


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "contracted"}, {"c"}),
        ({"mode": "virtual"}, {"b"}),
        ({"country": "DE"}, {"b"}),
        ({"q": "berlin"}, {"b"}),
        ({"stay_from": "2027-03-20"}, {"c"}),
        ({"stay_until": "2027-03-20"}, {"a", "b"}),
    ],
)
def test_staff_list_filters(client, staff_and_exchanges, query, expected):
    staff, a, b, c = staff_and_exchanges
    body = login(client, staff).get(reverse("exchanges:list"), query).content.decode()
    named = {"a": a, "b": b, "c": c}
    assert {k for k, e in named.items() if e.reference in body} == expected


def test_staff_list_filters_by_reference_and_partnership(client, staff_and_exchanges):
    staff, a, b, c = staff_and_exchanges
    body = login(client, staff).get(reverse("exchanges:list"), {"q": a.reference}).content.decode()
    assert a.reference in body and b.reference not in body
    body = client.get(reverse("exchanges:list"), {"partnership": c.hop_id}).content.decode()
    assert all(e.reference in body for e in (a, b, c))
    body = client.get(reverse("exchanges:list"), {"partnership": a.hop_id}).content.decode()
    assert a.reference in body and b.reference not in body


def test_csv_export_of_the_filtered_list(client, staff_and_exchanges):
    staff, a, b, c = staff_and_exchanges
    response = login(client, staff).get(
        reverse("exchanges:list"), {"export": "csv", "status": "draft"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())  # spreadsheets read it as UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Reference", "Visitor", "Visitor country"]
    assert "Working days" in rows[0] and "Status" in rows[0]
    assert sorted(r[0] for r in rows[1:]) == sorted([a.reference, b.reference])
    status_col = rows[0].index("Status")
    assert {r[status_col] for r in rows[1:]} == {"draft"}
    days_col = rows[0].index("Working days")
    assert {r[days_col] for r in rows[1:]} == {"5"}


def test_csv_export_neutralises_formulas_in_organisation_names(client):
    """Applicants type their organisation's name: "=HYPERLINK(...)" must reach the
    spreadsheet as text, not as a formula."""
    partnership = PartnershipFactory()
    visitor = OrganisationFactory(country="BE", legal_name='=HYPERLINK("http://evil","x")')
    exchange = ExchangeFactory(vop=partnership, visitor=visitor)
    response = login(client, approver(partnership)).get(
        reverse("exchanges:list"), {"export": "csv"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    visitor_col = rows[0].index("Visitor")
    (row,) = rows[1:]
    assert row[0] == exchange.reference
    assert row[visitor_col] == "'" + visitor.legal_name


def test_csv_export_quotes_every_field_so_a_semicolon_cannot_split_a_name(client):
    """Issue 8 point 4: Excel in a locale whose list separator is ";" would split an unquoted
    "Lisbon;=1+1;Network" into cells and run "=1+1": every field is quoted, and the export is
    kept by no cache."""
    partnership = PartnershipFactory()
    visitor = OrganisationFactory(country="BE", legal_name="Lisbon;=1+1;Network")
    ExchangeFactory(vop=partnership, visitor=visitor)
    response = login(client, approver(partnership)).get(
        reverse("exchanges:list"), {"export": "csv"}
    )
    text = response.content.decode("utf-8-sig")
    assert '"Lisbon;=1+1;Network"' in text
    assert all(line.startswith('"') and line.endswith('"') for line in text.splitlines())
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


# --- permissions on the detail page -----------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("visitor_rep", 200),
        ("host_rep", 200),
        ("vop_staff", 200),
        ("hop_staff_without_flag", 200),
        ("support_office", 200),
        ("other_staff", 404),
        ("other_applicant", 404),
        ("newcomer", 404),
    ],
)
def test_only_parties_their_staff_and_the_support_office_see_an_exchange(client, who, status):
    exchange = ExchangeFactory()
    users = {
        "visitor_rep": lambda: representative(exchange.visitor),
        "host_rep": lambda: representative(exchange.host),
        "vop_staff": lambda: approver(exchange.vop),
        "hop_staff_without_flag": lambda: approver(exchange.hop, can_approve=False),
        "support_office": support_office_user,
        "other_staff": lambda: approver(PartnershipFactory()),
        "other_applicant": lambda: representative(OrganisationFactory()),
        "newcomer": UserFactory,
    }
    assert login(client, users[who]()).get(detail_url(exchange)).status_code == status


def test_a_missing_exchange_is_a_404(client):
    assert login(client, support_office_user()).get("/exchanges/999999/").status_code == 404


def test_detail_shows_buttons_enabled_or_disabled_with_reasons(client):
    exchange = future_exchange()
    staff = approver(exchange.vop)
    body = login(client, staff).get(detail_url(exchange)).content.decode()
    assert 'data-action="contract" data-enabled="false"' in body
    assert "at least 24 are needed" in body
    assert "has not been prepared yet" in body  # R-DOC-2: the documents, then the signatures
    assert 'data-action="cancel" data-enabled="true"' in body
    fill_plan(exchange)
    sign_all(exchange)
    body = client.get(detail_url(exchange)).content.decode()
    assert 'data-action="contract" data-enabled="true"' in body


def test_applicants_see_what_is_missing_but_no_transition_button(client):
    exchange = future_exchange()
    body = (
        login(client, representative(exchange.visitor)).get(detail_url(exchange)).content.decode()
    )
    assert "data-action=" not in body
    assert "data-contract-missing" in body
    assert "Edit the draft" in body  # parties edit a draft's dates and plan


def encoded_by_staff(client):
    """A draft encoded through the page by the VOP's staff (who stays logged in), the visitor
    and the host each with a representative: (staff, visitor's rep, host's rep)."""
    partnership = PartnershipFactory()
    staff = approver(partnership)
    visitor = OrganisationFactory(country="BE", validating_partnership=partnership)
    host = OrganisationFactory(country="PT")
    start, end = clean_week("PT", after=timezone.localdate() + timedelta(days=30))
    fields = {"visitor": visitor.pk, "host": host.pk, "vop": partnership.pk}
    fields |= {"hop": host.validating_partnership_id, "mode": "physical", "objectives": "Goals"}
    fields |= {"start_date": start.isoformat(), "end_date": end.isoformat()}
    reps = representative(visitor), representative(host)
    login(client, staff).post(reverse("exchanges:create"), fields)
    return (staff, *reps)


def test_detail_timeline_lists_events_and_notifications_newest_first(client):
    encoded_by_staff(client)
    response = client.get(detail_url(Exchange.objects.get()))
    timeline = response.context["timeline"]
    assert [e.kind for e in timeline] == ["notification", "notification", "event"]
    assert timeline[-1].code == "exchanges.exchange.created"
    body = response.content.decode()
    assert "Encoded as a draft" in body and "E-mail" in body


def test_a_party_reads_the_timeline_in_plain_words_without_anyone_elses_address(client):
    """Issue 8, point 9: the visitor's representative sees what happened and that an e-mail
    was sent to them, never the staff's or the host's addresses, nor the mail queue; the
    VOP's staff see who did it and to whom each e-mail went."""
    staff, visitor_rep, host_rep = encoded_by_staff(client)
    exchange = Exchange.objects.get()
    staff_timeline = client.get(detail_url(exchange)).content.decode().split('id="timeline"')[1]
    assert staff.email in staff_timeline and visitor_rep.email in staff_timeline
    assert "queued" in staff_timeline or "sent" in staff_timeline

    html = login(client, visitor_rep).get(detail_url(exchange)).content.decode()
    assert "Encoded as a draft" in html and "An e-mail was sent to you" in html
    for address in (staff.email, host_rep.email):
        assert address not in html
    timeline = html.split('id="timeline"')[1]
    assert visitor_rep.email not in timeline
    assert "queued" not in timeline and ">sent<" not in timeline


def test_a_party_reads_who_signed_by_name_never_by_address(client):
    """Issue 8, point 9: the document card names who signed (R-DOC-2), never their e-mail
    address (the visitor's representative must not learn the staff's address)."""
    from partnerships.models import PartnershipStaff
    from reports.services_signing import signature_add
    from tests.exchanges.factories import prepare_documents

    staff, visitor_rep, _host_rep = encoded_by_staff(client)
    exchange = Exchange.objects.get()
    staff.first_name, staff.last_name = "Vera", "Officer"
    staff.save(update_fields=["first_name", "last_name"])
    PartnershipStaff.objects.filter(user=staff).update(can_sign=True)
    ctq = prepare_documents(exchange)["CTQ"]
    signature_add(
        actor=staff, document=ctq, party="vop", typed_name="Vera Officer", ip=None, user_agent=""
    )
    html = login(client, visitor_rep).get(detail_url(exchange)).content.decode()
    assert "VOP: signed by Vera Officer" in html
    assert staff.email not in html


def test_pages_have_no_inline_style_or_script(client):
    """The strict Content-Security-Policy forbids inline styles and scripts."""
    exchange = future_exchange()
    fill_plan(exchange)
    staff = approver(exchange.vop)
    login(client, staff)
    urls = [
        reverse("exchanges:list"),
        detail_url(exchange),
        reverse("exchanges:edit", kwargs={"pk": exchange.pk}),
        reverse("exchanges:create"),
        reverse("exchanges:cancel", kwargs={"pk": exchange.pk}),
        reverse("exchanges:group_list"),
        reverse("exchanges:group_create"),
    ]
    for url in urls:
        body = client.get(url).content.decode()
        assert ' style="' not in body, url
        assert "<script>" not in body and " onclick=" not in body, url


# --- encoding -------------------------------------------------------------------------------------


@pytest.fixture
def encoding():
    partnership = PartnershipFactory()
    staff = approver(partnership)
    visitor = OrganisationFactory(country="BE", validating_partnership=partnership)
    host = OrganisationFactory(country="PT")
    start, end = clean_week("PT", after=timezone.localdate() + timedelta(days=30))
    data = {
        "visitor": visitor.pk,
        "host": host.pk,
        "vop": partnership.pk,
        "hop": host.validating_partnership_id,
        "mode": "physical",
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "objectives": "Keep this text",
    }
    return staff, data, start


def test_r_exc_6_staff_encode_a_draft_in_the_browser(client, encoding):
    staff, data, _start = encoding
    login(client, staff)
    assert client.get(reverse("exchanges:create")).status_code == 200
    response = client.post(reverse("exchanges:create"), data)
    exchange = Exchange.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(exchange)


def test_r_exc_6_applicants_and_staff_without_the_flag_cannot_open_the_form(client):
    user = representative(OrganisationFactory())
    assert login(client, user).get(reverse("exchanges:create")).status_code == 403
    staff = approver(PartnershipFactory(), can_approve=False)
    assert login(client, staff).get(reverse("exchanges:create")).status_code == 403


def _bad(encoding, **changes):
    staff, data, start = encoding
    bad = dict(data)
    for key, value in changes.items():
        bad[key] = value(start) if callable(value) else value
    return staff, bad


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"end_date": lambda s: (s - timedelta(days=1)).isoformat()},
            "cannot be before its first day",
        ),
        ({"end_date": lambda s: (s + timedelta(days=40)).isoformat()}, "at most one month"),
        ({"end_date": "9999-12-31"}, "Give a date from 1 Jan 2020 to"),
        ({"end_date": lambda s: (s + timedelta(days=1)).isoformat()}, "has 2 in Portugal"),
        ({"host": "same-country"}, "stay in another country"),
        ({"visitor": "already-visiting"}, "already used its single visit"),
        ({"vop": "foreign"}, "Only staff of the visitor"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_input_kept_nothing_saved(
    client, encoding, changes, message
):
    staff, data = _bad(encoding, **changes)
    if data["host"] == "same-country":
        data["host"] = OrganisationFactory(country="BE").pk
    if data["visitor"] == "already-visiting":
        data["visitor"] = ExchangeFactory().visitor_id
    if data["vop"] == "foreign":
        data["vop"] = PartnershipFactory().pk
        data["hop"] = data["vop"]
    before = Exchange.objects.count()
    response = login(client, staff).post(reverse("exchanges:create"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body.replace("&#x27;", "'")
    assert "Keep this text" in body  # the user's input is kept
    assert Exchange.objects.count() == before


def test_r_exc_8_mode_field_hidden_when_virtual_is_switched_off(client, encoding, settings):
    settings.CXC_VIRTUAL_EXCHANGES_ENABLED = False
    staff, _data, _start = encoding
    body = login(client, staff).get(reverse("exchanges:create")).content.decode()
    assert 'name="mode"' not in body


def _accepted_match(visitor, host, vop, hop, status=MatchStatus.ACCEPTED):
    interest = ExpressionOfInterestFactory(
        organisation=visitor, partnership=vop, objectives="Explore circular textiles"
    )
    return Match.objects.create(
        visitor=visitor,
        host=host,
        visitor_interest=interest,
        vop=vop,
        hop=hop,
        score=80,
        proposed_by_role="visitor",
        status=status,
    )


def test_r_exc_6_encode_from_an_accepted_match(client, encoding):
    staff, data, _start = encoding
    match = _accepted_match(
        Organisation.objects.get(pk=data["visitor"]),
        Organisation.objects.get(pk=data["host"]),
        Partnership.objects.get(pk=data["vop"]),
        Partnership.objects.get(pk=data["hop"]),
    )
    url = reverse("exchanges:create_from_match", kwargs={"match_id": match.pk})
    response = login(client, staff).get(url)
    assert response.status_code == 200
    assert "Explore circular textiles" in response.content.decode()
    # Posted parties are ignored: they come from the match.
    tampered = dict(data, visitor=OrganisationFactory(country="FR").pk)
    response = client.post(url, tampered)
    exchange = Exchange.objects.get()
    assert response["Location"] == detail_url(exchange)
    assert exchange.match == match and exchange.visitor_id == data["visitor"]
    # A second visit to the URL leads to the existing exchange.
    assert client.get(url)["Location"] == detail_url(exchange)


def test_create_from_match_refuses_other_staff_and_unaccepted_matches(client):
    visitor = OrganisationFactory(country="BE")
    host = OrganisationFactory(country="PT")
    match = _accepted_match(
        visitor, host, visitor.validating_partnership, host.validating_partnership
    )
    url = reverse("exchanges:create_from_match", kwargs={"match_id": match.pk})
    assert login(client, approver(PartnershipFactory())).get(url).status_code == 403
    Match.objects.filter(pk=match.pk).update(status=MatchStatus.PROPOSED)
    assert login(client, approver(visitor.validating_partnership)).get(url).status_code == 404


# --- editing and transitions ---------------------------------------------------------------------


def test_a_party_edits_the_dates_of_a_draft_in_the_browser(client):
    exchange = future_exchange()
    user = representative(exchange.host)
    url = reverse("exchanges:edit", kwargs={"pk": exchange.pk})
    login(client, user)
    body = client.get(url).content.decode()
    assert 'name="mode"' not in body and 'name="host"' not in body  # staff only
    new_start = exchange.start_date + timedelta(days=7)
    new_start, new_end = clean_week("PT", after=new_start)
    response = client.post(
        url,
        {"start_date": new_start, "end_date": new_end, "objectives": "Updated"},
    )
    assert response.status_code == 302
    exchange.refresh_from_db()
    assert exchange.objectives == "Updated"


def test_r_exc_6_editing_an_exchange_from_a_match_shows_its_parties_fixed(client):
    exchange = link_to_accepted_match(future_exchange())
    url = reverse("exchanges:edit", kwargs={"pk": exchange.pk})
    login(client, approver(exchange.vop))
    form = client.get(url).context["form"]
    assert all(form.fields[name].disabled for name in ("visitor", "host", "vop", "hop"))
    assert not form.fields["start_date"].disabled
    # A tampered post cannot move the exchange away from the match's parties.
    response = client.post(
        url,
        {
            "visitor": exchange.visitor_id,
            "host": OrganisationFactory(country="FR").pk,
            "vop": exchange.vop_id,
            "hop": exchange.hop_id,
            "mode": "physical",
            "start_date": exchange.start_date.isoformat(),
            "end_date": exchange.end_date.isoformat(),
            "objectives": "Updated",
        },
    )
    assert response.status_code == 302
    exchange.refresh_from_db()
    assert exchange.host_id == exchange.match.host_id
    assert exchange.objectives == "Updated"


def test_edit_bad_dates_keeps_the_input(client):
    exchange = future_exchange()
    url = reverse("exchanges:edit", kwargs={"pk": exchange.pk})
    response = login(client, representative(exchange.visitor)).post(
        url,
        {
            "start_date": exchange.start_date,
            "end_date": exchange.start_date + timedelta(days=45),
            "objectives": "Mine",
        },
    )
    assert response.status_code == 200
    assert "at most one month" in response.content.decode()
    exchange.refresh_from_db()
    assert exchange.objectives != "Mine"


def test_editing_a_contracted_exchange_redirects_with_a_message(client):
    exchange = contracted_exchange()
    response = login(client, approver(exchange.vop)).get(
        reverse("exchanges:edit", kwargs={"pk": exchange.pk}), follow=True
    )
    assert "frozen" in response.content.decode()


def test_contract_through_the_page_then_refused_on_a_second_submit(client):
    exchange = future_exchange()
    fill_plan(exchange)
    sign_all(exchange)
    url = reverse("exchanges:contract", kwargs={"pk": exchange.pk})
    login(client, approver(exchange.vop))
    assert client.get(url).status_code == 405  # POST only
    response = client.post(url, follow=True)
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.CONTRACTED
    assert "is contracted" in response.content.decode()
    response = client.post(url, follow=True)
    assert "This exchange is already contracted." in response.content.decode()


def test_a_refused_contract_explains_why(client):
    exchange = future_exchange()
    response = login(client, approver(exchange.vop)).post(
        reverse("exchanges:contract", kwargs={"pk": exchange.pk}), follow=True
    )
    assert "at least 24 are needed" in response.content.decode()
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.DRAFT


@pytest.mark.parametrize("name", ["contract", "execute", "close"])
def test_transitions_are_forbidden_to_applicants_and_hidden_from_outsiders(client, name):
    exchange = future_exchange()
    url = reverse(f"exchanges:{name}", kwargs={"pk": exchange.pk})
    assert login(client, representative(exchange.visitor)).post(url).status_code == 403
    assert login(client, approver(PartnershipFactory())).post(url).status_code == 404


def test_cancel_page_needs_a_reason(client):
    exchange = future_exchange()
    url = reverse("exchanges:cancel", kwargs={"pk": exchange.pk})
    login(client, approver(exchange.hop))
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    response = client.post(url, {"reason": "Flights cancelled"})
    assert response.status_code == 302
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.CANCELLED
    assert exchange.status_reason == "Flights cancelled"


def test_close_path_in_the_browser_for_vop_staff(client):
    exchange = ExchangeFactory(status=ExchangeStatus.EXECUTED)
    login(client, approver(exchange.vop))
    body = client.get(detail_url(exchange)).content.decode()
    assert 'data-action="close" data-enabled="false"' in body
    accept_evidence(exchange)  # R-PAY-4 (c)
    body = client.get(detail_url(exchange)).content.decode()
    assert 'data-action="close" data-enabled="false"' in body
    validated_visitor_far(exchange)  # R-PAY-4 (a)+(b), recorded without closing
    body = client.get(detail_url(exchange)).content.decode()
    assert 'data-action="close" data-enabled="true"' in body
    client.post(reverse("exchanges:close", kwargs={"pk": exchange.pk}))
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.CLOSED


def test_hop_staff_do_not_get_the_close_button(client):
    exchange = ExchangeFactory(status=ExchangeStatus.EXECUTED)
    body = login(client, approver(exchange.hop)).get(detail_url(exchange)).content.decode()
    assert 'data-action="close"' not in body


def test_staff_of_both_vop_and_hop_is_one_user(client):
    # A partnership can be both VOP and HOP (same partnership on both sides).
    partnership = PartnershipFactory()
    exchange = future_exchange(vop=partnership, hop=partnership)
    PartnershipStaffFactory(partnership=partnership)
    body = login(client, approver(partnership)).get(detail_url(exchange)).content.decode()
    assert 'data-action="contract"' in body
