"""What the tests that run a real Celery worker subprocess share: the test database's URL for
the worker's environment, and the worker's command line (solo pool, no heartbeat, mingle or
gossip: one quiet process that starts fast). Used by the Celery foundation test, the browser
journey and the fault tests."""

from __future__ import annotations

import sys

from django.db import connection


def database_url() -> str:
    """The URL of the database this test process uses (the test database), for a worker."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def worker_command(
    *, app: str = "cxc_portal", queue: str | None = None, name: str | None = None
) -> list[str]:
    """``celery -A app worker`` as the tests run it; ``queue``: consume only that queue (a test
    of its own); ``name``: the node name (several workers at once)."""
    command = [sys.executable, "-m", "celery", "-A", app, "worker"]
    command += ["-Q", queue] if queue else []
    command += ["--pool=solo", "--without-heartbeat", "--without-mingle", "--without-gossip"]
    command += ["--loglevel=INFO"]
    command += ["-n", name] if name else []
    return command
