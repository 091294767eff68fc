"""Editing a draft (R-EXC-2): who may change what, re-checked rules, signatures withdrawn."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cxc_portal.audit.models import AuditEvent
from exchanges.models import Exchange, ExchangeMode
from exchanges.services import exchange_update
from tests.exchanges.factories import (
    TODAY,
    approver,
    contracted_exchange,
    link_to_accepted_match,
    representative,
    sign_all,
    support_office_user,
)
from tests.factories import ExchangeFactory, ExchangeGroupFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_r_exc_2_a_party_changes_the_dates_and_objectives_of_a_draft():
    exchange = ExchangeFactory()
    rep = representative(exchange.host)
    updated = exchange_update(
        exchange=exchange,
        actor=rep,
        start_date=date(2027, 3, 15),
        end_date=date(2027, 3, 19),
        objectives="New goals",
        today=TODAY,
    )
    assert (updated.start_date, updated.end_date, updated.objectives) == (
        date(2027, 3, 15),
        date(2027, 3, 19),
        "New goals",
    )
    event = AuditEvent.objects.get(action="exchanges.exchange.updated")
    assert event.data["changes"]["start_date"] == ["2027-03-08", "2027-03-15"]


def test_r_exc_2_staff_without_approval_flag_edit_dates_but_not_the_mode():
    exchange = ExchangeFactory()
    staff = approver(exchange.vop, can_approve=False)
    exchange_update(exchange=exchange, actor=staff, objectives="x", today=TODAY)
    with pytest.raises(PermissionDenied):
        exchange_update(exchange=exchange, actor=staff, mode=ExchangeMode.VIRTUAL, today=TODAY)


def test_r_exc_6_only_steering_staff_change_the_mode_or_the_parties():
    exchange = ExchangeFactory()
    rep = representative(exchange.visitor)
    with pytest.raises(PermissionDenied):
        exchange_update(exchange=exchange, actor=rep, mode=ExchangeMode.VIRTUAL, today=TODAY)
    with pytest.raises(PermissionDenied):
        exchange_update(
            exchange=exchange, actor=rep, host=OrganisationFactory(country="FR"), today=TODAY
        )
    staff = approver(exchange.vop)
    exchange_update(exchange=exchange, actor=staff, mode=ExchangeMode.VIRTUAL, today=TODAY)
    exchange.refresh_from_db()
    assert exchange.mode == ExchangeMode.VIRTUAL


def test_outsiders_and_the_support_office_cannot_edit():
    exchange = ExchangeFactory()
    for outsider in (representative(OrganisationFactory()), support_office_user()):
        with pytest.raises(PermissionDenied):
            exchange_update(exchange=exchange, actor=outsider, objectives="x", today=TODAY)


def test_r_exc_2_r_doc_8_a_contracted_exchange_is_frozen_but_for_an_amendment():
    exchange = contracted_exchange()
    staff = approver(exchange.vop)
    with pytest.raises(ValidationError) as error:
        exchange_update(exchange=exchange, actor=staff, objectives="x", today=TODAY)
    assert error.value.messages == [
        "This exchange is contracted: its dates and action plan are frozen; they change only "
        "through an amendment opened by the staff of the visitor's partnership (VOP)."
    ]


def test_r_exc_1_changing_the_host_to_the_visitors_country_is_refused_nothing_saved():
    exchange = ExchangeFactory()
    staff = approver(exchange.vop)
    belgian = OrganisationFactory(country="BE")
    with pytest.raises(ValidationError) as error:
        exchange_update(exchange=exchange, actor=staff, host=belgian, today=TODAY)
    assert "another country" in error.value.message_dict["host"][0]
    exchange.refresh_from_db()
    assert exchange.host.country.code == "PT"


def test_r_exc_3_new_dates_are_checked_on_the_new_hosts_calendar():
    exchange = ExchangeFactory(start_date=date(2027, 3, 29), end_date=date(2027, 3, 31))
    staff = approver(exchange.vop)
    german = OrganisationFactory(country="DE")
    # Easter Monday is a holiday in Germany: 29–31 March has only 2 working days there.
    with pytest.raises(ValidationError) as error:
        exchange_update(exchange=exchange, actor=staff, host=german, today=TODAY)
    assert "has 2 in Germany" in error.value.message_dict["end_date"][0]


def test_r_exc_3_a_stay_over_a_month_is_refused_on_edit():
    exchange = ExchangeFactory()
    with pytest.raises(ValidationError) as error:
        exchange_update(
            exchange=exchange,
            actor=representative(exchange.visitor),
            end_date=date(2027, 4, 8),
            today=TODAY,
        )
    assert "at most one month" in error.value.message_dict["end_date"][0]
    exchange.refresh_from_db()
    assert exchange.end_date == date(2027, 3, 12)


def test_r_elig_11_changing_the_visitor_to_one_that_already_visits_is_refused():
    taken = ExchangeFactory().visitor
    exchange = ExchangeFactory()
    staff = approver(exchange.vop)
    with pytest.raises(ValidationError) as error:
        exchange_update(exchange=exchange, actor=staff, visitor=taken, today=TODAY)
    assert "single visit" in error.value.message_dict["visitor"][0]


def test_r_elig_11_the_visitor_of_the_exchange_itself_is_not_counted_against_it():
    exchange = ExchangeFactory()
    staff = approver(exchange.vop)
    # Changing the host re-checks both parties; the visitor's own exchange does not count.
    new_host = OrganisationFactory(country="FR", validating_partnership=exchange.hop)
    exchange_update(exchange=exchange, actor=staff, host=new_host, today=TODAY)


def test_r_exc_6_staff_must_stay_staff_of_the_new_vop_or_hop():
    exchange = ExchangeFactory()
    staff = approver(exchange.vop)
    other = OrganisationFactory(country="FR")
    with pytest.raises(ValidationError) as error:
        exchange_update(
            exchange=exchange,
            actor=staff,
            vop=other.validating_partnership,
            hop=other.validating_partnership,
            today=TODAY,
        )
    assert any("remain staff" in m for m in error.value.message_dict["vop"])


def test_r_exc_7_a_grouped_exchange_keeps_the_groups_host_side():
    exchange = ExchangeFactory()
    group = ExchangeGroupFactory(host=exchange.host, hop=exchange.hop, vop=exchange.vop)
    Exchange.objects.filter(pk=exchange.pk).update(group=group)
    staff = approver(exchange.vop)
    with pytest.raises(ValidationError, match="remove it from the group first"):
        exchange_update(
            exchange=exchange, actor=staff, host=OrganisationFactory(country="FR"), today=TODAY
        )


def test_r_doc_5_a_change_voids_the_signatures_of_the_changed_document():
    """R-DOC-5: the objectives are in the CTQ, not in the FA: the CTQ gets version 2 and its
    four signatures become void (audited); the FA and its two signatures stay."""
    from reports.models import Signature

    exchange = ExchangeFactory()
    sign_all(exchange)
    exchange_update(
        exchange=exchange, actor=approver(exchange.vop), objectives="Changed", today=TODAY
    )
    live = Signature.objects.filter(document__exchange=exchange, voided_at__isnull=True)
    assert sorted(live.values_list("document__kind", "party")) == [("FA", "vo"), ("FA", "vop")]
    assert exchange.documents.filter(kind="CTQ", version=2).exists()
    event = AuditEvent.objects.get(action="reports.signature.voided")
    assert len(event.data["signatures"]) == 4


def test_an_edit_that_changes_nothing_records_nothing():
    from reports.models import Signature

    exchange = ExchangeFactory()
    sign_all(exchange)
    before = AuditEvent.objects.count()
    exchange_update(
        exchange=exchange,
        actor=approver(exchange.vop),
        objectives=exchange.objectives,
        start_date=exchange.start_date,
        today=TODAY,
    )
    assert AuditEvent.objects.count() == before
    assert Signature.objects.filter(voided_at__isnull=True).count() == 6


def test_r_exc_6_an_exchange_from_a_match_keeps_the_matchs_parties():
    exchange = link_to_accepted_match(ExchangeFactory())
    staff = approver(exchange.vop)
    new_host = OrganisationFactory(country="FR", validating_partnership=exchange.hop)
    with pytest.raises(ValidationError) as error:
        exchange_update(exchange=exchange, actor=staff, host=new_host, today=TODAY)
    assert error.value.message_dict == {
        "host": ["An exchange encoded from a match keeps the match's parties and partnerships."]
    }
    exchange.refresh_from_db()
    assert exchange.host_id == exchange.match.host_id
    assert not AuditEvent.objects.filter(action="exchanges.exchange.updated").exists()
    # Its dates and objectives stay editable.
    exchange_update(exchange=exchange, actor=staff, objectives="Sharper goals", today=TODAY)
    exchange.refresh_from_db()
    assert exchange.objectives == "Sharper goals"
