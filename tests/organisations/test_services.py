"""Profile services: create, update, submit, validate, reject, EASME — allowed and refused."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cxc_portal.audit.selectors import audit_event_list_for
from organisations.choices import OrganisationSize as Size
from organisations.choices import OrganisationType as T
from organisations.choices import ProfileStatus as S
from organisations.models import ClusterMembership, Organisation, Representative
from organisations.services import (
    ProfileData,
    easme_pre_approval_record,
    organisation_create,
    organisation_reject,
    organisation_submit,
    organisation_update,
    organisation_validate,
)
from organisations.services_representatives import SignatoryData
from tests import factories as f
from tests.organisations.factories import draft_sme, gazetteer_city, staff_of

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
SIGNATORY = SignatoryData(role_title="CEO", nationality="BE", date_of_birth=date(1980, 4, 2))


def profile(**overrides) -> ProfileData:
    values = {
        "legal_name": "Gent Greenhouse Sensors BV",
        "org_type": T.SME,
        "size": Size.SMALL,
        "country": "BE",
        "city_name": "Gent",
        "description": "Sensors for greenhouses.",
        "keywords": ["IoT ", "iot", "Horticulture"],
    }
    values.update(overrides)
    return ProfileData(**values)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# --- create --------------------------------------------------------------------------------------


def test_create_makes_a_draft_with_the_creator_as_active_representative():
    user = f.UserFactory()
    cluster = f.OrganisationFactory()
    org = organisation_create(
        actor=user, profile=profile(clusters=[cluster]), signatory=SIGNATORY, today=TODAY
    )
    assert org.status == S.DRAFT and org.created_by == user
    gent = gazetteer_city("BE", "Gent")
    assert (org.city, org.latitude, org.longitude) == (gent, gent.latitude, gent.longitude)
    assert org.keywords == ["horticulture", "iot"]
    assert list(org.memberships.values_list("cluster", flat=True)) == [cluster.pk]
    rep = Representative.objects.get(organisation=org)
    assert (rep.user, rep.status, rep.date_of_birth) == (user, "active", date(1980, 4, 2))
    assert [e.action for e in audit_event_list_for(subject=org)] == [
        "organisations.organisation.created"
    ]


def test_create_twice_under_the_same_name_is_refused_for_the_same_user_only():
    user = f.UserFactory()
    first = organisation_create(actor=user, profile=profile(), signatory=SIGNATORY, today=TODAY)
    with pytest.raises(ValidationError) as exc:
        organisation_create(
            actor=user,
            profile=profile(legal_name="  GENT greenhouse sensors bv "),
            signatory=SIGNATORY,
            today=TODAY,
        )
    assert "You already represent" in errors_of(exc)["legal_name"][0]
    assert Organisation.objects.count() == 1
    # The same name elsewhere, or by someone else, is another organisation.
    organisation_create(
        actor=user,
        profile=profile(country="PT", city_name="Porto"),
        signatory=SIGNATORY,
        today=TODAY,
    )
    organisation_create(actor=f.UserFactory(), profile=profile(), signatory=SIGNATORY, today=TODAY)
    assert Organisation.objects.count() == 3 and first.representatives.count() == 1


def test_create_twice_is_refused_when_the_names_differ_only_by_invisible_characters():
    """A zero-width space and a doubled blank (pasted from a web page) do not make the same
    name another organisation."""
    user = f.UserFactory()
    organisation_create(
        actor=user, profile=profile(legal_name="Lisbon Cluster"), signatory=SIGNATORY, today=TODAY
    )
    with pytest.raises(ValidationError) as exc:
        organisation_create(
            actor=user,
            profile=profile(legal_name="Lisbon\u200b  Cluster"),
            signatory=SIGNATORY,
            today=TODAY,
        )
    assert "You already represent" in errors_of(exc)["legal_name"][0]
    assert Organisation.objects.count() == 1


def test_r_elig_7_create_refuses_a_country_outside_cosme_next_to_the_field_and_saves_nothing():
    with pytest.raises(ValidationError) as exc:
        organisation_create(
            actor=f.UserFactory(),
            profile=profile(country="NO", city_name="Oslo"),
            signatory=SIGNATORY,
            today=TODAY,
        )
    assert "not a COSME participating country" in errors_of(exc)["country"][0]
    assert not Organisation.objects.exists() and not Representative.objects.exists()


def test_create_refuses_an_unknown_city_without_coordinates():
    with pytest.raises(ValidationError) as exc:
        organisation_create(
            actor=f.UserFactory(), profile=profile(city_name="Atlantis"), signatory=SIGNATORY
        )
    assert "“Atlantis” is not a known city" in errors_of(exc)["city_name"][0]
    assert not Organisation.objects.exists()


def test_create_accepts_any_city_with_manual_coordinates():
    org = organisation_create(
        actor=f.UserFactory(),
        profile=profile(
            city_name="Sint-Martens-Latem", latitude=Decimal("51.01"), longitude=Decimal("3.64")
        ),
        signatory=SIGNATORY,
    )
    assert (org.city, org.city_name, org.latitude) == (None, "Sint-Martens-Latem", Decimal("51.01"))


def test_manual_coordinates_override_the_gazetteer_for_a_known_city():
    org = organisation_create(
        actor=f.UserFactory(),
        profile=profile(latitude=Decimal("51.1"), longitude=Decimal("3.8")),
        signatory=SIGNATORY,
    )
    assert org.city.name == "Gent" and (org.latitude, org.longitude) == (
        Decimal("51.1"),
        Decimal("3.8"),
    )


def test_only_one_coordinate_is_refused():
    with pytest.raises(ValidationError) as exc:
        organisation_create(
            actor=f.UserFactory(), profile=profile(latitude=Decimal("51.1")), signatory=SIGNATORY
        )
    assert "both the latitude and the longitude" in errors_of(exc)["longitude"][0]


@pytest.mark.parametrize(
    "cluster_kwargs",
    [
        {"status": S.SUBMITTED},
        {"status": S.REJECTED},
        {"org_type": T.BUSINESS_NETWORK},
        {"org_type": T.SME},
    ],
)
def test_r_elig_4_a_membership_must_point_at_a_validated_cluster_organisation(cluster_kwargs):
    bad = f.OrganisationFactory(legal_name="Not A Real Cluster", **cluster_kwargs)
    with pytest.raises(ValidationError) as exc:
        organisation_create(
            actor=f.UserFactory(), profile=profile(clusters=[bad]), signatory=SIGNATORY
        )
    message = errors_of(exc)["clusters"][0]
    assert "Not A Real Cluster" in message and "validated profile" in message
    assert not ClusterMembership.objects.exists()
    assert Organisation.objects.count() == 1  # only the refused "cluster"


def test_r_elig_1_subtype_level_and_size_must_fit_the_type():
    """R-ELIG-1: a scaling-up support organisation says which kind, a public authority its
    level."""
    with pytest.raises(ValidationError) as exc:
        organisation_create(
            actor=f.UserFactory(),
            profile=profile(org_type=T.SCALEUP_SUPPORT),
            signatory=SIGNATORY,
        )
    assert "scaleup_subtype" in errors_of(exc)
    with pytest.raises(ValidationError) as exc:
        organisation_create(
            actor=f.UserFactory(), profile=profile(org_type=T.PUBLIC_AUTHORITY), signatory=SIGNATORY
        )
    assert "public_authority_level" in errors_of(exc)
    with pytest.raises(ValidationError) as exc:
        organisation_create(
            actor=f.UserFactory(), profile=profile(size=Size.LARGE), signatory=SIGNATORY
        )
    assert "fewer than 250 staff" in errors_of(exc)["size"][0]
    with pytest.raises(ValidationError) as exc:
        organisation_create(
            actor=f.UserFactory(), profile=profile(org_type=T.LARGE_COMPANY), signatory=SIGNATORY
        )
    assert "250 staff or more" in errors_of(exc)["size"][0]


def test_a_subtype_is_dropped_when_the_type_does_not_take_one():
    org = organisation_create(
        actor=f.UserFactory(), profile=profile(scaleup_subtype="fab_lab"), signatory=SIGNATORY
    )
    assert org.scaleup_subtype == ""


def test_r_elig_9_and_10_signatory_data_errors_are_reported_with_the_profile_errors():
    bad_signatory = SignatoryData(role_title="", nationality="CH")
    with pytest.raises(ValidationError) as exc:
        organisation_create(
            actor=f.UserFactory(), profile=profile(country="NO"), signatory=bad_signatory
        )
    errors = errors_of(exc)
    assert {"country", "role_title", "date_of_birth", "residence_permit_since"} <= set(errors)
    assert "R-ELIG-9" in errors["residence_permit_since"][0]
    assert "18 years old" in errors["date_of_birth"][0]


def test_r_elig_10_a_declaration_replaces_the_birth_date_and_future_dates_are_refused():
    declared = replace(SIGNATORY, date_of_birth=None, declares_adult=True)
    org = organisation_create(actor=f.UserFactory(), profile=profile(), signatory=declared)
    assert org.representatives.get().declares_adult is True
    future = replace(SIGNATORY, date_of_birth=TODAY + timedelta(days=1))
    with pytest.raises(ValidationError) as exc:
        organisation_create(actor=f.UserFactory(), profile=profile(), signatory=future)
    assert "not possible" in errors_of(exc)["date_of_birth"][0]


# --- update ---------------------------------------------------------------------------------


def test_update_changes_fields_and_memberships_and_audits_them():
    org, user = draft_sme()
    old_cluster = org.memberships.get().cluster
    new_cluster = f.OrganisationFactory()
    organisation_update(
        actor=user,
        organisation=org,
        profile=profile(legal_name="Renamed BV", clusters=[new_cluster]),
        today=TODAY,
    )
    org.refresh_from_db()
    assert org.legal_name == "Renamed BV"
    assert list(org.memberships.values_list("cluster", flat=True)) == [new_cluster.pk]
    event = audit_event_list_for(subject=org).last()
    assert event.action == "organisations.organisation.updated"
    assert "legal_name" in event.data["changed"]
    assert event.data["clusters"] == {"added": [new_cluster.pk], "removed": [old_cluster.pk]}


def test_update_is_refused_to_non_representatives_and_staff():
    org, _ = draft_sme()
    for outsider in (f.UserFactory(), staff_of(org.validating_partnership)):
        with pytest.raises(PermissionDenied):
            organisation_update(actor=outsider, organisation=org, profile=profile())


@pytest.mark.parametrize("status", [S.SUBMITTED, S.VALIDATED])
def test_update_is_refused_once_submitted_or_validated(status):
    org, user = draft_sme(status=status)
    with pytest.raises(PermissionDenied, match="only while it is a draft"):
        organisation_update(actor=user, organisation=org, profile=profile())


def test_an_organisation_cannot_be_a_member_of_itself():
    # A rejected cluster fixing its profile, with itself ticked as it was listed when validated.
    cluster, cluster_user = draft_sme(org_type=T.CLUSTER, status=S.REJECTED)
    cluster.status = S.VALIDATED
    with pytest.raises(ValidationError) as exc:
        organisation_update(
            actor=cluster_user,
            organisation=cluster,
            profile=profile(org_type=T.CLUSTER, clusters=[cluster]),
        )
    assert "member of itself" in errors_of(exc)["clusters"][0]


# --- submit -------------------------------------------------------------------------------------


def test_submit_needs_a_partnership_and_signatory_data():
    org, user = draft_sme(validating_partnership=None)
    org.representatives.update(date_of_birth=None)
    with pytest.raises(ValidationError) as exc:
        organisation_submit(actor=user, organisation=org)
    message = exc.value.messages[0]
    assert "choose the partnership" in message and "signatory details" in message
    org.refresh_from_db()
    assert org.status == S.DRAFT


def test_submit_sends_the_profile_to_the_partnership_staff_and_audits(
    django_capture_on_commit_callbacks,
):
    org, user = draft_sme()
    validator = staff_of(org.validating_partnership)
    staff_of(org.validating_partnership, can_validate=False)
    with django_capture_on_commit_callbacks(execute=True):
        organisation_submit(actor=user, organisation=org)
    org.refresh_from_db()
    assert org.status == S.SUBMITTED and org.submitted_at is not None
    assert [m.to for m in mail.outbox] == [[validator.email]]
    assert org.legal_name in mail.outbox[0].subject
    assert audit_event_list_for(subject=org).last().action == "organisations.organisation.submitted"


def test_submit_twice_is_refused_the_second_time():
    org, user = draft_sme()
    organisation_submit(actor=user, organisation=org)
    with pytest.raises(ValidationError, match="already Submitted"):
        organisation_submit(actor=user, organisation=org)


def test_submit_is_refused_to_non_representatives():
    org, _ = draft_sme()
    with pytest.raises(PermissionDenied):
        organisation_submit(actor=staff_of(org.validating_partnership), organisation=org)


# --- validate / reject --------------------------------------------------------------------------


def test_r_elig_5_staff_validate_a_submitted_profile_and_the_applicant_is_told(
    django_capture_on_commit_callbacks,
):
    org, user = draft_sme(status=S.SUBMITTED)
    staff = staff_of(org.validating_partnership)
    with django_capture_on_commit_callbacks(execute=True):
        organisation_validate(actor=staff, organisation=org)
    org.refresh_from_db()
    assert (org.status, org.decided_by) == (S.VALIDATED, staff)
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert "validated" in mail.outbox[0].subject
    assert audit_event_list_for(subject=org).last().action == "organisations.organisation.validated"


def test_reject_needs_a_reason_which_is_sent_to_the_applicant(django_capture_on_commit_callbacks):
    org, user = draft_sme(status=S.SUBMITTED)
    staff = staff_of(org.validating_partnership)
    with pytest.raises(ValidationError) as exc:
        organisation_reject(actor=staff, organisation=org, reason="   ")
    assert "Say why" in errors_of(exc)["reason"][0]
    with django_capture_on_commit_callbacks(execute=True):
        organisation_reject(actor=staff, organisation=org, reason="The ECCP link is missing.")
    org.refresh_from_db()
    assert (org.status, org.status_reason) == (S.REJECTED, "The ECCP link is missing.")
    assert "The ECCP link is missing." in mail.outbox[0].body
    event = audit_event_list_for(subject=org).last()
    assert (event.action, event.data["reason"]) == (
        "organisations.organisation.rejected",
        "The ECCP link is missing.",
    )


def test_a_rejected_profile_can_be_fixed_and_submitted_again():
    org, user = draft_sme(status=S.SUBMITTED)
    organisation_reject(actor=staff_of(org.validating_partnership), organisation=org, reason="Fix")
    organisation_update(
        actor=user,
        organisation=org,
        profile=profile(description="Better.", validating_partnership=org.validating_partnership),
    )
    organisation_submit(actor=user, organisation=org)
    org.refresh_from_db()
    assert org.status == S.SUBMITTED and org.decided_by is None


def test_only_validating_staff_of_the_chosen_partnership_decide():
    org, user = draft_sme(status=S.SUBMITTED)
    outsiders = [
        user,
        staff_of(f.PartnershipFactory()),
        staff_of(org.validating_partnership, can_validate=False),
        f.UserFactory(is_support_office=True),
    ]
    for outsider in outsiders:
        with pytest.raises(PermissionDenied):
            organisation_validate(actor=outsider, organisation=org)
    org.refresh_from_db()
    assert org.status == S.SUBMITTED


def test_r_elig_5_staff_never_decide_on_a_profile_they_represent_themselves():
    org, _ = draft_sme(status=S.SUBMITTED)
    insider = staff_of(org.validating_partnership)
    f.RepresentativeFactory(user=insider, organisation=org)
    for decide in (
        lambda: organisation_validate(actor=insider, organisation=org),
        lambda: organisation_reject(actor=insider, organisation=org, reason="Mine"),
    ):
        with pytest.raises(PermissionDenied, match="another member of the partnership's staff"):
            decide()
    org.refresh_from_db()
    assert org.status == S.SUBMITTED
    organisation_validate(actor=staff_of(org.validating_partnership), organisation=org)


def test_a_decision_on_a_profile_already_decided_is_refused():
    org, _ = draft_sme(status=S.SUBMITTED)
    staff = staff_of(org.validating_partnership)
    organisation_validate(actor=staff, organisation=org)
    with pytest.raises(ValidationError, match="not waiting for a decision"):
        organisation_reject(actor=staff, organisation=org, reason="Too late")
    with pytest.raises(ValidationError):
        organisation_validate(actor=staff, organisation=org)
    assert len([e for e in audit_event_list_for(subject=org) if "validated" in e.action]) == 1


# --- EASME ----------------------------------------------------------------------------------------


def test_r_elig_6_the_support_office_records_easme_pre_approval_for_an_sme():
    sme = f.OrganisationFactory(org_type=T.SME)
    support = f.UserFactory(is_support_office=True)
    approval = easme_pre_approval_record(
        actor=support, organisation=sme, reference="EASME/42", granted_on=TODAY
    )
    assert (approval.reference, approval.recorded_by) == ("EASME/42", support)
    easme_pre_approval_record(
        actor=support, organisation=sme, reference="EASME/43", granted_on=TODAY
    )
    sme.refresh_from_db()
    assert sme.easme_pre_approval.reference == "EASME/43"
    actions = [e.action for e in audit_event_list_for(subject=sme)]
    assert actions == ["organisations.easme_pre_approval.recorded"] * 2


def test_r_elig_6_easme_is_refused_to_staff_and_for_non_smes_and_future_dates():
    sme = f.OrganisationFactory(org_type=T.SME)
    with pytest.raises(PermissionDenied):
        easme_pre_approval_record(
            actor=staff_of(sme.validating_partnership),
            organisation=sme,
            reference="X",
            granted_on=TODAY,
        )
    support = f.UserFactory(is_support_office=True)
    with pytest.raises(PermissionDenied, match="only for SMEs"):
        easme_pre_approval_record(
            actor=support, organisation=f.OrganisationFactory(), reference="X", granted_on=TODAY
        )
    with pytest.raises(ValidationError) as exc:
        easme_pre_approval_record(
            actor=support, organisation=sme, reference="X", granted_on=TODAY + timedelta(days=1)
        )
    assert "future" in errors_of(exc)["granted_on"][0]
