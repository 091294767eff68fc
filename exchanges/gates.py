"""Transition gates: how the rooms above ``exchanges`` take part in its lifecycle (R-EXC-2).

``payments`` and ``reports`` sit above ``exchanges``: the lifecycle needs their facts (the CTQ is
signed, the evidence is accepted) and must trigger their work (fix the lump sum at contracting,
R-PAY-5; open the final reports at execution), yet ``exchanges`` may never import them. So they
register here, explicitly, in their ``AppConfig.ready()`` — no signals:

- a **condition** of a transition, ``(exchange, today) -> list[Refusal]``: every refusal keeps
  the transition from happening and is shown with its rule id;
- a **consequence**, ``(exchange, actor) -> None``: run inside the transition's transaction, on
  the locked row that already holds its new state, right after it is saved (an exception rolls
  the whole transition back).

The transition services (``services.transitions``) and the exchange page's buttons (``panel``)
both call :func:`transition_refusals`, so a disabled button lists every reason the service would
give.

Tests register a gate for the length of a ``with`` block: :func:`temporary_gate`.

Amendments (R-DOC-8) are no transition (the exchange stays contracted), but the rooms above may
refuse one being opened: an **amendment condition** ``(exchange, today) -> list[Refusal]``
(:func:`register_amendment_condition`; payments: not once the lump sum is paid).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from cxc_portal.core.refusals import Refusal

from . import guards

Condition = Callable[[Any, date], list[Refusal]]
Consequence = Callable[[Any, Any], None]

#: The transitions a gate may be registered on (the django-fsm methods of ``Exchange``).
TRANSITIONS: tuple[str, ...] = tuple(guards.STEPS)

_conditions: dict[str, list[Condition]] = {name: [] for name in TRANSITIONS}
_consequences: dict[str, list[Consequence]] = {name: [] for name in TRANSITIONS}


def _known(transition: str) -> str:
    if transition not in TRANSITIONS:
        raise ValueError(
            f"No exchange transition {transition!r}: the gates are on {', '.join(TRANSITIONS)}."
        )
    return transition


def register_condition(transition: str, condition: Condition) -> None:
    """Add ``condition`` to ``transition`` (once: registering it again changes nothing)."""
    registered = _conditions[_known(transition)]
    if condition not in registered:
        registered.append(condition)


def register_consequence(transition: str, consequence: Consequence) -> None:
    """Run ``consequence`` inside every ``transition`` (once: registering it again changes
    nothing). Consequences run in the order they were registered."""
    registered = _consequences[_known(transition)]
    if consequence not in registered:
        registered.append(consequence)


def unregister(transition: str, gate: Condition | Consequence) -> None:
    """Remove ``gate`` from ``transition``'s conditions and consequences (if it is there)."""
    conditions, consequences = _conditions[_known(transition)], _consequences[transition]
    if gate in conditions:
        conditions.remove(gate)  # type: ignore[arg-type]
    if gate in consequences:
        consequences.remove(gate)  # type: ignore[arg-type]


@contextmanager
def temporary_gate(
    transition: str,
    *,
    condition: Condition | None = None,
    consequence: Consequence | None = None,
) -> Iterator[None]:
    """Register a condition and/or a consequence for the ``with`` block only (for tests)."""
    if condition is not None:
        register_condition(transition, condition)
    if consequence is not None:
        register_consequence(transition, consequence)
    try:
        yield
    finally:
        for gate in (condition, consequence):
            if gate is not None:
                unregister(transition, gate)


def conditions(transition: str) -> tuple[Condition, ...]:
    """The registered conditions of ``transition`` (not the exchanges room's own rules)."""
    return tuple(_conditions[_known(transition)])


def consequences(transition: str) -> tuple[Consequence, ...]:
    return tuple(_consequences[_known(transition)])


def transition_refusals(transition: str, exchange, *, today: date) -> list[Refusal]:
    """Every reason ``transition`` is refused for ``exchange`` today; empty when it may happen.

    From the wrong state, only that (R-EXC-2: "already contracted", "only a draft …"); from the
    right one, the exchanges room's own conditions then every registered one, all at once.
    """
    refusals = guards.state_refusals(transition, exchange)
    if refusals:
        return refusals
    for condition in (*guards.OWN_CONDITIONS[transition], *_conditions[transition]):
        refusals += condition(exchange, today)
    return refusals


# --- amendments (R-DOC-8) -------------------------------------------------------------------------

_amendment_conditions: list[Condition] = []


def register_amendment_condition(condition: Condition) -> None:
    """Add ``condition`` to what opening an amendment requires (once)."""
    if condition not in _amendment_conditions:
        _amendment_conditions.append(condition)


def amendment_refusals(exchange, *, today: date) -> list[Refusal]:
    """Every reason a room above gives against amending ``exchange`` today (R-DOC-8)."""
    refusals: list[Refusal] = []
    for condition in _amendment_conditions:
        refusals += condition(exchange, today)
    return refusals
