"""One state change, done the house's way, for any model with a django-fsm state field.

    atomic → lock the row → re-check the permission and the conditions on the fresh row
    → django-fsm transition → stamp its time → save(update_fields) → consequences
    → audit record → notifications (which leave after the commit)

Used by the exchange transitions (``exchanges.services.transitions``); the documents and
payments transitions are meant to use it too. Model-agnostic: the caller says how to lock the
row, who may act, what refuses the step and what follows it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone

from cxc_portal.audit.services import record

from .refusals import Refusal, raise_if_refused

M = TypeVar("M", bound=models.Model)


def _auto_now_fields(instance: models.Model) -> list[str]:
    # ``auto_now`` fields are refreshed by save() only when listed in update_fields.
    return [f.name for f in instance._meta.concrete_fields if getattr(f, "auto_now", False)]


def transition_run(
    instance: Any,
    *,
    actor: Any,
    lock: Callable[[Any], M],
    transition: str,
    permitted: Callable[[Any, M], bool],
    denial: str,
    refusals: Callable[[M], Iterable[Refusal]],
    action: str,
    stamp: str | None = None,
    changes: Mapping[str, Any] | None = None,
    consequences: Iterable[Callable[[M, Any], None]] = (),
    data: Mapping[str, Any] | None = None,
    notify: Callable[[M], object] | None = None,
    state_field: str = "status",
) -> M:
    """Run the django-fsm method ``transition`` on the row ``lock(instance)`` returns.

    - ``permitted(actor, locked)`` false: ``PermissionDenied(denial)``;
    - ``refusals(locked)`` not empty: one ``ValidationError`` with every refusal, nothing saved;
    - else the state changes, ``stamp`` (a datetime field) is set to now and ``changes`` are
      applied, and only those fields are saved; each of ``consequences`` is called with
      ``(locked, actor)`` in the same transaction (one that raises undoes everything); the audit
      event ``action`` records ``from``/``to`` and ``data``; ``notify(locked)`` queues the
      notices.

    Returns the locked instance in its new state.
    """
    with transaction.atomic():
        locked = lock(instance)
        if not permitted(actor, locked):
            raise PermissionDenied(denial)
        # Re-checked on the fresh row under the lock: a concurrent request may have moved it
        # meanwhile; it is then refused ("already …") instead of transitioned twice.
        raise_if_refused(refusals(locked))
        previous = getattr(locked, state_field)
        getattr(locked, transition)()
        fields = [state_field]
        if stamp is not None:
            setattr(locked, stamp, timezone.now())
            fields.append(stamp)
        for name, value in (changes or {}).items():
            setattr(locked, name, value)
            fields.append(name)
        locked.save(update_fields=fields + _auto_now_fields(locked))
        for consequence in consequences:
            consequence(locked, actor)
        record(
            actor=actor,
            action=action,
            subject=locked,
            data={"from": previous, "to": getattr(locked, state_field), **(data or {})},
        )
        if notify is not None:
            notify(locked)
    return locked
