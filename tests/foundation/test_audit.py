import pytest

from cxc_portal.audit.models import AuditEvent
from cxc_portal.audit.selectors import audit_event_list_for
from cxc_portal.audit.services import record
from tests import factories

pytestmark = pytest.mark.django_db


def test_record_stores_actor_action_subject_and_json_data():
    actor = factories.UserFactory()
    org = factories.OrganisationFactory(legal_name="Porto Cluster")
    from datetime import date
    from decimal import Decimal

    event = record(
        actor=actor,
        action="organisations.organisation.validated",
        subject=org,
        data={"reason": "complete", "amount": Decimal("780.00"), "on": date(2026, 11, 21)},
    )
    event.refresh_from_db()
    assert event.actor == actor
    assert event.action == "organisations.organisation.validated"
    assert event.subject == org
    assert event.subject_repr == "Porto Cluster"
    assert event.data == {"reason": "complete", "amount": "780.00", "on": "2026-11-21"}
    assert event.created_at is not None


def test_record_without_actor_is_the_system():
    event = record(actor=None, action="exchanges.exchange.flagged", subject=None)
    assert event.actor is None


def test_action_codes_must_be_dotted():
    with pytest.raises(ValueError, match="dotted"):
        record(actor=None, action="validated")
    assert not AuditEvent.objects.exists()


def test_events_about_one_subject_in_order(django_assert_max_num_queries):
    org = factories.OrganisationFactory()
    other = factories.OrganisationFactory()
    record(actor=None, action="organisations.organisation.submitted", subject=org)
    record(actor=None, action="organisations.organisation.submitted", subject=other)
    record(actor=None, action="organisations.organisation.validated", subject=org)
    with django_assert_max_num_queries(2):  # content type (cached after first use) + events
        actions = [e.action for e in audit_event_list_for(subject=org)]
    assert actions == [
        "organisations.organisation.submitted",
        "organisations.organisation.validated",
    ]
