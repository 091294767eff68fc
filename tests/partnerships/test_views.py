"""Pages of the partnerships room: directory, interests, inbox (R-PART-1, R-PART-2)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from organisations.choices import OrganisationType
from partnerships.models import ExpressionOfInterest, InterestStatus, Match
from tests import factories as f
from tests.partnerships import factories as pf

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


# --- directory and detail (R-PART-1) -------------------------------------------------------------


def test_r_part_1_directory_is_public_and_filters_by_ecosystem_and_country(client):
    health = f.PartnershipFactory(acronym="HEALTH", countries=["BE", "NL"])
    health.ecosystems.set(pf.ecosystems("health"))
    digital = f.PartnershipFactory(acronym="DIGI", countries=["EE", "FI"])
    digital.ecosystems.set(pf.ecosystems("digital", "electronics"))
    ended = f.PartnershipFactory(
        acronym="OLD", valid_until=timezone.localdate() - timedelta(days=1)
    )
    url = reverse("partnerships:directory")
    page = client.get(url).content.decode()
    assert "HEALTH" in page and "DIGI" in page and "OLD" not in page
    by_eco = client.get(url, {"ecosystem": "digital"}).content.decode()
    assert "DIGI" in by_eco and "HEALTH" not in by_eco
    by_country = client.get(url, {"country": "NL"}).content.decode()
    assert "HEALTH" in by_country and "DIGI" not in by_country
    by_word = client.get(url, {"q": "digi"}).content.decode()
    assert "DIGI" in by_word and "HEALTH" not in by_word
    assert ended.acronym not in by_word


def test_r_part_1_directory_lists_only_partnerships_active_today_not_those_yet_to_start(client):
    """R-PART-1: "active today" is one rule (DatedPeriod.valid_on): a partnership that starts
    tomorrow is not in the directory yet (it used to be, as "not ended"), one that starts
    today is."""
    today = timezone.localdate()
    f.PartnershipFactory(acronym="SOON", valid_from=today + timedelta(days=1))
    f.PartnershipFactory(acronym="FRESH", valid_from=today)
    page = client.get(reverse("partnerships:directory")).content.decode()
    assert "FRESH" in page
    assert "SOON" not in page


def test_r_part_1_directory_costs_constant_queries(client, django_assert_max_num_queries):
    def make(n):
        for _ in range(n):
            p = f.PartnershipFactory()
            p.ecosystems.set(pf.ecosystems("digital", "health"))
            p.members.add(pf.org("BE"))

    make(1)
    with django_assert_max_num_queries(4):
        assert client.get(reverse("partnerships:directory")).status_code == 200
    make(20)
    with django_assert_max_num_queries(4):
        assert client.get(reverse("partnerships:directory")).status_code == 200


def test_r_part_1_detail_shows_members_ecosystems_countries_contact_and_buttons(client):
    p = f.PartnershipFactory(
        acronym="AGRI", slug="agri", countries=["PT", "ES"], contact_email="agri@example.org"
    )
    p.ecosystems.set(pf.ecosystems("agri-food"))
    p.members.add(pf.org("PT", legal_name="Lisbon Agri Cluster"))
    p.members.add(pf.org("ES", legal_name="Draft Cluster", status="draft"))
    page = client.get(reverse("partnerships:detail", kwargs={"slug": "agri"})).content.decode()
    assert "Lisbon Agri Cluster" in page and "Draft Cluster" not in page
    assert "Agri-food" in page and "Portugal" in page and "Spain" in page
    assert "mailto:agri@example.org" in page
    assert (
        reverse("partnerships:interest_create", kwargs={"slug": "agri"}) + "?role=visitor" in page
    )
    assert client.get("/partnerships/nope/").status_code == 404


def test_anonymous_express_interest_is_sent_to_log_in(client):
    p = f.PartnershipFactory(slug="agri")
    url = reverse("partnerships:interest_create", kwargs={"slug": p.slug})
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "next=" in response.url


# --- expressing interest (R-PART-2) --------------------------------------------------------------


def test_user_without_organisation_is_told_to_create_a_profile(client):
    p = f.PartnershipFactory()
    login(client, f.UserFactory())
    page = client.get(reverse("partnerships:interest_create", kwargs={"slug": p.slug}))
    assert page.status_code == 200
    assert "validated profile can express interest" in page.content.decode()
    assert '<form method="post"' not in page.content.decode().split("<main")[1]


def test_r_elig_4_organisation_eligible_for_no_role_sees_why_and_no_form(client):
    p = f.PartnershipFactory()
    sme = pf.org("BE", org_type=OrganisationType.SME, legal_name="Lonely SME")
    login(client, pf.representative_of(sme))
    page = client.get(reverse("partnerships:interest_create", kwargs={"slug": p.slug}))
    html = page.content.decode()
    assert "None of your organisations can express interest today" in html
    assert "R-ELIG-4" in html
    assert 'name="objectives"' not in html


def test_r_elig_2_form_offers_only_the_roles_the_engine_allows(client):
    p = f.PartnershipFactory()
    company = pf.org("BE", org_type=OrganisationType.LARGE_COMPANY, size="large")
    f.ClusterMembershipFactory(member=company, cluster=pf.org("BE"))
    login(client, pf.representative_of(company))
    url = reverse("partnerships:interest_create", kwargs={"slug": p.slug})
    html = client.get(url).content.decode()
    assert 'value="host"' in html and 'value="visitor"' not in html
    response = client.post(url, {"organisation": company.pk, "role": "visitor", "objectives": "x"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ExpressionOfInterest.objects.exists()


def test_r_part_2_submit_the_form_and_land_on_the_interest(client):
    p = f.PartnershipFactory(acronym="AGRI")
    organisation = pf.org("BE")
    login(client, pf.representative_of(organisation))
    url = reverse("partnerships:interest_create", kwargs={"slug": p.slug})
    response = client.post(
        url,
        {
            "organisation": organisation.pk,
            "role": "visitor",
            "objectives": "Meet food-tech start-ups.",
            "activity_types": ["networking"],
            "preferred_countries": ["PT"],
            "ecosystems": [e.pk for e in pf.ecosystems("agri-food")],
        },
    )
    interest = ExpressionOfInterest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("partnerships:interest_detail", kwargs={"pk": interest.pk})
    assert interest.status == InterestStatus.SUBMITTED
    page = client.get(response.url).content.decode()
    assert "Your expression of interest was sent to AGRI" in page
    assert "Meet food-tech start-ups." in page


def test_r_part_2_duplicate_interest_shows_the_message_and_keeps_the_input(client):
    p = f.PartnershipFactory(acronym="AGRI")
    organisation = pf.org("BE")
    pf.interest(organisation, p, status=InterestStatus.SUBMITTED)
    login(client, pf.representative_of(organisation))
    response = client.post(
        reverse("partnerships:interest_create", kwargs={"slug": p.slug}),
        {"organisation": organisation.pk, "role": "visitor", "objectives": "My new objectives"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "already has an expression of interest as visitor with AGRI" in html
    assert "My new objectives" in html
    assert ExpressionOfInterest.objects.count() == 1


def test_cannot_express_interest_on_behalf_of_an_organisation_one_does_not_represent(client):
    p = f.PartnershipFactory()
    mine = pf.org("BE")
    theirs = pf.org("FR")
    login(client, pf.representative_of(mine))
    response = client.post(
        reverse("partnerships:interest_create", kwargs={"slug": p.slug}),
        {"organisation": theirs.pk, "role": "visitor", "objectives": "Pretend"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ExpressionOfInterest.objects.exists()


def test_period_in_the_wrong_order_is_a_form_error(client):
    p = f.PartnershipFactory()
    organisation = pf.org("BE")
    login(client, pf.representative_of(organisation))
    today = timezone.localdate()
    response = client.post(
        reverse("partnerships:interest_create", kwargs={"slug": p.slug}),
        {
            "organisation": organisation.pk,
            "role": "visitor",
            "objectives": "x",
            "period_from": (today + timedelta(days=10)).isoformat(),
            "period_until": (today + timedelta(days=5)).isoformat(),
        },
    )
    assert "The period must end after it starts." in response.content.decode()
    assert not ExpressionOfInterest.objects.exists()


def test_interest_list_shows_status_reason_withdraw_and_matching_link(client):
    organisation = pf.org("BE")
    user = pf.representative_of(organisation)
    accepted = pf.interest(organisation, f.PartnershipFactory(), status=InterestStatus.ACCEPTED)
    pf.interest(
        organisation,
        f.PartnershipFactory(),
        status=InterestStatus.DECLINED,
        decision_reason="Outside our ecosystems.",
    )
    pf.interest(pf.org("FR"), f.PartnershipFactory())  # someone else's
    login(client, user)
    html = client.get(reverse("partnerships:interest_list")).content.decode()
    assert "Outside our ecosystems." in html
    assert reverse("partnerships:matching", kwargs={"pk": accepted.pk}) in html
    assert html.count(reverse("partnerships:interest_withdraw", kwargs={"pk": accepted.pk})) == 1
    assert html.count("<tr>") == 1 + 2  # header + my two interests


def test_withdraw_from_the_page(client):
    organisation = pf.org("BE")
    interest = pf.interest(organisation, f.PartnershipFactory(), status=InterestStatus.SUBMITTED)
    login(client, pf.representative_of(organisation))
    url = reverse("partnerships:interest_withdraw", kwargs={"pk": interest.pk})
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    interest.refresh_from_db()
    assert interest.status == InterestStatus.WITHDRAWN
    # again: a clear message, no error page
    page = client.post(url, follow=True).content.decode()
    assert "already withdrawn" in page


# --- who sees and decides an interest ------------------------------------------------------------


@pytest.fixture
def submitted(db):
    p = f.PartnershipFactory(acronym="AGRI")
    organisation = pf.org("BE", legal_name="Brussels Cluster")
    interest = pf.interest(organisation, p, status=InterestStatus.SUBMITTED)
    interest.applicant = pf.representative_of(organisation)
    interest.staff = pf.staff_of(p)
    return interest


def test_interest_detail_visibility_per_role(client, submitted):
    url = reverse("partnerships:interest_detail", kwargs={"pk": submitted.pk})
    support = f.UserFactory(is_support_office=True)
    f.give_totp(support)
    for user, status in [
        (submitted.applicant, 200),
        (submitted.staff, 200),
        (support, 200),
        (pf.staff_of(f.PartnershipFactory()), 404),
        (pf.representative_of(pf.org("FR")), 404),
        (f.UserFactory(), 404),
    ]:
        login(client, user)
        assert client.get(url).status_code == status, user
    assert client.get("/partnerships/interests/999999/").status_code == 404


def test_staff_see_the_decision_forms_and_the_eligibility_reasons(client, submitted):
    login(client, submitted.staff)
    html = client.get(
        reverse("partnerships:interest_detail", kwargs={"pk": submitted.pk})
    ).content.decode()
    assert reverse("partnerships:interest_accept", kwargs={"pk": submitted.pk}) in html
    assert reverse("partnerships:interest_decline", kwargs={"pk": submitted.pk}) in html
    assert "Eligible today as visitor" in html and "R-ELIG-2" in html


def test_support_office_reads_but_does_not_get_decision_forms(client, submitted):
    support = f.UserFactory(is_support_office=True)
    f.give_totp(support)
    login(client, support)
    html = client.get(
        reverse("partnerships:interest_detail", kwargs={"pk": submitted.pk})
    ).content.decode()
    assert reverse("partnerships:interest_accept", kwargs={"pk": submitted.pk}) not in html
    assert "Read-only: only the staff of AGRI decide" in html


def test_only_the_partnership_staff_accept_from_the_page(client, submitted):
    url = reverse("partnerships:interest_accept", kwargs={"pk": submitted.pk})
    support = f.UserFactory(is_support_office=True)
    f.give_totp(support)
    for user, status in [
        (submitted.applicant, 403),
        (support, 403),
        (pf.staff_of(f.PartnershipFactory()), 404),
    ]:
        login(client, user)
        assert client.post(url).status_code == status
    submitted.refresh_from_db()
    assert submitted.status == InterestStatus.SUBMITTED
    login(client, submitted.staff)
    assert client.get(url).status_code == 405
    response = client.post(url, {"note": "Welcome"}, follow=True)
    assert "Expression of interest accepted" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == InterestStatus.ACCEPTED


def test_only_the_partnership_staff_decline_from_the_page(client, submitted):
    url = reverse("partnerships:interest_decline", kwargs={"pk": submitted.pk})
    support = f.UserFactory(is_support_office=True)
    f.give_totp(support)
    for user, status in [
        (submitted.applicant, 403),
        (support, 403),
        (pf.staff_of(f.PartnershipFactory()), 404),
    ]:
        login(client, user)
        assert client.post(url, {"reason": "No"}).status_code == status
    submitted.refresh_from_db()
    assert submitted.status == InterestStatus.SUBMITTED


def test_r_part_2_declining_without_reason_shows_the_error_and_saves_nothing(client, submitted):
    login(client, submitted.staff)
    url = reverse("partnerships:interest_decline", kwargs={"pk": submitted.pk})
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == InterestStatus.SUBMITTED
    response = client.post(url, {"reason": "Outside our scope."})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == InterestStatus.DECLINED
    assert submitted.decision_reason == "Outside our scope."


# --- staff inbox ---------------------------------------------------------------------------------


def test_staff_inbox_lists_only_the_partnerships_interests_filterable(client):
    mine = f.PartnershipFactory(acronym="MINE")
    other = f.PartnershipFactory(acronym="OTHER")
    staff = pf.staff_of(mine)
    pf.interest(pf.org("BE", legal_name="Waiting Visitor"), mine, status=InterestStatus.SUBMITTED)
    pf.interest(pf.org("PT", legal_name="Accepted Host"), mine, "host")
    pf.interest(pf.org("FR", legal_name="Foreign Interest"), other, status=InterestStatus.SUBMITTED)
    login(client, staff)
    url = reverse("partnerships:staff_inbox")
    html = client.get(url).content.decode()
    # Issue 14: the inbox opens on the interests to decide.
    assert "Waiting Visitor" in html and "Accepted Host" not in html
    assert '<option value="submitted" selected>To decide</option>' in html
    html = client.get(url, {"status": ""}).content.decode()  # "All"
    assert "Waiting Visitor" in html and "Accepted Host" in html
    assert "Foreign Interest" not in html
    assert html.index("Waiting Visitor") < html.index("Accepted Host")  # waiting first
    submitted_only = client.get(url, {"status": "submitted"}).content.decode()
    assert "Waiting Visitor" in submitted_only and "Accepted Host" not in submitted_only
    hosts = client.get(url, {"role": "host", "status": ""}).content.decode()
    assert "Accepted Host" in hosts and "Waiting Visitor" not in hosts


def test_support_office_reads_every_inbox(client):
    pf.interest(pf.org("BE", legal_name="Interest A"), f.PartnershipFactory())
    pf.interest(pf.org("PT", legal_name="Interest B"), f.PartnershipFactory())
    support = f.UserFactory(is_support_office=True)
    f.give_totp(support)
    login(client, support)
    html = client.get(reverse("partnerships:staff_inbox")).content.decode()
    assert "Interest A" in html and "Interest B" in html
    assert "read-only" in html


def test_inbox_is_refused_to_applicants_and_anonymous(client):
    response = client.get(reverse("partnerships:staff_inbox"))
    assert response.status_code == 302
    login(client, pf.representative_of(pf.org("BE")))
    assert client.get(reverse("partnerships:staff_inbox")).status_code == 403


def test_staff_inbox_costs_constant_queries(client, django_assert_max_num_queries):
    p = f.PartnershipFactory()
    staff = pf.staff_of(p)
    login(client, staff)
    pf.interest(pf.org("BE"), p)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("partnerships:staff_inbox")).status_code == 200
    for i in range(20):
        pf.interest(pf.org("PT"), p, status=InterestStatus.SUBMITTED if i % 2 else "accepted")
    with django_assert_max_num_queries(16):
        assert client.get(reverse("partnerships:staff_inbox")).status_code == 200


# --- review fixes --------------------------------------------------------------------------------


def test_r_part_1_directory_counts_the_validated_members_its_detail_page_lists(client):
    p = f.PartnershipFactory(acronym="AGRI", slug="agri")
    p.members.add(pf.org("PT"), pf.org("ES"), pf.org("FR", status="draft"))
    html = client.get(reverse("partnerships:directory")).content.decode()
    card = html.split('id="p-')[1]
    assert "Member clusters:</span> 2" in card


def _buttons(html):
    aside = html.split('id="express-title"')[1].split("</aside>")[0]
    return ("?role=visitor" in aside, "?role=host" in aside, aside)


def test_r_part_1_detail_offers_only_the_roles_the_users_organisations_may_take(client):
    """R-ELIG-2, R-ELIG-3: a large company may host, never visit: no "as visitor" button for it."""
    f.PartnershipFactory(slug="agri")
    url = reverse("partnerships:detail", kwargs={"slug": "agri"})
    assert _buttons(client.get(url).content.decode())[:2] == (True, True)  # anonymous
    company = pf.org("BE", org_type=OrganisationType.LARGE_COMPANY, size="large")
    f.ClusterMembershipFactory(member=company, cluster=pf.org("BE"))
    login(client, pf.representative_of(company))
    assert _buttons(client.get(url).content.decode())[:2] == (False, True)
    login(client, pf.representative_of(pf.org("FR")))
    assert _buttons(client.get(url).content.decode())[:2] == (True, True)


def test_r_elig_4_detail_tells_an_ineligible_applicant_and_links_to_why(client):
    f.PartnershipFactory(slug="agri")
    url = reverse("partnerships:detail", kwargs={"slug": "agri"})
    login(client, pf.representative_of(pf.org("BE", org_type=OrganisationType.SME)))
    visitor, host, aside = _buttons(client.get(url).content.decode())
    assert not visitor and not host
    assert "None of your organisations can express interest today." in aside
    assert reverse("partnerships:interest_create", kwargs={"slug": "agri"}) in aside
    login(client, f.UserFactory())  # no organisation at all
    visitor, host, aside = _buttons(client.get(url).content.decode())
    assert not visitor and not host
    assert reverse("organisations:create") in aside


def test_interest_history_is_readable(client, submitted):
    from partnerships import services

    services.interest_accept(actor=submitted.staff, interest=submitted)
    login(client, submitted.applicant)
    html = client.get(
        reverse("partnerships:interest_detail", kwargs={"pk": submitted.pk})
    ).content.decode()
    timeline = html.split('class="timeline')[1].split("</ol>")[0]
    assert "Accepted by the partnership" in timeline
    assert ">partnerships.interest.accepted<" not in timeline


def test_inbox_rows_link_the_organisation_to_its_profile_and_offer_to_decide(client):
    """Issue 14: names lead to the profile the staff may open; "Decide" opens the interest."""
    mine = f.PartnershipFactory(acronym="MINE")
    staff = pf.staff_of(mine)
    visitor = pf.org("BE", legal_name="Own Member", validating_partnership=mine)
    stranger = pf.org("PT", legal_name="Stranger")  # validated by another partnership
    own = pf.interest(visitor, mine, status=InterestStatus.SUBMITTED)
    foreign = pf.interest(stranger, mine, status=InterestStatus.SUBMITTED)
    login(client, staff)
    html = client.get(reverse("partnerships:staff_inbox")).content.decode()
    profile = reverse("organisations:detail", kwargs={"pk": visitor.pk})
    assert f'<a href="{profile}">Own Member</a>' in html
    assert reverse("organisations:detail", kwargs={"pk": stranger.pk}) not in html
    for interest in (own, foreign):
        detail = reverse("partnerships:interest_detail", kwargs={"pk": interest.pk})
        assert re.search(rf'<a href="{detail}" aria-label="[^"]+">Decide</a>', html)


def test_staff_match_list_links_organisations_to_their_profiles(client):
    mine = f.PartnershipFactory()
    staff = pf.staff_of(mine)
    visitor = pf.org("BE", legal_name="Linked Visitor", validating_partnership=mine)
    host = pf.org("PT", legal_name="Unlinked Host")
    v_interest = pf.interest(visitor, mine)
    Match.objects.create(
        visitor=visitor,
        host=host,
        visitor_interest=v_interest,
        vop=mine,
        hop=host.validating_partnership,
        score=10,
        proposed_by_role="visitor",
    )
    login(client, staff)
    html = client.get(reverse("partnerships:match_list")).content.decode()
    profile = reverse("organisations:detail", kwargs={"pk": visitor.pk})
    assert f'<a href="{profile}">Linked Visitor</a>' in html
    assert "Unlinked Host" in html
    assert reverse("organisations:detail", kwargs={"pk": host.pk}) not in html
