"""The action plan of a draft (R-EXC-4, R-EXC-5): add, change, remove, approve extras — and of a
contracted exchange under an open amendment, by the VOP's staff (R-DOC-8), with the same
checks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cxc_portal.core.refusals import Refusal, raise_if_refused
from cxc_portal.notifications.services import notification_send

from ..guards import activity_refusals
from ..models import Activity, Exchange
from ..permissions import DENIALS, can_approve_extra_activity, can_edit_draft
from ._common import edit_refusals, exchange_changed, exchange_url, lock_exchange, record

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User


def _locked_for_plan(exchange: Exchange, actor: User) -> Exchange:
    locked = lock_exchange(exchange)
    if not can_edit_draft(actor, locked):
        raise PermissionDenied(DENIALS["edit"])
    # Re-checked under the lock: a concurrent request may have contracted it meanwhile, or the
    # amendment that allowed the change may have been signed (R-EXC-2, R-DOC-8).
    raise_if_refused(edit_refusals(locked, actor))
    return locked


def _activity_of(exchange: Exchange, activity_id: int) -> Activity:
    activity = exchange.activities.filter(pk=activity_id).first()
    if activity is None:
        raise ValidationError(_("This activity is no longer in the action plan."))
    return activity


def _activity_data(activity: Activity) -> dict:
    return {
        "activity": activity.pk,
        "date": activity.date,
        "type": activity.activity_type,
        "title": activity.title,
        "hours": activity.hours,
        "extra": activity.is_extra,
    }


def _notify_support_office(*, exchange: Exchange, activity: Activity, actor: User) -> None:
    """R-EXC-4: an extra activity waits for the Support Office; tell it once per activity."""
    notification_send(
        key=f"exchanges.activity.extra_proposed:{activity.pk}",
        kind="exchanges.activity.extra_proposed",
        to_email=settings.SUPPORT_OFFICE_EMAIL,
        template="exchanges/email/extra_activity",
        context={
            "exchange": exchange,
            "activity": activity,
            "actor": actor,
            "url": exchange_url(exchange),
        },
        about=exchange,
    )


def _validate_type(activity_type: str) -> list[Refusal]:
    from organisations.choices import ActivityType

    if activity_type not in ActivityType.values:
        return [Refusal("R-EXC-5", _("Choose one of the activity types."), "activity_type")]
    return []


def exchange_activity_add(
    *,
    exchange: Exchange,
    actor: User,
    date: date,
    activity_type: str,
    title: str,
    hours: Decimal,
    description: str = "",
    is_extra: bool = False,
) -> Activity:
    """Add an activity to a draft's plan (R-EXC-4, R-EXC-5): inside the stay, 0 < hours ≤ 24, a day
    never over 24 hours. Extra activities wait for the Support Office's approval and are
    announced to it. Tells the rooms above (``draft_changes``): the documents follow (R-DOC-5).
    The same activity sent twice (a double submit) is added once; the second is refused."""
    with transaction.atomic():
        locked = _locked_for_plan(exchange, actor)
        title = (title or "").strip()
        refusals = _validate_type(activity_type)
        if not title:
            refusals.append(Refusal("R-EXC-4", _("Give the activity a title."), "title"))
        refusals += activity_refusals(locked, day=date, hours=hours)
        raise_if_refused(refusals)
        # A double click sends the same activity twice: the second request waits for the
        # exchange lock above, then finds the first one's row here.
        if locked.activities.filter(
            date=date,
            activity_type=activity_type,
            title=title,
            hours=hours,
            description=description or "",
        ).exists():
            raise ValidationError(
                {
                    "title": _(
                        "This activity is already in the plan (same day, type, title and "
                        "hours). If it is a second one, give it another title."
                    )
                }
            )
        activity = Activity.objects.create(
            exchange=locked,
            date=date,
            activity_type=activity_type,
            title=title,
            description=description or "",
            hours=hours,
            is_extra=is_extra,
            proposed_by=actor,
        )
        record(
            actor=actor,
            action="exchanges.activity.added",
            subject=locked,
            data=_activity_data(activity),
        )
        exchange_changed(exchange=locked, actor=actor, why="action plan changed")
        if is_extra:
            _notify_support_office(exchange=locked, activity=activity, actor=actor)
    return activity


def exchange_activity_update(
    *,
    exchange: Exchange,
    actor: User,
    activity_id: int,
    date: date,
    activity_type: str,
    title: str,
    hours: Decimal,
    description: str = "",
    is_extra: bool = False,
) -> Activity:
    """Change one activity of a draft's plan; same checks as adding. A changed extra activity
    loses its approval (the Support Office approved something else)."""
    with transaction.atomic():
        locked = _locked_for_plan(exchange, actor)
        activity = _activity_of(locked, activity_id)
        title = (title or "").strip()
        refusals = _validate_type(activity_type)
        if not title:
            refusals.append(Refusal("R-EXC-4", _("Give the activity a title."), "title"))
        refusals += activity_refusals(
            locked, day=date, hours=hours, exclude_activity_id=activity.pk
        )
        raise_if_refused(refusals)
        before = _activity_data(activity)
        old_description = activity.description
        activity.date = date
        activity.activity_type = activity_type
        activity.title = title
        activity.description = description or ""
        activity.hours = hours
        activity.is_extra = is_extra
        after = _activity_data(activity)
        if before == after and old_description == activity.description:
            return activity
        fields = ["date", "activity_type", "title", "description", "hours", "is_extra"]
        if activity.approved_at is not None:
            # The Support Office approved the activity as it was; a change needs a new approval.
            activity.approved_at = None
            activity.approved_by = None
            fields += ["approved_at", "approved_by"]
        activity.save(update_fields=fields)
        record(
            actor=actor,
            action="exchanges.activity.updated",
            subject=locked,
            data={"before": before, "after": after},
        )
        exchange_changed(exchange=locked, actor=actor, why="action plan changed")
        if is_extra and activity.approved_at is None:
            _notify_support_office(exchange=locked, activity=activity, actor=actor)
    return activity


def exchange_activity_delete(*, exchange: Exchange, actor: User, activity_id: int) -> None:
    """Remove an activity from a draft's plan."""
    with transaction.atomic():
        locked = _locked_for_plan(exchange, actor)
        activity = _activity_of(locked, activity_id)
        data = _activity_data(activity)
        activity.delete()
        record(actor=actor, action="exchanges.activity.deleted", subject=locked, data=data)
        exchange_changed(exchange=locked, actor=actor, why="action plan changed")


def exchange_activity_approve(*, exchange: Exchange, actor: User, activity_id: int) -> Activity:
    """R-EXC-4: the Support Office approves an extra activity, which then counts towards the
    24 hours. Only in a draft (the plan freezes at contracting), or while an amendment that may
    have added it is open (R-DOC-8)."""
    if not can_approve_extra_activity(actor, exchange):
        raise PermissionDenied(DENIALS["approve_extra"])
    with transaction.atomic():
        locked = lock_exchange(exchange)
        raise_if_refused(edit_refusals(locked, actor, approving=True))
        activity = _activity_of(locked, activity_id)
        if not activity.is_extra:
            raise ValidationError(_("Only extra activities need the Support Office's approval."))
        # Re-checked under the lock: another Support Office member may have approved it.
        if activity.approved_at is not None:
            raise ValidationError(_("This extra activity is already approved."))
        activity.approved_at = timezone.now()
        activity.approved_by = actor
        activity.save(update_fields=["approved_at", "approved_by"])
        record(
            actor=actor,
            action="exchanges.activity.approved",
            subject=locked,
            data=_activity_data(activity),
        )
        # The activity now counts: the CTQ says so (R-DOC-2).
        exchange_changed(exchange=locked, actor=actor, why="extra activity approved")
    return activity
