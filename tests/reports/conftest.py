"""Fixtures shared by the documents room's tests."""

import pytest

from reports import services


@pytest.fixture
def queued(monkeypatch):
    """The tasks the PDF sweep (``reports.services.renders_requeue_stalled``) queues, as
    (task name, its keyword values) instead of sending them to the broker."""
    sent = []

    def enqueue(task, **kwargs):
        sent.append((task.name.rsplit(".", 1)[-1], *kwargs.values()))
        return True

    monkeypatch.setattr(services, "enqueue", enqueue)
    return sent
