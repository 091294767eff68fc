"""Queueing Celery tasks so that a broker outage never turns a committed write into a 500.

Every task the portal queues from a request has a database row that says the work is still to
do (a pending ``Notification``, a ``Document`` being prepared, a submitted report without its
PDF, a fully signed version not sealed yet) and a beat sweep that queues it again
(``notifications_deliver_due``, ``reports.services.renders_requeue_stalled``). So when the
broker (Redis) cannot be reached, ``enqueue`` logs it and returns False: the write stands, the
user gets their page, and the sweep sends the task once the broker is back. The claim or the
status re-check in each task makes sure that the work is done once, however many times it was
queued.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

#: After a failed send, further sends are not even tried for this long: each try waits for
#: Celery's publish retries (about a second), and a page may queue several tasks.
BROKER_DOWN_SECONDS = 5.0

_state = {"down_until": 0.0}


def broker_reset() -> None:
    """Forget a past failure (tests)."""
    _state["down_until"] = 0.0


def enqueue(task: Any, /, **kwargs: Any) -> bool:
    """Send ``task`` with ``kwargs``; False (logged) when the broker cannot be reached."""
    eager = bool(task.app.conf.task_always_eager)
    if not eager and time.monotonic() < _state["down_until"]:
        logger.warning("Broker down: %s %s left to its sweep", task.name, kwargs)
        return False
    try:
        task.apply_async(kwargs=kwargs)
    except OperationalError as exc:
        _state["down_until"] = time.monotonic() + BROKER_DOWN_SECONDS
        logger.warning("Broker unreachable (%s): %s %s left to its sweep", exc, task.name, kwargs)
        return False
    return True


def enqueue_on_commit(task: Any, /, **kwargs: Any) -> None:
    """``enqueue`` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(lambda: enqueue(task, **kwargs))
