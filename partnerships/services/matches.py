"""Matches (R-MATCH-1, R-MATCH-2): propose, accept, decline, withdraw."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from cxc_portal.audit.services import record
from organisations.choices import ParticipantRole, ProfileStatus
from organisations.models import Organisation

from .. import permissions
from ..models import ACTIVE_MATCH_STATUSES, ExpressionOfInterest, InterestStatus, Match, MatchStatus
from ..selectors import match_confirm_blockers, match_terms
from ._common import decide, notify_users, representatives, role_label, staff_users, today_or_now
from .interests import lock_interest

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User

# --- matches (R-MATCH-1, R-MATCH-2) --------------------------------------------------------------


def _lock_org(pk: int) -> Organisation:
    return Organisation.objects.select_for_update(of=("self",), no_key=True).get(pk=pk)


def _accepted_match_of(visitor_id: int) -> Match | None:
    return (
        Match.objects.filter(visitor_id=visitor_id, status=MatchStatus.ACCEPTED)
        .select_related("host")
        .first()
    )


def _match_context(match: Match) -> dict:
    return {
        "match": match,
        "path": reverse("partnerships:match_detail", kwargs={"pk": match.pk}),
    }


def match_propose(
    *,
    actor: User,
    interest: ExpressionOfInterest,
    counterpart: Organisation,
    message: str = "",
    today: date | None = None,
) -> Match:
    """R-MATCH-1, R-MATCH-2: propose a match from an accepted interest to an organisation of the
    other role. The actor represents the interest's organisation, or works for the interest's
    partnership and proposes on the organisation's behalf (audited with the staff member as
    actor; the organisation's representatives are told). Either way the other side accepts
    (R-MATCH-2).

    The VOP is the partnership of the visitor's accepted interest; the HOP the partnership of
    the host's accepted host interest (the one with the VOP's partnership if there is one,
    else the most recent) or, when the host has expressed no accepted interest, the host's
    validating partnership (decision: a host need not have expressed interest to be matched).
    A match may be proposed at any score (R-MATCH-1) — even 0 when the two share nothing —
    as long as it is not a hard zero: refused to oneself, to a same-country organisation
    (R-EXC-1), to or from an ineligible party (R-ELIG-2, R-ELIG-3), when the visitor has already
    confirmed a match (R-ELIG-11: it visits once), or when the pair already has an open match.
    The score and its parts are stored as computed now.
    """
    today = today_or_now(today)
    if not permissions.may_propose_for(actor, interest):
        raise PermissionDenied(
            _("You neither represent this organisation nor work for its partnership.")
        )
    on_behalf = permissions.proposes_on_behalf(actor, interest)
    if interest.status != InterestStatus.ACCEPTED:
        raise ValidationError(
            _("Your expression of interest must be accepted by %(p)s before you propose matches.")
            % {"p": interest.partnership.acronym}
        )
    if counterpart.pk == interest.organisation_id:
        raise ValidationError(_("You cannot propose a match to your own organisation."))
    if counterpart.status != ProfileStatus.VALIDATED:
        raise ValidationError(
            _("%(org)s's profile is not validated: it cannot be matched (R-ELIG-5).")
            % {"org": counterpart.legal_name}
        )
    if str(counterpart.country.code) == str(interest.organisation.country.code):
        raise ValidationError(
            _(
                "%(org)s is in the same country as your organisation: an exchange is a stay in "
                "another country (R-EXC-1)."
            )
            % {"org": counterpart.legal_name}
        )

    with transaction.atomic():
        interest = lock_interest(interest)
        # A concurrent request may have withdrawn the interest meanwhile.
        if interest.status != InterestStatus.ACCEPTED:
            raise ValidationError(_("Your expression of interest is no longer accepted."))
        terms = match_terms(interest=interest, counterpart=counterpart, today=today)
        visitor, host = terms.visitor, terms.host
        if terms.visitor_interest is None or terms.vop is None:
            raise ValidationError(
                _(
                    "%(org)s has no accepted expression of interest as visitor: it cannot "
                    "be matched yet."
                )
                % {"org": visitor.legal_name}
            )
        if terms.hop is None:
            raise ValidationError(
                _("%(org)s has no partnership in charge yet: it cannot be matched.")
                % {"org": host.legal_name}
            )
        # Serialises proposals and acceptances about the same visitor (it visits once).
        _lock_org(visitor.pk)
        accepted = _accepted_match_of(visitor.pk)
        if accepted is not None:
            raise ValidationError(
                _(
                    "%(v)s has already confirmed a match with %(h)s: an organisation visits only "
                    "once (R-ELIG-11)."
                )
                % {"v": visitor.legal_name, "h": accepted.host.legal_name}
            )
        existing = Match.objects.filter(
            visitor=visitor, host=host, status__in=ACTIVE_MATCH_STATUSES
        ).first()
        if existing is not None:
            raise ValidationError(
                _("%(v)s and %(h)s already have a %(status)s match.")
                % {
                    "v": visitor.legal_name,
                    "h": host.legal_name,
                    "status": existing.get_status_display().lower(),
                }
            )
        result = terms.affinity
        if not result.possible:
            raise ValidationError(" ".join(b.cited for b in result.blockers))
        vop, hop = terms.vop, terms.hop
        try:
            with transaction.atomic():
                match = Match.objects.create(
                    visitor=visitor,
                    host=host,
                    visitor_interest=terms.visitor_interest,
                    host_interest=terms.host_interest,
                    vop=vop,
                    hop=hop,
                    score=result.score,
                    score_parts=result.as_dict(),
                    proposed_by_role=interest.role,
                    proposed_by=actor,
                    message=(message or "").strip(),
                )
        except IntegrityError as exc:  # one open match per pair, as a last guard
            raise ValidationError(
                _("%(v)s and %(h)s already have an open match.")
                % {"v": visitor.legal_name, "h": host.legal_name}
            ) from exc
        record(
            actor=actor,
            action="partnerships.match.proposed",
            subject=match,
            data={
                "visitor": visitor.pk,
                "host": host.pk,
                "vop": vop.pk,
                "hop": hop.pk,
                "score": result.score,
                "proposed_by_role": interest.role,
                # Staff of the interest's partnership proposed for the organisation.
                "on_behalf": on_behalf,
            },
        )
        other = host if interest.role == ParticipantRole.VISITOR else visitor
        notify_users(
            representatives([other.pk]),
            kind="partnerships.match.proposed",
            template="partnerships/email/match_proposed",
            context=_match_context(match),
            about=match,
        )
        if on_behalf:  # the organisation learns what its partnership proposed in its name
            notify_users(
                representatives([interest.organisation_id]),
                kind="partnerships.match.proposed_on_behalf",
                template="partnerships/email/match_proposed_on_behalf",
                context=_match_context(match),
                about=match,
            )
    return match


def _lock_match(match: Match) -> Match:
    return (
        Match.objects.select_for_update(of=("self",), no_key=True)
        .select_related("visitor", "host", "vop", "hop", "visitor_interest", "host_interest")
        .get(pk=match.pk)
    )


def _match_not_open(match: Match) -> ValidationError:
    return ValidationError(
        _("This match is already %(status)s.") % {"status": match.get_status_display().lower()}
    )


def _notify_match_decided(match: Match) -> None:
    proposer = (
        match.visitor_id if match.proposed_by_role == ParticipantRole.VISITOR else (match.host_id)
    )
    users = representatives([proposer])
    known = {u.pk for u in users}
    users += [u for u in staff_users([match.vop_id, match.hop_id]) if u.pk not in known]
    notify_users(
        users,
        kind=f"partnerships.match.{match.status}",
        template="partnerships/email/match_decided",
        context=_match_context(match),
        about=match,
    )


def _lock_for_answer(*, actor: User, match: Match) -> Match:
    """R-MATCH-2: lock the match, then check that ``actor`` answers for the side that did not
    propose it and that it is still open (accept and decline share this)."""
    match = _lock_match(match)
    answering = permissions.other_side(match.proposed_by_role)
    if answering not in permissions.match_sides_of(actor, match):
        raise PermissionDenied(
            _("Only a representative of the %(side)s may answer this proposal.")
            % {"side": role_label(answering)}
        )
    # A concurrent request may have answered or withdrawn it meanwhile.
    if match.status != MatchStatus.PROPOSED:
        raise _match_not_open(match)
    return match


def match_accept(*, actor: User, match: Match, today: date | None = None) -> Match:
    """R-MATCH-2: the side that did not propose confirms the match.

    Re-checks that the pair can still form an exchange (eligibility today, the visitor's
    interest still accepted, no other confirmed match of the visitor: R-ELIG-11). The visitor's
    other proposed matches are then closed (withdrawn), since it visits only once.
    """
    today = today_or_now(today)
    with transaction.atomic():
        # Lock order: the visitor first, then the match (as match_propose does, and before
        # closing the visitor's other proposals), so two acceptances for the same visitor
        # queue on the visitor instead of deadlocking on each other's matches.
        _lock_org(match.visitor_id)
        match = _lock_for_answer(actor=actor, match=match)
        blockers = match_confirm_blockers(match, today=today)
        if blockers:
            raise ValidationError(" ".join(b.cited for b in blockers))
        decide(match, actor=actor, status=MatchStatus.ACCEPTED)
        _notify_match_decided(match)
        _close_other_proposals_of_visitor(actor=actor, confirmed=match)
    return match


def _close_other_proposals_of_visitor(*, actor: User, confirmed: Match) -> None:
    others = (
        Match.objects.select_for_update(of=("self",), no_key=True)
        .filter(visitor_id=confirmed.visitor_id, status=MatchStatus.PROPOSED)
        .exclude(pk=confirmed.pk)
        .select_related("visitor", "host")
    )
    for other in others:
        decide(
            other,
            actor=actor,
            status=MatchStatus.WITHDRAWN,
            reason=_("Closed automatically: %(v)s confirmed a match with %(h)s.")
            % {"v": confirmed.visitor.legal_name, "h": confirmed.host.legal_name},
            automatic=True,
            data={"automatic": True, "confirmed_match": confirmed.pk},
        )
        notify_users(
            representatives([other.visitor_id, other.host_id]),
            kind="partnerships.match.withdrawn",
            template="partnerships/email/match_withdrawn",
            context=_match_context(other),
            about=other,
        )


def match_decline(*, actor: User, match: Match, reason: str) -> Match:
    """R-MATCH-2: the side that did not propose declines the match, with a reason."""
    reason = (reason or "").strip()
    with transaction.atomic():
        match = _lock_for_answer(actor=actor, match=match)
        if not reason:
            raise ValidationError(
                {"reason": _("Tell the other organisation why you decline the proposal.")}
            )
        decide(match, actor=actor, status=MatchStatus.DECLINED, reason=reason)
        _notify_match_decided(match)
    return match


def match_withdraw(*, actor: User, match: Match) -> Match:
    """The proposing side withdraws its proposal while it is still unanswered."""
    with transaction.atomic():
        match = _lock_match(match)
        if match.proposed_by_role not in permissions.match_sides_of(actor, match):
            raise PermissionDenied(
                _("Only the organisation that proposed this match may withdraw it.")
            )
        # A concurrent request may have answered it meanwhile.
        if match.status != MatchStatus.PROPOSED:
            raise _match_not_open(match)
        decide(match, actor=actor, status=MatchStatus.WITHDRAWN)
        other = (
            match.host_id
            if match.proposed_by_role == ParticipantRole.VISITOR
            else (match.visitor_id)
        )
        notify_users(
            representatives([other]),
            kind="partnerships.match.withdrawn",
            template="partnerships/email/match_withdrawn",
            context=_match_context(match),
            about=match,
        )
    return match
