"""Affinity of pairs and the matching page's candidates (R-MATCH-1, R-MATCH-2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import (
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

    def best(self, limit: int = 10) -> list[Candidate]:
        return [
            c
            for c in self.candidates
            if c.affinity.possible and c.affinity.score > 0 and not c.match
        ][:limit]


#: The matching page scores at most this many candidates in Python for its best list (issue
#: 12): the database pre-selects them by the parts of the score it can compute (shared
#: ecosystems and sectors, preferred country), whatever the number of organisations.
PRESELECT = 150


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


def _prescore(subject: MatchProfile, *, subject_role: str, other_role: str):
    """The parts of R-MATCH-1 the database computes cheaply, as points: shared ecosystems
    (the profile's or the accepted interest's), shared sectors, the visitor's preferred
    country. Uncorrelated ``IN (SELECT …)`` subqueries: PostgreSQL hashes each once.
    Only an order for the pre-selection and the catalogue; the score shown is ``affinity``."""
    eco_codes = subject.stated_ecosystems or subject.ecosystems
    points: Any = Value(0)
    if eco_codes:
        by_profile = Organisation.ecosystems.through.objects.filter(
            industrialecosystem__code__in=eco_codes
        ).values("organisation_id")
        by_interest = ExpressionOfInterest.ecosystems.through.objects.filter(
            industrialecosystem__code__in=eco_codes,
            expressionofinterest__role=other_role,
            expressionofinterest__status=InterestStatus.ACCEPTED,
        ).values("expressionofinterest__organisation_id")
        points = points + Case(
            When(Q(pk__in=by_profile) | Q(pk__in=by_interest), then=Value(30)),
            default=Value(0),
        )
    if subject.sectors:
        by_sector = Organisation.sectors.through.objects.filter(
            sector__code__in=subject.sectors
        ).values("organisation_id")
        points = points + Case(When(pk__in=by_sector, then=Value(15)), default=Value(0))
    if subject_role == ParticipantRole.VISITOR and subject.preferred_countries:
        points = points + Case(
            When(country__in=sorted(subject.preferred_countries), then=Value(10)),
            default=Value(0),
        )
    if isinstance(points, Value):
        # Nothing to compare (no ecosystem, sector or preferred country): a constant. Left bare,
        # Django casts it in ORDER BY; wrapped, it reaches PostgreSQL as "ORDER BY 0", read as a
        # column position — a server error on the matching page (found by the permission matrix).
        return Value(0, output_field=IntegerField())
    return ExpressionWrapper(points, output_field=IntegerField())


def _load_candidates(
    ids: list[int],
    *,
    subject: Organisation,
    interest: ExpressionOfInterest,
    other_role: str,
    verdict_of,
    by_counterpart: dict[int, Match],
) -> list[Candidate]:
    """The organisations ``ids`` (a bounded list: a pre-selection or a catalogue page) with
    what the score reads, scored against ``interest``'s profile, best first. A constant
    number of queries: one for the rows, one per prefetch."""
    if not ids:
        return []
    qs = Organisation.objects.filter(pk__in=ids)
    if other_role == ParticipantRole.VISITOR:
        qs = qs.annotate(_confirmed_elsewhere=_confirmed_elsewhere(subject))
    qs = (
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
    orgs: dict[int, Organisation] = {}
    interests: dict[int, ExpressionOfInterest | None] = {}
    profiles: list[MatchProfile] = []
    for org in qs:
        prefetched: Any = org  # ``accepted_interests``: the prefetch above
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
    subject_profile = verdict_of.subject_profile
    candidates = []
    for ranked in rank(subject_profile, profiles, subject_role=interest.role):
        candidate_org = orgs[ranked.candidate.organisation_id]
        chosen = interests[candidate_org.pk]
        candidates.append(
            Candidate(
                organisation=candidate_org,
                interest=chosen,
                partnership=chosen.partnership if chosen else candidate_org.validating_partnership,
                ranked=ranked,
                match=by_counterpart.get(candidate_org.pk),
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

    def __call__(self, org: Organisation) -> EligibilityVerdict:
        return evaluate(
            organisation_facts(org), participating_countries=self.participating, today=self.today
        )


def matching_for_interest(
    *, interest: ExpressionOfInterest, today: date, preselect: int | None = PRESELECT
) -> MatchingResult:
    """R-MATCH-2: the candidates of the other role scored against ``interest``, best first.

    At programme scale (issue 12) the database pre-selects at most ``preselect`` candidates
    that can form an exchange — validated, of a type that may take the role, in another
    country, not the subject, (visitors) with an accepted interest and no match confirmed
    elsewhere — ordered by the parts of the score it computes (``_prescore``); only those are
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
    if preselect is not None:
        base = base.exclude(country=subject.country)
        if other_role == ParticipantRole.VISITOR:
            base = base.exclude(_confirmed_elsewhere(subject_org))
        base = base.annotate(
            _prescore=_prescore(subject, subject_role=role, other_role=other_role)
        ).order_by("-_prescore", "legal_name", "pk")[:preselect]
    ids = list(base.values_list("pk", flat=True))
    candidates = _load_candidates(
        ids,
        subject=subject_org,
        interest=interest,
        other_role=other_role,
        verdict_of=verdict_of,
        by_counterpart=by_counterpart,
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
    )


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
