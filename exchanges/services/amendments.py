"""Amendments of a contracted exchange (R-DOC-8): open, withdraw, and the closing once signed.

R-DOC-8: "A contracted exchange's dates or plan change only by an amendment: VOP staff give a
reason, the CTQ (and the FA if the amount changes) get a new version that all its parties sign
again; the exchange stays contracted meanwhile."

- :func:`amendment_open`: the VOP's staff who may approve exchanges open one, with a reason; from
  then on they (only they) change the dates, objectives and plan through the usual services
  (``encoding.exchange_update``, ``plan``), every change telling the rooms above
  (``draft_changes``): the documents get new versions, the earlier signatures void (R-DOC-5).
- :func:`amendment_withdraw`: the same staff drop it while nothing was changed under it yet.
  Once a change was made the documents have new versions: undoing it means changing it back,
  which the parties sign like any other amendment (there is no "restore the old version").
- :func:`amendment_close`: called by the documents room (``reports``, above this one) once every
  document the amendment touched is fully signed again; the payments room has made the payment
  follow the newly signed FA just before, in the same transaction.
- :func:`amendment_withdraw_on_cancel`: a consequence of "cancel": a cancelled exchange's open
  amendment is withdrawn with it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cxc_portal.core.refusals import raise_if_refused

from .. import gates
from ..guards import amendment_open_refusals
from ..models import Amendment, AmendmentStatus, Exchange
from ..permissions import DENIALS, can_amend_exchange
from ._common import lock_exchange, notify_exchange, open_amendment, record, today_or

if TYPE_CHECKING:
    from cxc_portal.accounts.models import User

OPENED = "exchanges.amendment.opened"
SIGNED = "exchanges.amendment.signed"
WITHDRAWN = "exchanges.amendment.withdrawn"


def amendment_open(
    *, actor: User, exchange: Exchange, reason: str, today: date | None = None
) -> Amendment:
    """R-DOC-8: open an amendment of a contracted exchange.

    Refused (nothing saved): an actor who is not staff of the VOP with ``can_approve_exchanges``
    (``PermissionDenied``); an exchange that is not contracted; an amendment already open (also a
    database constraint, for two clicks at once); an empty or over-long reason (keyed
    ``reason``); any condition a room above registered (``gates.amendment_refusals``: the lump
    sum already paid). Audited on the exchange's timeline; the parties and both partnerships'
    staff are told by e-mail after commit. The exchange stays contracted.
    """
    today = today_or(today)
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = lock_exchange(exchange)
        if not can_amend_exchange(actor, locked):
            raise PermissionDenied(DENIALS["amend"])
        # Re-checked under the lock: a colleague may have opened one a moment ago.
        refusals = amendment_open_refusals(
            locked, has_open=open_amendment(locked) is not None, reason=reason
        )
        if not refusals:
            refusals = gates.amendment_refusals(locked, today=today)
        raise_if_refused(refusals)
        try:
            with transaction.atomic():
                amendment = Amendment.objects.create(
                    exchange=locked, reason=reason, opened_by=actor, opened_at=timezone.now()
                )
        except IntegrityError:  # the partial unique constraint: opened a moment ago
            raise ValidationError(
                _("An amendment of this exchange is already in progress: finish it first.")
            ) from None
        record(
            actor=actor,
            action=OPENED,
            subject=locked,
            data={"amendment": amendment.pk, "reason": reason},
        )
        notify_exchange(
            exchange=locked, event="amendment_opened", actor=actor, context={"reason": reason}
        )
    return amendment


def amendment_withdraw(*, actor: User, exchange: Exchange) -> Amendment:
    """R-DOC-8: the VOP's staff who may amend drop the open amendment, as long as nothing was
    changed under it (the documents are then exactly as signed). Audited, the parties told."""
    with transaction.atomic():
        locked = lock_exchange(exchange)
        if not can_amend_exchange(actor, locked):
            raise PermissionDenied(DENIALS["amend"])
        amendment = open_amendment(locked)
        if amendment is None:
            raise ValidationError(_("This exchange has no amendment in progress."))
        if amendment.changed_at is not None:
            raise ValidationError(
                _(
                    "The dates or the plan were already changed under this amendment, and the "
                    "documents have new versions: change them back if needed, then the parties "
                    "sign again."
                )
            )
        _end(amendment, AmendmentStatus.WITHDRAWN)
        record(
            actor=actor,
            action=WITHDRAWN,
            subject=locked,
            data={"amendment": amendment.pk, "reason": amendment.reason},
        )
        notify_exchange(
            exchange=locked,
            event="amendment_withdrawn",
            actor=actor,
            context={"reason": amendment.reason},
        )
    return amendment


def amendment_close(*, actor: Any, exchange: Exchange | int, documents: list[str]) -> Amendment:
    """R-DOC-8: the open amendment of ``exchange`` is signed: every document it touched
    (``documents``, e.g. ``["CTQ v2", "FA v2"]``) carries all its parties' signatures again.

    Called by the documents room inside the transaction of the last signature, which checked
    that (``actor``: who signed last; no permission of its own — the rules, not a click, close
    it). Audited on the timeline; the parties and both partnerships' staff are told after
    commit. Refused when no amendment is open (a concurrent call closed it)."""
    with transaction.atomic():
        locked = lock_exchange(exchange)
        amendment = open_amendment(locked)
        if amendment is None:
            raise ValidationError(_("This exchange has no amendment in progress."))
        amendment.documents = list(documents)
        _end(amendment, AmendmentStatus.SIGNED, extra=["documents"])
        record(
            actor=actor,
            action=SIGNED,
            subject=locked,
            data={
                "amendment": amendment.pk,
                "reason": amendment.reason,
                "documents": list(documents),
            },
        )
        notify_exchange(
            exchange=locked,
            event="amendment_signed",
            actor=None,  # everyone is told, the last signer too
            context={"reason": amendment.reason, "documents": ", ".join(documents)},
        )
    return amendment


def amendment_withdraw_on_cancel(exchange: Exchange, actor: Any) -> None:
    """A consequence of "cancel" (R-EXC-2, R-DOC-8): the cancelled exchange's open amendment, if
    any, is withdrawn with it (audited); the cancellation e-mail says the rest."""
    amendment = (
        Amendment.objects.select_for_update()
        .filter(exchange_id=exchange.pk, status=AmendmentStatus.OPEN)
        .first()
    )
    if amendment is None:
        return
    _end(amendment, AmendmentStatus.WITHDRAWN)
    record(
        actor=actor,
        action=WITHDRAWN,
        subject=exchange,
        data={"amendment": amendment.pk, "reason": amendment.reason, "cancelled": True},
    )


def _end(amendment: Amendment, status: str, *, extra: list[str] | None = None) -> None:
    amendment.status = status
    amendment.closed_at = timezone.now()
    amendment.save(update_fields=["status", "closed_at", *(extra or [])])
