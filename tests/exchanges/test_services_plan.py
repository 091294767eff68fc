"""The action plan (R-EXC-4, R-EXC-5): activities inside the stay, hours, extras approved by the
Support Office."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cxc_portal.audit.models import AuditEvent
from cxc_portal.notifications.models import Notification
from exchanges.guards import plan_blockers, plan_totals
from exchanges.models import Activity
from exchanges.services import (
    exchange_activity_add,
    exchange_activity_approve,
    exchange_activity_delete,
    exchange_activity_update,
)
from tests.exchanges.factories import (
    approver,
    contracted_exchange,
    representative,
    sign_all,
    support_office_user,
)
from tests.factories import ActivityFactory, ExchangeFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def add(exchange, actor, **overrides):
    kwargs = {
        "date": exchange.start_date,
        "activity_type": "networking",
        "title": "Visit of the cluster's members",
        "hours": Decimal("6"),
        **overrides,
    }
    return exchange_activity_add(exchange=exchange, actor=actor, **kwargs)


def test_r_exc_4_a_party_adds_an_activity_that_counts():
    exchange = ExchangeFactory()
    activity = add(exchange, representative(exchange.visitor))
    assert activity.proposed_by is not None
    assert plan_totals(exchange).counted_hours == Decimal("6")
    assert AuditEvent.objects.get(action="exchanges.activity.added").data["hours"] == "6"


def test_r_exc_4_staff_of_the_vop_or_hop_edit_the_plan():
    exchange = ExchangeFactory()
    add(exchange, approver(exchange.hop, can_approve=False))
    assert exchange.activities.count() == 1


def test_the_same_activity_sent_twice_is_added_once():
    """A double submit: the second identical activity is refused next to the title; a second
    activity with another title on the same day is fine."""
    exchange = ExchangeFactory()
    actor = representative(exchange.visitor)
    add(exchange, actor)
    with pytest.raises(ValidationError) as error:
        add(exchange, actor, title="  Visit of the cluster's members ")
    assert "already in the plan" in error.value.message_dict["title"][0]
    assert exchange.activities.count() == 1
    assert AuditEvent.objects.filter(action="exchanges.activity.added").count() == 1
    add(exchange, actor, title="Visit of the cluster's members (afternoon)")
    assert exchange.activities.count() == 2


def test_outsiders_cannot_touch_the_plan():
    exchange = ExchangeFactory()
    with pytest.raises(PermissionDenied):
        add(exchange, representative(OrganisationFactory()))
    with pytest.raises(PermissionDenied):
        add(exchange, support_office_user())


def test_r_exc_4_an_activity_outside_the_stay_is_refused():
    exchange = ExchangeFactory()
    with pytest.raises(ValidationError) as error:
        add(exchange, representative(exchange.visitor), date=date(2027, 3, 13))
    assert error.value.message_dict["date"] == [
        "An activity takes place during the stay (8 Mar 2027 – 12 Mar 2027)."
    ]
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        (Decimal("0"), "Give the activity's duration in hours."),
        (Decimal("-1"), "Give the activity's duration in hours."),
        (Decimal("24.5"), "An activity lasts at most 24 hours."),
    ],
)
def test_r_exc_4_hours_bounds(hours, message):
    exchange = ExchangeFactory()
    with pytest.raises(ValidationError) as error:
        add(exchange, representative(exchange.visitor), hours=hours)
    assert error.value.message_dict["hours"] == [message]


def test_r_exc_4_a_day_holds_at_most_24_hours():
    exchange = ExchangeFactory()
    rep = representative(exchange.visitor)
    add(exchange, rep, hours=Decimal("20"))
    with pytest.raises(ValidationError) as error:
        add(exchange, rep, hours=Decimal("4.5"))
    assert "add up to 24.5 hours" in error.value.message_dict["hours"][0]
    add(exchange, rep, hours=Decimal("4"))  # exactly 24 on that day


def test_r_exc_5_unknown_activity_type_is_refused():
    exchange = ExchangeFactory()
    with pytest.raises(ValidationError) as error:
        add(exchange, representative(exchange.visitor), activity_type="sightseeing")
    assert "activity_type" in error.value.message_dict


def test_r_exc_4_23_hours_are_not_enough_24_are():
    exchange = ExchangeFactory()
    rep = representative(exchange.visitor)
    for day, hours in ((8, "6"), (9, "6"), (10, "6"), (11, "5")):
        add(exchange, rep, date=date(2027, 3, day), hours=Decimal(hours))
    (refusal,) = plan_blockers(exchange)
    assert refusal.text == ("The action plan holds 23 hours of activities; at least 24 are needed.")
    add(exchange, rep, date=date(2027, 3, 12), hours=Decimal("1"))
    assert plan_blockers(exchange) == []


def test_r_exc_4_an_extra_activity_counts_only_once_approved_by_the_support_office():
    exchange = ExchangeFactory()
    rep = representative(exchange.visitor)
    for day in (8, 9, 10):
        add(exchange, rep, date=date(2027, 3, day))
    extra = add(exchange, rep, date=date(2027, 3, 11), is_extra=True)
    totals = plan_totals(exchange)
    assert (totals.counted_hours, totals.pending_extra_count) == (Decimal("18"), 1)
    assert [r.text for r in plan_blockers(exchange)][1].startswith("1 extra activity awaits")
    # The Support Office is told once.
    notice = Notification.objects.get(kind="exchanges.activity.extra_proposed")
    assert notice.to_email == "support-office@cxc.local"
    # Only the Support Office approves.
    with pytest.raises(PermissionDenied):
        exchange_activity_approve(
            exchange=exchange, actor=approver(exchange.vop), activity_id=extra.pk
        )
    office = support_office_user()
    exchange_activity_approve(exchange=exchange, actor=office, activity_id=extra.pk)
    assert plan_totals(exchange).counted_hours == Decimal("24")
    assert plan_blockers(exchange) == []
    with pytest.raises(ValidationError, match="already approved"):
        exchange_activity_approve(exchange=exchange, actor=office, activity_id=extra.pk)


def test_r_exc_4_an_ordinary_activity_needs_no_approval():
    exchange = ExchangeFactory()
    activity = ActivityFactory(exchange=exchange)
    with pytest.raises(ValidationError, match="Only extra activities"):
        exchange_activity_approve(
            exchange=exchange, actor=support_office_user(), activity_id=activity.pk
        )


def test_r_exc_4_changing_an_approved_extra_activity_needs_a_new_approval():
    exchange = ExchangeFactory()
    rep = representative(exchange.visitor)
    extra = add(exchange, rep, is_extra=True)
    exchange_activity_approve(exchange=exchange, actor=support_office_user(), activity_id=extra.pk)
    exchange_activity_update(
        exchange=exchange,
        actor=rep,
        activity_id=extra.pk,
        date=extra.date,
        activity_type=extra.activity_type,
        title=extra.title,
        hours=Decimal("7"),
        is_extra=True,
    )
    extra.refresh_from_db()
    assert extra.approved_at is None and extra.approved_by is None


def test_r_exc_4_update_checks_the_same_rules_and_keeps_the_row():
    exchange = ExchangeFactory()
    rep = representative(exchange.visitor)
    activity = add(exchange, rep)
    with pytest.raises(ValidationError) as error:
        exchange_activity_update(
            exchange=exchange,
            actor=rep,
            activity_id=activity.pk,
            date=date(2027, 3, 20),
            activity_type="networking",
            title="  ",
            hours=Decimal("6"),
        )
    assert set(error.value.message_dict) == {"date", "title"}
    activity.refresh_from_db()
    assert activity.date == exchange.start_date


def test_r_exc_4_the_activity_itself_is_left_out_of_its_days_total_on_update():
    exchange = ExchangeFactory()
    rep = representative(exchange.visitor)
    activity = add(exchange, rep, hours=Decimal("20"))
    exchange_activity_update(
        exchange=exchange,
        actor=rep,
        activity_id=activity.pk,
        date=activity.date,
        activity_type="networking",
        title="Longer",
        hours=Decimal("24"),
    )


def test_delete_an_activity_audits_and_voids_the_ctq_signatures():
    """R-DOC-5: the plan is in the CTQ: its signatures become void; the FA's stay."""
    from reports.models import Signature

    exchange = ExchangeFactory()
    activity = ActivityFactory(exchange=exchange)
    sign_all(exchange)
    exchange_activity_delete(
        exchange=exchange, actor=representative(exchange.host), activity_id=activity.pk
    )
    assert not Activity.objects.exists()
    live = Signature.objects.filter(voided_at__isnull=True)
    assert sorted(live.values_list("document__kind", flat=True)) == ["FA", "FA"]
    assert AuditEvent.objects.filter(action="exchanges.activity.deleted").count() == 1


def test_an_activity_of_another_exchange_is_refused():
    exchange = ExchangeFactory()
    foreign = ActivityFactory()
    with pytest.raises(ValidationError, match="no longer in the action plan"):
        exchange_activity_delete(
            exchange=exchange, actor=representative(exchange.host), activity_id=foreign.pk
        )
    assert Activity.objects.filter(pk=foreign.pk).exists()


def test_r_exc_2_the_plan_of_a_contracted_exchange_is_frozen():
    exchange = contracted_exchange()
    with pytest.raises(ValidationError, match="frozen"):
        add(exchange, representative(exchange.visitor))


def test_r_exc_4_activities_outside_new_dates_stop_counting_and_block_contracting():
    exchange = ExchangeFactory()
    ActivityFactory(exchange=exchange, date=date(2027, 3, 12))
    exchange.end_date = date(2027, 3, 11)
    totals = plan_totals(exchange)
    assert (totals.outside_dates_count, totals.counted_hours) == (1, Decimal("0"))
    assert any("outside the stay" in r.text for r in plan_blockers(exchange))
