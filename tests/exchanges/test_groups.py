"""R-EXC-7: groups ("missions") — one host side, drafts join and leave at different times, bulk
actions on drafts only."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cxc_portal.audit.models import AuditEvent
from exchanges.models import Exchange, ExchangeStatus
from exchanges.services import (
    group_add_exchange,
    group_bulk,
    group_create,
    group_remove_exchange,
    group_update,
)
from organisations.choices import ProfileStatus
from tests.exchanges.factories import TODAY, approver, contracted_exchange, representative
from tests.factories import ExchangeFactory, OrganisationFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mission():
    host = OrganisationFactory(country="PT")
    vop = PartnershipFactory()
    hop = host.validating_partnership
    actor = approver(hop)
    group = group_create(
        actor=actor,
        name="Porto textile mission",
        host=host,
        vop=vop,
        hop=hop,
        start_date=date(2027, 3, 8),
        end_date=date(2027, 3, 12),
        plan_notes="Common programme",
        today=TODAY,
    )
    return group, actor


def draft_for(mission_group, *, joined=False, **kwargs):
    """A draft on the group's host side; ``joined`` puts it in the group already."""
    if joined:
        kwargs["group"] = mission_group
    return ExchangeFactory(host=mission_group.host, hop=mission_group.hop, **kwargs)


def test_r_exc_7_staff_create_a_group_audited(mission):
    group, actor = mission
    assert group.created_by == actor
    assert AuditEvent.objects.filter(action="exchanges.group.created").count() == 1


def test_r_exc_7_group_creation_refusals():
    host = OrganisationFactory(country="PT")
    actor = approver(host.validating_partnership)
    with pytest.raises(PermissionDenied):
        group_create(
            actor=representative(host),
            name="x",
            host=host,
            vop=PartnershipFactory(),
            hop=host.validating_partnership,
            today=TODAY,
        )
    with pytest.raises(ValidationError) as error:
        group_create(
            actor=actor,
            name=" ",
            host=host,
            vop=PartnershipFactory(),
            hop=host.validating_partnership,
            start_date=date(2027, 3, 8),
            end_date=None,
            today=TODAY,
        )
    assert set(error.value.message_dict) == {"name", "end_date"}
    host.status = ProfileStatus.SUBMITTED
    host.save(update_fields=["status"])
    with pytest.raises(ValidationError) as error:
        group_create(
            actor=actor,
            name="x",
            host=host,
            vop=PartnershipFactory(),
            hop=host.validating_partnership,
            today=TODAY,
        )
    assert "cannot host" in error.value.message_dict["host"][0]


def test_r_exc_7_the_same_group_sent_twice_is_created_once(mission):
    """A double submit: the identical group (name, host, partnerships, dates) is refused next
    to the name; the same name for other dates is another mission."""
    group, actor = mission
    same = {
        "actor": actor,
        "name": " porto TEXTILE mission",
        "host": group.host,
        "vop": group.vop,
        "hop": group.hop,
        "start_date": date(2027, 3, 8),
        "end_date": date(2027, 3, 12),
        "today": TODAY,
    }
    with pytest.raises(ValidationError) as error:
        group_create(**same)
    assert "already exists" in error.value.message_dict["name"][0]
    assert AuditEvent.objects.filter(action="exchanges.group.created").count() == 1
    later = group_create(**{**same, "start_date": date(2027, 4, 5), "end_date": date(2027, 4, 9)})
    assert later.pk != group.pk


def test_r_exc_3_shared_dates_follow_the_duration_rule(mission):
    group, actor = mission
    with pytest.raises(ValidationError) as error:
        group_update(
            group=group,
            actor=actor,
            name=group.name,
            start_date=date(2027, 6, 8),
            end_date=date(2027, 6, 10),  # Day of Portugal on the 10th
            plan_notes="",
            today=TODAY,
        )
    assert "has 2 in Portugal" in error.value.message_dict["end_date"][0]


def test_r_exc_7_drafts_of_different_visitors_join_at_different_times(mission):
    group, actor = mission
    first = draft_for(group)
    group_add_exchange(group=group, exchange=first, actor=actor)
    second = draft_for(group, visitor=OrganisationFactory(country="DE"))
    group_add_exchange(group=group, exchange=second, actor=actor)
    assert set(group.exchanges.all()) == {first, second}
    assert AuditEvent.objects.filter(action="exchanges.exchange.group_joined").count() == 2
    assert AuditEvent.objects.filter(action="exchanges.group.exchange_added").count() == 2


def test_r_exc_7_a_contracted_exchange_cannot_join(mission):
    group, actor = mission
    exchange = contracted_exchange(host=group.host, hop=group.hop)
    with pytest.raises(ValidationError) as error:
        group_add_exchange(group=group, exchange=exchange, actor=actor)
    assert error.value.message_dict["exchange"] == [
        f"Only draft exchanges can join or leave a group: {exchange.reference} is contracted."
    ]
    exchange.refresh_from_db()
    assert exchange.group_id is None


def test_r_exc_7_another_host_side_cannot_join(mission):
    group, actor = mission
    exchange = ExchangeFactory(hop=group.hop)  # another host
    with pytest.raises(ValidationError, match="one host side"):
        group_add_exchange(group=group, exchange=exchange, actor=actor)


def test_r_exc_7_one_group_at_a_time(mission):
    group, actor = mission
    other = group_create(
        actor=actor, name="Other", host=group.host, vop=group.vop, hop=group.hop, today=TODAY
    )
    exchange = draft_for(group)
    group_add_exchange(group=group, exchange=exchange, actor=actor)
    with pytest.raises(ValidationError, match="already belongs to another group"):
        group_add_exchange(group=other, exchange=exchange, actor=actor)
    with pytest.raises(ValidationError, match="already in this group"):
        group_add_exchange(group=group, exchange=exchange, actor=actor)


def test_r_exc_7_only_group_staff_manage_membership(mission):
    group, _actor = mission
    exchange = draft_for(group)
    for outsider in (representative(group.host), approver(PartnershipFactory())):
        with pytest.raises(PermissionDenied):
            group_add_exchange(group=group, exchange=exchange, actor=outsider)


def test_r_exc_7_a_draft_leaves_a_group_a_contracted_one_stays(mission):
    group, actor = mission
    exchange = draft_for(group, joined=True)
    group_remove_exchange(group=group, exchange=exchange, actor=actor)
    exchange.refresh_from_db()
    assert exchange.group_id is None
    frozen = contracted_exchange(host=group.host, hop=group.hop, group=group)
    with pytest.raises(ValidationError, match="Only draft exchanges"):
        group_remove_exchange(group=group, exchange=frozen, actor=actor)


def test_r_exc_7_bulk_apply_dates_to_drafts(mission):
    group, actor = mission
    a = draft_for(group, joined=True, start_date=date(2027, 3, 15), end_date=date(2027, 3, 19))
    b = draft_for(
        group,
        group=group,
        visitor=OrganisationFactory(country="DE"),
        start_date=date(2027, 3, 22),
        end_date=date(2027, 3, 26),
    )
    count = group_bulk(
        group=group, actor=actor, action="apply_dates", exchanges=[a, b], today=TODAY
    )
    assert count == 2
    for exchange in (a, b):
        exchange.refresh_from_db()
        assert (exchange.start_date, exchange.end_date) == (date(2027, 3, 8), date(2027, 3, 12))
    assert AuditEvent.objects.filter(action="exchanges.group.bulk_applied").count() == 1


def test_r_exc_7_bulk_actions_apply_to_drafts_only_all_or_nothing(mission):
    group, actor = mission
    draft = draft_for(group, joined=True)
    frozen = contracted_exchange(
        host=group.host, hop=group.hop, group=group, visitor=OrganisationFactory(country="DE")
    )
    with pytest.raises(ValidationError) as error:
        group_bulk(group=group, actor=actor, action="cancel", exchanges=[draft, frozen], reason="x")
    assert error.value.message_dict["exchanges"] == [
        f"Bulk actions apply to drafts only (R-EXC-7); not drafts: {frozen.reference}."
    ]
    draft.refresh_from_db()
    assert draft.status == ExchangeStatus.DRAFT


def test_r_exc_7_bulk_cancel_needs_a_reason_then_cancels(mission):
    group, actor = mission
    a = draft_for(group, joined=True)
    with pytest.raises(ValidationError, match="Say why"):
        group_bulk(group=group, actor=actor, action="cancel", exchanges=[a])
    group_bulk(group=group, actor=actor, action="cancel", exchanges=[a], reason="Mission moved")
    a.refresh_from_db()
    assert a.status == ExchangeStatus.CANCELLED


def test_r_exc_7_bulk_remove_and_one_failure_rolls_back_the_others(mission):
    group, actor = mission
    a = draft_for(group, joined=True)
    b = draft_for(group, joined=True, visitor=OrganisationFactory(country="DE"))
    group_bulk(group=group, actor=actor, action="remove", exchanges=[a, b])
    assert not Exchange.objects.filter(group=group).exists()
    # An exchange of another group is refused, nothing happens to the rest.
    c = draft_for(group, joined=True, visitor=OrganisationFactory(country="FR"))
    with pytest.raises(ValidationError, match="Not in this group"):
        group_bulk(group=group, actor=actor, action="remove", exchanges=[c, a])
    c.refresh_from_db()
    assert c.group_id == group.pk


def test_r_exc_7_bulk_apply_dates_needs_shared_dates(mission):
    group, actor = mission
    group_update(
        group=group, actor=actor, name=group.name, start_date=None, end_date=None, plan_notes=""
    )
    a = draft_for(group, joined=True)
    with pytest.raises(ValidationError, match="no shared dates"):
        group_bulk(group=group, actor=actor, action="apply_dates", exchanges=[a])
