"""Encoding an exchange (R-EXC-6) and its guards: R-EXC-1, R-EXC-3, R-EXC-8, R-ELIG-*, R-ELIG-11."""

import importlib
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cxc_portal.audit.models import AuditEvent
from cxc_portal.notifications.models import Notification
from exchanges.models import Exchange, ExchangeMode, ExchangeStatus
from exchanges.services import exchange_cancel, exchange_create
from organisations.choices import OrganisationType, ProfileStatus
from partnerships.models import Match, MatchStatus
from tests.exchanges.factories import TODAY, approver, representative
from tests.factories import (
    ExchangeFactory,
    ExchangeGroupFactory,
    ExpressionOfInterestFactory,
    OrganisationFactory,
    PartnershipFactory,
    PartnershipStaffFactory,
)

pytestmark = pytest.mark.django_db

START, END = date(2027, 3, 8), date(2027, 3, 12)


@pytest.fixture
def world():
    visitor = OrganisationFactory(country="BE")
    host = OrganisationFactory(
        country="PT", city_name="Porto", latitude=Decimal("41.1"), longitude=Decimal("-8.6")
    )
    return {
        "visitor": visitor,
        "host": host,
        "vop": visitor.validating_partnership,
        "hop": host.validating_partnership,
        "actor": approver(visitor.validating_partnership),
    }


def create(world, **overrides):
    kwargs = {
        "actor": world["actor"],
        "visitor": world["visitor"],
        "host": world["host"],
        "vop": world["vop"],
        "hop": world["hop"],
        "start_date": START,
        "end_date": END,
        "objectives": "Learn open innovation.",
        "today": TODAY,
        **overrides,
    }
    return exchange_create(**kwargs)


def messages_of(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


def test_r_exc_6_staff_of_the_vop_encode_a_draft_with_a_reference_audit_and_notices(world):
    rep = representative(world["visitor"])
    hop_staff = approver(world["hop"])
    exchange = create(world)
    assert exchange.status == ExchangeStatus.DRAFT
    assert re.fullmatch(r"CXC-\d{4}-\d{6}", exchange.reference)
    assert exchange.reference.endswith(f"{exchange.pk:06d}")
    assert exchange.created_by == world["actor"]
    event = AuditEvent.objects.get(action="exchanges.exchange.created")
    assert event.subject_id == str(exchange.pk)
    assert event.actor == world["actor"]
    recipients = set(
        Notification.objects.filter(kind="exchanges.exchange.created").values_list(
            "to_email", flat=True
        )
    )
    # The parties' representatives and the other approvers; not the actor.
    assert recipients == {rep.email, hop_staff.email}


def test_r_exc_6_staff_of_the_hop_may_encode_too(world):
    world["actor"] = approver(world["hop"])
    assert create(world).pk


def test_r_exc_6_staff_without_can_approve_exchanges_cannot_encode(world):
    world["actor"] = approver(world["vop"], can_approve=False)
    with pytest.raises(PermissionDenied):
        create(world)
    assert not Exchange.objects.exists()


def test_r_exc_6_staff_of_another_partnership_cannot_encode(world):
    world["actor"] = approver(PartnershipFactory())
    with pytest.raises(PermissionDenied, match="R-EXC-6"):
        create(world)


def test_r_exc_6_an_applicant_cannot_encode(world):
    world["actor"] = representative(world["visitor"])
    with pytest.raises(PermissionDenied):
        create(world)


def test_r_exc_1_host_in_the_visitors_country_is_refused(world):
    world["host"] = OrganisationFactory(country="BE")
    with pytest.raises(ValidationError) as error:
        create(world)
    assert messages_of(error.value)["host"] == [
        "An exchange is a stay in another country: the host is in Belgium, like the visitor."
    ]
    assert not Exchange.objects.exists()


def test_r_elig_5_an_unvalidated_visitor_is_refused_with_the_engines_reason(world):
    world["visitor"] = OrganisationFactory(country="BE", status=ProfileStatus.SUBMITTED)
    with pytest.raises(ValidationError) as error:
        create(world)
    (message,) = messages_of(error.value)["visitor"]
    assert message.startswith(f"{world['visitor']} cannot visit:")
    assert "validated" in message


def test_r_elig_3_a_host_not_allowed_to_host_is_refused(world):
    # A large company that is no cluster member may not host (R-ELIG-3, R-ELIG-4).
    world["host"] = OrganisationFactory(
        country="PT", org_type=OrganisationType.LARGE_COMPANY, size="large"
    )
    with pytest.raises(ValidationError) as error:
        create(world)
    assert messages_of(error.value)["host"][0].startswith(f"{world['host']} cannot host:")


def test_r_elig_11_a_second_visit_is_refused_and_nothing_is_saved(world):
    create(world)
    other_host = OrganisationFactory(country="FR")
    world["actor"] = approver(world["vop"])
    with pytest.raises(ValidationError) as error:
        create(world, host=other_host, hop=other_host.validating_partnership)
    (message,) = messages_of(error.value)["visitor"]
    assert "already used its single visit" in message
    assert Exchange.objects.count() == 1


def test_r_elig_11_a_cancelled_exchange_frees_the_visit(world):
    first = create(world)
    exchange_cancel(exchange=first, actor=world["actor"], reason="Visitor fell ill.")
    second = create(world)
    assert second.pk != first.pk
    assert second.status == ExchangeStatus.DRAFT


def test_r_elig_11_the_database_constraint_holds_without_the_service():
    # The partial unique constraint is the last line (two concurrent requests).
    from django.db import IntegrityError, transaction

    first = ExchangeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ExchangeFactory(visitor=first.visitor)


def test_r_elig_11_hosting_many_times_at_once_is_allowed(world):
    create(world)
    world2 = dict(world, visitor=OrganisationFactory(country="DE"))
    world2["vop"] = world2["visitor"].validating_partnership
    world2["actor"] = approver(world["hop"])
    assert create(world2).host == world["host"]


@pytest.mark.parametrize(
    ("start", "end", "field", "fragment"),
    [
        (date(2027, 3, 12), date(2027, 3, 8), "end_date", "cannot be before its first day"),
        (date(2027, 3, 8), date(2027, 4, 9), "end_date", "at most one month"),
        (date(2027, 3, 8), date(2027, 3, 9), "end_date", "has 2 in Portugal"),
        (date(2027, 1, 11), date(2027, 1, 15), "start_date", "cannot start in the past"),
    ],
)
def test_r_exc_3_bad_dates_are_refused_on_their_field(world, start, end, field, fragment):
    with pytest.raises(ValidationError) as error:
        create(world, start_date=start, end_date=end)
    assert any(fragment in m for m in messages_of(error.value)[field])
    assert not Exchange.objects.exists()


def test_r_exc_8_virtual_exchange_allowed_when_switched_on(world, settings):
    settings.CXC_VIRTUAL_EXCHANGES_ENABLED = True
    assert create(world, mode=ExchangeMode.VIRTUAL).is_virtual


def test_r_exc_8_virtual_mode_refused_when_switched_off(world, settings):
    settings.CXC_VIRTUAL_EXCHANGES_ENABLED = False
    with pytest.raises(ValidationError) as error:
        create(world, mode=ExchangeMode.VIRTUAL)
    assert messages_of(error.value)["mode"] == [
        "Virtual exchanges are currently switched off by the Support Office."
    ]


def test_r_exc_8_virtual_exchanges_follow_the_same_duration_rules(world):
    with pytest.raises(ValidationError):
        create(world, mode=ExchangeMode.VIRTUAL, end_date=date(2027, 3, 9))


def test_all_refusals_are_reported_at_once(world):
    world["host"] = OrganisationFactory(country="BE", validating_partnership=world["hop"])
    with pytest.raises(ValidationError) as error:
        create(world, end_date=date(2027, 3, 7))
    assert set(messages_of(error.value)) == {"host", "end_date"}


# --- from an accepted match -------------------------------------------------------------------


def _match(world, status=MatchStatus.ACCEPTED):
    interest = ExpressionOfInterestFactory(organisation=world["visitor"], partnership=world["vop"])
    return Match.objects.create(
        visitor=world["visitor"],
        host=world["host"],
        visitor_interest=interest,
        vop=world["vop"],
        hop=world["hop"],
        score=70,
        proposed_by_role="visitor",
        status=status,
    )


def test_r_exc_6_encoding_from_an_accepted_match_links_it(world):
    match = _match(world)
    exchange = create(world, match=match)
    assert exchange.match == match


def test_r_exc_6_encoding_marks_the_match_encoded_and_a_cancel_keeps_it(world):
    """R-EXC-6: ``exchange_create`` marks its match encoded (the staff queue of matches to
    encode reads the flag, issue 12); cancelling the exchange keeps it so — the match stays
    used, as the "encoded once" refusal says."""
    match = _match(world)
    assert match.encoded is False
    exchange = create(world, match=match)
    match.refresh_from_db()
    assert match.encoded is True
    exchange_cancel(exchange=exchange, actor=world["actor"], reason="Wrong dates")
    match.refresh_from_db()
    assert match.encoded is True


def test_r_exc_6_the_data_migration_marks_the_matches_already_encoded(world):
    """R-EXC-6: migration exchanges 0100 sets ``encoded`` on every match an exchange was
    encoded from before the flag existed, and on no other."""
    from django.apps import apps

    migration = importlib.import_module("exchanges.migrations.0009_speed3_match_encoded")
    used = _match(world)
    other_host = OrganisationFactory(country="FR")
    waiting = Match.objects.create(
        visitor=world["visitor"],
        host=other_host,
        visitor_interest=used.visitor_interest,
        vop=world["vop"],
        hop=other_host.validating_partnership,
        score=60,
        proposed_by_role="visitor",
        status=MatchStatus.ACCEPTED,
    )
    create(world, match=used)
    Match.objects.update(encoded=False)  # as before the flag
    migration.mark_encoded(apps, None)
    assert set(Match.objects.filter(encoded=True)) == {used}
    assert Match.objects.get(pk=waiting.pk).encoded is False


def test_r_exc_6_a_refused_encoding_leaves_the_match_to_encode(world):
    """R-EXC-6: an encoding refused (here R-EXC-3, a stay too short) saves nothing: the match
    still waits to be encoded."""
    match = _match(world)
    with pytest.raises(ValidationError):
        create(world, match=match, end_date=START)
    match.refresh_from_db()
    assert match.encoded is False
    assert not Exchange.objects.filter(match=match).exists()


def test_r_match_2_a_proposed_match_cannot_become_an_exchange(world):
    match = _match(world, status=MatchStatus.PROPOSED)
    with pytest.raises(ValidationError, match="Only an accepted match"):
        create(world, match=match)


def test_r_exc_6_a_match_is_encoded_once(world):
    match = _match(world)
    first = create(world, match=match)
    exchange_cancel(exchange=first, actor=world["actor"], reason="Wrong dates")
    with pytest.raises(ValidationError, match="already been encoded from this match"):
        create(world, match=match)


def test_r_exc_6_an_exchange_from_a_match_keeps_its_parties(world):
    match = _match(world)
    with pytest.raises(ValidationError, match="keeps the match's parties"):
        create(world, match=match, host=OrganisationFactory(country="FR"))


# --- into a group -------------------------------------------------------------------------------


def test_r_exc_7_a_draft_created_in_a_group_joins_it(world):
    group = ExchangeGroupFactory(host=world["host"], vop=world["vop"], hop=world["hop"])
    exchange = create(world, group=group)
    assert exchange.group == group
    assert AuditEvent.objects.filter(action="exchanges.group.exchange_added").count() == 1


def test_r_exc_7_a_draft_created_in_a_group_needs_its_host_side(world):
    group = ExchangeGroupFactory(vop=world["vop"])  # another host
    with pytest.raises(ValidationError) as error:
        create(world, group=group)
    assert "one host side" in messages_of(error.value)["host"][0]
    assert not Exchange.objects.exists()


# --- the partnerships in charge (R-KPI-1) --------------------------------------------------------


def test_r_kpi_1_the_vop_must_be_in_charge_of_the_visitor(world):
    stranger = PartnershipFactory()
    PartnershipStaffFactory(partnership=stranger, user=world["actor"])
    with pytest.raises(ValidationError) as error:
        create(world, vop=stranger)
    assert messages_of(error.value) == {
        "vop": [
            f"{stranger.acronym} is not in charge of {world['visitor']}: the VOP must have "
            "accepted its expression of interest as visitor or validated its profile."
        ]
    }
    assert not Exchange.objects.exists()


def test_r_kpi_1_the_hop_must_be_in_charge_of_the_host(world):
    stranger = PartnershipFactory()
    with pytest.raises(ValidationError) as error:
        create(world, hop=stranger)
    assert list(messages_of(error.value)) == ["hop"]
    assert "the HOP must have accepted" in messages_of(error.value)["hop"][0]


def test_r_kpi_1_a_partnership_that_accepted_the_visitors_interest_may_be_its_vop(world):
    other = PartnershipFactory()
    PartnershipStaffFactory(partnership=other, user=world["actor"])
    ExpressionOfInterestFactory(organisation=world["visitor"], partnership=other, role="visitor")
    exchange = create(world, vop=other)
    assert exchange.vop == other


def test_r_kpi_1_an_interest_for_the_other_role_or_not_accepted_does_not_count(world):
    other = PartnershipFactory()
    PartnershipStaffFactory(partnership=other, user=world["actor"])
    ExpressionOfInterestFactory(organisation=world["visitor"], partnership=other, role="host")
    ExpressionOfInterestFactory(
        organisation=world["visitor"], partnership=other, role="visitor", status="submitted"
    )
    with pytest.raises(ValidationError) as error:
        create(world, vop=other)
    assert list(messages_of(error.value)) == ["vop"]
