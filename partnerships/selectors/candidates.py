"""Affinity of pairs and the matching page's candidates (R-MATCH-1, R-MATCH-2)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from itertools import combinations
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
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
    codes: tuple[frozenset[str], frozenset[str]] | None = None,
    interest_ecosystems: frozenset[str] | None = None,
) -> MatchProfile:
    """The plain-data profile ``matching.py`` scores: the organisation's profile, its interest
    for ``role`` (may be None) and the engine's verdict for that role.

    ``also_blocked_by`` adds reasons why the organisation cannot take this role although the
    engine allows it (a visitor that already confirmed a match elsewhere, R-ELIG-11).
    Reads ``ecosystems``/``sectors`` through ``.all()`` (prefetched lists are used) unless
    ``codes`` gives them (ecosystem codes, sector codes: ``_profile_codes``), and the
    interest's ecosystems likewise unless ``interest_ecosystems`` gives them.
    """
    role_verdict = verdict.for_role(role)
    reasons = tuple(role_verdict.failures) + tuple(also_blocked_by)
    if codes is None:
        codes = (
            frozenset(e.code for e in organisation.ecosystems.all()),
            frozenset(s.code for s in organisation.sectors.all()),
        )
    ecosystems = set(codes[0])
    stated: frozenset[str] = frozenset()
    if interest is not None:
        stated = (
            interest_ecosystems
            if interest_ecosystems is not None
            else frozenset(e.code for e in interest.ecosystems.all())
        )
        ecosystems |= stated
    return MatchProfile(
        organisation_id=organisation.pk,
        name=organisation.legal_name,
        country=str(organisation.country.code),
        ecosystems=frozenset(ecosystems),
        stated_ecosystems=stated,
        sectors=codes[1],
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
    #: Rebuilds the affinity with the blockers' reasons translated (``_load_candidates`` ranks
    #: with the engine's untranslated verdicts, R-ELIG-12 explains the rows shown).
    explain: Callable[[], Affinity] | None = field(default=None, compare=False, repr=False)

    @property
    def affinity(self) -> Affinity:
        """The pair's affinity; a blocked pair's reasons are translated when first read."""
        ranked = self.ranked.affinity
        if ranked.possible or self.explain is None:
            return ranked
        return self._explained

    @cached_property
    def _explained(self) -> Affinity:
        assert self.explain is not None
        return self.explain()


@dataclass(frozen=True)
class MatchingResult:
    subject: MatchProfile
    subject_role: str
    candidates: list[Candidate]  # every candidate, best first
    accepted_match: Match | None  # the visitor's accepted match, if any (it visits once)
    # What the catalogue needs to score its page's rows (``catalogue_page``).
    subject_organisation: Organisation | None = None
    interest: ExpressionOfInterest | None = None
    verdicts: Any = None
    by_counterpart: dict[int, Match] = field(default_factory=dict)
    # The first ids of the unsearched catalogue in its score order (the pre-selection's own
    # query, issue 12): its first page is cut from them; None when they cannot serve.
    catalogue_prefix: list[int] | None = None
    catalogue_prefix_complete: bool = False  # the prefix is the whole catalogue

    def best(self, limit: int = 10) -> list[Candidate]:
        return [
            c
            for c in self.candidates
            if c.ranked.affinity.possible and c.ranked.affinity.score > 0 and not c.match
        ][:limit]


#: The matching page scores at most this many candidates in Python for its best list (issue
#: 12): the database pre-selects them by the parts of the score it can compute (shared
#: ecosystems and sectors, preferred country), whatever the number of organisations.
PRESELECT = 120

#: The pre-selection reads this many times ``PRESELECT`` rows of the catalogue's order, so
#: that the candidates another country or a confirmed match rule out still leave enough.
PREFIX_FACTOR = 2


def _base_candidates(*, subject: Organisation, other_role: str) -> QuerySet[Organisation]:
    """Validated organisations that could play ``other_role`` opposite ``subject`` — the
    filters only, no annotation nor prefetch (the catalogue counts and pages this).

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
        )
    return qs


def _confirmed_elsewhere(subject: Organisation) -> Exists:
    """R-ELIG-11: a visitor that confirmed a match with another host cannot be matched again
    (match_propose refuses it), so the page must not offer it."""
    return Exists(
        Match.objects.filter(visitor=OuterRef("pk"), status=MatchStatus.ACCEPTED).exclude(
            host=subject
        )
    )


@dataclass(frozen=True)
class _Criterion:
    """One part of R-MATCH-1 as the pre-ranking sees it: ``weight`` points at most, earned only
    when the candidate's tokens share one of ``profile`` (``match_tokens``) or ``interest``
    (``match_interest_tokens``)."""

    weight: int
    profile: tuple[str, ...] = ()
    interest: tuple[str, ...] = ()

    def q(self) -> Q:
        found = Q(pk__in=[])
        if self.profile:
            found |= Q(match_tokens__has_any_keys=list(self.profile))
        if self.interest:
            found |= Q(match_interest_tokens__has_any_keys=list(self.interest))
        return found


def _criteria(subject: MatchProfile, *, subject_role: str) -> list[_Criterion]:
    """The parts of R-MATCH-1 that can earn points opposite ``subject`` (module
    ``matching``): each part scores only if the two sides share something, and never more than
    its weight. Tokens: organisations.match_tokens, partnerships.services.match_tokens."""
    c = "h" if subject_role == ParticipantRole.VISITOR else "v"  # the candidates' role
    if subject_role == ParticipantRole.VISITOR:
        eco = subject.stated_ecosystems or subject.ecosystems
        activities = _Criterion(20, (), tuple(f"h:a:{a}" for a in subject.activity_types))
        prefers = _Criterion(10, tuple(f"c:{x}" for x in subject.preferred_countries))
        welcomes = _Criterion(5, (), (f"h:p:{subject.country}",))
    else:
        eco = subject.ecosystems
        activities = _Criterion(20, (), tuple(f"v:a:{a}" for a in subject.activity_types))
        prefers = _Criterion(10, (), (f"v:p:{subject.country}",))
        welcomes = _Criterion(5, tuple(f"c:{x}" for x in subject.preferred_countries))
    found = [
        _Criterion(30, tuple(f"e:{e}" for e in eco), tuple(f"{c}:e:{e}" for e in eco)),
        _Criterion(15, tuple(f"s:{x}" for x in subject.sectors)),
        _Criterion(20, tuple(f"k:{k}" for k in subject.keywords)),
        activities,
        prefers,
        welcomes,
    ]
    return [
        _Criterion(k.weight, tuple(sorted(k.profile)), tuple(sorted(k.interest)))
        for k in found
        if k.profile or k.interest
    ]


_UNINDEXED = Q(match_tokens__isnull=True) | Q(match_interest_tokens__isnull=True)


def _prescore(subject: MatchProfile, *, subject_role: str, other_role: str = ""):
    """An upper bound of the candidate's score (R-MATCH-1), from the tokens precomputed on its
    row: the sum of the weights of the parts where it shares something with ``subject``
    (100 when its row is not indexed). Every part scores at most its weight and only when
    something is shared, so ``affinity(...).score <= _prescore`` for every pair. The order of
    the pre-selection and of the catalogue; the score shown is ``affinity``."""
    points: Any = Value(0)
    for criterion in _criteria(subject, subject_role=subject_role):
        points = points + Case(When(criterion.q(), then=Value(criterion.weight)), default=0)
    return Case(
        When(_UNINDEXED, then=Value(100)),
        default=ExpressionWrapper(points, output_field=IntegerField()),
        output_field=IntegerField(),
    )


def _at_least(criteria: list[_Criterion], threshold: int) -> Q | None:
    """The rows whose ``_prescore`` is at least ``threshold``, as conditions one GIN index
    answers: an OR over the smallest sets of parts that reach it (None: every row)."""
    if threshold <= 0:
        return None
    weights = [c.weight for c in criteria]
    minimal: list[tuple[int, ...]] = []
    for size in range(1, len(criteria) + 1):
        for subset in combinations(range(len(criteria)), size):
            if sum(weights[i] for i in subset) < threshold:
                continue
            if any(set(m) <= set(subset) for m in minimal):
                continue
            minimal.append(subset)
    found = Q(_UNINDEXED)
    for subset in minimal:
        both = Q()
        for i in subset:
            both &= criteria[i].q()
        found |= both
    return found


def _profile_codes(org: Organisation) -> tuple[frozenset[str], frozenset[str]] | None:
    """The ecosystem and sector codes of ``org`` read from its precomputed ``match_tokens``
    (organisations.match_tokens: ``e:`` and ``s:`` tokens); None when the row is not indexed."""
    tokens = org.match_tokens
    if tokens is None:
        return None
    ecosystems = frozenset(t[2:] for t in tokens if t.startswith("e:"))
    sectors = frozenset(t[2:] for t in tokens if t.startswith("s:"))
    return ecosystems, sectors


def _load_candidates(
    ids: list[int],
    *,
    subject: Organisation,
    interest: ExpressionOfInterest,
    other_role: str,
    verdict_of,
    by_counterpart: dict[int, Match],
) -> list[Candidate]:
    """The organisations ``ids`` scored against the subject (R-MATCH-1) and ranked (R-MATCH-2),
    in a constant number of queries: the rows, their signatories, their accepted interests of
    ``other_role`` and those interests' ecosystems (issue 12).

    The profile's ecosystems and sectors come from the tokens precomputed on the row (a row
    without tokens has them prefetched: one query each). Eligibility is decided without
    translating its reasons (R-ELIG-2 … R-ELIG-11); a blocked row shown on the page explains
    them when read (``Candidate.affinity``, R-ELIG-12).
    """
    if not ids:
        return []
    qs = Organisation.objects.filter(pk__in=ids)
    if other_role == ParticipantRole.VISITOR:
        qs = qs.annotate(_confirmed_elsewhere=_confirmed_elsewhere(subject))
    qs = (
        eligibility_queryset(qs)
        .select_related("validating_partnership")
        .prefetch_related(
            Prefetch(
                "interests",
                queryset=ExpressionOfInterest.objects.filter(
                    role=other_role, status=InterestStatus.ACCEPTED
                )
                .select_related("partnership")
                .order_by("-created_at", "-id"),
                to_attr="accepted_interests",
            ),
        )
    )
    rows = list(qs)
    unindexed = [org for org in rows if org.match_tokens is None]
    if unindexed:
        prefetch_related_objects(unindexed, "ecosystems", "sectors")
    chosen_of: dict[int, ExpressionOfInterest | None] = {}
    for org in rows:
        prefetched: Any = org  # ``accepted_interests``: the prefetch above
        chosen_of[org.pk] = pick_interest(
            prefetched.accepted_interests, prefer_partnership_id=interest.partnership_id
        )
    stated: dict[int, set[str]] = {i.pk: set() for i in chosen_of.values() if i is not None}
    if stated:
        for interest_id, code in ExpressionOfInterest.ecosystems.through.objects.filter(
            expressionofinterest_id__in=sorted(stated)
        ).values_list("expressionofinterest_id", "industrialecosystem__code"):
            stated[interest_id].add(code)

    def profile_of(org: Organisation, *, explain: bool) -> MatchProfile:
        chosen = chosen_of[org.pk]
        return match_profile(
            org,
            interest=chosen,
            verdict=verdict_of(org, explain=explain),
            role=other_role,
            also_blocked_by=(
                (Refusal("R-ELIG-11", str(CONFIRMED_ELSEWHERE) if explain else ""),)
                if getattr(org, "_confirmed_elsewhere", False)
                else ()
            ),
            codes=_profile_codes(org),
            interest_ecosystems=frozenset(stated[chosen.pk]) if chosen is not None else None,
        )

    subject_profile = verdict_of.subject_profile
    visitor_subject = interest.role == ParticipantRole.VISITOR

    def explainer(org: Organisation) -> Callable[[], Affinity]:
        def explain() -> Affinity:
            profile = profile_of(org, explain=True)
            if visitor_subject:
                return affinity(subject_profile, profile)
            return affinity(profile, subject_profile)

        return explain

    orgs = {org.pk: org for org in rows}
    profiles = [profile_of(org, explain=False) for org in rows]
    candidates = []
    for ranked in rank(subject_profile, profiles, subject_role=interest.role):
        candidate_org = orgs[ranked.candidate.organisation_id]
        chosen = chosen_of[candidate_org.pk]
        candidates.append(
            Candidate(
                organisation=candidate_org,
                interest=chosen,
                partnership=chosen.partnership if chosen else candidate_org.validating_partnership,
                ranked=ranked,
                match=by_counterpart.get(candidate_org.pk),
                explain=None if ranked.affinity.possible else explainer(candidate_org),
            )
        )
    return candidates


class _Verdicts:
    """The eligibility engine for the page's organisations, with the participating countries
    read once; carries the subject's profile for ``_load_candidates``."""

    def __init__(self, *, today: date):
        self.today = today
        self.participating = participating_country_codes(today=today)
        self.subject_profile: MatchProfile | None = None

    def __call__(self, org: Organisation, *, explain: bool = True) -> EligibilityVerdict:
        return evaluate(
            organisation_facts(org),
            participating_countries=self.participating,
            today=self.today,
            explain=explain,
        )


def matching_for_interest(
    *,
    interest: ExpressionOfInterest,
    today: date,
    preselect: int | None = PRESELECT,
    best: int = 10,
) -> MatchingResult:
    """R-MATCH-2: the candidates of the other role scored against ``interest``, best first.

    At programme scale (issue 12) the database pre-selects at most ``preselect`` candidates
    that can form an exchange — validated, of a type that may take the role, in another
    country, not the subject, (visitors) with an accepted interest and no match confirmed
    elsewhere — by an upper bound of their score (``_prescore``, read from tokens precomputed
    on the rows), until the ``best`` first are known exactly (``_preselect``); only those are
    scored in Python (``matching.rank``), so the best list never reads every organisation.
    ``preselect=None`` scores every candidate, the blocked ones included (the demo data, small).
    A constant number of queries whatever the number of organisations.
    """
    role = interest.role
    other_role = permissions.other_side(role)
    subject_org = eligibility_queryset(
        Organisation.objects.filter(pk=interest.organisation_id)
    ).prefetch_related("ecosystems", "sectors")[0]
    verdict_of = _Verdicts(today=today)
    subject = match_profile(
        subject_org, interest=interest, verdict=verdict_of(subject_org), role=role
    )
    verdict_of.subject_profile = subject

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

    base = _base_candidates(subject=subject_org, other_role=other_role)

    def score(ids: list[int]) -> list[Candidate]:
        return _load_candidates(
            ids,
            subject=subject_org,
            interest=interest,
            other_role=other_role,
            verdict_of=verdict_of,
            by_counterpart=by_counterpart,
        )

    prefix: list[int] | None = None
    complete = False
    if preselect is None:
        candidates = score(list(base.values_list("pk", flat=True)))
    else:
        candidates, prefix, complete = _preselect(
            base,
            subject=subject,
            subject_org=subject_org,
            role=role,
            limit=preselect,
            score=score,
            best=best,
        )
    return MatchingResult(
        subject=subject,
        subject_role=role,
        candidates=candidates,
        accepted_match=accepted_match,
        subject_organisation=subject_org,
        interest=interest,
        verdicts=verdict_of,
        by_counterpart=by_counterpart,
        catalogue_prefix=prefix,
        catalogue_prefix_complete=complete,
    )


def _possible(*, subject: MatchProfile, subject_org: Organisation, other_role: str) -> Q:
    """What the pre-selection keeps of the catalogue: another country (R-EXC-1) and, for
    visitors, no match confirmed elsewhere (R-ELIG-11)."""
    possible = ~Q(country=subject.country)
    if other_role == ParticipantRole.VISITOR:
        possible &= Q(~_confirmed_elsewhere(subject_org))
    return possible


def _preselect(
    base: QuerySet[Organisation],
    *,
    subject: MatchProfile,
    subject_org: Organisation,
    role: str,
    limit: int,
    score,
    best: int = 10,
) -> tuple[list[Candidate], list[int], bool]:
    """The candidates scored for the best list, the catalogue's first ids in its order and
    whether they are the whole catalogue, reading only the rows that may reach the best list.

    Exact (issue 12, R-MATCH-1, R-MATCH-2): ``_prescore`` bounds every candidate's score from
    above. Rounds fetch, in the catalogue's order, every row whose bound is at least a
    threshold (a GIN index finds them); the possible pairs among them (R-EXC-1, R-ELIG-11) are
    scored (``score``). Once ``best`` shown candidates score more than the next lower bound
    any unread row can have, no unread row can outrank them: the rounds stop. A round that
    reads ``PREFIX_FACTOR × limit`` rows, or more than ``limit`` possible pairs, ends the
    search (bounded; the best list is then the best of those read, by bound first).
    """
    other_role = permissions.other_side(role)
    criteria = _criteria(subject, subject_role=role)
    possible = _possible(subject=subject, subject_org=subject_org, other_role=other_role)
    ordered = base.annotate(
        _prescore=_prescore(subject, subject_role=role),
        _possible=ExpressionWrapper(possible, output_field=BooleanField()),
    ).order_by("-_prescore", "legal_name", "pk")
    size = PREFIX_FACTOR * limit
    levels = sorted(
        {
            sum(criteria[i].weight for i in subset)
            for n in range(len(criteria) + 1)
            for subset in combinations(range(len(criteria)), n)
        },
        reverse=True,
    )
    # A small catalogue is read whole at once (one query).
    threshold = levels[0] if base.order_by("pk")[size : size + 1].exists() else 0
    scored: dict[int, Candidate] = {}
    while True:
        at_least = _at_least(criteria, threshold)
        qs = ordered if at_least is None else ordered.filter(at_least)
        rows = list(qs.values_list("pk", "_possible")[:size])
        new = [pk for pk, ok in rows if ok and pk not in scored][: max(0, limit - len(scored))]
        lower = [level for level in levels if level < threshold]
        complete = len(rows) < size and not lower
        enough = len(rows) >= size or len(scored) + len(new) >= limit
        possible_count = sum(1 for _, ok in rows if ok)
        if new and (possible_count >= best or enough or not lower or complete):
            for candidate in score(new):
                scored[candidate.organisation.pk] = candidate
        if enough or not lower:
            break
        shown = sorted(
            (
                c
                for c in scored.values()
                if c.ranked.affinity.possible and c.ranked.affinity.score > 0 and not c.match
            ),
            key=_rank_key,
        )[:best]
        if len(shown) >= best:
            last = shown[-1].ranked.affinity.score
            if last > lower[0]:
                break  # every unread row's bound is at most lower[0]
            threshold = min(level for level in levels if level >= last)
            continue
        # Too few yet: lower the threshold by at least 20 points (fewer rounds).
        drop = [level for level in lower if level <= threshold - 20]
        threshold = drop[0] if drop else 0
    candidates = sorted(scored.values(), key=_rank_key)
    # ``rows``: the first rows of the catalogue's order (every row at or above the last
    # threshold comes before the others); all of them when the threshold reached 0.
    return candidates, [pk for pk, _ in rows], len(rows) < size and threshold <= 0


def _rank_key(c: Candidate):
    r = c.ranked
    return (
        -r.affinity.score,
        not r.affinity.possible,
        -r.affinity.raw_points,
        r.candidate.name.casefold(),
        r.candidate.organisation_id,
    )


def catalogue_first_page_ids(
    result: MatchingResult, *, shown: frozenset[int], size: int
) -> list[int] | None:
    """The unsearched catalogue's first page sorted by score (``catalogue_queryset`` with
    ``exclude_ids=shown``), cut from the pre-selection's prefix without another sort of every
    candidate; None when the prefix cannot tell (then the page queries as usual).

    Exact: the prefix is the first rows of the same order over the same candidates, and
    ``shown`` (the best list) lies within it."""
    prefix = result.catalogue_prefix
    if prefix is None or not shown <= set(prefix):
        return None
    rest = [pk for pk in prefix if pk not in shown]
    if len(rest) < size and not result.catalogue_prefix_complete:
        return None
    return rest[:size]


def _scored_against(result: MatchingResult) -> tuple[ExpressionOfInterest, Organisation]:
    if result.interest is None or result.subject_organisation is None:
        raise ValueError("a MatchingResult from matching_for_interest is needed")
    return result.interest, result.subject_organisation


def catalogue_queryset(
    result: MatchingResult,
    *,
    q: str = "",
    country: str = "",
    ecosystem: str = "",
    only_possible: bool = False,
    partnership_id: int | None = None,
    sort: str = "score",
    exclude_ids: frozenset[int] = frozenset(),
) -> QuerySet[Organisation]:
    """R-MATCH-2: the searchable catalogue of every validated profile of the other role, as
    ids filtered, ordered and paginated by the database (issue 12); ``catalogue_page`` scores
    the page's rows.

    ``q`` looks in the name, the city and the keywords; ``only_possible`` keeps the pairs that
    can form an exchange as far as the database knows (another country, R-EXC-1; not confirmed
    elsewhere, R-ELIG-11) — a row the eligibility engine blocks still says why. ``partnership_id``
    keeps the candidates whose VOP/HOP would be that partnership (R-PART-3: the first approach
    is to the partnership's own members, then other networks). ``exclude_ids`` leaves out
    organisations already shown (the best list above). ``sort``: "score" (the database's part
    of the score, then name) or "name".
    """
    interest, subject_org = _scored_against(result)
    other_role = permissions.other_side(interest.role)
    qs = _base_candidates(subject=subject_org, other_role=other_role)
    if exclude_ids:
        qs = qs.exclude(pk__in=sorted(exclude_ids))
    if country:
        qs = qs.filter(country=country)
    if ecosystem:
        qs = qs.filter(
            Q(ecosystems__code=ecosystem)
            | Q(
                pk__in=ExpressionOfInterest.ecosystems.through.objects.filter(
                    industrialecosystem__code=ecosystem,
                    expressionofinterest__role=other_role,
                    expressionofinterest__status=InterestStatus.ACCEPTED,
                ).values("expressionofinterest__organisation_id")
            )
        ).distinct()
    if only_possible:
        qs = qs.exclude(country=result.subject.country)
        if other_role == ParticipantRole.VISITOR:
            qs = qs.exclude(_confirmed_elsewhere(subject_org))
    if partnership_id:
        accepted = ExpressionOfInterest.objects.filter(
            organisation=OuterRef("pk"), role=other_role, status=InterestStatus.ACCEPTED
        )
        qs = qs.filter(
            Exists(accepted.filter(partnership_id=partnership_id))
            | (~Exists(accepted) & Q(validating_partnership_id=partnership_id))
        )
    for word in q.split():
        qs = qs.filter(
            Q(legal_name__icontains=word)
            | Q(city_name__icontains=word)
            | Q(keywords__icontains=word)
        )
    if sort == "name":
        return qs.order_by("legal_name", "pk")
    return qs.annotate(
        _prescore=_prescore(result.subject, subject_role=interest.role, other_role=other_role)
    ).order_by("-_prescore", "legal_name", "pk")


def catalogue_page(result: MatchingResult, ids: list[int], *, sort: str = "score") -> list:
    """The catalogue page's organisations ``ids`` (in the database's order) as scored
    ``Candidate`` rows: by score within the page, or in the given (name) order."""
    interest, subject_org = _scored_against(result)
    candidates = _load_candidates(
        list(ids),
        subject=subject_org,
        interest=interest,
        other_role=permissions.other_side(interest.role),
        verdict_of=result.verdicts,
        by_counterpart=result.by_counterpart,
    )
    if sort == "name":
        position = {pk: i for i, pk in enumerate(ids)}
        candidates.sort(key=lambda c: position[c.organisation.pk])
    return candidates
