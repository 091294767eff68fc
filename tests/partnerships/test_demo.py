"""The demo step of interests and matches: works on whatever organisations exist, idempotent."""

from datetime import date

import pytest

from cxc_portal.core.demo import SeedContext
from partnerships.demo import seed_interests_and_matches, seed_partnerships
from partnerships.models import ExpressionOfInterest, Match, Partnership
from tests.partnerships import factories as pf

pytestmark = pytest.mark.django_db

COUNTRIES = ["BE", "PT", "ES", "FR", "DE", "IT", "PL", "NL", "AT", "SE", "FI", "GR"]


def snapshot():
    return (
        sorted(ExpressionOfInterest.objects.values_list("organisation", "role", "status")),
        sorted(Match.objects.values_list("visitor", "host", "status", "score")),
    )


def test_seed_interests_and_matches_is_complete_and_idempotent():
    ctx = SeedContext(today=date(2026, 11, 23), log=print)
    seed_partnerships(ctx)
    partnerships = list(Partnership.objects.order_by("acronym"))
    for n, country in enumerate(COUNTRIES):
        org = pf.org(country, validating_partnership=partnerships[n % len(partnerships)])
        org.ecosystems.set(pf.ecosystems("digital"))
        pf.representative_of(org)
    pf.org("CY")  # no representative: never chosen
    seed_interests_and_matches(ctx)
    first = snapshot()
    statuses = [s for _, _, s in first[0]]
    assert statuses.count("accepted") == 8
    assert statuses.count("submitted") == 3
    assert statuses.count("declined") == 1
    declined = ExpressionOfInterest.objects.get(status="declined")
    assert declined.decision_reason
    matches = [s for _, _, s, _ in first[1]]
    assert matches.count("accepted") == 2
    assert matches.count("proposed") == 2
    assert Match.objects.filter(proposed_by_role="host").count() == 1
    for match in Match.objects.all():
        assert match.visitor.country != match.host.country
        assert match.vop_id and match.hop_id and match.score_parts["parts"]
    seed_interests_and_matches(ctx)
    assert snapshot() == first


def test_seed_interests_and_matches_without_organisations_says_so():
    said = []
    ctx = SeedContext(today=date(2026, 11, 23), log=said.append)
    seed_partnerships(ctx)
    seed_interests_and_matches(ctx)
    assert not ExpressionOfInterest.objects.exists()
    assert "no interests seeded" in said[-1]
