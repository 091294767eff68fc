"""The eligibility engine (R-ELIG-2 … R-ELIG-12): pure functions, no ORM, no clock.

Give it an organisation's facts, the set of participating countries and today's date; it
returns, for the visitor role and for the host role, whether the role is allowed and *every*
reason (rule id and a plain sentence, met or not), so that the UI can explain the decision
(R-ELIG-12). ``selectors.organisation_facts`` builds the facts from the database; the public
checker builds them from a form. There is no second copy of these rules anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from .choices import OrganisationType, ParticipantRole

#: R-ELIG-10: minimum age of a signatory (legal capacity to sign).
MINIMUM_SIGNATORY_AGE = 18
#: R-ELIG-9: days of residence a non-national of a participating country needs.
RESIDENCE_DAYS_FOR_NON_NATIONALS = 183

# R-ELIG-2: who may visit, and whether they need to be cluster members.
VISITOR_TYPES_WITHOUT_MEMBERSHIP = frozenset(
    {OrganisationType.CLUSTER, OrganisationType.BUSINESS_NETWORK}
)
VISITOR_TYPES_NEEDING_MEMBERSHIP = frozenset(
    {OrganisationType.SCALEUP_SUPPORT, OrganisationType.SME}
)
# R-ELIG-3: who may host: everything of R-ELIG-2, plus training providers and large companies
# that are cluster members, and public authorities active in a cluster.
HOST_TYPES_WITHOUT_MEMBERSHIP = VISITOR_TYPES_WITHOUT_MEMBERSHIP
HOST_TYPES_NEEDING_MEMBERSHIP = VISITOR_TYPES_NEEDING_MEMBERSHIP | {
    OrganisationType.TRAINING_PROVIDER,
    OrganisationType.LARGE_COMPANY,
    OrganisationType.PUBLIC_AUTHORITY,
}
VISITOR_TYPES = VISITOR_TYPES_WITHOUT_MEMBERSHIP | VISITOR_TYPES_NEEDING_MEMBERSHIP
HOST_TYPES = HOST_TYPES_WITHOUT_MEMBERSHIP | HOST_TYPES_NEEDING_MEMBERSHIP


@dataclass(frozen=True)
class SignatoryFacts:
    """The representative who signs for the organisation (R-ELIG-9, R-ELIG-10)."""

    date_of_birth: date | None
    nationality: str  # ISO 3166-1 alpha-2 (XK for Kosovo)
    residence_permit_since: date | None = None


@dataclass(frozen=True)
class OrganisationFacts:
    """What the engine needs to know about one organisation.

    ``profile_validated`` is ``None`` when there is no profile yet (the public checker, a draft
    being previewed): the engine then says validation is still needed without refusing.
    ``validated_cluster_memberships`` counts only memberships of *validated cluster
    organisations* (R-ELIG-4); ``other_memberships`` counts the rest (e.g. business networks)
    only to explain why they do not count.
    """

    org_type: str
    country: str
    is_sme: bool = False
    profile_validated: bool | None = True
    validated_cluster_memberships: int = 0
    other_memberships: int = 0
    easme_pre_approved: bool = False
    signatory: SignatoryFacts | None = None
    non_cancelled_visits: int = 0


@dataclass(frozen=True)
class Reason:
    rule: str
    text: str
    met: bool


@dataclass(frozen=True)
class RoleVerdict:
    role: str
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    @property
    def allowed(self) -> bool:
        return all(reason.met for reason in self.reasons)

    @property
    def failures(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if not r.met)

    def as_dict(self) -> dict:
        return {
            "role": self.role,
            "allowed": self.allowed,
            "reasons": [{"rule": r.rule, "text": r.text, "met": r.met} for r in self.reasons],
        }


@dataclass(frozen=True)
class EligibilityVerdict:
    visitor: RoleVerdict
    host: RoleVerdict

    def for_role(self, role: str) -> RoleVerdict:
        return self.visitor if role == ParticipantRole.VISITOR else self.host

    def as_dict(self) -> dict:
        return {"visitor": self.visitor.as_dict(), "host": self.host.as_dict()}


def age_on(born: date, today: date) -> int:
    """Full years between ``born`` and ``today`` (a birthday counts on the day itself)."""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _type_label(org_type: str) -> str:
    try:
        return str(OrganisationType(org_type).label)
    except ValueError:
        return org_type


def _country_reason(facts: OrganisationFacts, participating: frozenset[str]) -> Reason:
    # R-ELIG-7 / R-ELIG-8: permanent residence in a COSME participating country.
    if facts.country in participating:
        return Reason("R-ELIG-7", "Based in a COSME participating country.", True)
    return Reason(
        "R-ELIG-8",
        "The organisation's country of permanent residence is not a COSME participating country.",
        False,
    )


def _profile_reason(facts: OrganisationFacts) -> Reason:
    # R-ELIG-5: only validated profiles take part.
    if facts.profile_validated is None:
        return Reason(
            "R-ELIG-5",
            "The profile will need to be validated by a partnership before taking part.",
            True,
        )
    if facts.profile_validated:
        return Reason("R-ELIG-5", "The profile is validated by a partnership.", True)
    return Reason("R-ELIG-5", "The profile has not been validated by a partnership yet.", False)


def _membership_reason(facts: OrganisationFacts, role: str) -> Reason:
    """R-ELIG-2/3/4/6: type and cluster membership for one role."""
    label = _type_label(facts.org_type)
    allowed_types = VISITOR_TYPES if role == ParticipantRole.VISITOR else HOST_TYPES
    rule = "R-ELIG-2" if role == ParticipantRole.VISITOR else "R-ELIG-3"
    free_types = (
        VISITOR_TYPES_WITHOUT_MEMBERSHIP
        if role == ParticipantRole.VISITOR
        else HOST_TYPES_WITHOUT_MEMBERSHIP
    )
    if facts.org_type not in allowed_types:
        what = "visit" if role == ParticipantRole.VISITOR else "host"
        return Reason(rule, f"A {label.lower()} may not {what} in ClusterXchange.", False)
    if facts.org_type in free_types:
        return Reason(rule, f"A {label.lower()} is eligible without any cluster membership.", True)
    if facts.validated_cluster_memberships > 0:
        if facts.org_type == OrganisationType.PUBLIC_AUTHORITY:
            text = "Active in a cluster with a validated profile."
        else:
            text = "Member of a cluster organisation with a validated profile."
        return Reason("R-ELIG-4", text, True)
    # No membership that counts. R-ELIG-6: an SME may still host with EASME's pre-approval.
    if (
        role == ParticipantRole.HOST
        and facts.org_type == OrganisationType.SME
        and facts.easme_pre_approved
    ):
        return Reason(
            "R-ELIG-6",
            "Not a cluster member, but pre-approved by EASME to host (never to visit).",
            True,
        )
    if facts.other_memberships > 0:
        text = (
            "Only memberships of a cluster organisation with a validated profile count; "
            "membership of a business network (or of a profile not yet validated) does not."
        )
    elif facts.org_type == OrganisationType.PUBLIC_AUTHORITY:
        text = "A public authority must be active in a cluster with a validated profile."
    else:
        text = (
            f"A {label.lower()} must be a member of a cluster organisation with a validated "
            "profile."
        )
    if (
        role == ParticipantRole.VISITOR
        and facts.org_type == OrganisationType.SME
        and facts.easme_pre_approved
    ):
        text += " EASME's pre-approval allows hosting only, never visiting (R-ELIG-6)."
    return Reason("R-ELIG-4", text, False)


def _signatory_reasons(
    facts: OrganisationFacts, role: str, participating: frozenset[str], today: date
) -> list[Reason]:
    signatory = facts.signatory
    if signatory is None:
        return []
    reasons: list[Reason] = []
    # R-ELIG-10: the host's representative must be 18; [design] the same for every signatory.
    if signatory.date_of_birth is None:
        reasons.append(
            Reason("R-ELIG-10", "The representative's date of birth is not known.", False)
        )
    else:
        age = age_on(signatory.date_of_birth, today)
        if age >= MINIMUM_SIGNATORY_AGE:
            reasons.append(
                Reason("R-ELIG-10", "The representative is at least 18 years old.", True)
            )
        else:
            party = "a host" if role == ParticipantRole.HOST else "an organisation"
            reasons.append(
                Reason(
                    "R-ELIG-10",
                    f"The representative is {age}: only someone aged 18 or over may sign "
                    f"for {party}.",
                    False,
                )
            )
    # R-ELIG-9: a national of a non-participating country needs 183 days of residence.
    if signatory.nationality not in participating:
        since = signatory.residence_permit_since
        needed = timedelta(days=RESIDENCE_DAYS_FOR_NON_NATIONALS)
        if since is not None and since + needed <= today:
            reasons.append(
                Reason(
                    "R-ELIG-9",
                    "The representative has lived with a residence permit in a participating "
                    "country for at least 183 days.",
                    True,
                )
            )
        else:
            reasons.append(
                Reason(
                    "R-ELIG-9",
                    "The representative is not a national of a participating country and has "
                    "not yet lived there with a residence permit for 183 days.",
                    False,
                )
            )
    return reasons


def evaluate(
    facts: OrganisationFacts, *, participating_countries: Iterable[str], today: date
) -> EligibilityVerdict:
    """Decide both roles for ``facts`` as of ``today`` (R-ELIG-2 … R-ELIG-12)."""
    participating = frozenset(participating_countries)
    common = [_country_reason(facts, participating), _profile_reason(facts)]

    visitor = [*common, _membership_reason(facts, ParticipantRole.VISITOR)]
    visitor += _signatory_reasons(facts, ParticipantRole.VISITOR, participating, today)
    # R-ELIG-11: an organisation visits only once; a cancelled exchange does not count.
    if facts.non_cancelled_visits > 0:
        visitor.append(
            Reason(
                "R-ELIG-11",
                "The organisation has already used its single visit (it may still host).",
                False,
            )
        )
    else:
        visitor.append(Reason("R-ELIG-11", "The organisation has not visited yet.", True))

    host = [*common, _membership_reason(facts, ParticipantRole.HOST)]
    host += _signatory_reasons(facts, ParticipantRole.HOST, participating, today)
    # R-ELIG-11: hosting many times, even simultaneously, is allowed: nothing to check.

    return EligibilityVerdict(
        visitor=RoleVerdict(ParticipantRole.VISITOR, tuple(visitor)),
        host=RoleVerdict(ParticipantRole.HOST, tuple(host)),
    )
