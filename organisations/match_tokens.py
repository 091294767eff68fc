"""What the matching page's pre-ranking reads of a profile, precomputed on the row (issue 12).

``Organisation.match_tokens`` holds the profile's side of R-MATCH-1 as a JSON object of tokens
(``{"e:digital": true, ...}``) that one GIN index answers: ``e:`` an industrial ecosystem,
``s:`` a sector, ``k:`` a normalised keyword, ``c:`` the country. ``None`` means "not indexed"
(a row made outside the services): the pre-ranking then treats the row as possibly sharing
everything, so an unindexed row is never left out, only looked at early.
The services that change a profile (organisations.services, services_changes) keep it; the
partnerships room keeps ``match_interest_tokens`` (the accepted interests' side) likewise.
Pure: no ORM, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_BLANKS = re.compile(r"\s+")


def normalise_keyword(word: object) -> str:
    """Case-insensitive, blank-insensitive form of a keyword ("  Machine   Learning" → ...)."""
    return _BLANKS.sub(" ", str(word)).strip().casefold()


def normalise_keywords(words: Iterable[object]) -> frozenset[str]:
    return frozenset(w for w in (normalise_keyword(x) for x in words) if w)


def profile_tokens(
    *,
    keywords: Iterable[object],
    ecosystem_codes: Iterable[str],
    sector_codes: Iterable[str],
    country: object,
) -> dict[str, bool]:
    """The tokens of one profile (module doc), sorted so equal profiles store equal JSON."""
    tokens = {f"e:{c}" for c in ecosystem_codes}
    tokens |= {f"s:{c}" for c in sector_codes}
    tokens |= {f"k:{w}" for w in normalise_keywords(keywords or [])}
    if str(country or ""):
        tokens.add(f"c:{country}")
    return dict.fromkeys(sorted(tokens), True)
