"""Reads of the signing (R-DOC-2, R-DOC-3, R-DOC-5, R-ELIG-10): the live signatures of an
exchange's documents, who may sign for each party, what each document card shows, which
signatories are due a reminder. A constant number of queries each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet

from cxc_portal.accounts.roles import user_access
from exchanges.models import AmendmentStatus, Exchange, ExchangeStatus, Party
from organisations.models import Representative, RepresentativeStatus
from partnerships.models import PartnershipStaff

from . import signing
from .models import Document, DocumentKind, DocumentStatus, Signature
from .selectors import latest_documents


def live_signatures(exchange_id: int) -> list[Signature]:
    """The live (not voided) signatures of every version of ``exchange_id``'s documents, with
    their signers (one query, whatever the number of documents)."""
    return list(
        Signature.objects.filter(document__exchange_id=exchange_id, voided_at__isnull=True)
        .select_related("signer")
        .order_by("signed_at", "pk")
    )


def signed_parties(document: Document, signatures: list[Signature]) -> frozenset[str]:
    return frozenset(s.party for s in signatures if s.document_id == document.pk)


def is_fully_signed(document: Document, signatures: list[Signature]) -> bool:
    """R-DOC-2, R-DOC-3: every party the document needs signed this version."""
    return not signing.missing_parties(document.kind, signed_parties(document, signatures))


def party_organisation_id(exchange: Exchange, party: str) -> int | None:
    return {Party.HO: exchange.host_id, Party.VO: exchange.visitor_id}.get(party)  # type: ignore[call-overload]


def party_partnership_id(exchange: Exchange, party: str) -> int | None:
    return {Party.HOP: exchange.hop_id, Party.VOP: exchange.vop_id}.get(party)  # type: ignore[call-overload]


def signer_facts(user: Any, exchange: Exchange, party: str) -> signing.SignerFacts:
    """R-DOC-2, R-DOC-3, R-ELIG-10: what the rules need about ``user`` signing for ``party``
    (one query)."""
    full_name = user.get_full_name() if getattr(user, "is_authenticated", False) else ""
    organisation_id = party_organisation_id(exchange, party)
    if organisation_id is not None:
        rep = Representative.objects.filter(
            user_id=user.pk, organisation_id=organisation_id, user__is_active=True
        ).first()
        return signing.SignerFacts(
            full_name=full_name,
            representative=None
            if rep is None
            else signing.RepresentativeFacts(
                is_active=rep.status == RepresentativeStatus.ACTIVE,
                is_signatory=rep.is_signatory,
                date_of_birth=rep.date_of_birth,
                declares_adult=rep.declares_adult,
            ),
        )
    partnership_id = party_partnership_id(exchange, party)
    if partnership_id is None:
        return signing.SignerFacts(full_name=full_name)
    can_sign = PartnershipStaff.objects.filter(
        user_id=user.pk, partnership_id=partnership_id, can_sign=True, user__is_active=True
    ).exists()
    return signing.SignerFacts(full_name=full_name, can_sign_for_partnership=can_sign)


def party_signatories(exchange: Exchange, *, today: date) -> dict[str, list[Any]]:
    """R-DOC-2, R-DOC-3, R-ELIG-10: the users who may sign for each party of ``exchange`` today
    (two queries): the organisations' active, adult signatory representatives; the
    partnerships' staff with the "may sign" flag."""
    result: dict[str, list[Any]] = {party: [] for party in Party.values}
    reps = Representative.objects.filter(
        organisation_id__in=[exchange.host_id, exchange.visitor_id],
        status=RepresentativeStatus.ACTIVE,
        is_signatory=True,
        user__is_active=True,
    ).select_related("user")
    for rep in reps.order_by("pk"):
        facts = signing.RepresentativeFacts(
            is_active=True,
            is_signatory=True,
            date_of_birth=rep.date_of_birth,
            declares_adult=rep.declares_adult,
        )
        for party in (Party.HO, Party.VO):
            if party_organisation_id(exchange, party) != rep.organisation_id:
                continue
            signer = signing.SignerFacts(full_name="", representative=facts)
            if not signing.signer_refusals(signer, party, today=today):
                result[party].append(rep.user)
    staff = PartnershipStaff.objects.filter(
        partnership_id__in=[exchange.hop_id, exchange.vop_id], can_sign=True, user__is_active=True
    ).select_related("user")
    for row in staff.order_by("pk"):
        for party in (Party.HOP, Party.VOP):
            if party_partnership_id(exchange, party) == row.partnership_id:
                result[party].append(row.user)
    return result


# --- the document cards --------------------------------------------------------------------------


@dataclass(frozen=True)
class SignedLine:
    party: str
    party_label: str
    signer: str
    signed_at: datetime


@dataclass
class SigningState:
    """What a document card says about the signatures of its version (R-DOC-2, R-DOC-3)."""

    document: Document
    #: "rendering" · "awaiting" · "signed" · "void"
    state: str
    signed: list[SignedLine] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    #: the parties the viewing user may be offered to sign as (their own side, still missing)
    sign_as: list[tuple[str, str]] = field(default_factory=list)

    @property
    def missing_labels(self) -> str:
        return ", ".join(signing.party_short(p) for p in self.missing)


def user_parties(user: Any, exchange: Exchange) -> frozenset[str]:
    """The parties ``user`` signs for on ``exchange``, as far as their roles go (no query
    beyond ``user_access``): the representatives of the host and visitor; the partnerships'
    staff with the "may sign" flag. The age and the signatory flag are the service's check."""
    access = user_access(user)
    parties = set()
    if exchange.host_id in access.organisations:
        parties.add(Party.HO)
    if exchange.visitor_id in access.organisations:
        parties.add(Party.VO)
    if exchange.hop_id in access.signer_partnerships:
        parties.add(Party.HOP)
    if exchange.vop_id in access.signer_partnerships:
        parties.add(Party.VOP)
    return frozenset(parties)


def signing_states(
    user: Any,
    exchange: Exchange,
    cards: list[Document],
    signatures: list[Signature],
    *,
    amendment_open: bool = False,
) -> list[SigningState]:
    """The signing state of each card (the newest version of each kind), from what the page
    has read already (no query). The sign form is offered on a draft, or on a contracted
    exchange with an amendment in progress (R-DOC-8)."""
    signable = exchange.status == ExchangeStatus.DRAFT or (
        exchange.status == ExchangeStatus.CONTRACTED and amendment_open
    )
    mine = user_parties(user, exchange) if signable else frozenset()
    states: list[SigningState] = []
    for document in cards:
        own = [s for s in signatures if s.document_id == document.pk]
        lines = [
            SignedLine(
                party=s.party,
                party_label=signing.party_short(s.party),
                signer=s.signer.get_full_name() or s.typed_name,
                signed_at=s.signed_at,
            )
            for s in sorted(
                own, key=lambda s: signing.required_parties(document.kind).index(s.party)
            )
            if s.party in signing.required_parties(document.kind)
        ]
        missing = signing.missing_parties(document.kind, (s.party for s in own))
        if document.status == DocumentStatus.RENDERING:
            state = "rendering"
        elif document.status == DocumentStatus.VOID:
            state = "void"
        else:
            state = "awaiting" if missing else "signed"
        sign_as = (
            [(p, str(Party(p).label)) for p in missing if p in mine] if state == "awaiting" else []
        )
        states.append(
            SigningState(
                document=document, state=state, signed=lines, missing=missing, sign_as=sign_as
            )
        )
    return states


# --- the contract gate and the reminders ----------------------------------------------------------


def current_versions(exchange_id: int) -> tuple[dict[str, Document], list[Signature]]:
    """The newest version of each kind and the live signatures of the exchange (two queries,
    always both, so a page costs the same with or without documents)."""
    return latest_documents(exchange_id), live_signatures(exchange_id)


def reminder_documents(*, ready_before: datetime) -> QuerySet[Document]:
    """The newest READY versions of the documents of drafts — and of contracted exchanges with
    an amendment in progress (R-DOC-8) — rendered before ``ready_before`` (the reminder scan,
    R-DOC-2, R-DOC-3). A newer version of the same kind voids the older, so a READY version is
    the newest one."""
    return (
        Document.objects.filter(
            Q(exchange__status=ExchangeStatus.DRAFT)
            | Q(
                exchange__status=ExchangeStatus.CONTRACTED,
                exchange__amendments__status=AmendmentStatus.OPEN,
            ),
            status=DocumentStatus.READY,
            rendered_at__lte=ready_before,
            kind__in=DocumentKind.values,
        )
        .select_related("exchange")
        .distinct()
    )
