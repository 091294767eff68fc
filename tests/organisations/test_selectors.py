"""Facts built from the database, scoping, the gazetteer look-ups."""

from datetime import date, timedelta

import pytest
from django.http import Http404

from exchanges.models import ExchangeStatus
from organisations.choices import OrganisationType as T
from organisations.choices import ProfileStatus as S
from organisations.models import ParticipatingCountry, RepresentativeStatus
from organisations.selectors import (
    city_resolve,
    city_search,
    eligibility_queryset,
    organisation_eligibility,
    organisation_eligibility_map,
    organisation_facts,
    organisation_get,
    organisation_joinable_list,
    organisation_visible_queryset,
    participating_country_codes,
)
from tests import factories as f
from tests.organisations.factories import represented, staff_of

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 15)


def test_r_elig_8_participating_countries_are_dated_data():
    codes = participating_country_codes(today=TODAY)
    assert len(codes) == 38 and {"XK", "UA", "BE"} <= codes and "NO" not in codes
    row = ParticipatingCountry.objects.get(country="UA")
    row.valid_until = TODAY - timedelta(days=1)
    row.save()
    assert "UA" not in participating_country_codes(today=TODAY)
    assert "UA" in participating_country_codes(today=TODAY - timedelta(days=1))


def test_r_elig_4_a_business_network_membership_does_not_make_an_sme_eligible():
    sme = f.OrganisationFactory(org_type=T.SME)
    f.ClusterMembershipFactory(
        member=sme, cluster=f.OrganisationFactory(org_type=T.BUSINESS_NETWORK)
    )
    facts = organisation_facts(sme)
    assert (facts.validated_cluster_memberships, facts.other_memberships) == (0, 1)
    verdict = organisation_eligibility(sme, today=TODAY)
    assert not verdict.visitor.allowed and not verdict.host.allowed


def test_r_elig_4_a_membership_of_a_cluster_not_yet_validated_does_not_count():
    sme = f.OrganisationFactory(org_type=T.SME)
    f.ClusterMembershipFactory(member=sme, cluster=f.OrganisationFactory(status=S.SUBMITTED))
    assert organisation_facts(sme).validated_cluster_memberships == 0
    assert f.sme_member() and organisation_facts(f.sme_member()).validated_cluster_memberships == 1


def test_r_elig_6_easme_pre_approval_is_read_from_the_database():
    from organisations.models import EasmePreApproval

    sme = f.OrganisationFactory(org_type=T.SME)
    assert not organisation_eligibility(sme, today=TODAY).host.allowed
    EasmePreApproval.objects.create(organisation=sme, reference="EASME/1", granted_on=TODAY)
    sme.refresh_from_db()
    verdict = organisation_eligibility(sme, today=TODAY)
    assert verdict.host.allowed and not verdict.visitor.allowed


def test_r_elig_11_a_closed_exchange_uses_the_visit_a_cancelled_one_does_not():
    visitor = f.OrganisationFactory()
    exchange = f.ExchangeFactory(visitor=visitor)
    exchange.__class__.objects.filter(pk=exchange.pk).update(status=ExchangeStatus.CLOSED)
    verdict = organisation_eligibility(visitor, today=TODAY)
    assert not verdict.visitor.allowed and verdict.host.allowed
    assert organisation_facts(visitor, exclude_exchange_id=exchange.pk).non_cancelled_visits == 0
    exchange.__class__.objects.filter(pk=exchange.pk).update(status=ExchangeStatus.CANCELLED)
    assert organisation_eligibility(visitor, today=TODAY).visitor.allowed


def test_r_elig_10_the_signatory_is_the_first_active_representative():
    org = f.OrganisationFactory()
    f.RepresentativeFactory(organisation=org, date_of_birth=TODAY - timedelta(days=17 * 366))
    f.RepresentativeFactory(organisation=org, status=RepresentativeStatus.PENDING)
    verdict = organisation_eligibility(org, today=TODAY)
    assert not verdict.host.allowed
    assert [r.rule for r in verdict.host.failures] == ["R-ELIG-10"]


def test_eligibility_map_costs_a_constant_number_of_queries(django_assert_max_num_queries):
    def build(n):
        for _ in range(n):
            org = f.sme_member()
            f.RepresentativeFactory(organisation=org)
            f.ExchangeFactory(visitor=org)

    build(1)
    with django_assert_max_num_queries(3):
        organisation_eligibility_map(list(eligibility_queryset()), today=TODAY)
    build(6)
    with django_assert_max_num_queries(3):
        verdicts = organisation_eligibility_map(list(eligibility_queryset()), today=TODAY)
    assert len(verdicts) > 10


def test_a_user_sees_only_the_profiles_they_represent_or_handle():
    org, user = represented()
    other = f.OrganisationFactory()
    assert list(organisation_visible_queryset(user=user)) == [org]
    with pytest.raises(Http404):
        organisation_get(user=user, pk=other.pk)
    staff = staff_of(other.validating_partnership)
    assert list(organisation_visible_queryset(user=staff)) == [other]
    support = f.UserFactory(is_support_office=True)
    assert organisation_visible_queryset(user=support).count() >= 2


def test_joinable_profiles_are_submitted_or_validated_and_not_already_joined():
    user = f.UserFactory()
    f.OrganisationFactory(legal_name="Alpha Robotics", status=S.DRAFT)
    submitted = f.OrganisationFactory(legal_name="Alpha Sensors", status=S.SUBMITTED)
    mine = f.OrganisationFactory(legal_name="Alpha Mine")
    f.RepresentativeFactory(user=user, organisation=mine)
    assert organisation_joinable_list(user=user, query="alpha") == [submitted]
    assert organisation_joinable_list(user=user, query="a") == []


def test_city_search_ignores_accents_and_finds_other_names():
    assert city_search(country="BE", query="Ghent")[0].name == "Gent"
    assert city_search(country="BE", query="liege")[0].name == "Liège"
    assert city_search(country="PL", query="Krak")[0].name == "Kraków"
    assert city_search(country="XK", query="Prist")[0].name == "Pristina"
    assert city_search(country="PT", query="Gent") == []
    assert city_search(country="", query="Gent") == []
    assert len(city_search(country="DE", query="be")) == 12


def test_city_resolve_uses_the_pick_only_when_the_name_still_matches():
    gent = city_resolve(country="BE", name="gent")
    assert gent is not None and gent.name == "Gent"
    assert city_resolve(country="BE", name="Ghent") == gent
    liege = city_resolve(country="BE", name="Liège")
    assert city_resolve(country="BE", name="Gent", city_id=liege.pk) == gent
    assert city_resolve(country="BE", name="Atlantis") is None
    assert city_resolve(country="FR", name="Gent") is None
