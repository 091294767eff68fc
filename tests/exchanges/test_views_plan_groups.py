"""The htmx action plan editor (R-EXC-4) and the group pages (R-EXC-7)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import Activity, Exchange, ExchangeGroup, ExchangeStatus
from tests.exchanges.factories import (
    approver,
    clean_week,
    contracted_exchange,
    future_exchange,
    representative,
    support_office_user,
)
from tests.factories import ActivityFactory, OrganisationFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def activity_data(exchange, **overrides):
    return {
        "date": exchange.start_date.isoformat(),
        "activity_type": "knowledge_sharing",
        "title": "Open-innovation workshop",
        "hours": "6",
        "description": "",
        **overrides,
    }


def test_r_exc_4_htmx_add_returns_the_plan_with_running_totals(client):
    exchange = future_exchange()
    client.force_login(representative(exchange.visitor))
    url = reverse("exchanges:activity_add", kwargs={"pk": exchange.pk})
    response = client.post(url, activity_data(exchange), **HTMX)
    assert response.status_code == 200
    assert response.templates[0].name == "exchanges/partials/plan_response.html"
    body = response.content.decode()
    assert 'data-counted-hours="6' in body
    assert 'data-working-days="5"' in body
    assert "Open-innovation workshop" in body
    assert 'id="exchange-actions" ' in body and 'hx-swap-oob="true"' in body
    assert Activity.objects.filter(exchange=exchange).count() == 1


def test_r_exc_4_htmx_add_refused_keeps_the_input_and_says_why(client):
    exchange = future_exchange()
    client.force_login(representative(exchange.visitor))
    url = reverse("exchanges:activity_add", kwargs={"pk": exchange.pk})
    outside = (exchange.end_date + timedelta(days=1)).isoformat()
    response = client.post(
        url, activity_data(exchange, date=outside, title="Keep me", hours="25"), **HTMX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "An activity takes place during the stay" in body
    assert "An activity lasts at most 24 hours." in body
    assert 'value="Keep me"' in body
    assert not Activity.objects.exists()


def test_r_exc_4_without_javascript_the_plan_still_works(client):
    exchange = future_exchange()
    client.force_login(representative(exchange.visitor))
    url = reverse("exchanges:activity_add", kwargs={"pk": exchange.pk})
    response = client.post(url, activity_data(exchange))
    assert response.status_code == 302 and response["Location"].endswith("#plan")
    response = client.post(url, activity_data(exchange, hours="0", title="Again"))
    assert response.status_code == 200
    assert response.templates[0].name == "exchanges/exchange_detail.html"
    assert "Give the activity&#x27;s duration in hours." in response.content.decode()


def test_r_exc_4_a_double_submitted_activity_makes_one_row(client):
    """A double click on "Add to the plan" sends the form twice: one row; the second answer
    says why, next to the title, with the input kept."""
    exchange = future_exchange()
    client.force_login(representative(exchange.visitor))
    url = reverse("exchanges:activity_add", kwargs={"pk": exchange.pk})
    client.post(url, activity_data(exchange), **HTMX)
    response = client.post(url, activity_data(exchange), **HTMX)
    assert response.status_code == 200
    assert "This activity is already in the plan" in response.content.decode()
    assert Activity.objects.filter(exchange=exchange).count() == 1


def test_r_exc_4_edit_a_row_with_htmx(client):
    exchange = future_exchange()
    activity = ActivityFactory(exchange=exchange)
    client.force_login(representative(exchange.host))
    url = reverse("exchanges:activity_edit", kwargs={"pk": exchange.pk, "activity_id": activity.pk})
    response = client.get(url, **HTMX)
    assert response.templates[0].name == "exchanges/partials/activity_row_form.html"
    response = client.post(url, activity_data(exchange, title="Renamed", hours="7"), **HTMX)
    assert response["HX-Retarget"] == "#plan"
    activity.refresh_from_db()
    assert (activity.title, str(activity.hours)) == ("Renamed", "7.0")
    # A refused edit answers with the row form and its errors.
    response = client.post(url, activity_data(exchange, hours="30"), **HTMX)
    assert response.templates[0].name == "exchanges/partials/activity_row_form.html"
    assert "at most 24 hours" in response.content.decode()


def test_r_exc_4_delete_and_approve_with_htmx(client):
    exchange = future_exchange()
    extra = ActivityFactory(exchange=exchange, is_extra=True)
    ordinary = ActivityFactory(exchange=exchange)
    office = support_office_user()
    client.force_login(office)
    body = client.get(reverse("exchanges:detail", kwargs={"pk": exchange.pk})).content.decode()
    assert "Approve" in body
    client.post(
        reverse("exchanges:activity_approve", kwargs={"pk": exchange.pk, "activity_id": extra.pk}),
        **HTMX,
    )
    extra.refresh_from_db()
    assert extra.approved_by == office
    client.force_login(representative(exchange.visitor))
    client.post(
        reverse(
            "exchanges:activity_delete", kwargs={"pk": exchange.pk, "activity_id": ordinary.pk}
        ),
        **HTMX,
    )
    assert not Activity.objects.filter(pk=ordinary.pk).exists()


def test_plan_edits_are_forbidden_to_the_support_office_and_outsiders(client):
    exchange = future_exchange()
    url = reverse("exchanges:activity_add", kwargs={"pk": exchange.pk})
    client.force_login(support_office_user())
    assert client.post(url, activity_data(exchange)).status_code == 403
    client.force_login(representative(OrganisationFactory()))
    assert client.post(url, activity_data(exchange)).status_code == 404


def test_the_plan_of_a_contracted_exchange_is_read_only(client):
    exchange = contracted_exchange()
    client.force_login(representative(exchange.visitor))
    body = client.get(reverse("exchanges:detail", kwargs={"pk": exchange.pk})).content.decode()
    assert "data-activity-form" not in body
    response = client.post(
        reverse("exchanges:activity_add", kwargs={"pk": exchange.pk}),
        activity_data(exchange),
        **HTMX,
    )
    # The add form is gone from a frozen plan: the refusal is shown as a message instead.
    assert "This exchange is contracted: its dates and action plan are frozen" in (
        response.content.decode()
    )
    assert not Activity.objects.exists()


def test_editing_a_row_of_a_frozen_plan_answers_with_the_whole_plan_and_why(client):
    """A stale page (the exchange was contracted meanwhile) asks to edit a row: htmx gets the
    whole read-only plan in place of the plan (not inside the row) and the reason."""
    exchange = contracted_exchange()
    activity = ActivityFactory(exchange=exchange)
    client.force_login(representative(exchange.visitor))
    url = reverse("exchanges:activity_edit", kwargs={"pk": exchange.pk, "activity_id": activity.pk})
    response = client.get(url, **HTMX)
    assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#plan", "outerHTML")
    body = response.content.decode()
    assert "its dates and action plan are frozen" in body and "data-activity-form" not in body
    response = client.post(url, activity_data(exchange, title="Sneaky"), **HTMX)
    assert response["HX-Retarget"] == "#plan"
    activity.refresh_from_db()
    assert activity.title != "Sneaky"
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].endswith("#plan")


def test_editing_a_row_removed_meanwhile_replaces_the_whole_plan(client):
    exchange = future_exchange()
    client.force_login(representative(exchange.visitor))
    url = reverse("exchanges:activity_edit", kwargs={"pk": exchange.pk, "activity_id": 999999})
    response = client.get(url, **HTMX)
    assert response["HX-Retarget"] == "#plan"
    assert "This activity is no longer in the action plan." in response.content.decode()


# --- groups ---------------------------------------------------------------------------------------


@pytest.fixture
def group_page():
    host = OrganisationFactory(country="PT")
    hop = host.validating_partnership
    staff = approver(hop)
    start, end = clean_week("PT", after=timezone.localdate() + timedelta(days=35))
    group = ExchangeGroup.objects.create(
        name="Porto mission",
        host=host,
        vop=PartnershipFactory(),
        hop=hop,
        start_date=start,
        end_date=end,
    )
    return group, staff


def test_r_exc_7_group_pages_are_for_staff(client, group_page):
    group, staff = group_page
    client.force_login(representative(group.host))
    assert client.get(reverse("exchanges:group_list")).status_code == 403
    client.force_login(UserFactory())
    assert client.get(reverse("exchanges:group_list")).status_code == 403
    client.force_login(approver(PartnershipFactory()))
    assert client.get(reverse("exchanges:group_detail", kwargs={"pk": group.pk})).status_code == 404
    client.force_login(staff)
    assert group.name in client.get(reverse("exchanges:group_list")).content.decode()
    client.force_login(support_office_user())
    assert client.get(reverse("exchanges:group_detail", kwargs={"pk": group.pk})).status_code == 200


def test_r_exc_7_create_a_group_in_the_browser(client):
    host = OrganisationFactory(country="PT")
    staff = approver(host.validating_partnership)
    client.force_login(staff)
    response = client.post(
        reverse("exchanges:group_create"),
        {
            "name": "Lisbon mission",
            "host": host.pk,
            "vop": host.validating_partnership_id,
            "hop": host.validating_partnership_id,
            "plan_notes": "Visits",
        },
    )
    group = ExchangeGroup.objects.get()
    assert response["Location"] == reverse("exchanges:group_detail", kwargs={"pk": group.pk})


def test_r_exc_7_a_double_submitted_group_makes_one_group(client):
    host = OrganisationFactory(country="PT")
    client.force_login(approver(host.validating_partnership))
    data = {
        "name": "Lisbon mission",
        "host": host.pk,
        "vop": host.validating_partnership_id,
        "hop": host.validating_partnership_id,
        "plan_notes": "Visits",
    }
    first = client.post(reverse("exchanges:group_create"), data)
    assert first.status_code == 302
    second = client.post(reverse("exchanges:group_create"), data)
    assert second.status_code == 200
    assert "already exists" in second.content.decode()
    assert ExchangeGroup.objects.count() == 1


def test_r_exc_7_group_page_shows_exchanges_and_statuses_and_adds_drafts(client, group_page):
    group, staff = group_page
    draft = future_exchange(host=group.host, hop=group.hop)
    frozen = contracted_exchange(host=group.host, hop=group.hop)
    client.force_login(staff)
    url = reverse("exchanges:group_add", kwargs={"pk": group.pk})
    assert client.post(url, {"exchange": draft.pk}).status_code == 302
    response = client.post(url, {"exchange": frozen.pk})
    assert response.status_code == 200
    assert f"{frozen.reference} is contracted" in response.content.decode()
    body = client.get(reverse("exchanges:group_detail", kwargs={"pk": group.pk})).content.decode()
    assert f'data-exchange="{draft.reference}"' in body
    assert f'data-exchange="{frozen.reference}"' not in body
    assert 'data-status="draft"' in body


def test_r_exc_7_new_exchange_in_a_group_starts_from_the_group(client, group_page):
    group, staff = group_page
    client.force_login(staff)
    response = client.get(reverse("exchanges:create") + f"?group={group.pk}")
    form = response.context["form"]
    assert form.initial["host"] == group.host_id
    assert form.initial["start_date"] == group.start_date
    visitor = OrganisationFactory(country="BE", validating_partnership=group.vop)
    client.post(
        reverse("exchanges:create") + f"?group={group.pk}",
        {
            "visitor": visitor.pk,
            "host": group.host_id,
            "vop": group.vop_id,
            "hop": group.hop_id,
            "mode": "physical",
            "start_date": group.start_date.isoformat(),
            "end_date": group.end_date.isoformat(),
            "objectives": "",
        },
    )
    assert Exchange.objects.get().group == group


def test_r_exc_7_bulk_action_in_the_browser_drafts_only(client, group_page):
    group, staff = group_page
    a = future_exchange(host=group.host, hop=group.hop, group=group)
    b = contracted_exchange(host=group.host, hop=group.hop, group=group)
    client.force_login(staff)
    url = reverse("exchanges:group_bulk", kwargs={"pk": group.pk})
    response = client.post(url, {"action": "cancel", "exchanges": [a.pk, b.pk], "reason": "x"})
    assert response.status_code == 200
    assert "Bulk actions apply to drafts only" in response.content.decode()
    a.refresh_from_db()
    assert a.status == ExchangeStatus.DRAFT
    response = client.post(url, {"action": "remove", "exchanges": [a.pk]})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.group_id is None


def test_r_exc_7_bulk_with_a_forged_id_beyond_any_integer_is_a_form_error(client, group_page):
    group, staff = group_page
    draft = future_exchange(host=group.host, hop=group.hop, group=group)
    client.force_login(staff)
    response = client.post(
        reverse("exchanges:group_bulk", kwargs={"pk": group.pk}),
        {"action": "remove", "exchanges": [draft.pk, "99999999999999999999"]},
    )
    assert response.status_code == 200
    assert "is not one of the available choices" in response.content.decode()
    draft.refresh_from_db()
    assert draft.group_id == group.pk


def test_r_exc_7_staff_of_a_member_exchanges_vop_see_the_group_but_do_not_manage_it(
    client, group_page
):
    group, _staff = group_page
    member = future_exchange(host=group.host, hop=group.hop, group=group)
    future_exchange(
        host=group.host, hop=group.hop, group=group, visitor=OrganisationFactory(country="DE")
    )
    vop_staff = approver(member.vop)
    client.force_login(vop_staff)
    listing = client.get(reverse("exchanges:group_list"))
    assert [g.exchange_count for g in listing.context["groups"]] == [2]
    response = client.get(reverse("exchanges:group_detail", kwargs={"pk": group.pk}))
    assert response.status_code == 200
    assert response.context["can_manage"] is False
    assert "bulk-form" not in response.content.decode()
    # Nor can they start a new exchange in it.
    create_in_group = reverse("exchanges:create") + f"?group={group.pk}"
    assert client.get(create_in_group).status_code == 403


def test_r_exc_7_r_exc_6_a_group_manager_gets_no_action_on_another_partnerships_exchange(
    client, group_page
):
    """The group's organising partnership (VOP) manages the mission, but a member exchange of
    another VOP is steered by that exchange's own partnerships: no link it cannot open, no
    remove button or bulk checkbox it cannot use, and a forged remove is refused politely."""
    group, _hop_staff = group_page
    own = future_exchange(host=group.host, hop=group.hop, vop=group.vop, group=group)
    foreign = future_exchange(
        host=group.host, hop=group.hop, group=group, visitor=OrganisationFactory(country="DE")
    )
    organiser = approver(group.vop)
    client.force_login(organiser)
    url = reverse("exchanges:group_detail", kwargs={"pk": group.pk})
    response = client.get(url)
    rows = {row["exchange"].pk: row for row in response.context["rows"]}
    assert (rows[own.pk]["can_open"], rows[own.pk]["can_change"]) == (True, True)
    assert (rows[foreign.pk]["can_open"], rows[foreign.pk]["can_change"]) == (False, False)
    body = response.content.decode()
    assert reverse("exchanges:detail", kwargs={"pk": foreign.pk}) not in body
    assert f'value="{foreign.pk}" form="bulk-form"' not in body
    remove_foreign = reverse(
        "exchanges:group_remove", kwargs={"pk": group.pk, "exchange_id": foreign.pk}
    )
    assert remove_foreign not in body
    assert f'value="{own.pk}" form="bulk-form"' in body
    response = client.post(remove_foreign, follow=True)
    assert response.status_code == 200
    assert "Only staff of the visitor" in response.content.decode().replace("&#x27;", "'")
    foreign.refresh_from_db()
    assert foreign.group_id == group.pk
