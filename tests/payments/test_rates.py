"""Lump-sum rates (R-PAY-3): the initial table, the database's no-overlap rule, ``rate_add``
and the Support Office's rates page."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from cxc_portal.audit.models import AuditEvent
from organisations.reference import COSME_ASSOCIATED, EU_MEMBER_STATES
from payments.models import LumpSumRate
from payments.selectors import rate_for
from payments.services import rate_add
from tests import factories

pytestmark = pytest.mark.django_db

START = date(2020, 1, 1)


@pytest.fixture
def support(db):
    return factories.UserFactory(is_support_office=True)


def rates_of(country: str) -> list[tuple]:
    return list(
        LumpSumRate.objects.filter(country=country)
        .order_by("valid_from")
        .values_list("amount", "valid_from", "valid_until")
    )


# --- The initial table ---------------------------------------------------------------------------


def test_r_pay_3_the_data_migration_loads_all_38_countries_from_2020_open_ended():
    """R-PAY-3: one open-ended rate per COSME country (EU 27 + 11 associated) from 2020-01-01."""
    rows = LumpSumRate.objects.all()
    assert {str(r.country.code) for r in rows} == set(EU_MEMBER_STATES) | set(COSME_ASSOCIATED)
    assert rows.count() == 38
    assert {(r.valid_from, r.valid_until) for r in rows} == {(START, None)}
    amounts = {str(r.country.code): r.amount for r in rows}
    assert amounts["PT"] == Decimal("780.00")  # the published example (R-PAY-2)
    assert amounts["DK"] == Decimal("1100.00")  # the cap
    assert (amounts["AL"], amounts["TR"], amounts["XK"], amounts["IE"]) == (
        Decimal("530"),
        Decimal("750"),
        Decimal("560"),
        Decimal("1000"),
    )
    assert max(amounts.values()) == Decimal("1100.00")


def test_r_pay_3_rate_for_reads_the_rate_valid_on_a_day():
    """R-PAY-3: the selector returns the row valid on the day, none before the table starts."""
    assert rate_for("PT", date(2026, 3, 9)).amount == Decimal("780.00")
    assert rate_for("PT", START).amount == Decimal("780.00")
    assert rate_for("PT", date(2019, 12, 31)) is None
    assert rate_for("US", date(2026, 3, 9)) is None


# --- Database invariants -----------------------------------------------------------------------


def test_r_pay_3_the_database_refuses_an_overlapping_rate_of_the_same_country():
    """R-PAY-3: two rates of one country never overlap, refused by the database itself (an
    exclusion constraint on PostgreSQL, triggers on SQLite), not only by the service."""
    with pytest.raises(IntegrityError), transaction.atomic():
        LumpSumRate.objects.create(country="PT", amount=Decimal("800"), valid_from=date(2026, 7, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        LumpSumRate.objects.create(
            country="PT",
            amount=Decimal("800"),
            valid_from=date(2019, 1, 1),
            valid_until=START,  # one shared day is an overlap (bounds included)
        )
    # An update into an overlap is refused too.
    earlier = LumpSumRate.objects.create(
        country="PT",
        amount=Decimal("700"),
        valid_from=date(2019, 1, 1),
        valid_until=date(2019, 12, 31),
    )
    earlier.valid_until = date(2020, 1, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        earlier.save(update_fields=["valid_until"])
    # Adjacent periods and other countries are fine.
    assert rates_of("PT")[0] == (Decimal("700.00"), date(2019, 1, 1), date(2019, 12, 31))
    LumpSumRate.objects.create(country="US", amount=Decimal("900"), valid_from=START)


def test_r_pay_3_sqlite_triggers_dropped_by_a_table_rebuild_come_back_after_migrate():
    """R-PAY-3: on SQLite a table rebuild (AlterField…) drops the no-overlap triggers; the
    post-migrate hook puts them back, so the rule keeps holding in the database."""
    from django.db import connection

    from cxc_portal.core.periods import restore_sqlite_triggers

    if connection.vendor == "postgresql":
        # PostgreSQL keeps its exclusion constraint through ALTERs: it is there, by name.
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_constraint WHERE conname = 'lump_sum_rate_no_overlap'")
            assert cursor.fetchone() == (1,)
        return
    with connection.cursor() as cursor:
        for event in ("insert", "update"):
            cursor.execute(f"DROP TRIGGER lump_sum_rate_no_overlap_{event}")
    restore_sqlite_triggers()
    with pytest.raises(IntegrityError), transaction.atomic():
        LumpSumRate.objects.create(country="PT", amount=Decimal("800"), valid_from=date(2026, 7, 1))


def test_r_pay_3_the_database_refuses_a_non_positive_amount_and_a_disordered_period():
    """R-PAY-3: amount > 0 and valid_until >= valid_from are check constraints."""
    with pytest.raises(IntegrityError), transaction.atomic():
        LumpSumRate.objects.create(country="US", amount=Decimal("0"), valid_from=START)
    with pytest.raises(IntegrityError), transaction.atomic():
        LumpSumRate.objects.create(
            country="US", amount=Decimal("10"), valid_from=START, valid_until=date(2019, 12, 31)
        )


# --- rate_add ----------------------------------------------------------------------------------


def test_r_pay_3_rate_add_ends_the_open_rate_the_day_before_and_audits_both(support):
    """R-PAY-3: a new rate ends the current open-ended one the day before it starts, in one
    audited transaction."""
    rate = rate_add(
        actor=support, country="pt", amount=Decimal("800.00"), valid_from=date(2026, 7, 1)
    )
    assert rates_of("PT") == [
        (Decimal("780.00"), START, date(2026, 6, 30)),
        (Decimal("800.00"), date(2026, 7, 1), None),
    ]
    assert rate.created_by == support and rate.country == "PT"
    events = list(AuditEvent.objects.order_by("pk").values_list("action", "actor", "data"))
    assert [(a, actor) for a, actor, _ in events] == [
        ("payments.lump_sum_rate.ended", support.pk),
        ("payments.lump_sum_rate.added", support.pk),
    ]
    assert events[1][2]["amount"] == "800.00" and events[1][2]["valid_from"] == "2026-07-01"
    assert events[0][2]["valid_until"] == "2026-06-30"


@pytest.mark.parametrize(
    ("kwargs", "field", "text"),
    [
        ({"amount": Decimal("0")}, "amount", "positive amount"),
        ({"amount": Decimal("-5")}, "amount", "positive amount"),
        ({"amount": Decimal("50000")}, "amount", "sane maximum"),
        ({"valid_until": date(2026, 6, 30)}, "valid_until", "cannot end before it starts"),
        # Starting on (or before) the open rate's first day overlaps it: it cannot be ended.
        ({"valid_from": START}, "valid_from", "overlaps the rate of 780.00 €"),
        ({"valid_from": date(2019, 6, 1)}, "valid_from", "overlaps the rate of 780.00 €"),
        ({"valid_until": date(2026, 12, 31)}, "valid_until", "Leave the end empty"),
    ],
)
def test_r_pay_3_rate_add_refusals_name_their_field_and_save_nothing(support, kwargs, field, text):
    """R-PAY-3: overlap, end before start, amount <= 0 or over the maximum: refused with a
    message for the field, nothing written, nothing audited."""
    from django.core.exceptions import ValidationError

    args = {"country": "PT", "amount": Decimal("800"), "valid_from": date(2026, 7, 1), **kwargs}
    with pytest.raises(ValidationError) as error:
        rate_add(actor=support, **args)
    assert text in " ".join(error.value.message_dict[field])
    assert rates_of("PT") == [(Decimal("780.00"), START, None)]
    assert not AuditEvent.objects.exists()


def test_r_pay_3_a_closed_period_before_the_table_is_accepted_without_ending_anything(support):
    """R-PAY-3: a past, bounded period that overlaps nothing is simply added."""
    rate_add(
        actor=support,
        country="PT",
        amount=Decimal("700"),
        valid_from=date(2019, 1, 1),
        valid_until=date(2019, 12, 31),
    )
    assert rates_of("PT")[1] == (Decimal("780.00"), START, None)
    assert rate_for("PT", date(2019, 6, 1)).amount == Decimal("700.00")


def test_r_pay_3_a_scheduled_rate_blocks_an_open_one_before_it(support):
    """R-PAY-3: once a future rate is set, the rate before it is bounded: only an open-ended
    rate is ended automatically, so a rate starting between them overlaps and is refused."""
    from django.core.exceptions import ValidationError

    rate_add(actor=support, country="PT", amount=Decimal("800"), valid_from=date(2026, 7, 1))
    with pytest.raises(ValidationError) as error:
        rate_add(actor=support, country="PT", amount=Decimal("790"), valid_from=date(2026, 3, 1))
    assert (
        "overlaps the rate of 780.00 € valid from 1 Jan 2020 until 30 Jun 2026"
        in (error.value.message_dict["valid_from"][0])
    )
    assert len(rates_of("PT")) == 2


def test_r_pay_3_only_the_support_office_may_add_a_rate():
    """R-PAY-3: rates are maintained by the Support Office."""
    from django.core.exceptions import PermissionDenied

    staff = factories.PartnershipStaffFactory()
    with pytest.raises(PermissionDenied):
        rate_add(actor=staff.user, country="PT", amount=Decimal("800"), valid_from=date(2026, 7, 1))
    assert len(rates_of("PT")) == 1


# --- The rates page ----------------------------------------------------------------------------

LIST = "/payments/rates/"


def test_the_rates_page_lists_every_country_with_its_current_rate(
    support_client, django_assert_max_num_queries
):
    """R-PAY-3: the Support Office sees each country's rate today, in a constant few queries."""
    assert reverse("payments:rate_list") == LIST
    with django_assert_max_num_queries(12):
        page = support_client.get(LIST).content.decode()
    assert page.count("data-country=") == 38
    assert 'data-country="PT"' in page and "780.00 €" in page
    assert 'name="valid_from"' in page


def test_the_rates_page_adds_a_rate_and_shows_the_history(support_client):
    """R-PAY-3: add a new dated rate from the page; the history shows both, with who."""
    response = support_client.post(
        LIST, {"country": "PT", "amount": "800.00", "valid_from": "2026-07-01", "valid_until": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("payments:rate_history", kwargs={"country": "PT"})
    page = support_client.get(response["Location"]).content.decode()
    assert page.count("data-rate=") == 2
    assert "800.00 €" in page and "30 Jun 2026" in page
    assert support_client.user.email in page
    assert "initial table (R-PAY-3)" in page


def test_the_rates_page_shows_refusals_next_to_the_fields_and_keeps_the_input(support_client):
    """R-PAY-3: an overlapping start and a zero amount are refused next to their fields."""
    page = support_client.post(
        LIST, {"country": "PT", "amount": "800.00", "valid_from": "2020-01-01"}
    ).content.decode()
    assert "overlaps the rate of 780.00 €" in page
    assert 'value="800.00"' in page and 'value="2020-01-01"' in page
    page = support_client.post(
        LIST, {"country": "PT", "amount": "0", "valid_from": "2026-07-01"}
    ).content.decode()
    assert "positive amount" in page
    assert rates_of("PT") == [(Decimal("780.00"), START, None)]


@pytest.mark.parametrize("who", ["anonymous", "applicant", "staff"])
def test_the_rates_page_is_for_the_support_office_only(client, who):
    """R-PAY-3: nobody else lists, adds or reads the history of rates."""
    if who == "applicant":
        client.force_login(factories.RepresentativeFactory().user)
    elif who == "staff":
        staff = factories.PartnershipStaffFactory()
        factories.give_totp(staff.user)
        client.force_login(staff.user)
    history = reverse("payments:rate_history", kwargs={"country": "PT"})
    for response in (
        client.get(LIST),
        client.get(history),
        client.post(LIST, {"country": "PT", "amount": "800", "valid_from": "2026-07-01"}),
    ):
        assert response.status_code == (302 if who == "anonymous" else 403)
    assert len(rates_of("PT")) == 1


def test_the_support_office_navigation_links_to_the_rates_page(support_client, client):
    """R-PAY-3: the rates page is reached from the Support Office's navigation only."""
    assert LIST in support_client.get("/").content.decode()
    client.logout()
    assert LIST not in client.get("/").content.decode()


def test_an_unknown_country_history_is_not_found(support_client):
    assert support_client.get("/payments/rates/ZZ/").status_code == 404
