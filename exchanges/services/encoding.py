"""Encoding an exchange (R-EXC-6) and editing a draft (R-EXC-2)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cxc_portal.core.refusals import Refusal, raise_if_refused
from organisations.models import Organisation
from partnerships.models import Match, MatchStatus, Partnership

from ..guards import (
    amendment_fields_refusals,
    dates_refusals,
    mode_refusals,
    parties_refusals,
    partnerships_refusals,
)
from ..models import Exchange, ExchangeGroup, ExchangeMode, ExchangeStatus
from ..permissions import (
    DENIALS,
    can_create_exchange_for,
    can_edit_draft,
    can_manage_group,
    can_steer_exchange,
)
from ._common import (
    edit_refusals,
    exchange_changed,
    lock_exchange,
    lock_group,
    notify_exchange,
    record,
    today_or,
)

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User

VISIT_USED = _("This organisation has already used its single visit (R-ELIG-11).")


def reference_for(pk: int, year: int) -> str:
    """``CXC-<year of creation>-<6-digit sequence>``; the sequence is the row id (unique)."""
    return f"CXC-{year}-{pk:06d}"


def _visit_taken(visitor: Organisation, *, exclude_pk: int | None = None) -> bool:
    qs = Exchange.objects.filter(visitor=visitor).exclude(status=ExchangeStatus.CANCELLED)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def _match_refusals(match: Match, *, visitor, host, vop, hop) -> list[Refusal]:
    refusals: list[Refusal] = []
    if match.status != MatchStatus.ACCEPTED:
        refusals.append(Refusal("R-MATCH-2", _("Only an accepted match can become an exchange.")))
    if Exchange.objects.filter(match=match).exists():
        refusals.append(
            Refusal("R-EXC-6", _("An exchange has already been encoded from this match."))
        )
    if (match.visitor_id, match.host_id, match.vop_id, match.hop_id) != (
        visitor.pk,
        host.pk,
        vop.pk,
        hop.pk,
    ):
        refusals.append(
            Refusal(
                "R-EXC-6",
                _("An exchange encoded from a match keeps the match's parties and partnerships."),
            )
        )
    return refusals


def exchange_create(
    *,
    actor: User,
    visitor: Organisation,
    host: Organisation,
    vop: Partnership,
    hop: Partnership,
    start_date: date,
    end_date: date,
    mode: str = ExchangeMode.PHYSICAL,
    objectives: str = "",
    match: Match | None = None,
    group: ExchangeGroup | None = None,
    today: date | None = None,
) -> Exchange:
    """Encode a draft exchange (R-EXC-6), directly or from an accepted match.

    Refused unless: the actor is staff (can_approve_exchanges) of the VOP or HOP; both
    organisations are validated and eligible for their role today, in different countries
    (R-EXC-1, R-ELIG-*); the visitor has no other non-cancelled exchange (R-ELIG-11, also a
    database constraint that settles a race between two requests); the dates pass R-EXC-3 on
    the host's calendar; virtual mode is switched on (R-EXC-8). With ``group`` the draft joins
    that group in the same transaction (R-EXC-7).
    """
    today = today_or(today)
    if not can_create_exchange_for(actor, vop_id=vop.pk, hop_id=hop.pk):
        raise PermissionDenied(DENIALS["create"])
    with transaction.atomic():
        if match is not None:
            # Locked: two staff encoding the same match at once — the second sees the first's.
            match = Match.objects.select_for_update().get(pk=match.pk)
        refusals: list[Refusal] = []
        if match is not None:
            refusals += _match_refusals(match, visitor=visitor, host=host, vop=vop, hop=hop)
        refusals += parties_refusals(visitor=visitor, host=host, today=today)
        refusals += partnerships_refusals(visitor=visitor, host=host, vop=vop, hop=hop)
        refusals += dates_refusals(start=start_date, end=end_date, host=host, today=today)
        refusals += mode_refusals(mode)
        if group is not None:
            group = lock_group(group)
            if not can_manage_group(actor, group):
                raise PermissionDenied(DENIALS["group"])
            if host.pk != group.host_id or hop.pk != group.hop_id:
                refusals.append(
                    Refusal(
                        "R-EXC-7",
                        _(
                            "A group has one host side: this exchange must have the group's "
                            "host (%(host)s) and HOP (%(hop)s)."
                        )
                        % {"host": group.host, "hop": group.hop.acronym},
                        "host",
                    )
                )
        raise_if_refused(refusals)

        exchange = Exchange(
            # A unique placeholder until the row id gives the real reference (race-free).
            reference=f"tmp-{uuid.uuid4().hex[:16]}",
            visitor=visitor,
            host=host,
            vop=vop,
            hop=hop,
            match=match,
            group=group,
            mode=mode,
            start_date=start_date,
            end_date=end_date,
            objectives=objectives,
            created_by=actor,
        )
        try:
            with transaction.atomic():
                exchange.save()
        except IntegrityError:
            # R-ELIG-11 race: another request created this visitor's exchange meanwhile; the
            # partial unique constraint refused ours.
            if _visit_taken(visitor):
                raise ValidationError({"visitor": VISIT_USED}) from None
            if match is not None and Exchange.objects.filter(match=match).exists():
                raise ValidationError(
                    _("An exchange has already been encoded from this match.")
                ) from None
            raise
        exchange.reference = reference_for(exchange.pk, timezone.localdate().year)
        exchange.save(update_fields=["reference"])
        if match is not None:
            # R-EXC-6: the match leaves the staff queue of matches to encode (for good: an
            # exchange is never deleted, a cancelled one keeps its match).
            match.encoded = True
            match.save(update_fields=["encoded"])
        record(
            actor=actor,
            action="exchanges.exchange.created",
            subject=exchange,
            data={
                "reference": exchange.reference,
                "visitor": str(visitor),
                "host": str(host),
                "vop": vop.acronym,
                "hop": hop.acronym,
                "mode": mode,
                "start_date": start_date,
                "end_date": end_date,
                "match": match.pk if match else None,
                "group": group.pk if group else None,
            },
        )
        if group is not None:
            record(
                actor=actor,
                action="exchanges.group.exchange_added",
                subject=group,
                data={"exchange": exchange.reference},
            )
        notify_exchange(exchange=exchange, event="created", actor=actor)
    return exchange


_STAFF_FIELDS = ("visitor", "host", "vop", "hop", "mode")
_PARTY_FIELDS = ("start_date", "end_date", "objectives")


def _jsonable(value):
    if hasattr(value, "pk"):
        return str(value)
    return value


def exchange_update(
    *,
    exchange: Exchange,
    actor: User,
    start_date: date | None = None,
    end_date: date | None = None,
    objectives: str | None = None,
    mode: str | None = None,
    visitor: Organisation | None = None,
    host: Organisation | None = None,
    vop: Partnership | None = None,
    hop: Partnership | None = None,
    today: date | None = None,
) -> Exchange:
    """Change a draft (R-EXC-2), or a contracted exchange under an open amendment (R-DOC-8):
    ``None`` leaves a field as it is.

    The parties and any staff of the VOP/HOP change dates and objectives; only staff who may
    approve exchanges change the mode and the parties (R-EXC-6), and must remain staff of the
    new VOP or HOP; an exchange encoded from a match keeps the match's parties. Every change
    re-runs the rule it touches (R-EXC-1, R-EXC-3, R-EXC-8, R-ELIG-*), keeps a grouped exchange on
    its group's host side (R-EXC-7), and tells the rooms above (``draft_changes``): the documents
    follow, and the signatures of their earlier versions become void (R-DOC-5).

    R-DOC-8: on a contracted exchange only the VOP's staff who may amend change anything, only
    while an amendment is open, and only the dates and objectives (the plan through the plan
    services); R-EXC-3 applies to the new dates (a stay under way keeps its first day).
    """
    today = today_or(today)
    wanted = {
        "start_date": start_date,
        "end_date": end_date,
        "objectives": objectives,
        "mode": mode,
        "visitor": visitor,
        "host": host,
        "vop": vop,
        "hop": hop,
    }
    with transaction.atomic():
        locked = lock_exchange(exchange)
        if not can_edit_draft(actor, locked):
            raise PermissionDenied(DENIALS["edit"])
        # Re-checked under the lock: a concurrent request may have contracted it meanwhile, or
        # the amendment that allowed the change may have been signed (R-EXC-2, R-DOC-8).
        raise_if_refused(edit_refusals(locked, actor))
        amending = locked.status == ExchangeStatus.CONTRACTED

        changes: dict[str, tuple] = {}
        for name, value in wanted.items():
            if value is None:
                continue
            current = getattr(locked, name)
            if (current.pk if hasattr(current, "pk") else current) != (
                value.pk if hasattr(value, "pk") else value
            ):
                changes[name] = (current, value)
        if not changes:
            return locked
        if amending:
            raise_if_refused(amendment_fields_refusals(changes))
        if any(name in _STAFF_FIELDS for name in changes) and not can_steer_exchange(actor, locked):
            raise PermissionDenied(DENIALS["steer"])

        new = {name: changes.get(name, (None, getattr(locked, name)))[1] for name in wanted}
        refusals: list[Refusal] = []
        if "visitor" in changes or "host" in changes:
            refusals += parties_refusals(
                visitor=new["visitor"],
                host=new["host"],
                today=today,
                exclude_exchange_id=locked.pk,
            )
        if changes.keys() & {"visitor", "host", "vop", "hop"}:
            refusals += partnerships_refusals(
                visitor=new["visitor"], host=new["host"], vop=new["vop"], hop=new["hop"]
            )
        if changes.keys() & {"start_date", "end_date", "host"}:
            refusals += dates_refusals(
                start=new["start_date"],
                end=new["end_date"],
                host=new["host"],
                today=today,
                start_kept=amending and "start_date" not in changes,
            )
        if "mode" in changes:
            refusals += mode_refusals(new["mode"])
        if ("vop" in changes or "hop" in changes) and not can_create_exchange_for(
            actor, vop_id=new["vop"].pk, hop_id=new["hop"].pk
        ):
            refusals.append(
                Refusal(
                    "R-EXC-6",
                    _("You must remain staff of the new VOP or HOP to change them."),
                    "vop",
                )
            )
        if locked.match_id is not None and changes.keys() & {"visitor", "host", "vop", "hop"}:
            # R-EXC-6: the match both sides accepted fixed who takes part (as at encoding).
            refusals.append(
                Refusal(
                    "R-EXC-6",
                    _(
                        "An exchange encoded from a match keeps the match's parties and "
                        "partnerships."
                    ),
                    next(f for f in ("visitor", "host", "vop", "hop") if f in changes),
                )
            )
        if locked.group_id is not None and changes.keys() & {"host", "hop"}:
            refusals.append(
                Refusal(
                    "R-EXC-7",
                    _(
                        "This exchange belongs to the group “%(group)s”, whose host side is "
                        "fixed: remove it from the group first."
                    )
                    % {"group": locked.group},
                    "host",
                )
            )
        raise_if_refused(refusals)

        for name in changes:
            setattr(locked, name, new[name])
        try:
            with transaction.atomic():
                locked.save(update_fields=[*changes.keys(), "updated_at"])
        except IntegrityError:
            if "visitor" in changes and _visit_taken(new["visitor"], exclude_pk=locked.pk):
                raise ValidationError({"visitor": VISIT_USED}) from None
            raise
        record(
            actor=actor,
            action="exchanges.exchange.updated",
            subject=locked,
            data={
                "changes": {
                    name: [_jsonable(old), _jsonable(value)]
                    for name, (old, value) in changes.items()
                }
            },
        )
        exchange_changed(exchange=locked, actor=actor, why="exchange updated")
    return locked
