"""The pure eligibility engine, rule by rule at each boundary (R-ELIG-2 … R-ELIG-12)."""

from datetime import date, timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from organisations.choices import OrganisationType as T
from organisations.eligibility import (
    OrganisationFacts,
    SignatoryFacts,
    age_on,
    evaluate,
)
from organisations.reference import COSME_ASSOCIATED, EU_MEMBER_STATES

TODAY = date(2026, 6, 15)
COSME = frozenset(EU_MEMBER_STATES + COSME_ASSOCIATED)
ADULT = SignatoryFacts(date_of_birth=date(1980, 1, 1), nationality="BE")


def verdict(**kwargs):
    facts = OrganisationFacts(**{"country": "BE", "signatory": ADULT, **kwargs})
    return evaluate(facts, participating_countries=COSME, today=TODAY)


def failed_rules(role_verdict) -> set[str]:
    return {r.rule for r in role_verdict.failures}


# --- R-ELIG-2 / R-ELIG-3: who may visit, who may host ---------------------------------------------


@pytest.mark.parametrize("org_type", [T.CLUSTER, T.BUSINESS_NETWORK])
def test_r_elig_2_clusters_and_business_networks_visit_and_host_without_membership(org_type):
    v = verdict(org_type=org_type)
    assert v.visitor.allowed and v.host.allowed


@pytest.mark.parametrize("org_type", [T.SCALEUP_SUPPORT, T.SME])
def test_r_elig_2_scaleups_and_smes_visit_and_host_only_as_cluster_members(org_type):
    member = verdict(org_type=org_type, validated_cluster_memberships=1)
    assert member.visitor.allowed and member.host.allowed
    not_member = verdict(org_type=org_type, validated_cluster_memberships=0)
    assert not not_member.visitor.allowed and not not_member.host.allowed
    assert failed_rules(not_member.visitor) == {"R-ELIG-4"}


@pytest.mark.parametrize("org_type", [T.TRAINING_PROVIDER, T.LARGE_COMPANY])
def test_r_elig_3_training_providers_and_large_companies_host_as_members_never_visit(org_type):
    v = verdict(org_type=org_type, validated_cluster_memberships=3)
    assert v.host.allowed
    assert not v.visitor.allowed
    assert failed_rules(v.visitor) == {"R-ELIG-2"}
    assert "may not visit" in v.visitor.failures[0].text


def test_r_elig_3_a_large_company_can_host_never_visit():
    v = verdict(org_type=T.LARGE_COMPANY, validated_cluster_memberships=1)
    assert (v.visitor.allowed, v.host.allowed) == (False, True)
    assert verdict(org_type=T.LARGE_COMPANY).host.allowed is False


def test_r_elig_3_a_public_authority_hosts_only_when_active_in_a_cluster():
    active = verdict(org_type=T.PUBLIC_AUTHORITY, validated_cluster_memberships=1)
    assert active.host.allowed and not active.visitor.allowed
    inactive = verdict(org_type=T.PUBLIC_AUTHORITY)
    assert not inactive.host.allowed
    assert "active in a cluster" in inactive.host.failures[0].text


def test_r_elig_2_an_unknown_type_may_do_nothing():
    v = verdict(org_type="space_agency", validated_cluster_memberships=5)
    assert not v.visitor.allowed and not v.host.allowed


# --- R-ELIG-4: only validated cluster organisations count ---------------------------------------


def test_r_elig_4_an_sme_member_only_of_a_business_network_cannot_visit_or_host():
    v = verdict(org_type=T.SME, other_memberships=1)
    assert not v.visitor.allowed and not v.host.allowed
    text = v.visitor.failures[0].text
    assert "business network" in text and "does not" in text


def test_r_elig_4_one_validated_cluster_membership_is_enough():
    assert verdict(
        org_type=T.SME, validated_cluster_memberships=1, other_memberships=2
    ).visitor.allowed


# --- R-ELIG-5: validated profiles only ---------------------------------------------------------


def test_r_elig_5_an_unvalidated_profile_cannot_take_part():
    v = verdict(org_type=T.CLUSTER, profile_validated=False)
    assert failed_rules(v.visitor) == {"R-ELIG-5"} == failed_rules(v.host)


def test_r_elig_5_a_profile_to_come_is_not_refused_but_explained():
    v = verdict(org_type=T.CLUSTER, profile_validated=None)
    assert v.visitor.allowed
    assert any(r.rule == "R-ELIG-5" and "will need" in r.text for r in v.visitor.reasons)


# --- R-ELIG-6: EASME pre-approval of an SME as host ------------------------------------------


def test_r_elig_6_the_business_network_sme_with_easme_pre_approval_hosts_but_never_visits():
    v = verdict(org_type=T.SME, other_memberships=1, easme_pre_approved=True)
    assert v.host.allowed
    assert any(r.rule == "R-ELIG-6" and r.met for r in v.host.reasons)
    assert not v.visitor.allowed
    assert "never visiting" in v.visitor.failures[0].text


def test_r_elig_6_easme_pre_approval_helps_only_smes():
    v = verdict(org_type=T.SCALEUP_SUPPORT, easme_pre_approved=True)
    assert not v.host.allowed


# --- R-ELIG-7 / R-ELIG-8: COSME participating country -----------------------------------------


@pytest.mark.parametrize("country", ["XK", "UA", "TR", "IS", "AL"])
def test_r_elig_8_associated_countries_participate(country):
    assert verdict(org_type=T.CLUSTER, country=country).visitor.allowed


@pytest.mark.parametrize("country", ["NO", "LI", "CH", "GB", ""])
def test_r_elig_7_an_organisation_outside_cosme_cannot_take_part(country):
    v = verdict(org_type=T.CLUSTER, country=country)
    assert failed_rules(v.visitor) == {"R-ELIG-8"} == failed_rules(v.host)


def test_r_elig_8_the_list_is_data_a_country_leaving_is_refused():
    facts = OrganisationFacts(org_type=T.CLUSTER, country="BE", signatory=ADULT)
    v = evaluate(facts, participating_countries=COSME - {"BE"}, today=TODAY)
    assert not v.visitor.allowed


# --- R-ELIG-9: nationals of non-participating countries need 183 days of residence -----------


def _resident_since(since):
    return SignatoryFacts(
        date_of_birth=date(1980, 1, 1), nationality="CH", residence_permit_since=since
    )


def test_r_elig_9_183_days_of_residence_is_enough_182_is_not():
    ok = verdict(org_type=T.CLUSTER, signatory=_resident_since(TODAY - timedelta(days=183)))
    assert ok.visitor.allowed and ok.host.allowed
    short = verdict(org_type=T.CLUSTER, signatory=_resident_since(TODAY - timedelta(days=182)))
    assert failed_rules(short.visitor) == {"R-ELIG-9"} == failed_rules(short.host)
    assert "182 days only" in short.host.failures[0].text


def test_r_elig_9_no_residence_permit_date_means_not_yet():
    v = verdict(org_type=T.CLUSTER, signatory=_resident_since(None))
    assert failed_rules(v.host) == {"R-ELIG-9"}


def test_r_elig_9_a_permit_date_in_the_future_even_the_last_day_of_the_calendar_is_not_yet():
    for since in (TODAY + timedelta(days=1), date.max):
        v = verdict(org_type=T.CLUSTER, signatory=_resident_since(since))
        assert failed_rules(v.host) == {"R-ELIG-9"}
        assert "has not lived there" in v.host.failures[0].text


def test_r_elig_9_an_unknown_nationality_is_said_not_taken_for_a_foreign_one():
    v = verdict(org_type=T.CLUSTER, signatory=SignatoryFacts(date(1980, 1, 1), ""))
    assert failed_rules(v.host) == {"R-ELIG-9"}
    assert v.host.failures[0].text == "The representative's nationality is not known."


def test_r_elig_9_nationals_of_participating_countries_need_no_residence():
    v = verdict(org_type=T.CLUSTER, signatory=SignatoryFacts(date(1980, 1, 1), "XK"))
    assert v.host.allowed


# --- R-ELIG-10: signatories are 18 or over ------------------------------------------------------


def test_r_elig_10_a_17_year_old_cannot_sign_for_a_host():
    born = date(TODAY.year - 18, TODAY.month, TODAY.day + 1)  # 18 tomorrow
    v = verdict(org_type=T.CLUSTER, signatory=SignatoryFacts(born, "BE"))
    assert not v.host.allowed
    assert failed_rules(v.host) == {"R-ELIG-10"}
    assert "is 17" in v.host.failures[0].text and "a host" in v.host.failures[0].text
    assert not v.visitor.allowed  # [design] the same for every signatory


def test_r_elig_10_an_18th_birthday_counts_on_the_day():
    born = date(TODAY.year - 18, TODAY.month, TODAY.day)
    assert verdict(org_type=T.CLUSTER, signatory=SignatoryFacts(born, "BE")).host.allowed


def test_r_elig_10_age_on_handles_29_february():
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_r_elig_10_a_stated_age_or_a_declaration_stands_for_the_birth_date():
    assert not verdict(
        org_type=T.CLUSTER, signatory=SignatoryFacts(None, "BE", age=17)
    ).host.allowed
    assert verdict(org_type=T.CLUSTER, signatory=SignatoryFacts(None, "BE", age=18)).host.allowed
    declared = verdict(
        org_type=T.CLUSTER, signatory=SignatoryFacts(None, "BE", declared_adult=True)
    )
    assert declared.host.allowed
    unknown = verdict(org_type=T.CLUSTER, signatory=SignatoryFacts(None, "BE"))
    assert failed_rules(unknown.host) == {"R-ELIG-10"}


def test_r_elig_10_a_birth_date_in_the_future_is_a_slip_not_an_adult():
    for born in (TODAY + timedelta(days=1), date.max):
        signatory = SignatoryFacts(born, "BE", declared_adult=True)
        v = verdict(org_type=T.CLUSTER, signatory=signatory)
        assert failed_rules(v.host) == {"R-ELIG-10"}
        assert "in the future" in v.host.failures[0].text


def test_r_elig_10_a_birth_date_wins_over_a_declaration():
    born = date(TODAY.year - 16, 1, 1)
    signatory = SignatoryFacts(born, "BE", declared_adult=True)
    assert not verdict(org_type=T.CLUSTER, signatory=signatory).host.allowed


def test_r_elig_10_without_a_known_signatory_nothing_is_refused_but_it_is_said():
    v = verdict(org_type=T.CLUSTER, signatory=None)
    assert v.host.allowed
    assert any(r.rule == "R-ELIG-10" and "No signatory" in r.text for r in v.host.reasons)


def test_r_elig_12_an_unknown_signatory_is_pending_not_met():
    """R-ELIG-10, R-ELIG-12: "no signatory known yet" refuses nothing but is not a tick."""
    v = verdict(org_type=T.CLUSTER, signatory=None)
    assert [r.rule for r in v.host.pending] == ["R-ELIG-10"]
    assert not v.host.awaits_validation  # a validated profile: only the signatory is to come
    assert [r.rule for r in verdict(org_type=T.CLUSTER).host.pending] == []


def test_r_elig_12_a_profile_not_validated_yet_could_take_part_once_validated():
    """R-ELIG-5, R-ELIG-12: a draft or submitted profile (``profile_validated=None``) is
    allowed as far as its facts go, but awaits validation: "could visit once validated"."""
    v = verdict(org_type=T.CLUSTER, profile_validated=None)
    assert v.visitor.allowed and v.visitor.awaits_validation and v.host.awaits_validation
    assert v.visitor.as_dict()["awaits_validation"] is True
    assert not verdict(org_type=T.CLUSTER).visitor.awaits_validation
    # Refused anyway: no "once validated" promise.
    assert not verdict(org_type=T.SME, profile_validated=None).visitor.awaits_validation


# --- R-ELIG-11: visit once, host many times ------------------------------------------------------


def test_r_elig_11_a_visitor_with_one_exchange_cannot_visit_again_but_can_host():
    v = verdict(org_type=T.SME, validated_cluster_memberships=1, non_cancelled_visits=1)
    assert not v.visitor.allowed and v.host.allowed
    assert failed_rules(v.visitor) == {"R-ELIG-11"}
    assert verdict(org_type=T.SME, validated_cluster_memberships=1).visitor.allowed


# --- R-ELIG-12: every reason, explained -------------------------------------------------------


def test_r_elig_12_every_reason_is_returned_met_or_not_and_serialisable():
    v = verdict(org_type=T.SME, country="NO", other_memberships=1, non_cancelled_visits=1)
    rules = [r["rule"] for r in v.as_dict()["visitor"]["reasons"]]
    assert {"R-ELIG-8", "R-ELIG-5", "R-ELIG-4", "R-ELIG-10", "R-ELIG-9", "R-ELIG-11"} <= set(rules)
    assert v.as_dict()["visitor"]["allowed"] is False
    assert len(v.visitor.failures) == 3
    assert v.for_role("host") is v.host and v.for_role("visitor") is v.visitor
    assert all(r.text and r.text[0].isupper() for r in v.visitor.reasons + v.host.reasons)


# --- Property: never allow what R-ELIG-2, R-ELIG-3 exclude ----------------------------------------

ALL_TYPES = [t.value for t in T] + ["unknown"]
# The rule book's table (DOMAIN.md), written out here independently of the engine's constants.
VISIT_FREE = {"cluster", "business_network"}
VISIT_AS_MEMBER = {"scaleup_support", "sme"}
HOST_FREE = VISIT_FREE
HOST_AS_MEMBER = VISIT_AS_MEMBER | {"training_provider", "large_company", "public_authority"}

signatories = st.one_of(
    st.none(),
    st.builds(
        SignatoryFacts,
        # The whole calendar: a date typed anywhere in it must give a verdict, never a crash.
        date_of_birth=st.one_of(st.none(), st.dates()),
        nationality=st.sampled_from(["BE", "PT", "XK", "CH", "US", "NO", ""]),
        residence_permit_since=st.one_of(st.none(), st.dates()),
        age=st.one_of(st.none(), st.integers(0, 120)),
        declared_adult=st.booleans(),
    ),
)
facts_strategy = st.builds(
    OrganisationFacts,
    org_type=st.sampled_from(ALL_TYPES),
    country=st.sampled_from(["BE", "PT", "XK", "UA", "NO", "CH", "GB", ""]),
    is_sme=st.booleans(),
    profile_validated=st.sampled_from([None, True, False]),
    validated_cluster_memberships=st.integers(0, 3),
    other_memberships=st.integers(0, 3),
    easme_pre_approved=st.booleans(),
    signatory=signatories,
    non_cancelled_visits=st.integers(0, 2),
)


@settings(max_examples=400, deadline=None)
@given(facts=facts_strategy, today=st.dates(date(2020, 1, 1), date(2032, 12, 31)))
@example(  # the calendar's edge, which random draws rarely reach
    facts=OrganisationFacts(
        org_type="cluster",
        country="BE",
        signatory=SignatoryFacts(date.max, "US", residence_permit_since=date.max),
    ),
    today=date(2026, 6, 15),
)
def test_r_elig_2_and_3_property_the_engine_never_allows_an_excluded_role(facts, today):
    v = evaluate(facts, participating_countries=COSME, today=today)
    member = facts.validated_cluster_memberships > 0
    if v.visitor.allowed:
        assert facts.org_type in VISIT_FREE or (facts.org_type in VISIT_AS_MEMBER and member)
        assert facts.non_cancelled_visits == 0  # R-ELIG-11
    if v.host.allowed:
        assert (
            facts.org_type in HOST_FREE
            or (facts.org_type in HOST_AS_MEMBER and member)
            or (facts.org_type == "sme" and facts.easme_pre_approved)  # R-ELIG-6
        )
    if v.visitor.allowed or v.host.allowed:
        assert facts.country in COSME  # R-ELIG-7, R-ELIG-8
        assert facts.profile_validated is not False  # R-ELIG-5
    # R-ELIG-12: a refusal always says why; an allowed role has no failure.
    for role in (v.visitor, v.host):
        assert role.allowed == (not role.failures)
        assert role.reasons


def test_r_elig_12_deciding_without_explaining_gives_the_same_verdict_untranslated(monkeypatch):
    """R-ELIG-2 … R-ELIG-12: ``evaluate(explain=False)`` (the matching page ranks many
    organisations, issue 12) decides by the same rules — same reasons, same ``met`` — and
    translates none of their sentences; ``explain=True`` still translates them."""
    import organisations.eligibility as engine

    calls: list[str] = []

    def counting(message):
        calls.append(message)
        return message

    monkeypatch.setattr(engine, "gettext", counting)
    cases = [
        OrganisationFacts(org_type=T.SME, country="BE", signatory=ADULT),
        OrganisationFacts(org_type=T.CLUSTER, country="US", signatory=None, non_cancelled_visits=1),
        OrganisationFacts(
            org_type=T.LARGE_COMPANY,
            country="BE",
            validated_cluster_memberships=1,
            signatory=SignatoryFacts(date_of_birth=date(2015, 1, 1), nationality="US"),
        ),
    ]
    for facts in cases:
        explained = evaluate(facts, participating_countries=COSME, today=TODAY)
        assert calls
        calls.clear()
        decided = evaluate(facts, participating_countries=COSME, today=TODAY, explain=False)
        assert calls == []
        assert decided == explained  # English: the untranslated sentences are the same
