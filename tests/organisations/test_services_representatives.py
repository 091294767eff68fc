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


def test_a_join_request_is_pending_and_notifies_representatives_and_staff(
    django_capture_on_commit_callbacks,
):
    org, rep_user = represented()
    staff = staff_of(org.validating_partnership)
    joiner = f.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        rep = representative_request_join(actor=joiner, organisation=org, signatory=DATA)
    assert rep.status == RepresentativeStatus.PENDING
    assert sorted(m.to[0] for m in mail.outbox) == sorted([rep_user.email, staff.email])
    assert joiner.email in mail.outbox[0].body
    actions = [e.action for e in audit_event_list_for(subject=org)]
    assert actions == ["organisations.representative.join_requested"]


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


def test_staff_of_the_partnership_may_decline_and_the_requester_may_ask_again():
    org, _ = represented()
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
