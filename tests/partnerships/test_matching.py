"""The affinity score (R-MATCH-1, R-MATCH-2) on handmade profiles: parts, hard zeros, order."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxc_portal.core.refusals import Refusal
from partnerships.matching import (
    WEIGHTS,
    MatchProfile,
    affinity,
    normalise_keywords,
    overlap,
    parts_from_dict,
    rank,
)


def visitor(**kw) -> MatchProfile:
    defaults = dict(
        organisation_id=1,
        name="Visiting Cluster",
        country="BE",
        ecosystems=frozenset({"digital", "health"}),
        sectors=frozenset({"C", "J"}),
        keywords=frozenset({"ai", "robotics", "iot", "5g"}),
        activity_types=frozenset({"knowledge_sharing", "networking"}),
        preferred_countries=frozenset({"PT", "ES"}),
    )
    defaults.update(kw)
    return MatchProfile(**defaults)


def host(**kw) -> MatchProfile:
    defaults = dict(
        organisation_id=2,
        name="Host Cluster",
        country="PT",
        ecosystems=frozenset({"digital"}),
        sectors=frozenset({"J", "M", "C"}),
        keywords=frozenset({"AI", "  Robotics ", "blockchain"}),
        activity_types=frozenset({"networking", "market_research"}),
        preferred_countries=frozenset({"BE"}),
    )
    defaults.update(kw)
    return MatchProfile(**defaults)


def parts_by_key(result):
    return {p.key: p for p in result.parts}


def test_r_match_1_weights_add_up_to_100():
    assert sum(WEIGHTS.values()) == 100


def test_r_match_1_each_part_on_a_handmade_pair():
    result = affinity(visitor(), host())
    parts = parts_by_key(result)
    # ecosystems: {digital, health} ∩ {digital} = 1, min size 1 → full 30
    assert parts["ecosystems"].points == 30
    assert parts["ecosystems"].shared == ("digital",)
    # sectors: {C, J} ∩ {C, J, M} = 2, min 2 → full 15
    assert parts["sectors"].points == 15
    assert parts["sectors"].shared == ("C", "J")
    # keywords: normalised {ai, robotics} shared of min(4, 3) → 20 × 2/3
    assert parts["keywords"].points == Fraction(40, 3)
    assert parts["keywords"].shared == ("ai", "robotics")
    # activities: wanted {knowledge_sharing, networking}, offered has networking → 20 × 1/2
    assert parts["activities"].points == 10
    assert parts["activities"].shared == ("networking",)
    # countries: visitor prefers PT (10), host welcomes BE (5)
    assert parts["countries"].points == 15
    assert parts["countries"].shared == ("PT", "BE")
    # 30 + 15 + 13.33 + 10 + 15 = 83.33 → 83
    assert result.score == 83
    assert result.possible
    assert [p.key for p in result.parts] == list(WEIGHTS)


def test_r_match_1_parts_are_exposed_for_why_this_score_and_survive_json():
    result = affinity(visitor(), host())
    stored = result.as_dict()
    assert stored["score"] == 83
    assert {p["key"] for p in stored["parts"]} == set(WEIGHTS)
    keywords = next(p for p in stored["parts"] if p["key"] == "keywords")
    assert keywords == {
        "key": "keywords",
        "points": 13.3,
        "maximum": 20,
        "shared": ["ai", "robotics"],
        "stated": [],
    }
    rebuilt = parts_from_dict(stored)
    assert [p.key for p in rebuilt] == list(WEIGHTS)
    assert rebuilt[2].display_points == 13.3
    assert rebuilt[2].label == "Shared keywords and technologies"


def test_r_match_1_nothing_in_common_scores_zero_but_is_possible():
    result = affinity(
        visitor(
            ecosystems=frozenset({"health"}),
            sectors=frozenset({"Q"}),
            keywords=frozenset(),
            activity_types=frozenset({"market_research"}),
            preferred_countries=frozenset(),
        ),
        host(activity_types=frozenset({"networking"}), preferred_countries=frozenset()),
    )
    assert result.score == 0
    assert result.possible  # a match may be made at any score (R-MATCH-1)
    assert all(p.points == 0 for p in result.parts)


def test_r_match_1_empty_lists_add_nothing():
    """No preference, no interest (no activity offered) → 0 points for that part, never less."""
    result = affinity(
        visitor(preferred_countries=frozenset()),
        host(activity_types=frozenset(), preferred_countries=frozenset()),
    )
    parts = parts_by_key(result)
    assert parts["countries"].points == 0
    assert parts["activities"].points == 0
    assert result.score == 30 + 15 + 13  # 58.33 → 58


def test_r_match_1_full_score_is_100():
    same = dict(
        ecosystems=frozenset({"digital"}),
        sectors=frozenset({"J"}),
        keywords=frozenset({"ai"}),
        activity_types=frozenset({"networking"}),
    )
    result = affinity(
        visitor(preferred_countries=frozenset({"PT"}), **same),
        host(preferred_countries=frozenset({"BE"}), **same),
    )
    assert result.score == 100


def test_r_match_1_rounding_is_half_up():
    # keywords 20 × 1/8 = 2.5 → alone it rounds up to 3
    result = affinity(
        visitor(
            ecosystems=frozenset(),
            sectors=frozenset(),
            activity_types=frozenset(),
            preferred_countries=frozenset(),
            keywords=frozenset({f"k{i}" for i in range(8)}),
        ),
        host(
            ecosystems=frozenset(),
            sectors=frozenset(),
            activity_types=frozenset(),
            preferred_countries=frozenset(),
            keywords=frozenset({"k0", *{f"x{i}" for i in range(7)}}),
        ),
    )
    assert parts_by_key(result)["keywords"].points == Fraction(5, 2)
    assert result.score == 3


def test_overlap_coefficient_boundaries():
    assert overlap(frozenset(), frozenset({"a"})) == 0
    assert overlap(frozenset({"a"}), frozenset({"a", "b", "c"})) == 1
    assert overlap(frozenset({"a", "b"}), frozenset({"b", "c"})) == Fraction(1, 2)


def test_keywords_compare_case_and_blank_insensitively():
    assert normalise_keywords(["  Machine   Learning ", "AI", "", "ai"]) == frozenset(
        {"machine learning", "ai"}
    )


# --- hard zeros ----------------------------------------------------------------------------------


def test_r_exc_1_same_country_is_a_hard_zero_with_parts_still_shown():
    result = affinity(visitor(country="PT"), host(country="PT"))
    assert result.score == 0
    assert not result.possible
    assert [b.rule for b in result.blockers] == ["R-EXC-1"]
    assert "same country" in result.blockers[0].text
    assert result.raw_points > 0  # the parts are computed, so the UI can show them


def test_r_exc_1_same_organisation_is_a_hard_zero():
    result = affinity(visitor(organisation_id=7), host(organisation_id=7))
    assert result.score == 0
    assert "cannot visit itself" in result.blockers[0].text


def test_r_elig_2_ineligible_visitor_is_a_hard_zero_with_the_engine_reasons():
    result = affinity(
        visitor(
            eligible=False,
            ineligible_reasons=(
                Refusal("R-ELIG-11", "The organisation has already used its single visit."),
            ),
        ),
        host(),
    )
    assert result.score == 0
    assert [b.rule for b in result.blockers] == ["R-ELIG-2"]
    assert "may not visit" in result.blockers[0].text
    assert "single visit" in result.blockers[0].text


def test_r_elig_3_ineligible_host_is_a_hard_zero():
    result = affinity(
        visitor(), host(eligible=False, ineligible_reasons=(Refusal("R-ELIG-4", "Not a member."),))
    )
    assert result.score == 0
    assert [b.rule for b in result.blockers] == ["R-ELIG-3"]
    assert "may not host" in result.blockers[0].text


def test_all_blockers_are_listed_in_a_fixed_order():
    result = affinity(visitor(country="PT", eligible=False), host(country="PT", eligible=False))
    assert [b.rule for b in result.blockers] == ["R-EXC-1", "R-ELIG-2", "R-ELIG-3"]


# --- ordering and determinism (R-MATCH-2) --------------------------------------------------------


def test_r_match_2_rank_best_first_then_blocked_last_then_name():
    subject = visitor()
    strong = host(organisation_id=10, name="Strong")
    weak = host(
        organisation_id=11,
        name="Weak",
        ecosystems=frozenset({"tourism"}),
        sectors=frozenset(),
        keywords=frozenset(),
    )
    blocked = host(organisation_id=12, name="Blocked", country="BE")
    zero = host(
        organisation_id=13,
        name="Zero",
        country="FR",
        ecosystems=frozenset(),
        sectors=frozenset(),
        keywords=frozenset(),
        activity_types=frozenset(),
        preferred_countries=frozenset(),
    )
    tie_b = host(organisation_id=14, name="beta")
    tie_a = host(organisation_id=15, name="Alpha")
    ranked = rank(subject, [zero, blocked, weak, tie_b, strong, tie_a], subject_role="visitor")
    names = [r.candidate.name for r in ranked]
    assert names == ["Alpha", "beta", "Strong", "Weak", "Zero", "Blocked"]
    scores = [r.affinity.score for r in ranked]
    assert scores == sorted(scores, reverse=True)
    assert ranked[-1].affinity.score == 0 and not ranked[-1].affinity.possible
    assert ranked[-2].affinity.score == 0 and ranked[-2].affinity.possible


def test_r_match_2_rank_for_a_host_scores_candidates_as_visitors():
    subject = host()
    candidates = [
        visitor(organisation_id=20, name="V1"),
        visitor(organisation_id=21, name="V2", country="PT"),
    ]
    ranked = rank(subject, candidates, subject_role="host")
    assert [r.candidate.name for r in ranked] == ["V1", "V2"]
    assert ranked[0].affinity == affinity(candidates[0], subject)
    assert not ranked[1].affinity.possible


def test_rank_refuses_an_unknown_role():
    with pytest.raises(ValueError):
        rank(visitor(), [], subject_role="traveller")


def test_r_match_1_score_is_deterministic_whatever_the_input_order():
    subject = visitor()
    candidates = [
        host(organisation_id=100 + i, name=f"Host {i % 3}", keywords=frozenset({"ai", f"k{i}"}))
        for i in range(30)
    ]
    first = [
        (r.candidate.organisation_id, r.affinity.score)
        for r in rank(subject, candidates, subject_role="visitor")
    ]
    again = [
        (r.candidate.organisation_id, r.affinity.score)
        for r in rank(subject, list(reversed(candidates)), subject_role="visitor")
    ]
    assert first == again
    assert affinity(subject, candidates[0]) == affinity(subject, candidates[0])


codes = st.frozensets(st.sampled_from(["a", "b", "c", "d", "e"]), max_size=5)


@given(codes, codes, codes, codes, codes, codes)
def test_r_match_1_score_is_always_between_0_and_100_and_symmetric_in_set_parts(
    e1, e2, s1, s2, a1, a2
):
    v = visitor(ecosystems=e1, sectors=s1, keywords=a1, activity_types=a1)
    h = host(ecosystems=e2, sectors=s2, keywords=a2, activity_types=a2)
    result = affinity(v, h)
    assert 0 <= result.score <= 100
    assert result.score == affinity(v, h).score
    # the set parts do not depend on who is visitor
    swapped = affinity(
        visitor(ecosystems=e2, sectors=s2, keywords=a2),
        host(ecosystems=e1, sectors=s1, keywords=a1),
    )
    for key in ("ecosystems", "sectors", "keywords"):
        assert parts_by_key(result)[key].points == parts_by_key(swapped)[key].points
