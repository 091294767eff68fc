"""The exchange pages cost a constant number of SQL queries, whatever the number of exchanges,
activities, signatures, events and notifications (1 row and 200 rows, same bound)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cxc_portal.audit.services import record
from exchanges.models import Activity, ExchangeGroup
from tests.exchanges.factories import (
    approver,
    future_exchange,
    representative,
    sign_all,
    support_office_user,
)
from tests.factories import ExchangeFactory, OrganisationFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

#: Session, user, MFA check, roles (2), the user's partnerships and organisations (2), the
#: filter's country choices, the page count and rows: measured, with a little headroom.
LIST_MAX = 12
#: The detail page adds the exchange with prefetched activities, the contract guard's eligibility
#: checks (a constant number per party), the timeline (events, notices), and the documents room
#: (R-DOC-2, R-DOC-3, R-DOC-5): the cards and their live signatures (2), the contract gate's
#: versions and signatures (2) and — once all six signatures are in, as here — the documents'
#: data read again to tell a current version from a stale one (about 10, whatever the plan's
#: length). Measured: 34.
DETAIL_MAX = 36
GROUP_MAX = 13


@pytest.mark.parametrize("rows", [1, 200])
def test_staff_list_constant_queries(client, django_assert_max_num_queries, rows):
    partnership = PartnershipFactory()
    for _ in range(rows):
        ExchangeFactory(vop=partnership)
    client.force_login(approver(partnership))
    with django_assert_max_num_queries(LIST_MAX):
        response = client.get(reverse("exchanges:list"))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 200])
def test_csv_export_constant_queries(client, django_assert_max_num_queries, rows):
    for _ in range(rows):
        ExchangeFactory()
    client.force_login(support_office_user())
    with django_assert_max_num_queries(LIST_MAX):
        response = client.get(reverse("exchanges:list"), {"export": "csv"})
    assert len(response.content.decode().strip().splitlines()) == rows + 1


@pytest.mark.parametrize("rows", [1, 200])
def test_applicant_list_constant_queries(client, django_assert_max_num_queries, rows):
    org = OrganisationFactory(country="PT")
    for _ in range(rows):
        ExchangeFactory(host=org)
    client.force_login(representative(org))
    with django_assert_max_num_queries(LIST_MAX):
        response = client.get(reverse("exchanges:list"))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 200])
def test_detail_constant_queries(client, django_assert_max_num_queries, rows):
    exchange = future_exchange()
    staff = approver(exchange.vop)
    Activity.objects.bulk_create(
        Activity(
            exchange=exchange,
            date=exchange.start_date + timedelta(days=i % 5),
            activity_type="networking",
            title=f"Activity {i}",
            hours=Decimal("0.1"),
            proposed_by=staff,
            is_extra=bool(i % 2),
        )
        for i in range(rows)
    )
    sign_all(exchange)
    for i in range(rows):
        record(actor=staff, action="exchanges.exchange.updated", subject=exchange, data={"i": i})
    client.force_login(staff)
    with django_assert_max_num_queries(DETAIL_MAX):
        response = client.get(reverse("exchanges:detail", kwargs={"pk": exchange.pk}))
    assert response.status_code == 200
    assert response.content.decode().count('id="activity-') == rows


@pytest.mark.parametrize("rows", [1, 200])
def test_group_detail_constant_queries(client, django_assert_max_num_queries, rows):
    host = OrganisationFactory(country="PT")
    group = ExchangeGroup.objects.create(
        name="Mission", host=host, vop=PartnershipFactory(), hop=host.validating_partnership
    )
    for _ in range(rows):
        ExchangeFactory(host=host, hop=group.hop, group=group)
    client.force_login(approver(group.hop))
    with django_assert_max_num_queries(GROUP_MAX):
        response = client.get(reverse("exchanges:group_detail", kwargs={"pk": group.pk}))
    assert response.content.decode().count("data-exchange=") == rows


def test_the_bounds_are_tight_enough_to_catch_a_query_per_row(client):
    """Guard against a bound so loose it proves nothing: the 200-row list costs what 1 costs."""
    partnership = PartnershipFactory()
    ExchangeFactory(vop=partnership)
    client.force_login(approver(partnership))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("exchanges:list"))
    for _ in range(10):
        ExchangeFactory(vop=partnership)
    with CaptureQueriesContext(connection) as eleven:
        client.get(reverse("exchanges:list"))
    assert len(eleven) == len(one) <= LIST_MAX


@pytest.mark.parametrize("rows", [1, 200])
def test_list_and_detail_constant_queries_with_payments(
    client, django_assert_max_num_queries, rows
):
    """R-PAY-5: with 1 or 200 payments, the exchange list and the exchange page (its payments
    section included) cost the same bounded number of queries."""
    from payments.models import Payment, PaymentStatus

    partnership = PartnershipFactory()
    exchanges = [ExchangeFactory(vop=partnership, status="closed") for _ in range(rows)]
    Payment.objects.bulk_create(
        Payment(
            exchange=exchange,
            amount=Decimal("780.00"),
            rate=Decimal("780.00"),
            working_days=5,
            status=PaymentStatus.DUE,
            due_date=exchange.end_date + timedelta(days=10),
        )
        for exchange in exchanges
    )
    client.force_login(approver(partnership))
    with django_assert_max_num_queries(LIST_MAX):
        assert client.get(reverse("exchanges:list")).status_code == 200
    url = reverse("exchanges:detail", kwargs={"pk": exchanges[-1].pk})
    with django_assert_max_num_queries(DETAIL_MAX):
        body = client.get(url).content.decode()
    assert 'data-section="payment"' in body
