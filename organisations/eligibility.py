"""The eligibility engine (R-ELIG-2 … R-ELIG-12): pure functions, no ORM, no clock.

Give it an organisation's facts, the set of participating countries and today's date; it
returns, for the visitor role and for the host role, whether the role is allowed and *every*
reason (rule id and a plain sentence, met or not), so that the UI can explain the decision
(R-ELIG-12). ``selectors.organisation_facts`` builds the facts from the database; the public
checker builds them from a form. There is no second copy of these rules anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop

from cxc_portal.core.refusals import Refusal

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
    """The representative who signs for the organisation (R-ELIG-9, R-ELIG-10).

    The age comes from, in this order: ``date_of_birth``; ``age`` (a stated age, as the public
    checker asks it); ``declared_adult`` (the representative declared being 18 or over instead
    of giving a date of birth).
    """

    date_of_birth: date | None
    nationality: str  # ISO 3166-1 alpha-2 (XK for Kosovo)
    residence_permit_since: date | None = None
    age: int | None = None
    declared_adult: bool = False


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


@dataclass(frozen=True, kw_only=True)
class Reason(Refusal):
    """One line of a role's checklist: a rule, its sentence, and whether the organisation meets
    it. An unmet reason is the kernel's :class:`Refusal` (the verdict's ``failures``), so the
    exchange guards and the matching pass it on as it is.

    ``pending`` marks a condition that refuses nothing yet but is still to come — the profile's
    validation (R-ELIG-5) of a draft or submitted profile, a signatory not known yet
    (R-ELIG-10): the UI must then say "could … once validated", never a plain "can"
    (R-ELIG-12: an honest verdict)."""

    met: bool
    pending: bool = False


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

    @property
    def pending(self) -> tuple[Reason, ...]:
        """Conditions still to come (R-ELIG-5, R-ELIG-10): nothing refused, nothing granted."""
        return tuple(r for r in self.reasons if r.met and r.pending)

    @property
    def awaits_validation(self) -> bool:
        """R-ELIG-5: allowed as far as the facts go, but the profile is not validated yet."""
        return self.allowed and any(r.rule == "R-ELIG-5" for r in self.pending)

    def as_dict(self) -> dict:
        return {
            "role": self.role,
            "allowed": self.allowed,
            "awaits_validation": self.awaits_validation,
            "reasons": [
                {"rule": r.rule, "text": r.text, "met": r.met, "pending": r.pending}
                for r in self.reasons
            ],
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


#: False while ``evaluate(..., explain=False)`` runs: the reasons keep their English text.
_EXPLAIN: ContextVar[bool] = ContextVar("eligibility_explain", default=True)


def _(message: str) -> str:
    """``gettext``, skipped while the engine decides without explaining (``evaluate``)."""
    return gettext(message) if _EXPLAIN.get() else message


# How the engine names each type inside a sentence ("An SME must be …").
_TYPE_PHRASES: dict[str, str] = {
    OrganisationType.CLUSTER: gettext_noop("A cluster organisation"),
    OrganisationType.BUSINESS_NETWORK: gettext_noop("A business network organisation"),
    OrganisationType.SCALEUP_SUPPORT: gettext_noop("A scaling-up support organisation"),
    OrganisationType.SME: gettext_noop("An SME"),
    OrganisationType.TRAINING_PROVIDER: gettext_noop("A training provider"),
    OrganisationType.LARGE_COMPANY: gettext_noop("A large company"),
    OrganisationType.PUBLIC_AUTHORITY: gettext_noop("A public authority"),
}


def _type_phrase(org_type: str) -> str:
    phrase = _TYPE_PHRASES.get(org_type)
    return (
        _(phrase) if phrase is not None else _("An organisation of type “%(t)s”") % {"t": org_type}
    )


def _country_reason(facts: OrganisationFacts, participating: frozenset[str]) -> Reason:
    """R-ELIG-7 / R-ELIG-8: permanent residence in a COSME participating country."""
    if facts.country in participating:
        return Reason("R-ELIG-7", str(_("Based in a COSME participating country.")), met=True)
    return Reason(
        "R-ELIG-8",
        str(
            _(
                "The organisation's country of permanent residence is not a COSME "
                "participating country."
            )
        ),
        met=False,
    )


def _profile_reason(facts: OrganisationFacts) -> Reason:
    """R-ELIG-5: only validated profiles take part."""
    if facts.profile_validated is None:
        return Reason(
            "R-ELIG-5",
            str(_("The profile will need to be validated by a partnership before taking part.")),
            met=True,
            pending=True,
        )
    if facts.profile_validated:
        return Reason("R-ELIG-5", str(_("The profile is validated by a partnership.")), met=True)
    return Reason(
        "R-ELIG-5", str(_("The profile has not been validated by a partnership yet.")), met=False
    )


def _membership_reason(facts: OrganisationFacts, role: str) -> Reason:
    """R-ELIG-2, R-ELIG-3, R-ELIG-4, R-ELIG-6: type and cluster membership for one role."""
    phrase = _type_phrase(facts.org_type)
    visitor = role == ParticipantRole.VISITOR
    allowed_types = VISITOR_TYPES if visitor else HOST_TYPES
    rule = "R-ELIG-2" if visitor else "R-ELIG-3"
    free_types = VISITOR_TYPES_WITHOUT_MEMBERSHIP if visitor else HOST_TYPES_WITHOUT_MEMBERSHIP
    if facts.org_type not in allowed_types:
        if visitor:
            text = _("%(type)s may not visit in ClusterXchange (it may only host).")
            if facts.org_type not in HOST_TYPES:
                text = _("%(type)s may not visit in ClusterXchange.")
        else:
            text = _("%(type)s may not host in ClusterXchange.")
        return Reason(rule, text % {"type": phrase}, met=False)
    if facts.org_type in free_types:
        return Reason(
            rule,
            _("%(type)s is eligible without any cluster membership.") % {"type": phrase},
            met=True,
        )
    if facts.validated_cluster_memberships > 0:
        if facts.org_type == OrganisationType.PUBLIC_AUTHORITY:
            text = _("Active in a cluster organisation with a validated profile.")
        else:
            text = _("Member of a cluster organisation with a validated profile.")
        return Reason("R-ELIG-4", str(text), met=True)
    # No membership that counts. R-ELIG-6: an SME may still host with EASME's pre-approval.
    sme_with_easme = facts.org_type == OrganisationType.SME and facts.easme_pre_approved
    if not visitor and sme_with_easme:
        return Reason(
            "R-ELIG-6",
            str(_("Not a cluster member, but pre-approved by EASME to host (never to visit).")),
            met=True,
        )
    if facts.other_memberships > 0:
        text = _(
            "Only memberships of a cluster organisation with a validated profile count; "
            "membership of a business network (or of a profile not validated) does not."
        )
    elif facts.org_type == OrganisationType.PUBLIC_AUTHORITY:
        text = _(
            "A public authority must be active in a cluster organisation with a validated profile."
        )
    else:
        text = _(
            "%(type)s must be a member of a cluster organisation with a validated profile."
        ) % {"type": phrase}
    text = str(text)
    if visitor and sme_with_easme:
        text += " " + str(_("EASME's pre-approval allows hosting only, never visiting (R-ELIG-6)."))
    return Reason("R-ELIG-4", text, met=False)


def _signatory_reasons(
    facts: OrganisationFacts, role: str, participating: frozenset[str], today: date
) -> list[Reason]:
    """R-ELIG-9 and R-ELIG-10: the person who signs for the organisation."""
    signatory = facts.signatory
    party = _("a host") if role == ParticipantRole.HOST else _("an organisation")
    if signatory is None:
        # No signatory known yet (a profile without representative, the public checker without
        # the optional questions): nothing to refuse, but say what will be checked.
        return [
            Reason(
                "R-ELIG-10",
                _("No signatory is known yet: whoever signs for %(party)s must be 18 or over.")
                % {"party": party},
                met=True,
                pending=True,
            )
        ]
    reasons: list[Reason] = []
    # R-ELIG-10: the host's representative must be 18; [design] the same for every signatory.
    if signatory.date_of_birth is not None:
        age: int | None = age_on(signatory.date_of_birth, today)
    else:
        age = signatory.age
    if age is not None and age < 0:
        # A date of birth after today is a typing slip, never a reason to count as an adult.
        reasons.append(
            Reason(
                "R-ELIG-10", _("The representative's date of birth is in the future."), met=False
            )
        )
    elif age is None and signatory.declared_adult:
        reasons.append(
            Reason(
                "R-ELIG-10", _("The representative declares being at least 18 years old."), met=True
            )
        )
    elif age is None:
        reasons.append(
            Reason("R-ELIG-10", _("The representative's date of birth is not known."), met=False)
        )
    elif age >= MINIMUM_SIGNATORY_AGE:
        reasons.append(
            Reason("R-ELIG-10", _("The representative is at least 18 years old."), met=True)
        )
    else:
        reasons.append(
            Reason(
                "R-ELIG-10",
                _(
                    "The representative is %(age)s: only someone aged 18 or over may sign "
                    "for %(party)s."
                )
                % {"age": age, "party": party},
                met=False,
            )
        )
    # R-ELIG-9: a national of a non-participating country needs 183 days of residence.
    if not signatory.nationality:
        reasons.append(
            Reason("R-ELIG-9", _("The representative's nationality is not known."), met=False)
        )
    elif signatory.nationality not in participating:
        since = signatory.residence_permit_since
        needed = timedelta(days=RESIDENCE_DAYS_FOR_NON_NATIONALS)
        # Days are counted from ``since`` to ``today`` (never ``since + needed``: a date typed
        # near the end of the calendar must not overflow).
        if since is not None and since <= today and (today - since) >= needed:
            reasons.append(
                Reason(
                    "R-ELIG-9",
                    _(
                        "The representative has lived with a residence permit in a "
                        "participating country for at least 183 days."
                    ),
                    met=True,
                )
            )
        elif since is not None and since <= today:
            reasons.append(
                Reason(
                    "R-ELIG-9",
                    _(
                        "The representative is not a national of a participating country and "
                        "has lived there with a residence permit for %(days)s days only: 183 "
                        "are needed (from %(date)s)."
                    )
                    % {"days": (today - since).days, "date": date_format(since + needed, "j M Y")},
                    met=False,
                )
            )
        else:
            reasons.append(
                Reason(
                    "R-ELIG-9",
                    _(
                        "The representative is not a national of a participating country and "
                        "has not lived there with a residence permit for 183 days."
                    ),
                    met=False,
                )
            )
    else:
        reasons.append(
            Reason(
                "R-ELIG-9",
                _("The representative is a national of a participating country."),
                met=True,
            )
        )
    return reasons


def evaluate(
    facts: OrganisationFacts,
    *,
    participating_countries: Iterable[str],
    today: date,
    explain: bool = True,
) -> EligibilityVerdict:
    """Decide both roles for ``facts`` as of ``today`` (R-ELIG-2 … R-ELIG-12).

    Every reason is returned, met or not (R-ELIG-12); a role is allowed when all are met.
    ``explain=False`` gives the same verdict (the same rules, reasons and ``met``) without
    translating the reasons' sentences — for ranking many organisations (the matching page,
    issue 12), which explains again only the ones it shows.
    """
    if not explain:
        token = _EXPLAIN.set(False)
        try:
            return evaluate(facts, participating_countries=participating_countries, today=today)
        finally:
            _EXPLAIN.reset(token)
    participating = frozenset(participating_countries)
    common = [_country_reason(facts, participating), _profile_reason(facts)]

    visitor = [*common, _membership_reason(facts, ParticipantRole.VISITOR)]
    visitor += _signatory_reasons(facts, ParticipantRole.VISITOR, participating, today)
    # R-ELIG-11: an organisation visits only once; a cancelled exchange does not count.
    if facts.non_cancelled_visits > 0:
        visitor.append(
            Reason(
                "R-ELIG-11",
                _("The organisation has already used its single visit (it may still host)."),
                met=False,
            )
        )
    else:
        visitor.append(Reason("R-ELIG-11", _("The organisation has not visited yet."), met=True))

    host = [*common, _membership_reason(facts, ParticipantRole.HOST)]
    host += _signatory_reasons(facts, ParticipantRole.HOST, participating, today)
    # R-ELIG-11: hosting many times, even simultaneously, is allowed.
    host.append(
        Reason(
            "R-ELIG-11", _("An organisation may host many times, even simultaneously."), met=True
        )
    )

    return EligibilityVerdict(
        visitor=RoleVerdict(ParticipantRole.VISITOR, tuple(visitor)),
        host=RoleVerdict(ParticipantRole.HOST, tuple(host)),
    )
