"""Out-of-range dates on the exchange pages (issue 8 point 6): a stay, an activity or a group
day before 2020 or more than two years ahead is refused next to its field, the input kept,
nothing saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import Activity, Exchange, ExchangeGroup
from tests.exchanges.factories import approver, future_exchange, representative
from tests.factories import OrganisationFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

REFUSED = "Give a date from 1 Jan 2020 to"


def assert_refused_next_to(body: str, field: str, typed: str) -> None:
    assert f'id="error_1_id_{field}"' in body
    assert REFUSED in body
    assert f'value="{typed}"' in body  # the input is kept


def test_encoding_a_stay_in_year_9999_or_before_2020_is_refused(client):
    partnership = PartnershipFactory()
    staff = approver(partnership)
    visitor = OrganisationFactory(country="BE", validating_partnership=partnership)
    host = OrganisationFactory(country="PT")
    client.force_login(staff)
    response = client.post(
        reverse("exchanges:create"),
        {
            "visitor": visitor.pk,
            "host": host.pk,
            "vop": partnership.pk,
            "hop": host.validating_partnership_id,
            "mode": "physical",
            "start_date": "2019-12-31",
            "end_date": "9999-12-31",
            "objectives": "Keep this text",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert_refused_next_to(body, "start_date", "2019-12-31")
    assert_refused_next_to(body, "end_date", "9999-12-31")
    assert not Exchange.objects.exists()


def test_editing_a_draft_to_a_far_future_stay_is_refused(client):
    exchange = future_exchange()
    client.force_login(representative(exchange.host))
    too_late = (timezone.localdate() + timedelta(days=2 * 366 + 1)).isoformat()
    response = client.post(
        reverse("exchanges:edit", kwargs={"pk": exchange.pk}),
        {"start_date": too_late, "end_date": too_late, "objectives": "Updated"},
    )
    assert response.status_code == 200
    assert_refused_next_to(response.content.decode(), "start_date", too_late)
    before = exchange.start_date
    exchange.refresh_from_db()
    assert exchange.start_date == before


def test_an_activity_in_year_9999_is_refused(client):
    exchange = future_exchange()
    client.force_login(representative(exchange.visitor))
    response = client.post(
        reverse("exchanges:activity_add", kwargs={"pk": exchange.pk}),
        {
            "date": "9999-01-04",
            "activity_type": "knowledge_sharing",
            "title": "Keep me",
            "hours": "6",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert_refused_next_to(body, "date", "9999-01-04")
    assert 'value="Keep me"' in body
    assert not Activity.objects.exists()


def test_a_group_with_shared_days_out_of_range_is_refused(client):
    host = OrganisationFactory(country="PT")
    staff = approver(host.validating_partnership)
    client.force_login(staff)
    response = client.post(
        reverse("exchanges:group_create"),
        {
            "name": "Porto mission",
            "host": host.pk,
            "vop": PartnershipFactory().pk,
            "hop": host.validating_partnership_id,
            "start_date": "0001-01-01",
            "end_date": "9999-12-31",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert_refused_next_to(body, "start_date", "0001-01-01")
    assert_refused_next_to(body, "end_date", "9999-12-31")
    assert not ExchangeGroup.objects.exists()
