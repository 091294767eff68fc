"""Affinity of pairs and the matching page's candidates (R-MATCH-1, R-MATCH-2)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    QuerySet,
)
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxc_portal.core.refusals import Refusal
from organisations.choices import ParticipantRole, ProfileStatus
from organisations.eligibility import HOST_TYPES, VISITOR_TYPES, EligibilityVerdict, evaluate
from organisations.models import Organisation
from organisations.selectors import (
    eligibility_queryset,
    organisation_eligibility,
    organisation_facts,
    participating_country_codes,
)

from .. import permissions
from ..matching import Affinity, MatchProfile, Ranked, affinity, normalise_keywords, rank
from ..models import (
    ACTIVE_MATCH_STATUSES,
    ExpressionOfInterest,
    InterestStatus,
    Match,
    MatchStatus,
    Partnership,
)
from .interests import accepted_interests_of, pick_interest

# --- affinity ------------------------------------------------------------------------------------


def match_profile(
    organisation: Organisation,
    *,
    interest: ExpressionOfInterest | None,
    verdict: EligibilityVerdict,
    role: str,
    also_blocked_by: tuple[Refusal, ...] = (),
) -> MatchProfile:
    """The plain-data profile ``matching.py`` scores: the organisation's profile, its interest
    for ``role`` (may be None) and the engine's verdict for that role.

    ``also_blocked_by`` adds reasons why the organisation cannot take this role although the
    engine allows it (a visitor that already confirmed a match elsewhere, R-ELIG-11).
    Reads ``ecosystems``/``sectors`` through ``.all()`` so that prefetched lists are used.
    """
    role_verdict = verdict.for_role(role)
    reasons = tuple(role_verdict.failures) + tuple(also_blocked_by)
    ecosystems = {e.code for e in organisation.ecosystems.all()}
    stated: set[str] = set()
    if interest is not None:
        stated = {e.code for e in interest.ecosystems.all()}
        ecosystems |= stated
    return MatchProfile(
        organisation_id=organisation.pk,
        name=organisation.legal_name,
        country=str(organisation.country.code),
        ecosystems=frozenset(ecosystems),
        stated_ecosystems=frozenset(stated),
        sectors=frozenset(s.code for s in organisation.sectors.all()),
        keywords=normalise_keywords(organisation.keywords or []),
        activity_types=frozenset(interest.activity_types or []) if interest else frozenset(),
        preferred_countries=(
            frozenset(str(c.code) for c in interest.preferred_countries)
            if interest
            else frozenset()
        ),
        eligible=role_verdict.allowed and not also_blocked_by,
        ineligible_reasons=reasons,
    )


def pair_affinity(
    *,
    visitor: Organisation,
    host: Organisation,
    visitor_interest: ExpressionOfInterest | None,
    host_interest: ExpressionOfInterest | None,
    today: date,
) -> Affinity:
    """The affinity of one pair, from the database (a handful of queries; for services)."""
    participating = participating_country_codes(today=today)
    v_verdict = organisation_eligibility(visitor, today=today, participating=participating)
    h_verdict = organisation_eligibility(host, today=today, participating=participating)
    return affinity(
        match_profile(
            visitor, interest=visitor_interest, verdict=v_verdict, role=ParticipantRole.VISITOR
        ),
        match_profile(host, interest=host_interest, verdict=h_verdict, role=ParticipantRole.HOST),
    )


def match_confirm_blockers(match: Match, *, today: date) -> list[Refusal]:
    """Why the proposed ``match`` could not be confirmed today; empty when it can.

    The checks of ``match_accept`` (R-MATCH-2), readable before anyone clicks: the visitor has
    confirmed another match (R-ELIG-11: it visits once), its interest is no longer accepted, or
    the pair has become a hard zero (R-EXC-1, R-ELIG-2, R-ELIG-3: e.g. the visitor used its visit
    in an exchange encoded meanwhile). A few queries: for one match's page or service, not for
    lists.
    """
    found: list[Refusal] = []
    other = (
        Match.objects.filter(visitor_id=match.visitor_id, status=MatchStatus.ACCEPTED)
        .exclude(pk=match.pk)
        .select_related("host")
        .first()
    )
    if other is not None:
        found.append(
            Refusal(
                "R-ELIG-11",
                _(
                    "%(v)s has already confirmed a match with %(h)s: an organisation visits only "
                    "once."
                )
                % {"v": match.visitor.legal_name, "h": other.host.legal_name},
            )
        )
    if match.visitor_interest.status != InterestStatus.ACCEPTED:
        found.append(
            Refusal("R-MATCH-2", _("The visitor's expression of interest is no longer accepted."))
        )
    result = pair_affinity(
        visitor=match.visitor,
        host=match.host,
        visitor_interest=match.visitor_interest,
        host_interest=match.host_interest,
        today=today,
    )
    found.extend(result.blockers)
    return found


@dataclass(frozen=True)
class MatchTerms:
    """What a match between the interest's organisation and a counterpart would record."""

    visitor: Organisation
    host: Organisation
    visitor_interest: ExpressionOfInterest | None
    host_interest: ExpressionOfInterest | None
    vop: Partnership | None
    hop: Partnership | None
    affinity: Affinity


def match_terms(
    *, interest: ExpressionOfInterest, counterpart: Organisation, today: date
) -> MatchTerms:
    """The parties, their interests, VOP, HOP and affinity of a match proposed from
    ``interest`` to ``counterpart``.

    VOP: the partnership of the visitor's accepted interest. HOP: the partnership of the
    host's accepted host interest — the one with the VOP's partnership if any, else the most
    recent — or, when the host has no accepted host interest, the host's validating
    partnership (decision: a host need not have expressed interest to be found and matched).
    ``visitor_interest``/``vop`` are None when a host proposes to a visitor that has no
    accepted visitor interest; ``hop`` is None when the host has no partnership at all.
    """
    visitor_interest: ExpressionOfInterest | None
    host_interest: ExpressionOfInterest | None
    if interest.role == ParticipantRole.VISITOR:
        visitor, host = interest.organisation, counterpart
        visitor_interest = interest
        host_interest = pick_interest(
            accepted_interests_of(organisation=host, role=ParticipantRole.HOST),
            prefer_partnership_id=interest.partnership_id,
        )
    else:
        visitor, host = counterpart, interest.organisation
        host_interest = interest
        visitor_interest = pick_interest(
            accepted_interests_of(organisation=visitor, role=ParticipantRole.VISITOR),
            prefer_partnership_id=interest.partnership_id,
        )
    vop = visitor_interest.partnership if visitor_interest else None
    hop = host_interest.partnership if host_interest else host.validating_partnership
    return MatchTerms(
        visitor=visitor,
        host=host,
        visitor_interest=visitor_interest,
        host_interest=host_interest,
        vop=vop,
        hop=hop,
        affinity=pair_affinity(
            visitor=visitor,
            host=host,
            visitor_interest=visitor_interest,
            host_interest=host_interest,
            today=today,
        ),
    )


def counterpart_get(*, pk: int) -> Organisation:
    """A validated organisation that can be proposed a match (any applicant may see validated
    profiles: they form the public catalogue, R-MATCH-2); otherwise 404."""
    org = (
        Organisation.objects.select_related("validating_partnership")
        .filter(pk=pk, status=ProfileStatus.VALIDATED)
        .first()
    )
    if org is None:
        raise Http404("No such organisation.")
    return org


# --- the matching page (R-MATCH-2) ---------------------------------------------------------------

CONFIRMED_ELSEWHERE = gettext_lazy(
    "It has already confirmed a match with another host: an organisation visits only once."
)


@dataclass(frozen=True)
class Candidate:
    """One row of the matching page."""

    organisation: Organisation
    interest: ExpressionOfInterest | None
    partnership: Partnership | None  # the VOP/HOP a match with this candidate would have
    ranked: Ranked
    match: Match | None  # an active match already made with the subject

    @property
    def affinity(self) -> Affinity:
        return self.ranked.affinity

    @property
    def search_text(self) -> str:
        org = self.organisation
        return " ".join(
            [
                org.legal_name,
                org.city_name,
                str(org.country.name),
                org.get_org_type_display(),
                " ".join(str(k) for k in (org.keywords or [])),
            ]
        ).casefold()


@dataclass(frozen=True)
class MatchingResult:
    subject: MatchProfile
    subject_role: str
    candidates: list[Candidate]  # every candidate, best first
    accepted_match: Match | None  # the visitor's accepted match, if any (it visits once)

    def best(self, limit: int = 10) -> list[Candidate]:
        return [
            c
            for c in self.candidates
            if c.affinity.possible and c.affinity.score > 0 and not c.match
        ][:limit]


def _candidate_queryset(*, subject: Organisation, other_role: str) -> QuerySet[Organisation]:
    """Validated organisations that could play ``other_role`` opposite ``subject``.

    Hosts: every validated organisation of a type that may host (an interest is not required:
    the HOP is then the host's validating partnership). Visitors: validated organisations of a
    type that may visit *with an accepted visitor interest* (the VOP is that interest's
    partnership, so a visitor without one cannot be matched).
    """
    types = HOST_TYPES if other_role == ParticipantRole.HOST else VISITOR_TYPES
    qs = Organisation.objects.filter(status=ProfileStatus.VALIDATED, org_type__in=types).exclude(
        pk=subject.pk
    )
    if other_role == ParticipantRole.VISITOR:
        qs = qs.filter(
            Exists(
                ExpressionOfInterest.objects.filter(
                    organisation=OuterRef("pk"),
                    role=ParticipantRole.VISITOR,
                    status=InterestStatus.ACCEPTED,
                )
            )
        ).annotate(
            # R-ELIG-11: a visitor that confirmed a match with another host cannot be matched
            # again (match_propose refuses it), so the page must not offer it.
            _confirmed_elsewhere=Exists(
                Match.objects.filter(visitor=OuterRef("pk"), status=MatchStatus.ACCEPTED).exclude(
                    host=subject
                )
            )
        )
    return (
        eligibility_queryset(qs)
        .select_related("validating_partnership")
        .prefetch_related(
            "ecosystems",
            "sectors",
            Prefetch(
                "interests",
                queryset=ExpressionOfInterest.objects.filter(
                    role=other_role, status=InterestStatus.ACCEPTED
                )
                .select_related("partnership")
                .prefetch_related("ecosystems")
                .order_by("-created_at", "-id"),
                to_attr="accepted_interests",
            ),
        )
    )


def matching_for_interest(*, interest: ExpressionOfInterest, today: date) -> MatchingResult:
    """R-MATCH-2: every candidate of the other role scored against ``interest``, best first.

    A constant number of queries whatever the number of candidates: one queryset with the
    eligibility annotations and prefetches, the participating countries once, the subject's
    active matches once; the scores are computed in one Python pass (``matching.rank``).
    """
    role = interest.role
    other_role = permissions.other_side(role)
    subject_org = eligibility_queryset(
        Organisation.objects.filter(pk=interest.organisation_id)
    ).prefetch_related("ecosystems", "sectors")[0]
    participating = participating_country_codes(today=today)

    def verdict_of(org: Organisation) -> EligibilityVerdict:
        return evaluate(organisation_facts(org), participating_countries=participating, today=today)

    subject = match_profile(
        subject_org, interest=interest, verdict=verdict_of(subject_org), role=role
    )

    side = "visitor" if role == ParticipantRole.VISITOR else "host"
    active_matches = Match.objects.filter(
        **{side: subject_org}, status__in=ACTIVE_MATCH_STATUSES
    ).select_related("visitor", "host")
    by_counterpart: dict[int, Match] = {}
    accepted_match = None
    for m in active_matches:
        counterpart_id = m.host_id if role == ParticipantRole.VISITOR else m.visitor_id
        by_counterpart[counterpart_id] = m
        if role == ParticipantRole.VISITOR and m.status == MatchStatus.ACCEPTED:
            accepted_match = m

    orgs: dict[int, Organisation] = {}
    interests: dict[int, ExpressionOfInterest | None] = {}
    profiles: list[MatchProfile] = []
    for org in _candidate_queryset(subject=subject_org, other_role=other_role):
        prefetched: Any = org  # ``accepted_interests``: the prefetch of ``_candidate_queryset``
        chosen = pick_interest(
            prefetched.accepted_interests, prefer_partnership_id=interest.partnership_id
        )
        orgs[org.pk] = org
        interests[org.pk] = chosen
        profiles.append(
            match_profile(
                org,
                interest=chosen,
                verdict=verdict_of(org),
                role=other_role,
                also_blocked_by=(Refusal("R-ELIG-11", str(CONFIRMED_ELSEWHERE)),)
                if getattr(org, "_confirmed_elsewhere", False)
                else (),
            )
        )

    candidates = []
    for ranked in rank(subject, profiles, subject_role=role):
        org = orgs[ranked.candidate.organisation_id]
        chosen = interests[org.pk]
        candidates.append(
            Candidate(
                organisation=org,
                interest=chosen,
                partnership=chosen.partnership if chosen else org.validating_partnership,
                ranked=ranked,
                match=by_counterpart.get(org.pk),
            )
        )
    return MatchingResult(
        subject=subject, subject_role=role, candidates=candidates, accepted_match=accepted_match
    )


def filter_candidates(
    candidates: Iterable[Candidate],
    *,
    q: str = "",
    country: str = "",
    ecosystem: str = "",
    only_possible: bool = False,
    partnership_id: int | None = None,
    sort: str = "score",
    exclude_ids: frozenset[int] = frozenset(),
) -> list[Candidate]:
    """The searchable catalogue (R-MATCH-2): filter the scored candidates in memory.

    ``partnership_id`` keeps the candidates whose VOP/HOP would be that partnership (R-PART-3:
    the first approach is to the partnership's own members, then other networks).
    ``exclude_ids`` leaves out organisations already shown (the best list above)."""
    words = q.casefold().split()
    result = []
    for c in candidates:
        if c.organisation.pk in exclude_ids:
            continue
        if country and str(c.organisation.country.code) != country:
            continue
        if ecosystem and ecosystem not in c.ranked.candidate.ecosystems:
            continue
        if only_possible and not c.affinity.possible:
            continue
        if partnership_id and (c.partnership is None or c.partnership.pk != partnership_id):
            continue
        if words:
            text = c.search_text
            if not all(w in text for w in words):
                continue
        result.append(c)
    if sort == "name":
        result.sort(key=lambda c: (c.organisation.legal_name.casefold(), c.organisation.pk))
    return result
