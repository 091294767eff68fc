"""The applicant's journey through the browser: create, preview, edit, submit, join."""

import pytest
from django.core import mail
from django.urls import reverse

from organisations.choices import OrganisationType as T
from organisations.choices import ProfileStatus as S
from organisations.models import Organisation, Representative, RepresentativeStatus
from tests import factories as f
from tests.organisations.factories import draft_sme, profile_post, represented, staff_of

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def test_mine_invites_a_newcomer_to_create_or_join(client):
    client.force_login(f.UserFactory())
    response = client.get(reverse("organisations:mine"))
    assert response.status_code == 200
    assert "data-empty-state" in html(response)
    assert reverse("organisations:create") in html(response)
    assert reverse("organisations:join") in html(response)


def test_pages_need_a_login(client):
    response = client.get(reverse("organisations:mine"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_create_a_profile_then_see_it_with_its_verdict(client):
    user = f.UserFactory()
    client.force_login(user)
    cluster = f.OrganisationFactory(legal_name="Flanders Food Cluster")
    partnership = f.PartnershipFactory()
    assert client.get(reverse("organisations:create")).status_code == 200
    response = client.post(
        reverse("organisations:create"), profile_post(cluster=cluster, partnership=partnership)
    )
    org = Organisation.objects.get(legal_name="Gent Greenhouse Sensors BV")
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:detail", args=[org.pk])
    assert org.status == S.DRAFT and org.validating_partnership == partnership
    assert Representative.objects.get(organisation=org).user == user
    page = html(client.get(response["Location"]))
    assert "Flanders Food Cluster" in page
    assert 'data-role-verdict="visitor"' in page and 'data-rule="R-ELIG-5"' in page
    assert "Submit for validation" in page
    mine = html(client.get(reverse("organisations:mine")))
    assert "Gent Greenhouse Sensors BV" in mine and 'data-status="draft"' in mine


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"legal_name": ""}, "legal_name", "This field is required."),
        ({"website": "not a url"}, "website", "Enter a valid URL."),
        (
            {"country": "NO", "city_name": "Oslo", "city": ""},
            "country",
            "not a COSME participating",
        ),
        ({"city_name": "Atlantis", "city": ""}, "city_name", "is not a known city"),
        ({"latitude": "95", "longitude": "4"}, "latitude", "less than or equal to 90"),
        ({"latitude": "51"}, "longitude", "both the latitude and the longitude"),
        ({"signatory-nationality": "US"}, "signatory-residence_permit_since", "R-ELIG-9"),
        ({"signatory-date_of_birth": "1980-13-45"}, "signatory-date_of_birth", "valid date"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_keeps_the_input_and_saves_nothing(
    client, overrides, field, message
):
    client.force_login(f.UserFactory())
    data = profile_post(**overrides)
    response = client.post(reverse("organisations:create"), data)
    assert response.status_code == 200
    page = html(response)
    # crispy renders the error right under the field: id "error_1_id_<field>"
    assert f'id="error_1_id_{field}"' in page
    assert message in page
    assert 'value="Gent Greenhouse Sensors BV"' in page or overrides.get("legal_name") == ""
    assert 'value="Kortrijksesteenweg 1"' in page
    assert not Organisation.objects.exists() and not Representative.objects.exists()


@pytest.mark.parametrize(
    "cluster_kwargs", [{"status": S.SUBMITTED}, {"org_type": T.BUSINESS_NETWORK}]
)
def test_r_elig_4_a_membership_of_a_non_validated_or_non_cluster_organisation_is_refused(
    client, cluster_kwargs
):
    client.force_login(f.UserFactory())
    if cluster_kwargs.get("status"):  # with and without other (valid) clusters to choose from
        f.OrganisationFactory(legal_name="Real Cluster")
    bad = f.OrganisationFactory(legal_name="Shady Network", **cluster_kwargs)
    response = client.post(reverse("organisations:create"), profile_post(cluster=bad))
    page = html(response)
    assert 'id="error_1_id_clusters"' in page
    assert "Shady Network is not a cluster organisation with a validated profile" in page
    assert not Organisation.objects.filter(legal_name="Gent Greenhouse Sensors BV").exists()


def test_the_city_picker_finds_cities_of_the_chosen_country(client):
    client.force_login(f.UserFactory())
    url = reverse("organisations:city_search")
    page = html(client.get(url, {"country": "BE", "city_name": "ghent"}))
    assert 'data-city-name="Gent"' in page and "data-lat=" in page
    assert "Choose the country first" in html(client.get(url, {"city_name": "Gent"}))
    assert "No city of this country matches" in html(
        client.get(url, {"country": "BE", "city_name": "Atlantis"})
    )


def test_r_elig_12_the_live_verdict_is_recomputed_from_the_form(client):
    client.force_login(f.UserFactory())
    url = reverse("organisations:eligibility_preview")
    member = html(client.post(url, profile_post(cluster=f.OrganisationFactory())))
    assert 'data-role-verdict="visitor" data-allowed="yes"' in member
    alone = html(client.post(url, profile_post()))
    assert 'data-role-verdict="visitor" data-allowed="no"' in alone
    assert 'data-rule="R-ELIG-4" data-met="no"' in alone
    large = html(client.post(url, profile_post(org_type=T.LARGE_COMPANY, size="large")))
    assert 'data-role-verdict="visitor" data-allowed="no"' in large
    minor = html(
        client.post(
            url,
            profile_post(
                cluster=f.OrganisationFactory(), **{"signatory-date_of_birth": "2015-01-01"}
            ),
        )
    )
    assert 'data-role-verdict="host" data-allowed="no"' in minor
    assert client.get(url).status_code == 405


def test_the_preview_of_an_existing_profile_is_only_for_its_representatives(client):
    org, user = draft_sme()
    client.force_login(f.UserFactory())
    url = reverse("organisations:eligibility_preview") + f"?organisation={org.pk}"
    assert client.post(url, profile_post()).status_code == 404
    client.force_login(user)
    response = client.post(url, profile_post(cluster=f.OrganisationFactory()))
    assert 'data-role-verdict="visitor" data-allowed="yes"' in html(response)


def test_edit_a_draft_keeps_input_on_error_and_saves_on_success(client):
    org, user = draft_sme()
    client.force_login(user)
    url = reverse("organisations:edit", args=[org.pk])
    page = html(client.get(url))
    assert 'value="Gent"' in page and " selected>" in page  # the membership, in the picker's select
    response = client.post(
        url, profile_post(legal_name="Renamed BV", city_name="Atlantis", city="")
    )
    assert 'id="error_1_id_city_name"' in html(response) and 'value="Renamed BV"' in html(response)
    org.refresh_from_db()
    assert org.legal_name != "Renamed BV"
    response = client.post(url, profile_post(legal_name="Renamed BV"))
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.legal_name == "Renamed BV"


def test_editing_a_submitted_profile_is_forbidden(client):
    org, user = draft_sme(status=S.SUBMITTED)
    client.force_login(user)
    response = client.get(reverse("organisations:edit", args=[org.pk]))
    assert response.status_code == 403
    assert "only while it is a draft" in html(response)


def test_a_validated_profile_is_changed_only_through_a_change_request(client):
    """R-ELIG-5: its representative gets the change-request form, with its warning; nobody
    else does."""
    org, user = draft_sme(status=S.VALIDATED)
    client.force_login(user)
    response = client.get(reverse("organisations:edit", args=[org.pk]))
    assert response.status_code == 200 and "data-change-warning" in html(response)
    client.force_login(f.UserFactory())
    assert client.get(reverse("organisations:edit", args=[org.pk])).status_code in (403, 404)


def test_submit_through_the_page_then_the_staff_is_told(client, django_capture_on_commit_callbacks):
    org, user = draft_sme()
    staff = staff_of(org.validating_partnership)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organisations:submit", args=[org.pk]), follow=True)
    assert "submitted to" in html(response)
    org.refresh_from_db()
    assert org.status == S.SUBMITTED
    assert [m.to for m in mail.outbox] == [[staff.email]]


def test_submit_refusal_is_shown_as_a_message(client):
    org, user = draft_sme(validating_partnership=None)
    client.force_login(user)
    response = client.post(reverse("organisations:submit", args=[org.pk]), follow=True)
    assert "choose the partnership" in html(response)
    assert client.get(reverse("organisations:submit", args=[org.pk])).status_code == 405


def test_a_user_never_sees_or_edits_another_organisations_profile(client):
    org, _ = draft_sme()
    client.force_login(f.UserFactory())
    for name in ("detail", "edit", "my_details"):
        assert client.get(reverse(f"organisations:{name}", args=[org.pk])).status_code == 404
    assert client.post(reverse("organisations:submit", args=[org.pk])).status_code == 404
    _, other_rep = represented()
    client.force_login(other_rep)
    assert client.get(reverse("organisations:detail", args=[org.pk])).status_code == 404
    assert client.get(reverse("organisations:detail", args=[999999])).status_code == 404


def test_join_journey_search_request_and_approval(client, django_capture_on_commit_callbacks):
    org, rep_user = represented(legal_name="Porto Agri-Food Cluster")
    joiner = f.UserFactory()
    client.force_login(joiner)
    results = html(client.get(reverse("organisations:join"), {"q": "agri-food"}))
    assert "Porto Agri-Food Cluster" in results
    url = reverse("organisations:join_request", args=[org.pk])
    response = client.post(url, {"role_title": "", "nationality": "PT", "date_of_birth": ""})
    assert 'id="error_1_id_role_title"' in html(response)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"role_title": "Engineer", "nationality": "PT", "date_of_birth": "1990-01-01"}
        )
    assert response.status_code == 302
    assert "Asked to join" in html(client.get(reverse("organisations:mine")))
    assert client.get(reverse("organisations:detail", args=[org.pk])).status_code == 404
    rep = Representative.objects.get(user=joiner)
    client.force_login(rep_user)
    detail = html(client.get(reverse("organisations:detail", args=[org.pk])))
    assert "data-pending-requests" in detail and joiner.email in detail
    client.post(reverse("organisations:representative_approve", args=[rep.pk]))
    rep.refresh_from_db()
    assert rep.status == RepresentativeStatus.ACTIVE
    client.force_login(joiner)
    assert client.get(reverse("organisations:detail", args=[org.pk])).status_code == 200


def test_an_outsider_cannot_answer_a_join_request(client):
    org, _ = represented()
    rep = f.RepresentativeFactory(organisation=org, status=RepresentativeStatus.PENDING)
    client.force_login(f.UserFactory())
    response = client.post(reverse("organisations:representative_decline", args=[rep.pk]))
    assert response.status_code == 404
    client.force_login(rep.user)  # the requester does not see the profile yet either
    assert (
        client.post(reverse("organisations:representative_approve", args=[rep.pk])).status_code
        == 404
    )


def test_staff_see_no_button_for_their_own_request_and_a_forged_post_is_refused(client):
    """Self-approval: the page offers the requester no Accept/Decline, and posting anyway
    answers 403 with the reason, nothing decided."""
    org = f.OrganisationFactory()
    requester = staff_of(org.validating_partnership)
    rep = f.RepresentativeFactory(
        organisation=org, user=requester, status=RepresentativeStatus.PENDING
    )
    client.force_login(requester)
    detail = html(client.get(reverse("organisations:detail", args=[org.pk])))
    assert "data-pending-requests" in detail
    assert reverse("organisations:representative_approve", args=[rep.pk]) not in detail
    assert "You made this request yourself" in detail
    for name in ("representative_approve", "representative_decline"):
        response = client.post(reverse(f"organisations:{name}", args=[rep.pk]))
        assert response.status_code == 403
        assert "You made this request yourself" in html(response)
    rep.refresh_from_db()
    assert rep.status == RepresentativeStatus.PENDING
    client.force_login(staff_of(org.validating_partnership))  # a colleague: offered and allowed
    detail = html(client.get(reverse("organisations:detail", args=[org.pk])))
    assert reverse("organisations:representative_approve", args=[rep.pk]) in detail
    client.post(reverse("organisations:representative_approve", args=[rep.pk]))
    rep.refresh_from_db()
    assert rep.status == RepresentativeStatus.ACTIVE


def test_my_details_updates_the_signatory_data(client):
    org, user = represented()
    client.force_login(user)
    url = reverse("organisations:my_details", args=[org.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"role_title": "CEO", "nationality": "US", "date_of_birth": "1980-01-01"}
    )
    assert 'id="error_1_id_residence_permit_since"' in html(response)
    response = client.post(
        url, {"role_title": "CEO", "nationality": "BE", "date_of_birth": "", "declares_adult": "on"}
    )
    assert response.status_code == 302
    rep = org.representatives.get()
    assert rep.declares_adult and rep.date_of_birth is None


def test_mine_lists_profiles_with_status_and_eligibility_in_constant_queries(
    client, django_assert_max_num_queries
):
    user = f.UserFactory()
    client.force_login(user)
    org = f.sme_member()
    f.RepresentativeFactory(user=user, organisation=org)
    with django_assert_max_num_queries(14):
        page = html(client.get(reverse("organisations:mine")))
    assert 'data-role="visitor" data-allowed="yes"' in page
    for _ in range(5):
        f.RepresentativeFactory(user=user, organisation=f.sme_member())
    with django_assert_max_num_queries(14):
        page = html(client.get(reverse("organisations:mine")))
    assert page.count("data-organisation=") == 6


def test_detail_page_costs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    org, user = draft_sme()
    client.force_login(user)
    url = reverse("organisations:detail", args=[org.pk])
    with django_assert_max_num_queries(25):
        client.get(url)
    for _ in range(5):
        f.ClusterMembershipFactory(member=org, cluster=f.OrganisationFactory())
        f.RepresentativeFactory(organisation=org)
        f.RepresentativeFactory(organisation=org, status=RepresentativeStatus.PENDING)
    with django_assert_max_num_queries(25):
        response = client.get(url)
    assert (
        html(response).count("list-group-item d-flex justify-content-between align-items-center")
        >= 6
    )


def test_r_elig_6_the_easme_card_is_shown_for_smes_only(client):
    cluster, cluster_rep = represented()
    client.force_login(cluster_rep)
    assert "data-easme-card" not in html(
        client.get(reverse("organisations:detail", args=[cluster.pk]))
    )
    sme, sme_rep = draft_sme()
    client.force_login(sme_rep)
    page = html(client.get(reverse("organisations:detail", args=[sme.pk])))
    assert "data-easme-card" in page and "R-ELIG-6" in page
