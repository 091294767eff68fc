"""Joining a profile, answering requests, a representative's own data (R-ELIG-9, R-ELIG-10)."""

from dataclasses import replace
from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from cxc_portal.audit.selectors import audit_event_list_for
from organisations.choices import ProfileStatus as S
from organisations.models import Representative, RepresentativeStatus
from organisations.services_representatives import (
    SignatoryData,
    representative_approve,
    representative_decline,
    representative_request_join,
    representative_update,
)
from tests import factories as f
from tests.organisations.factories import represented, staff_of

pytestmark = pytest.mark.django_db
DATA = SignatoryData(role_title="Sales manager", nationality="PT", date_of_birth=date(1990, 6, 2))


def test_a_join_request_is_pending_and_notifies_the_active_representatives_only(
    django_capture_on_commit_callbacks,
):
    """The partnership's staff are not told: they do not answer while representatives exist."""
    org, rep_user = represented()
    staff_of(org.validating_partnership)
    joiner = f.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        rep = representative_request_join(actor=joiner, organisation=org, signatory=DATA)
    assert rep.status == RepresentativeStatus.PENDING
    assert [m.to for m in mail.outbox] == [[rep_user.email]]
    assert joiner.email in mail.outbox[0].body
    actions = [e.action for e in audit_event_list_for(subject=org)]
    assert actions == ["organisations.representative.join_requested"]


def test_a_join_request_to_a_profile_without_representatives_notifies_staff_but_the_requester(
    django_capture_on_commit_callbacks,
):
    org = f.OrganisationFactory()
    staff = staff_of(org.validating_partnership)
    requester = staff_of(org.validating_partnership)
    with django_capture_on_commit_callbacks(execute=True):
        representative_request_join(actor=requester, organisation=org, signatory=DATA)
    assert [m.to for m in mail.outbox] == [[staff.email]]


def test_joining_is_refused_twice_and_for_drafts():
    org, rep_user = represented()
    joiner = f.UserFactory()
    representative_request_join(actor=joiner, organisation=org, signatory=DATA)
    with pytest.raises(ValidationError, match="already asked"):
        representative_request_join(actor=joiner, organisation=org, signatory=DATA)
    with pytest.raises(ValidationError, match="already represent"):
        representative_request_join(actor=rep_user, organisation=org, signatory=DATA)
    draft, _ = represented(status=S.DRAFT)
    with pytest.raises(PermissionDenied):
        representative_request_join(actor=joiner, organisation=draft, signatory=DATA)


def test_a_representative_approves_and_the_requester_is_told(django_capture_on_commit_callbacks):
    org, rep_user = represented()
    joiner = f.UserFactory()
    rep = representative_request_join(actor=joiner, organisation=org, signatory=DATA)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        representative_approve(actor=rep_user, representative=rep)
    rep.refresh_from_db()
    assert (rep.status, rep.approved_by) == (RepresentativeStatus.ACTIVE, rep_user)
    assert [m.to for m in mail.outbox] == [[joiner.email]]
    with pytest.raises(ValidationError, match="already been answered"):
        representative_decline(actor=rep_user, representative=rep)


def test_staff_decline_where_there_is_no_representative_and_the_requester_asks_again():
    org = f.OrganisationFactory()
    joiner = f.UserFactory()
    rep = representative_request_join(actor=joiner, organisation=org, signatory=DATA)
    representative_decline(actor=staff_of(org.validating_partnership), representative=rep)
    rep.refresh_from_db()
    assert rep.status == RepresentativeStatus.DECLINED
    again = representative_request_join(actor=joiner, organisation=org, signatory=DATA)
    assert again.pk == rep.pk and again.status == RepresentativeStatus.PENDING


def test_outsiders_and_the_requester_may_not_answer():
    org, _ = represented()
    joiner = f.UserFactory()
    rep = representative_request_join(actor=joiner, organisation=org, signatory=DATA)
    for outsider in (joiner, f.UserFactory(), staff_of(f.PartnershipFactory())):
        with pytest.raises(PermissionDenied):
            representative_approve(actor=outsider, representative=rep)
    assert Representative.objects.get(pk=rep.pk).status == RepresentativeStatus.PENDING


def test_staff_may_not_approve_or_decline_their_own_request_to_join():
    """The penetration test's hole: staff asked to join a profile of their partnership, then
    accepted themselves and acted for the organisation. Refused with a message, audited
    nothing; another staff member (not the requester) may approve where there is no
    representative."""
    org = f.OrganisationFactory()
    requester = staff_of(org.validating_partnership)
    rep = representative_request_join(actor=requester, organisation=org, signatory=DATA)
    for service in (representative_approve, representative_decline):
        with pytest.raises(PermissionDenied, match="You made this request yourself"):
            service(actor=requester, representative=rep)
    rep.refresh_from_db()
    assert rep.status == RepresentativeStatus.PENDING
    assert [e.action for e in audit_event_list_for(subject=org)] == [
        "organisations.representative.join_requested"
    ]
    colleague = staff_of(org.validating_partnership)
    representative_approve(actor=colleague, representative=rep)
    rep.refresh_from_db()
    assert (rep.status, rep.approved_by) == (RepresentativeStatus.ACTIVE, colleague)


def test_staff_may_not_answer_where_the_organisation_has_an_active_representative():
    """Its own representatives let people act for an organisation; its partnership's staff
    only stand in when it has none (a deactivated account does not count)."""
    org, rep_user = represented()
    staff = staff_of(org.validating_partnership)
    joiner = f.UserFactory()
    rep = representative_request_join(actor=joiner, organisation=org, signatory=DATA)
    for service in (representative_approve, representative_decline):
        with pytest.raises(PermissionDenied, match="has active representatives"):
            service(actor=staff, representative=rep)
    assert Representative.objects.get(pk=rep.pk).status == RepresentativeStatus.PENDING
    rep_user.is_active = False
    rep_user.save(update_fields=["is_active"])
    representative_approve(actor=staff, representative=rep)
    assert Representative.objects.get(pk=rep.pk).status == RepresentativeStatus.ACTIVE


def test_r_elig_9_a_representative_updates_their_own_data_with_the_residence_rule():
    org, user = represented()
    rep = org.representatives.get()
    with pytest.raises(ValidationError) as exc:
        representative_update(
            actor=user, representative=rep, signatory=replace(DATA, nationality="US")
        )
    assert "R-ELIG-9" in exc.value.message_dict["residence_permit_since"][0]
    representative_update(
        actor=user,
        representative=rep,
        signatory=replace(DATA, nationality="US", residence_permit_since=date(2024, 1, 1)),
    )
    rep.refresh_from_db()
    assert (str(rep.nationality), rep.residence_permit_since) == ("US", date(2024, 1, 1))
    with pytest.raises(PermissionDenied):
        representative_update(actor=f.UserFactory(), representative=rep, signatory=DATA)
