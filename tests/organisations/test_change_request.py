"""A validated profile's "request a change" (R-ELIG-5): contact details change at once, what
matters for eligibility goes back to the partnership for validation — audited, validators told."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from cxc_portal.audit.models import AuditEvent
from organisations.choices import ProfileStatus as S
from organisations.forms import OrganisationForm
from organisations.models import Organisation
from organisations.services_changes import organisation_request_change
from tests import factories as f
from tests.organisations.factories import profile_post, staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def validated(client):
    """A validated SME created through the page (so ``profile_post`` is its current data)."""
    user = f.UserFactory()
    client.force_login(user)
    partnership = f.PartnershipFactory(acronym="AGRI")
    validator = staff_of(partnership)
    cluster = f.OrganisationFactory(legal_name="Flanders Food Cluster")
    client.post(
        reverse("organisations:create"), profile_post(cluster=cluster, partnership=partnership)
    )
    org = Organisation.objects.get(legal_name="Gent Greenhouse Sensors BV")
    Organisation.objects.filter(pk=org.pk).update(status=S.VALIDATED)
    org.refresh_from_db()

    def post(**overrides):
        data = profile_post(cluster=cluster, partnership=partnership, signatory=False)
        return client.post(reverse("organisations:edit", args=[org.pk]), {**data, **overrides})

    return org, user, validator, post


def actions(org) -> list[str]:
    return list(
        AuditEvent.objects.filter(
            subject_id=org.pk, action__startswith="organisations.organisation"
        )
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_r_elig_5_a_validated_profile_offers_request_a_change(client, validated):
    org, _, _, _ = validated
    page = client.get(reverse("organisations:detail", args=[org.pk])).content.decode()
    assert "Request a change" in page
    form = client.get(reverse("organisations:edit", args=[org.pk])).content.decode()
    assert "data-change-warning" in form and "goes back to AGRI for validation" in form
    assert "Organisation type" in form.split("data-change-warning")[1].split("</div>")[0]


def test_r_elig_5_contact_details_change_at_once_and_stay_validated(
    client, validated, django_capture_on_commit_callbacks
):
    org, _, _, post = validated
    with django_capture_on_commit_callbacks(execute=True):
        response = post(address="Nieuwstraat 2", website="https://new.example.be")
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.status == S.VALIDATED and org.address == "Nieuwstraat 2"
    assert actions(org)[-1] == "organisations.organisation.updated"
    assert mail.outbox == []


@pytest.mark.parametrize(
    "overrides",
    [{"size": "micro"}, {"legal_name": "Gent Sensors NV"}, {"clusters": []}],
    ids=["size", "legal-name", "membership-removed"],
)
def test_r_elig_5_an_eligibility_change_goes_back_for_validation(
    client, validated, overrides, django_capture_on_commit_callbacks
):
    org, _, validator, post = validated
    with django_capture_on_commit_callbacks(execute=True):
        response = post(address="Nieuwstraat 2", **overrides)
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.status == S.SUBMITTED and org.decided_at is None
    assert org.address == "Nieuwstraat 2"  # the contact details changed too
    assert actions(org)[-1] == "organisations.organisation.change_requested"
    assert [m.to for m in mail.outbox] == [[validator.email]]
    assert "needs your validation again" in mail.outbox[0].body
    page = client.get(response["Location"]).content.decode()
    assert "back with AGRI for validation" in page


def test_r_elig_5_bad_input_keeps_the_form_and_changes_nothing(client, validated):
    org, _, _, post = validated
    response = post(legal_name="", size="micro")
    assert response.status_code == 200 and "data-error-summary" in response.content.decode()
    org.refresh_from_db()
    assert org.status == S.VALIDATED and org.size == "small"


def test_r_elig_5_only_a_representative_of_a_validated_profile_requests_a_change(validated):
    org, user, _, _ = validated
    today = timezone.localdate()
    form = OrganisationForm(profile_post(partnership=org.validating_partnership), today=today)
    assert form.is_valid(), form.errors
    with pytest.raises(PermissionDenied):
        organisation_request_change(
            actor=f.UserFactory(), organisation=org, profile=form.to_data(), today=today
        )
    Organisation.objects.filter(pk=org.pk).update(status=S.SUBMITTED)
    # Sent back a moment ago by a concurrent request: refused, nothing changed twice.
    with pytest.raises(PermissionDenied):
        organisation_request_change(
            actor=user, organisation=org, profile=form.to_data(), today=today
        )
