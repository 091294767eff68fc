"""The one extension point for "what the documents state changed" (R-DOC-5, R-DOC-8): how the
rooms above ``exchanges`` follow a change to a draft's dates, plan, parties, partnerships or mode
— or to a contracted exchange's dates and plan under an amendment (R-DOC-8) — without
``exchanges`` importing them. (The module keeps its historical name: drafts were its first use.)

Every exchanges service that changes what the documents state — ``exchange_update`` (dates,
objectives, parties, partnerships, mode) and the action-plan services (add, change, remove,
approve an activity) — calls :func:`content_changed` (through
``services._common.exchange_changed``) inside its transaction, on the locked row, after its own
save and audit, whether the exchange is a draft or an amended contracted one. A room registers a
**listener** ``(exchange, actor, why) -> None`` from its ``AppConfig.ready()``: the documents room
(``reports.gates``) makes new versions of the documents already prepared, which voids the
earlier versions' signatures (R-DOC-5). A listener runs inside the caller's transaction, so an
exception rolls the change back.

Tests may register a listener for the length of a ``with`` block: :func:`temporary_listener`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

Listener = Callable[..., None]

_listeners: list[Listener] = []


def register_listener(listener: Listener) -> None:
    """Call ``listener(exchange=…, actor=…, why=…)`` after every change of a draft or of an
    amended contracted exchange (once: registering it again changes nothing)."""
    if listener not in _listeners:
        _listeners.append(listener)


def unregister_listener(listener: Listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def listeners() -> tuple[Listener, ...]:
    return tuple(_listeners)


@contextmanager
def temporary_listener(listener: Listener) -> Iterator[None]:
    register_listener(listener)
    try:
        yield
    finally:
        unregister_listener(listener)


def content_changed(*, exchange: Any, actor: Any, why: str) -> None:
    """Tell every listener that ``exchange`` (locked by the caller; a draft, or a contracted
    exchange under an amendment) changed."""
    for listener in tuple(_listeners):
        listener(exchange=exchange, actor=actor, why=why)
