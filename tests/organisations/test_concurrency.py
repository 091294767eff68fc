"""Concurrent decisions on PostgreSQL: the row lock lets exactly one request win."""

import pytest
from django.core.exceptions import ValidationError

from cxc_portal.audit.models import AuditEvent
from organisations.choices import ProfileStatus as S
from organisations.models import Organisation
from organisations.services import (
    ProfileData,
    organisation_create,
    organisation_reject,
    organisation_submit,
    organisation_validate,
)
from organisations.services_representatives import SignatoryData
from tests import factories as f
from tests.concurrency import run_together
from tests.organisations.factories import draft_sme, staff_of

# The flush after each test keeps the reference data (countries, cities): tests/reference_data.py.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def test_r_elig_5_two_staff_deciding_at_once_make_exactly_one_decision():
    org, _ = draft_sme(status=S.SUBMITTED)
    alice = staff_of(org.validating_partnership)
    bob = staff_of(org.validating_partnership)
    results = run_together(
        lambda: organisation_validate(actor=alice, organisation=org),
        lambda: organisation_reject(actor=bob, organisation=org, reason="Incomplete"),
    )
    wins = [r for r in results if isinstance(r, Organisation)]
    losses = [r for r in results if isinstance(r, ValidationError)]
    assert len(wins) == 1 and len(losses) == 1, results
    assert "not waiting for a decision" in losses[0].messages[0]
    org.refresh_from_db()
    assert org.status == wins[0].status
    decisions = AuditEvent.objects.filter(
        action__in=["organisations.organisation.validated", "organisations.organisation.rejected"]
    )
    assert decisions.count() == 1


def test_a_double_submit_submits_once():
    org, user = draft_sme()
    results = run_together(
        lambda: organisation_submit(actor=user, organisation=org),
        lambda: organisation_submit(actor=user, organisation=org),
    )
    assert sorted(type(r).__name__ for r in results) == ["Organisation", "ValidationError"], results
    assert AuditEvent.objects.filter(action="organisations.organisation.submitted").count() == 1


def test_a_double_clicked_create_makes_one_profile():
    user = f.UserFactory()
    profile = ProfileData(
        legal_name="Gent Greenhouse Sensors BV",
        org_type="sme",
        size="small",
        country="BE",
        city_name="Gent",
        description="Sensors for greenhouses.",
    )
    signatory = SignatoryData(role_title="CEO", nationality="BE", declares_adult=True)
    results = run_together(
        lambda: organisation_create(actor=user, profile=profile, signatory=signatory),
        lambda: organisation_create(actor=user, profile=profile, signatory=signatory),
    )
    assert sorted(type(r).__name__ for r in results) == ["Organisation", "ValidationError"], results
    assert Organisation.objects.filter(legal_name="Gent Greenhouse Sensors BV").count() == 1
