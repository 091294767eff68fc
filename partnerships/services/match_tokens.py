"""The accepted interests' side of the matching page's pre-ranking, kept on the organisation
row (issue 12, R-MATCH-1; the profile's side: organisations.match_tokens).

``Organisation.match_interest_tokens`` is a JSON object of tokens, prefixed by the role of the
interest (``h:`` host, ``v:`` visitor): ``h:e:`` an ecosystem an accepted host interest names,
``h:a:`` an activity type it offers, ``h:p:`` a country it prefers (likewise ``v:`` for
visitor interests: wanted activities). The union over the organisation's accepted interests
of that role, a superset of what the interest the page picks (``pick_interest``) holds — which
is what an upper bound of the score needs. Refreshed by the services that make an interest
accepted or stop it being so (interest_accept, interest_withdraw).
"""

from __future__ import annotations

from collections.abc import Iterable

from organisations.models import Organisation

from ..models import ExpressionOfInterest, InterestStatus

ROLE_PREFIX = {"host": "h", "visitor": "v"}


def interest_tokens(interests: Iterable[ExpressionOfInterest]) -> dict[str, bool]:
    """The tokens of these (accepted) interests (module doc). Pure over loaded rows."""
    tokens: set[str] = set()
    for interest in interests:
        role = ROLE_PREFIX[interest.role]
        tokens |= {f"{role}:e:{e.code}" for e in interest.ecosystems.all()}
        tokens |= {f"{role}:a:{a}" for a in interest.activity_types or []}
        tokens |= {f"{role}:p:{c.code}" for c in interest.preferred_countries}
    return dict.fromkeys(sorted(tokens), True)


def interest_tokens_refresh(organisation_ids: Iterable[int]) -> None:
    """Recompute ``match_interest_tokens`` of these organisations from their accepted
    interests (three queries whatever their number)."""
    ids = sorted(set(organisation_ids))
    if not ids:
        return
    by_org: dict[int, list[ExpressionOfInterest]] = {pk: [] for pk in ids}
    accepted = ExpressionOfInterest.objects.filter(
        organisation_id__in=ids, status=InterestStatus.ACCEPTED
    ).prefetch_related("ecosystems")
    for interest in accepted:
        by_org[interest.organisation_id].append(interest)
    rows = [Organisation(pk=pk, match_interest_tokens=interest_tokens(by_org[pk])) for pk in ids]
    Organisation.objects.bulk_update(rows, ["match_interest_tokens"])
