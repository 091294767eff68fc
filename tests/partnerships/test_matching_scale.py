"""The matching page at programme scale (issue 12, R-MATCH-2): the best list is chosen from a
bounded pre-selection made by the database, and the catalogue is a page of the database.
Query counts only: the time lives in the benchmark harness."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.match_tokens import profile_tokens
from partnerships.selectors import (
    catalogue_first_page_ids,
    catalogue_queryset,
    matching_for_interest,
)
from partnerships.services.match_tokens import interest_tokens_refresh
from tests.partnerships import factories as pf

pytestmark = pytest.mark.django_db


def test_r_match_2_the_best_list_scores_a_bounded_preselection_of_possible_pairs(world):
    """R-MATCH-2: at most ``preselect`` candidates are scored in Python; the database picks
    them among pairs that can form an exchange (another country than the visitor's), those
    sharing what the visitor looks for (ecosystems, preferred country) first."""
    for i in range(6):
        pf.org("DE", legal_name=f"Unrelated {i}")  # nothing shared
    sharing = pf.org("FR", legal_name="Digital Lyon")
    sharing.ecosystems.set(pf.ecosystems("digital"))
    pf.org("BE", legal_name="Same Country")  # a hard zero: never pre-selected
    result = matching_for_interest(interest=world.visitor_interest, today=pf.FUTURE, preselect=3)
    names = [c.organisation.legal_name for c in result.candidates]
    assert len(names) == 3
    # Porto: shared ecosystem and preferred country; Lyon: a shared ecosystem
    assert names[:2] == ["Porto Cluster", "Digital Lyon"]
    assert "Same Country" not in names
    everyone = matching_for_interest(interest=world.visitor_interest, today=pf.FUTURE)
    assert len(everyone.candidates) == 8  # all possible pairs when fewer than the bound


def test_r_match_2_the_catalogue_is_filtered_and_paginated_by_the_database(world):
    """R-MATCH-2: the catalogue is a queryset (counted and sliced by the database), with the
    blocked pairs listed too unless only the possible ones are asked for (R-EXC-1)."""
    pf.org("BE", legal_name="Ghent Cluster")
    pf.org("DE", legal_name="Berlin Hub", keywords=["hydrogen"])
    result = matching_for_interest(interest=world.visitor_interest, today=pf.FUTURE)
    everything = catalogue_queryset(result, sort="name")
    assert list(everything.values_list("legal_name", flat=True)) == [
        "Berlin Hub",
        "Ghent Cluster",
        "Porto Cluster",
    ]
    assert catalogue_queryset(result, only_possible=True).count() == 2
    assert list(catalogue_queryset(result, q="HYDROGEN").values_list("legal_name", flat=True)) == [
        "Berlin Hub"
    ]


def test_r_match_2_matching_page_query_count_is_pinned_at_small_scale(
    client, world, django_assert_max_num_queries
):
    """The page's query count with a few candidates (issue 12: a pin at small scale; the
    harness proves the time at 100,000 organisations)."""
    for i in range(25):
        pf.org("FR", legal_name=f"Lyon Cluster {i:02d}")
    client.force_login(world.visitor_user)
    url = reverse("partnerships:matching", kwargs={"pk": world.visitor_interest.pk})
    with django_assert_max_num_queries(30):
        response = client.get(url, {"page": 2})
    assert response.status_code == 200
    assert "Page 2 of 2" in response.content.decode()


def test_r_match_2_the_unsearched_first_page_is_cut_from_the_preselection(world):
    """R-MATCH-2, issue 12: the catalogue's first page sorted by score, without the best list,
    is exactly what ``catalogue_queryset`` would page — taken from the pre-selection's own
    sort instead of a second sort of every candidate."""
    for i in range(18):
        org = pf.org("FR" if i % 3 else "BE", legal_name=f"Cluster {i:02d}")
        if i % 2:
            org.ecosystems.set(pf.ecosystems("digital"))
    result = matching_for_interest(interest=world.visitor_interest, today=pf.FUTURE)
    assert result.catalogue_prefix is not None
    best = frozenset(c.organisation.pk for c in result.best(4))
    expected = list(catalogue_queryset(result, exclude_ids=best).values_list("pk", flat=True))
    assert catalogue_first_page_ids(result, shown=best, size=6) == expected[:6]
    # a best list outside the prefix: it cannot tell
    assert catalogue_first_page_ids(result, shown=frozenset({-1}), size=6) is None


def _index(*orgs):
    """Give these organisations their matching tokens as the services keep them (issue 12)."""
    for org in orgs:
        org.match_tokens = profile_tokens(
            keywords=org.keywords,
            ecosystem_codes=[e.code for e in org.ecosystems.all()],
            sector_codes=[s.code for s in org.sectors.all()],
            country=org.country,
        )
        org.save(update_fields=["match_tokens"])
    interest_tokens_refresh([o.pk for o in orgs])


def test_r_match_1_the_tiered_preselection_finds_the_best_a_partial_prescore_would_miss(world):
    """R-MATCH-1, R-MATCH-2 (issue 12): the pre-selection reads candidates by an upper bound of
    their score until the best ones are known exactly, so a candidate that earns its points by
    keywords and activities (which a pre-score of ecosystems, sectors and countries alone would
    rank last) is not left outside the bound — the best list equals the one that scores every
    candidate, with far fewer candidates scored."""
    world.visitor.keywords = ["hydrogen", "ai"]
    world.visitor.save(update_fields=["keywords"])
    decoys = []
    for i in range(30):  # a shared ecosystem out of two (15 points): high pre-score, low score
        decoy = pf.org("DE", legal_name=f"A Decoy {i:02d}")
        decoy.ecosystems.set(pf.ecosystems("digital", "agrifood", "textiles"))
        decoys.append(decoy)
    star = pf.org("FR", legal_name="Z Star", keywords=["Hydrogen", " AI "])
    pf.interest(star, world.hop, "host", preferred_countries=["BE"], activity_types=["networking"])
    _index(world.visitor, world.host, star, *decoys)
    everyone = matching_for_interest(
        interest=world.visitor_interest, today=pf.FUTURE, preselect=None
    )
    tiered = matching_for_interest(
        interest=world.visitor_interest, today=pf.FUTURE, preselect=6, best=3
    )
    expected = [(c.organisation.legal_name, c.affinity.score) for c in everyone.best(3)]
    assert [(c.organisation.legal_name, c.affinity.score) for c in tiered.best(3)] == expected
    assert ("Z Star", 45) in expected  # keywords 20 + activities 20 + welcomes BE 5
    assert len(tiered.candidates) <= 6  # a bounded set scored, not all 32


def test_r_match_2_an_unindexed_row_is_never_left_out_of_the_preselection(world):
    """Issue 12: a row whose tokens were never computed (made outside the services) counts as
    possibly sharing everything, so the pre-selection reads it first rather than missing it."""
    for i in range(10):
        decoy = pf.org("DE", legal_name=f"A Decoy {i:02d}")
        decoy.ecosystems.set(pf.ecosystems("digital"))
        _index(decoy)
    world.host.match_tokens = None
    world.host.save(update_fields=["match_tokens"])
    _index(world.visitor)
    result = matching_for_interest(interest=world.visitor_interest, today=pf.FUTURE, preselect=3)
    assert "Porto Cluster" in [c.organisation.legal_name for c in result.candidates]


def test_r_match_2_first_page_runs_one_query_fewer_than_a_later_page(client, world):
    """Issue 12: the first page of the unsearched catalogue reuses the pre-selection's sort;
    a later page runs the catalogue's own (one more query). Without the reuse both count the
    same."""
    for i in range(25):
        pf.org("FR", legal_name=f"Lyon Cluster {i:02d}")
    client.force_login(world.visitor_user)
    url = reverse("partnerships:matching", kwargs={"pk": world.visitor_interest.pk})
    client.get(url)  # warm caches (session, choices)
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(url, {"page": 2}).status_code == 200
    assert len(first) == len(second) - 1


def test_r_match_2_a_subject_with_nothing_to_compare_is_ordered_by_a_cast_constant(world):
    """R-MATCH-2: an interest whose organisation names no ecosystem, sector or preferred
    country pre-scores every candidate 0. That constant must not reach the ORDER BY as a bare
    literal: PostgreSQL reads ``ORDER BY 0`` as a column position and the matching page
    answered 500 (found by tests/foundation/test_permission_matrix.py on PostgreSQL)."""
    from django.db import connection

    interest = pf.interest(pf.org("IT", legal_name="Plain Turin"), world.vop, "visitor")
    result = matching_for_interest(interest=interest, today=pf.FUTURE, preselect=3)
    names = {c.organisation.legal_name for c in result.candidates}
    assert names == {"Porto Cluster", "Brussels Cluster"}
    catalogue = catalogue_queryset(result).values_list("legal_name", flat=True)
    sql, _params = catalogue.query.get_compiler(connection=connection).as_sql()
    order_by = sql.rsplit("ORDER BY", 1)[1]
    assert not order_by.lstrip().startswith("%s"), order_by  # a cast, never a bare parameter
    assert set(catalogue) >= names  # and runs, on either database


def test_r_match_2_candidates_eligibility_is_not_translated_per_candidate(world, monkeypatch):
    """R-MATCH-2, R-ELIG-12 (issue 12): ranking the candidates decides their eligibility
    without translating its sentences — the translations made do not grow with the number of
    candidates — and a blocked candidate still explains why when read (R-ELIG-11 here)."""
    import organisations.eligibility as engine

    calls: list[str] = []

    def counting(message):
        calls.append(message)
        return message

    monkeypatch.setattr(engine, "gettext", counting)
    pf.org("DE", legal_name="Host 0")
    matching_for_interest(interest=world.visitor_interest, today=pf.FUTURE)
    few = len(calls)
    for i in range(1, 6):
        pf.org("DE", legal_name=f"Host {i}")
    calls.clear()
    result = matching_for_interest(interest=world.visitor_interest, today=pf.FUTURE)
    assert len(result.candidates) >= 6
    assert len(calls) == few
    # An SME host without membership is blocked (R-ELIG-4); reading its affinity explains it.
    from organisations.choices import OrganisationType

    pf.org("FR", legal_name="Lone SME", org_type=OrganisationType.SME)
    result = matching_for_interest(interest=world.visitor_interest, today=pf.FUTURE)
    (lone,) = [c for c in result.candidates if c.organisation.legal_name == "Lone SME"]
    assert not lone.affinity.possible
    assert "Lone SME may not host" in lone.affinity.blockers[0].text
    assert "cluster organisation" in lone.affinity.blockers[0].text
