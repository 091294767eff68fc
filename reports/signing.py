"""Who signs which document, and who may sign for a party: pure rules, no database.

- **R-DOC-2**: the Commitment to Quality (CTQ) is signed by the host organisation (HO), the
  host's partnership (HOP), the visiting organisation (VO) and the visitor's partnership (VOP).
- **R-DOC-3**: the Financial Agreement (FA) is signed by the VO and the VOP only.
- **R-ELIG-10**: an organisation (HO, VO) signs through one of its *active* representatives
  who may sign for it (``is_signatory``) and is **18 or over** on the day — from the date of
  birth, or the declaration of being 18 or over when no date of birth was given ([design]: the
  same for every signatory). A partnership (HOP, VOP) signs through its staff with the
  "may sign" flag (``PartnershipStaff.can_sign``).
- **R-DOC-5**: only the newest version of a document, once rendered, is signed; each party
  signs it once; a new version voids the earlier one's signatures.
- **R-EXC-2**, **R-DOC-8**: documents are signed while the exchange is a draft, or while an
  amendment of the contracted exchange is open (the new versions it made are signed again by
  all their parties; the exchange stays contracted). An amended plan is signed only once it
  meets R-EXC-4 again (its refusals come with the version's facts).

The typed name must be the signer's full name as their account has it, compared without
regard to case or spacing ("  helena   HOSTESS " is "Helena Hostess"): a deliberate act, not a
free-text field; accents count (they are part of the name).

The services (``services_signing``) gather the facts under the exchange's row lock and ask
:func:`signature_refusals`; the exchange page asks :func:`missing_parties`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from cxc_portal.core.refusals import Refusal
from exchanges.models import ExchangeStatus, Party
from organisations.eligibility import MINIMUM_SIGNATORY_AGE, age_on

from .models import DocumentKind, DocumentStatus

#: R-DOC-2, R-DOC-3: the parties whose signature each document needs, in the order shown.
REQUIRED_PARTIES: dict[str, tuple[str, ...]] = {
    DocumentKind.CTQ: (Party.HO, Party.HOP, Party.VO, Party.VOP),
    DocumentKind.FA: (Party.VO, Party.VOP),
}
#: The rule that says who signs each document.
RULES: dict[str, str] = {DocumentKind.CTQ: "R-DOC-2", DocumentKind.FA: "R-DOC-3"}

#: The field of the sign form the name refusals belong to.
TYPED_NAME = "typed_name"


def required_parties(kind: str) -> tuple[str, ...]:
    """R-DOC-2, R-DOC-3: who signs a document of ``kind``."""
    return REQUIRED_PARTIES.get(kind, ())


def missing_parties(kind: str, signed: Iterable[str]) -> list[str]:
    """The parties still to sign a document of ``kind`` given the parties that signed."""
    done = set(signed)
    return [party for party in required_parties(kind) if party not in done]


def party_short(party: str) -> str:
    """ "ho" → "HO": the abbreviations the parties are known by."""
    return str(party).upper()


def normalise_name(text: str) -> str:
    """Case- and space-insensitive form of a name (accents kept)."""
    return " ".join((text or "").split()).casefold()


@dataclass(frozen=True)
class RepresentativeFacts:
    """The signer's representation of the organisation they would sign for (R-ELIG-10)."""

    is_active: bool
    is_signatory: bool
    date_of_birth: date | None
    declares_adult: bool


@dataclass(frozen=True)
class SignerFacts:
    """What the rules need to know about the person signing for ``party``.

    ``representative`` is their representation of the party's organisation (HO, VO), ``None``
    when they do not represent it; ``can_sign_for_partnership`` whether they are staff of the
    party's partnership (HOP, VOP) with the "may sign" flag.
    """

    full_name: str
    representative: RepresentativeFacts | None = None
    can_sign_for_partnership: bool = False


@dataclass(frozen=True)
class VersionFacts:
    """The version being signed and where it stands."""

    kind: str
    version: int
    status: str
    newest_version: int
    exchange_status: str
    #: the parties that already have a live signature on this version
    signed_parties: frozenset[str] = frozenset()
    #: R-DOC-8: the contracted exchange has an amendment in progress
    amendment_open: bool = False
    #: R-DOC-8, R-EXC-4: what keeps the amended plan from being signed (empty for a draft)
    plan_refusals: tuple[Refusal, ...] = ()


def _kind_label(kind: str) -> str:
    return str(DocumentKind(kind).label) if kind in DocumentKind.values else kind


def _party_label(party: str) -> str:
    return str(Party(party).label) if party in Party.values else party


def version_refusals(version: VersionFacts, party: str) -> list[Refusal]:
    """R-DOC-2, R-DOC-3, R-DOC-5, R-EXC-2, R-DOC-8: whether ``party`` may sign this version at
    all, whoever signs."""
    kind_label = _kind_label(version.kind)
    rule = RULES.get(version.kind, "R-DOC-2")
    if party not in required_parties(version.kind):
        return [
            Refusal(
                rule,
                _("The %(document)s is signed only by %(parties)s.")
                % {
                    "document": kind_label,
                    "parties": ", ".join(party_short(p) for p in required_parties(version.kind)),
                },
            )
        ]
    amending = version.exchange_status == ExchangeStatus.CONTRACTED and version.amendment_open
    if version.exchange_status != ExchangeStatus.DRAFT and not amending:
        return [
            Refusal(
                "R-EXC-2",
                _(
                    "Documents are signed while the exchange is a draft, or while an amendment "
                    "of the contracted exchange is in progress; this one is %(status)s."
                )
                % {"status": ExchangeStatus(version.exchange_status).label.lower()},
            )
        ]
    if version.status == DocumentStatus.VOID or version.version != version.newest_version:
        return [
            Refusal(
                "R-DOC-5",
                _(
                    "Version %(version)d of the %(document)s was replaced by version %(newest)d: "
                    "only the newest version is signed."
                )
                % {
                    "version": version.version,
                    "document": kind_label,
                    "newest": version.newest_version,
                },
            )
        ]
    if version.status != DocumentStatus.READY:
        return [
            Refusal(
                "R-DOC-5",
                _(
                    "Version %(version)d of the %(document)s is still being prepared: it can be "
                    "signed once its PDF is ready."
                )
                % {"version": version.version, "document": kind_label},
            )
        ]
    if party in version.signed_parties:
        return [
            Refusal(
                rule,
                _("The %(party)s has already signed version %(version)d of the %(document)s.")
                % {
                    "party": _party_label(party),
                    "version": version.version,
                    "document": kind_label,
                },
            )
        ]
    if amending and version.plan_refusals:
        return list(version.plan_refusals)
    return []


def signer_refusals(signer: SignerFacts, party: str, *, today: date) -> list[Refusal]:
    """R-DOC-2, R-DOC-3, R-ELIG-10: whether this person may sign for ``party``."""
    if party in (Party.HOP, Party.VOP):
        if not signer.can_sign_for_partnership:
            return [
                Refusal(
                    "R-DOC-2",
                    _(
                        "Only staff of the %(party)s who may sign documents sign for it; ask "
                        "the Support Office to give you that right if you should."
                    )
                    % {"party": _party_label(party)},
                )
            ]
        return []
    rep = signer.representative
    if rep is None or not rep.is_active:
        return [
            Refusal(
                "R-DOC-2",
                _("Only an active representative of the %(party)s signs for it.")
                % {"party": _party_label(party)},
            )
        ]
    if not rep.is_signatory:
        return [
            Refusal(
                "R-DOC-2",
                _("Your organisation's profile does not list you as someone who may sign for it."),
            )
        ]
    if rep.date_of_birth is not None:
        age = age_on(rep.date_of_birth, today)
        if age < MINIMUM_SIGNATORY_AGE:
            return [
                Refusal(
                    "R-ELIG-10",
                    _(
                        "Only someone aged %(min)d or over may sign for an organisation "
                        "(legal capacity to sign)."
                    )
                    % {"min": MINIMUM_SIGNATORY_AGE},
                )
            ]
        return []
    if rep.declares_adult:
        return []
    return [
        Refusal(
            "R-ELIG-10",
            _(
                "Your date of birth is not known: give it (or declare that you are 18 or over) "
                "in your details for this organisation before signing."
            ),
        )
    ]


def typed_name_refusals(typed_name: str, full_name: str) -> list[Refusal]:
    """The typed name is the signer's full name (case and spaces aside)."""
    if not normalise_name(full_name):
        return [
            Refusal(
                "R-DOC-5",
                _("Your account has no full name: add it to your account before signing."),
                TYPED_NAME,
            )
        ]
    if not normalise_name(typed_name):
        return [Refusal("R-DOC-5", _("Type your full name to sign."), TYPED_NAME)]
    if normalise_name(typed_name) != normalise_name(full_name):
        return [
            Refusal(
                "R-DOC-5",
                _(
                    "Type your full name as your account has it: “%(name)s” (upper or lower "
                    "case and spaces do not matter)."
                )
                % {"name": " ".join(full_name.split())},
                TYPED_NAME,
            )
        ]
    return []


def signature_refusals(
    *, version: VersionFacts, party: str, signer: SignerFacts, typed_name: str, today: date
) -> list[Refusal]:
    """Every reason this signature may not be given; empty when it may. The version's own state
    comes first (nothing else matters when it cannot be signed), then who signs, then the
    typed name."""
    refusals = version_refusals(version, party)
    if refusals:
        return refusals
    refusals = signer_refusals(signer, party, today=today)
    if refusals:
        return refusals
    return typed_name_refusals(typed_name, signer.full_name)
