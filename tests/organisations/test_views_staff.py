"""The staff journey: the queue of profiles, validation and rejection, EASME, the admin."""

import pytest
from django.core import mail
from django.urls import reverse

from organisations.choices import OrganisationType as T
from organisations.choices import ProfileStatus as S
from organisations.models import EasmePreApproval, Organisation
from tests import factories as f
from tests.organisations.factories import draft_sme, staff_of

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def _submitted_for(partnership, n=1, **kwargs):
    orgs = []
    for i in range(n):
        org, _ = draft_sme(
            status=S.SUBMITTED,
            validating_partnership=partnership,
            legal_name=kwargs.pop("legal_name", f"Waiting SME {partnership.pk}-{i}"),
            **kwargs,
        )
        orgs.append(org)
    return orgs


def test_the_staff_queue_shows_submitted_profiles_of_their_partnership_by_default(staff_client):
    partnership = staff_client.staff.partnership
    waiting = _submitted_for(partnership)[0]
    draft_sme(validating_partnership=partnership, legal_name="Still A Draft")
    _submitted_for(f.PartnershipFactory(), legal_name="Another Partnership's SME")
    page = html(staff_client.get(reverse("organisations:staff_queue")))
    assert waiting.legal_name in page
    assert "Still A Draft" not in page  # default filter: submitted
    assert "Another Partnership's SME" not in page  # never another partnership's
    # The eligibility column shows what validation would give (R-ELIG-5 still to come).
    assert 'data-role="visitor" data-allowed="yes"' in page and "once validated" in page
    everything = html(staff_client.get(reverse("organisations:staff_queue"), {"status": ""}))
    assert "Still A Draft" in everything and "Another Partnership's SME" not in everything


def test_the_staff_queue_filters_by_search_type_and_country(staff_client):
    partnership = staff_client.staff.partnership
    _submitted_for(partnership, legal_name="Gent Sensors")
    f.OrganisationFactory(
        legal_name="Porto Cluster",
        status=S.SUBMITTED,
        country="PT",
        validating_partnership=partnership,
    )
    url = reverse("organisations:staff_queue")
    assert "Porto Cluster" not in html(staff_client.get(url, {"q": "sensors"}))
    by_type = html(staff_client.get(url, {"org_type": T.CLUSTER}))
    assert "Porto Cluster" in by_type and "Gent Sensors" not in by_type
    by_country = html(staff_client.get(url, {"country": "BE"}))
    assert "Gent Sensors" in by_country and "Porto Cluster" not in by_country


def test_the_support_office_sees_every_partnership_in_the_queue(support_client):
    _submitted_for(f.PartnershipFactory(), legal_name="First SME")
    _submitted_for(f.PartnershipFactory(), legal_name="Second SME")
    page = html(support_client.get(reverse("organisations:staff_queue")))
    assert "First SME" in page and "Second SME" in page


def test_applicants_may_not_open_the_staff_queue(client):
    org, user = draft_sme()
    client.force_login(user)
    assert client.get(reverse("organisations:staff_queue")).status_code == 403


def test_the_staff_queue_costs_a_constant_number_of_queries(
    staff_client, django_assert_max_num_queries
):
    partnership = staff_client.staff.partnership
    _submitted_for(partnership)
    url = reverse("organisations:staff_queue")
    with django_assert_max_num_queries(20):
        staff_client.get(url)
    _submitted_for(partnership, n=10)
    with django_assert_max_num_queries(20):
        page = html(staff_client.get(url))
    assert page.count("Waiting SME") == 11


def test_staff_validate_from_the_profile_page_and_the_applicant_is_told(
    staff_client, django_capture_on_commit_callbacks
):
    org = _submitted_for(staff_client.staff.partnership)[0]
    applicant = org.representatives.get().user
    page = html(staff_client.get(reverse("organisations:detail", args=[org.pk])))
    assert "data-decide" in page and 'data-rule="R-ELIG-4"' in page and "data-memberships" in page
    assert 'data-role-verdict="visitor" data-allowed="yes"' in page
    assert 'data-rule="R-ELIG-5" data-met="pending"' in page and "will need to be validated" in page
    assert "Could visit once validated" in page and "Can visit" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("organisations:validate", args=[org.pk]), follow=True)
    assert "is validated" in html(response)
    org.refresh_from_db()
    assert org.status == S.VALIDATED
    assert [m.to for m in mail.outbox] == [[applicant.email]]
    assert 'data-code="organisations.organisation.validated"' in html(response)


def test_staff_reject_with_a_reason_error_keeps_the_form(
    staff_client, django_capture_on_commit_callbacks
):
    org = _submitted_for(staff_client.staff.partnership)[0]
    url = reverse("organisations:reject", args=[org.pk])
    response = staff_client.post(url, {"reason": ""})
    assert response.status_code == 200 and 'id="error_1_id_reason"' in html(response)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {"reason": "Missing ECCP profile."}, follow=True)
    org.refresh_from_db()
    assert (org.status, org.status_reason) == (S.REJECTED, "Missing ECCP profile.")
    assert "Missing ECCP profile." in mail.outbox[0].body
    applicant = org.representatives.get().user
    staff_client.force_login(applicant)
    page = html(staff_client.get(reverse("organisations:detail", args=[org.pk])))
    assert "data-rejection" in page and "Missing ECCP profile." in page and "Submit again" in page


def test_staff_of_another_partnership_get_404_and_non_validators_403(client):
    org = _submitted_for(f.PartnershipFactory())[0]
    other = staff_of(f.PartnershipFactory())
    client.force_login(other)
    assert client.get(reverse("organisations:detail", args=[org.pk])).status_code == 404
    assert client.post(reverse("organisations:validate", args=[org.pk])).status_code == 404
    viewer = staff_of(org.validating_partnership, can_validate=False)
    client.force_login(viewer)
    page = html(client.get(reverse("organisations:detail", args=[org.pk])))
    assert "data-decide" not in page
    assert client.post(reverse("organisations:validate", args=[org.pk])).status_code == 403
    assert client.get(reverse("organisations:reject", args=[org.pk])).status_code == 403
    org.refresh_from_db()
    assert org.status == S.SUBMITTED


def test_staff_see_but_do_not_edit_the_profile(staff_client):
    org = _submitted_for(staff_client.staff.partnership)[0]
    Organisation.objects.filter(pk=org.pk).update(status=S.DRAFT)
    assert staff_client.get(reverse("organisations:detail", args=[org.pk])).status_code == 200
    assert staff_client.get(reverse("organisations:edit", args=[org.pk])).status_code == 403


def test_a_double_validation_shows_a_message_not_an_error(staff_client):
    org = _submitted_for(staff_client.staff.partnership)[0]
    staff_client.post(reverse("organisations:validate", args=[org.pk]))
    response = staff_client.post(reverse("organisations:validate", args=[org.pk]), follow=True)
    assert response.status_code == 200 and "not waiting for a decision" in html(response)


def test_r_elig_6_the_support_office_records_easme_on_the_profile_page(support_client):
    org, _ = draft_sme(status=S.VALIDATED)
    org.memberships.all().delete()
    page = html(support_client.get(reverse("organisations:detail", args=[org.pk])))
    assert 'data-role-verdict="host" data-allowed="no"' in page
    url = reverse("organisations:easme", args=[org.pk])
    response = support_client.post(url, {"reference": "", "granted_on": "2026-01-10"})
    assert 'id="error_1_id_reference"' in html(response)
    response = support_client.post(
        url, {"reference": "EASME/2026/7", "granted_on": "2026-01-10", "notes": "ok"}, follow=True
    )
    assert EasmePreApproval.objects.get(organisation=org).reference == "EASME/2026/7"
    page = html(response)
    assert "data-easme" in page and 'data-role-verdict="host" data-allowed="yes"' in page
    assert 'data-role-verdict="visitor" data-allowed="no"' in page


def test_r_elig_6_the_easme_forms_show_the_whole_recorded_pre_approval(support_client):
    org, _ = draft_sme(status=S.VALIDATED)
    EasmePreApproval.objects.create(
        organisation=org,
        reference="EASME/2026/3",
        granted_on="2026-01-10",
        notes="No cluster in the region's ceramics sector.",
    )
    for url in (
        reverse("organisations:detail", args=[org.pk]),
        reverse("organisations:easme", args=[org.pk]),
    ):
        page = html(support_client.get(url))
        # Updating the reference must not wipe the notes: the form starts from all of it.
        assert 'value="EASME/2026/3"' in page and 'value="2026-01-10"' in page
        assert "No cluster in the region&#x27;s ceramics sector.</textarea>" in page


def test_r_elig_6_staff_and_applicants_may_not_record_easme(staff_client):
    org = _submitted_for(staff_client.staff.partnership)[0]
    url = reverse("organisations:easme", args=[org.pk])
    assert staff_client.get(url).status_code == 403
    assert staff_client.post(url, {"reference": "X", "granted_on": "2026-01-10"}).status_code == 403
    assert not EasmePreApproval.objects.exists()


def test_the_admin_lists_and_opens_organisations_and_reference_data(client):
    admin = f.UserFactory(is_staff=True, is_superuser=True)
    f.give_totp(admin)
    client.force_login(admin)
    org, _ = draft_sme()
    for url in (
        reverse("admin:organisations_organisation_changelist"),
        reverse("admin:organisations_organisation_change", args=[org.pk]),
        reverse("admin:organisations_participatingcountry_changelist"),
        reverse("admin:organisations_city_changelist") + "?q=gent",
        reverse("admin:organisations_representative_changelist"),
        reverse("admin:organisations_clustermembership_changelist"),
    ):
        assert client.get(url).status_code == 200, url


def test_the_support_office_edits_participating_countries_in_the_admin(client):
    from cxc_portal.audit.models import AuditEvent
    from organisations.models import ParticipatingCountry

    support = f.UserFactory(is_support_office=True, is_staff=True)
    f.give_totp(support)
    client.force_login(support)
    row = ParticipatingCountry.objects.get(country="UA")
    url = reverse("admin:organisations_participatingcountry_change", args=[row.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "country": "UA",
            "valid_from": "2014-01-01",
            "valid_until": "2027-12-31",
        },
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert str(row.valid_until) == "2027-12-31"
    assert AuditEvent.objects.filter(
        action="organisations.participatingcountry.admin_changed"
    ).exists()


@pytest.mark.parametrize(
    "params",
    [{"page": "999"}, {"page": "abc"}, {"sort": "bogus"}, {"org_type": "bogus"}, {"country": "ZZ"}],
)
def test_the_staff_queue_never_errors_on_odd_parameters(staff_client, params):
    _submitted_for(staff_client.staff.partnership)
    response = staff_client.get(reverse("organisations:staff_queue"), params)
    assert response.status_code == 200
