"""Groups ("missions", R-EXC-7): one host side, several visitors' exchanges joined while drafts.

Lock order, to avoid deadlocks between two staff working on one group: the group row first,
then the exchange rows in id order.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cxc_portal.core.refusals import Refusal, raise_if_refused
from organisations.choices import ParticipantRole
from organisations.models import Organisation
from organisations.selectors import organisation_eligibility
from partnerships.models import Partnership

from ..guards import dates_refusals, group_membership_blockers
from ..models import Exchange, ExchangeGroup, ExchangeStatus
from ..permissions import (
    DENIALS,
    can_create_exchange_for,
    can_manage_group,
    can_steer_exchange,
)
from ._common import lock_exchange, lock_group, record, today_or
from .encoding import exchange_update
from .transitions import exchange_cancel

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User


def _group_date_refusals(
    *, start: date | None, end: date | None, host: Organisation, today: date
) -> list[Refusal]:
    if start is None and end is None:
        return []
    if start is None or end is None:
        return [
            Refusal(
                "R-EXC-7",
                _("Give both the first and the last day of the shared stay, or neither."),
                "end_date" if start else "start_date",
            )
        ]
    return dates_refusals(start=start, end=end, host=host, today=today)


def group_create(
    *,
    actor: User,
    name: str,
    host: Organisation,
    vop: Partnership,
    hop: Partnership,
    start_date: date | None = None,
    end_date: date | None = None,
    plan_notes: str = "",
    today: date | None = None,
) -> ExchangeGroup:
    """Create a mission (R-EXC-7): staff (can_approve_exchanges) of its VOP or HOP; the host
    validated and eligible to host today; shared dates, when given, pass R-EXC-3. The same
    group sent twice (a double submit) is created once; the second is refused."""
    today = today_or(today)
    if not can_create_exchange_for(actor, vop_id=vop.pk, hop_id=hop.pk):
        raise PermissionDenied(DENIALS["group"])
    name = (name or "").strip()
    refusals: list[Refusal] = []
    if not name:
        refusals.append(Refusal("R-EXC-7", _("Give the group a name."), "name"))
    verdict = organisation_eligibility(host, today=today).for_role(ParticipantRole.HOST)
    refusals += [
        Refusal(f.rule, _("%(org)s cannot host: %(why)s") % {"org": host, "why": f.text}, "host")
        for f in verdict.failures
    ]
    refusals += _group_date_refusals(start=start_date, end=end_date, host=host, today=today)
    raise_if_refused(refusals)
    with transaction.atomic():
        # Lock the creator (as ``organisation_create`` does): a double-clicked "Create" waits
        # here for the first request, then finds the group it made instead of making another.
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
        existing = (
            ExchangeGroup.objects.filter(
                name__iexact=name,
                host=host,
                vop=vop,
                hop=hop,
                start_date=start_date,
                end_date=end_date,
            )
            .order_by("pk")
            .first()
        )
        if existing is not None:
            raise ValidationError(
                {
                    "name": _(
                        "The group “%(name)s” with this host, these partnerships and these "
                        "dates already exists: open it from the list of groups instead of "
                        "creating it again."
                    )
                    % {"name": existing.name}
                }
            )
        group = ExchangeGroup.objects.create(
            name=name,
            host=host,
            vop=vop,
            hop=hop,
            start_date=start_date,
            end_date=end_date,
            plan_notes=plan_notes or "",
            created_by=actor,
        )
        record(
            actor=actor,
            action="exchanges.group.created",
            subject=group,
            data={
                "name": name,
                "host": str(host),
                "vop": vop.acronym,
                "hop": hop.acronym,
                "start_date": start_date,
                "end_date": end_date,
            },
        )
    return group


def group_update(
    *,
    group: ExchangeGroup,
    actor: User,
    name: str,
    start_date: date | None,
    end_date: date | None,
    plan_notes: str,
    today: date | None = None,
) -> ExchangeGroup:
    """Change a group's name, shared dates and plan notes (its host side is fixed)."""
    today = today_or(today)
    with transaction.atomic():
        locked = lock_group(group)
        if not can_manage_group(actor, locked):
            raise PermissionDenied(DENIALS["group"])
        name = (name or "").strip()
        refusals: list[Refusal] = []
        if not name:
            refusals.append(Refusal("R-EXC-7", _("Give the group a name."), "name"))
        if (start_date, end_date) != (locked.start_date, locked.end_date):
            refusals += _group_date_refusals(
                start=start_date, end=end_date, host=locked.host, today=today
            )
        raise_if_refused(refusals)
        changes = {}
        for field, value in (
            ("name", name),
            ("start_date", start_date),
            ("end_date", end_date),
            ("plan_notes", plan_notes or ""),
        ):
            if getattr(locked, field) != value:
                changes[field] = [getattr(locked, field), value]
                setattr(locked, field, value)
        if changes:
            locked.save(update_fields=list(changes))
            record(
                actor=actor,
                action="exchanges.group.updated",
                subject=locked,
                data={"changes": changes},
            )
    return locked


def group_add_exchange(*, group: ExchangeGroup, exchange: Exchange, actor: User) -> Exchange:
    """R-EXC-7: a draft of the same host side joins the group (at any time, while a draft)."""
    with transaction.atomic():
        locked_group = lock_group(group)
        if not can_manage_group(actor, locked_group):
            raise PermissionDenied(DENIALS["group"])
        locked = lock_exchange(exchange)
        if not can_steer_exchange(actor, locked):
            raise PermissionDenied(DENIALS["steer"])
        if locked.group_id == locked_group.pk:
            raise ValidationError(
                {"exchange": _("%(ref)s is already in this group.") % {"ref": locked.reference}}
            )
        # Re-checked under both locks: the exchange may have been contracted meanwhile.
        raise_if_refused(group_membership_blockers(locked, locked_group))
        locked.group = locked_group
        locked.save(update_fields=["group", "updated_at"])
        record(
            actor=actor,
            action="exchanges.exchange.group_joined",
            subject=locked,
            data={"group": locked_group.pk, "name": locked_group.name},
        )
        record(
            actor=actor,
            action="exchanges.group.exchange_added",
            subject=locked_group,
            data={"exchange": locked.reference},
        )
    return locked


def group_remove_exchange(*, group: ExchangeGroup, exchange: Exchange, actor: User) -> Exchange:
    """R-EXC-7: a draft leaves the group (membership changes only while a draft)."""
    with transaction.atomic():
        locked_group = lock_group(group)
        if not can_manage_group(actor, locked_group):
            raise PermissionDenied(DENIALS["group"])
        locked = lock_exchange(exchange)
        if not can_steer_exchange(actor, locked):
            raise PermissionDenied(DENIALS["steer"])
        if locked.group_id != locked_group.pk:
            raise ValidationError(_("%(ref)s is not in this group.") % {"ref": locked.reference})
        if locked.status != ExchangeStatus.DRAFT:
            raise ValidationError(
                _("Only draft exchanges can join or leave a group: %(ref)s is %(status)s.")
                % {"ref": locked.reference, "status": locked.get_status_display().lower()}
            )
        locked.group = None
        locked.save(update_fields=["group", "updated_at"])
        record(
            actor=actor,
            action="exchanges.exchange.group_left",
            subject=locked,
            data={"group": locked_group.pk, "name": locked_group.name},
        )
        record(
            actor=actor,
            action="exchanges.group.exchange_removed",
            subject=locked_group,
            data={"exchange": locked.reference},
        )
    return locked


# --- bulk actions: drafts only, all or nothing -----------------------------------------------

BULK_ACTIONS = ("apply_dates", "remove", "cancel")


def _bulk_targets(group: ExchangeGroup, exchanges: Iterable[Exchange]) -> list[Exchange]:
    targets = sorted(exchanges, key=lambda e: e.pk)
    if not targets:
        raise ValidationError({"exchanges": _("Select at least one exchange.")})
    foreign = [e.reference for e in targets if e.group_id != group.pk]
    if foreign:
        raise ValidationError(
            {"exchanges": _("Not in this group: %(refs)s.") % {"refs": ", ".join(foreign)}}
        )
    not_drafts = [e.reference for e in targets if e.status != ExchangeStatus.DRAFT]
    if not_drafts:
        raise ValidationError(
            {
                "exchanges": _("Bulk actions apply to drafts only (R-EXC-7); not drafts: %(refs)s.")
                % {"refs": ", ".join(not_drafts)}
            }
        )
    return targets


def _each(targets: list[Exchange], action) -> None:
    """Run ``action`` on every target; one refusal stops everything (the transaction rolls
    back), and its message names the exchange."""
    for exchange in targets:
        try:
            action(exchange)
        except ValidationError as error:
            raise ValidationError(
                {"exchanges": [f"{exchange.reference}: {message}" for message in error.messages]}
            ) from None
        except PermissionDenied as denied:
            raise ValidationError({"exchanges": f"{exchange.reference}: {denied}"}) from None


def group_bulk(
    *,
    group: ExchangeGroup,
    actor: User,
    action: str,
    exchanges: Iterable[Exchange],
    reason: str = "",
    today: date | None = None,
) -> int:
    """Apply ``action`` to several of the group's drafts at once, all or nothing (R-EXC-7).

    ``apply_dates`` gives them the group's shared dates; ``remove`` takes them out of the group;
    ``cancel`` cancels them with ``reason``. Each exchange goes through its own service (same
    checks, same audit). Returns how many exchanges were changed.
    """
    today = today_or(today)
    if action not in BULK_ACTIONS:
        raise ValidationError({"action": _("Choose an action.")})
    with transaction.atomic():
        locked_group = lock_group(group)
        if not can_manage_group(actor, locked_group):
            raise PermissionDenied(DENIALS["group"])
        # Fresh rows under lock, so the drafts-only check cannot be outrun.
        targets = _bulk_targets(
            locked_group, [lock_exchange(e) for e in sorted(exchanges, key=lambda e: e.pk)]
        )
        if action == "apply_dates":
            if locked_group.start_date is None or locked_group.end_date is None:
                raise ValidationError(
                    {"action": _("The group has no shared dates to apply: set them first.")}
                )
            _each(
                targets,
                lambda e: exchange_update(
                    exchange=e,
                    actor=actor,
                    start_date=locked_group.start_date,
                    end_date=locked_group.end_date,
                    today=today,
                ),
            )
        elif action == "remove":
            _each(
                targets,
                lambda e: group_remove_exchange(group=locked_group, exchange=e, actor=actor),
            )
        else:
            if not (reason or "").strip():
                raise ValidationError({"reason": _("Say why the exchanges are cancelled.")})
            _each(targets, lambda e: exchange_cancel(exchange=e, actor=actor, reason=reason))
        record(
            actor=actor,
            action="exchanges.group.bulk_applied",
            subject=locked_group,
            data={"action": action, "exchanges": [e.reference for e in targets]},
        )
    return len(targets)
