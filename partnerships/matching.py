"""The affinity score between a visitor and a host (R-MATCH-1, R-MATCH-2): pure, no ORM, no clock.

Give it two ``MatchProfile`` (each built by ``selectors`` from an organisation's profile, its
expression of interest for the role and the eligibility engine's verdict for that role); it
returns an ``Affinity``: the score 0–100 **and its parts**, so the UI can say why.

The formula (deterministic: exact fractions, no floating-point sums)
-------------------------------------------------------------------

Five parts, whose maximum points add up to 100::

    ecosystems   30 × overlap(stated, host ecosystems)       when the visitor's interest
                                                             states ecosystems ("stated")
                 30 × overlap(visitor ecosystems, host ecosystems)   otherwise
    sectors      15 × overlap(visitor sectors, host sectors)
    keywords     20 × overlap(visitor keywords/technologies, host keywords/technologies)
    activities   20 × |wanted ∩ offered| / |wanted|
    countries    10 if the visitor's preferred countries include the host's country
               +  5 if the host's preferred countries include the visitor's country

where ``overlap(A, B) = |A ∩ B| / min(|A|, |B|)`` (the overlap coefficient: 1 when the smaller
set is entirely covered by the other, 0 when either set is empty).

**The visitor's stated preferences lead** (R-PART-2, R-MATCH-1; issue 14: a Portuguese agri-food
SME that chose Spain and Italy was offered a Finnish digital hub first and the Spanish agri-food
hosts last). The ecosystems *stated* in the visitor's expression of interest are what it is
looking for: they replace the visitor's side of the comparison, so the ecosystems of its profile
that it did not state no longer count (they are its trade, not its wish). A visitor that states
none is compared by its profile. The host's ecosystems are always its profile's together with those
named in its interest (what it offers). The countries part is the visitor's stated countries (and
the host's, for the visitor's country). Both show, in "why this score", what was stated
(``ScorePart.stated``) next to what was found, so a host outside the stated countries reads why
it scored nothing there.

Keywords are compared case-insensitively with surrounding and repeated blanks removed. "Wanted"
are the R-EXC-5 activity types of the visitor's interest, "offered" those of the host's interest.
Only what is *stated* and shared scores: an empty list (no preference, no interest yet) adds
nothing, it never subtracts.

``score = round_half_up(sum of the parts)``; each part is shown rounded to one decimal.

Hard zeros: the score is 0 whatever the parts when the pair cannot form an exchange —

* both are the same organisation;
* both are based in the same country (R-EXC-1: the stay is abroad);
* the visitor may not visit today, or the host may not host today (R-ELIG-2 … R-ELIG-11,
  as decided by the eligibility engine; its failed reasons are passed in the profile — the
  selectors add, for a visitor, a match already confirmed with another host: it visits once).

The parts are still computed for a blocked pair (so the UI can show them), and the blockers
are listed. The score is only an indication: a match may be proposed at any score above zero
(R-MATCH-1). Ranking (``rank``) orders by score, possible pairs before blocked ones, then by
name and id, so equal scores always come out in the same order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxc_portal.core.refusals import Refusal
from organisations.match_tokens import normalise_keyword, normalise_keywords  # noqa: F401 (re-exported)

#: Maximum points of each part, in display order. They add up to 100.
WEIGHTS: dict[str, int] = {
    "ecosystems": 30,
    "sectors": 15,
    "keywords": 20,
    "activities": 20,
    "countries": 15,
}
#: The countries part: visitor prefers the host's country / host welcomes the visitor's.
VISITOR_PREFERS_HOST_COUNTRY = 10
HOST_WELCOMES_VISITOR_COUNTRY = 5

assert sum(WEIGHTS.values()) == 100
assert WEIGHTS["countries"] == VISITOR_PREFERS_HOST_COUNTRY + HOST_WELCOMES_VISITOR_COUNTRY

PART_LABELS = {
    "ecosystems": gettext_lazy("Shared industrial ecosystems"),
    "sectors": gettext_lazy("Shared sectors"),
    "keywords": gettext_lazy("Shared keywords and technologies"),
    "activities": gettext_lazy("Activities wanted by the visitor and offered by the host"),
    "countries": gettext_lazy("Preferred countries"),
}


@dataclass(frozen=True)
class MatchProfile:
    """One side of a possible match, as plain data.

    ``eligible`` is the engine's verdict for the role this profile plays in the pair (visit for
    the visitor, host for the host); ``ineligible_reasons`` the refusals behind it.
    ``activity_types`` are wanted (visitor) or offered (host); ``preferred_countries`` are the
    countries the side would like the other to be in; ``stated_ecosystems`` the ecosystems its
    interest names (for a visitor: what it looks for). They come from the side's expression of
    interest and are empty when it has none. ``ecosystems`` are the profile's together with the
    interest's.
    """

    organisation_id: int
    name: str
    country: str
    ecosystems: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    keywords: frozenset[str] = frozenset()
    activity_types: frozenset[str] = frozenset()
    preferred_countries: frozenset[str] = frozenset()
    stated_ecosystems: frozenset[str] = frozenset()
    eligible: bool = True
    ineligible_reasons: tuple[Refusal, ...] = ()


@dataclass(frozen=True)
class ScorePart:
    """One line of "why this score": points earned out of ``maximum`` and what was shared."""

    key: str
    points: Fraction
    maximum: int
    shared: tuple[str, ...] = ()
    #: what the visitor's expression of interest stated for this part (ecosystems, countries)
    stated: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return str(PART_LABELS.get(self.key, self.key))

    @property
    def display_points(self) -> float:
        return round(float(self.points), 1)

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "points": self.display_points,
            "maximum": self.maximum,
            "shared": list(self.shared),
            "stated": list(self.stated),
        }


@dataclass(frozen=True)
class Affinity:
    score: int
    parts: tuple[ScorePart, ...]
    blockers: tuple[Refusal, ...] = ()

    @property
    def possible(self) -> bool:
        return not self.blockers

    @property
    def raw_points(self) -> Fraction:
        return sum((p.points for p in self.parts), Fraction(0))

    def as_dict(self) -> dict:
        """JSON form stored on a Match (``score_parts``) when it is proposed."""
        return {
            "score": self.score,
            "parts": [p.as_dict() for p in self.parts],
            "blockers": [{"rule": b.rule, "text": b.text} for b in self.blockers],
        }


def parts_from_dict(data: dict | None) -> tuple[ScorePart, ...]:
    """Rebuild the parts stored by ``Affinity.as_dict`` (for the match detail page)."""
    parts = []
    for item in (data or {}).get("parts", []):
        parts.append(
            ScorePart(
                key=str(item.get("key", "")),
                points=Fraction(str(item.get("points", 0))),
                maximum=int(item.get("maximum", 0)),
                shared=tuple(str(s) for s in item.get("shared", [])),
                stated=tuple(str(s) for s in item.get("stated", [])),
            )
        )
    return tuple(parts)


def overlap(a: frozenset[str], b: frozenset[str]) -> Fraction:
    """|A ∩ B| / min(|A|, |B|); 0 when either is empty."""
    if not a or not b:
        return Fraction(0)
    return Fraction(len(a & b), min(len(a), len(b)))


def _round_half_up(value: Fraction) -> int:
    return int((value * 2 + 1) // 2)


def _set_part(key: str, a: frozenset[str], b: frozenset[str]) -> ScorePart:
    return ScorePart(
        key=key,
        points=WEIGHTS[key] * overlap(a, b),
        maximum=WEIGHTS[key],
        shared=tuple(sorted(a & b)),
    )


def _ecosystems_part(visitor: MatchProfile, host: MatchProfile) -> ScorePart:
    """The visitor's stated ecosystems lead when it states any (module doc)."""
    stated = visitor.stated_ecosystems
    if not stated:
        return _set_part("ecosystems", visitor.ecosystems, host.ecosystems)
    found = stated & host.ecosystems
    return ScorePart(
        key="ecosystems",
        points=WEIGHTS["ecosystems"] * overlap(stated, host.ecosystems),
        maximum=WEIGHTS["ecosystems"],
        shared=tuple(sorted(found)),
        stated=tuple(sorted(stated)),
    )


def blockers_for(visitor: MatchProfile, host: MatchProfile) -> tuple[Refusal, ...]:
    """The hard-zero conditions of the pair, in a fixed order."""
    found: list[Refusal] = []
    if visitor.organisation_id == host.organisation_id:
        found.append(Refusal("R-EXC-1", _("An organisation cannot visit itself.")))
    elif visitor.country == host.country:
        found.append(
            Refusal(
                "R-EXC-1",
                _("Both organisations are in the same country: an exchange is a stay abroad."),
            )
        )
    if not visitor.eligible:
        why = " ".join(r.text for r in visitor.ineligible_reasons)
        found.append(
            Refusal("R-ELIG-2", (_("%(name)s may not visit: ") % {"name": visitor.name}) + why)
        )
    if not host.eligible:
        why = " ".join(r.text for r in host.ineligible_reasons)
        found.append(
            Refusal("R-ELIG-3", (_("%(name)s may not host: ") % {"name": host.name}) + why)
        )
    return tuple(found)


def affinity(visitor: MatchProfile, host: MatchProfile) -> Affinity:
    """R-MATCH-1: the affinity of ``visitor`` visiting ``host`` (formula in the module doc)."""
    wanted, offered = visitor.activity_types, host.activity_types
    activities = ScorePart(
        key="activities",
        points=(
            WEIGHTS["activities"] * Fraction(len(wanted & offered), len(wanted))
            if wanted
            else Fraction(0)
        ),
        maximum=WEIGHTS["activities"],
        shared=tuple(sorted(wanted & offered)),
    )
    country_points = 0
    country_shared: list[str] = []
    if host.country in visitor.preferred_countries:
        country_points += VISITOR_PREFERS_HOST_COUNTRY
        country_shared.append(host.country)
    if visitor.country in host.preferred_countries:
        country_points += HOST_WELCOMES_VISITOR_COUNTRY
        country_shared.append(visitor.country)
    countries = ScorePart(
        key="countries",
        points=Fraction(country_points),
        maximum=WEIGHTS["countries"],
        shared=tuple(country_shared),
        stated=tuple(sorted(visitor.preferred_countries)),
    )
    parts = (
        _ecosystems_part(visitor, host),
        _set_part("sectors", visitor.sectors, host.sectors),
        _set_part(
            "keywords", normalise_keywords(visitor.keywords), normalise_keywords(host.keywords)
        ),
        activities,
        countries,
    )
    blockers = blockers_for(visitor, host)
    total = sum((p.points for p in parts), Fraction(0))
    score = 0 if blockers else min(100, _round_half_up(total))
    return Affinity(score=score, parts=parts, blockers=blockers)


@dataclass(frozen=True)
class Ranked:
    """A candidate of the other role with its affinity to the subject."""

    candidate: MatchProfile
    affinity: Affinity


def rank(
    subject: MatchProfile, candidates: Iterable[MatchProfile], *, subject_role: str
) -> list[Ranked]:
    """R-MATCH-2: every candidate scored against ``subject`` in one pass, best first.

    ``subject_role`` is ``"visitor"`` (candidates are hosts) or ``"host"`` (candidates are
    visitors). Order: score descending, possible pairs before blocked ones, then name
    (case-insensitive) and organisation id — a total order, so the list is deterministic.
    """
    if subject_role not in ("visitor", "host"):
        raise ValueError(f"subject_role must be 'visitor' or 'host', not {subject_role!r}")
    results = []
    for candidate in candidates:
        if subject_role == "visitor":
            result = affinity(subject, candidate)
        else:
            result = affinity(candidate, subject)
        results.append(Ranked(candidate=candidate, affinity=result))
    results.sort(
        key=lambda r: (
            -r.affinity.score,
            not r.affinity.possible,
            -r.affinity.raw_points,
            r.candidate.name.casefold(),
            r.candidate.organisation_id,
        )
    )
    return results
