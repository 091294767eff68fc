"""Fixtures of the fault tests: a Redis server of the test's own, real Celery workers, and the
test process pointed at that Redis. Every process started here is killed by a finalizer, even
when the test fails (no stray redis-server or celery after the run).

The fault tests need PostgreSQL (real row locks, a database the worker processes share) and the
``redis-server`` binary (.ci/run installs it); they are marked ``postgres``, ``worker`` and
``faults``.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import redis

from cxc_portal.celery import app
from cxc_portal.core import cache as forgiving_cache
from cxc_portal.core import queue
from tests.celery_worker import database_url, worker_command

BASE_DIR = Path(__file__).resolve().parents[2]
FIRST_PORT = 6392  # ports below are the CI's (6390) and the developers'


def _die_with_pytest() -> None:
    """In the child before exec: SIGKILL it if pytest itself dies (killed, timed out), so no
    redis-server or worker outlives the run even when the finalizers cannot run (Linux)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
    except OSError:
        return
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def free_port() -> int:
    """The first free TCP port from ``FIRST_PORT`` (several helpers may run fault tests)."""
    for port in range(FIRST_PORT + os.getpid() % 50, FIRST_PORT + 400):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port for redis-server")


def wait_for(predicate, *, timeout: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    tail = log.read_text()[-4000:] if log and log.exists() else ""
    raise AssertionError(f"timed out waiting for {what}\n{tail}")


class RedisServer:
    """One ``redis-server`` on its own port, without persistence (a restart starts empty, as a
    crashed cache-and-broker Redis would)."""

    def __init__(self, port: int, log: Path) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is required for the fault tests (.ci/run installs it)"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--daemonize", "no"],
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_pytest,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)

        def up() -> bool:
            assert self.process.poll() is None, self.log.read_text()[-2000:]  # port taken?
            return self._ping(client)

        wait_for(up, timeout=15, what="redis-server", log=self.log)

    @staticmethod
    def _ping(client) -> bool:
        try:
            return bool(client.ping())
        except redis.exceptions.ConnectionError:
            return False

    def kill(self) -> None:
        """SIGKILL: Redis vanishes as in a crash (queued messages, cached keys: gone)."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(free_port(), tmp_path / "redis.log")
    server.start()
    yield server
    server.kill()


class Workers:
    """Starts real Celery workers (``celery -A … worker --pool=solo``) on the test database."""

    def __init__(self, tmp_path: Path, media_root: Path) -> None:
        self.tmp_path = tmp_path
        self.mail_dir = tmp_path / "mail"
        self.media_root = media_root
        self.processes: list[subprocess.Popen] = []
        self.killed: list[subprocess.Popen] = []

    def start(self, *, redis_url: str, app_module: str = "cxc_portal", env=None, wait=False):
        """Start a worker; ``wait``: until it consumes (otherwise the tasks sent meanwhile wait
        in Redis, and the test waits for their effects)."""
        log = self.tmp_path / f"worker-{len(self.processes)}.log"
        environment = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "REDIS_URL": redis_url,
            "CELERY_BROKER_URL": redis_url,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "MEDIA_ROOT": str(self.media_root),
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "PYTHONPATH": str(BASE_DIR),
            **(env or {}),
        }
        process = subprocess.Popen(
            worker_command(app=app_module, name=f"faults-{uuid.uuid4().hex[:8]}@%h"),
            cwd=BASE_DIR,
            env=environment,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_pytest,
        )
        process.log = log  # type: ignore[attr-defined]
        self.processes.append(process)
        if wait:
            self.ready(process)
        return process

    def ready(self, process) -> None:
        log = process.log
        wait_for(
            lambda: process.poll() is not None or " ready." in log.read_text(),
            timeout=60,
            what="the Celery worker to be ready",
            log=log,
        )
        assert process.poll() is None, log.read_text()[-4000:]

    def wait_for(self, predicate, *, what: str, timeout: float = 90) -> None:
        """``wait_for`` that fails at once, with the logs, if a worker died unasked."""

        def done():
            crashed = [p for p in self.processes if p not in self.killed and p.poll() is not None]
            assert not crashed, f"a worker exited while waiting for {what}\n{self.logs()}"
            return predicate()

        try:
            wait_for(done, timeout=timeout, what=what)
        except AssertionError as failure:
            raise AssertionError(f"{failure}\n{self.logs()}") from None

    def kill(self, process) -> None:
        self.killed.append(process)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)

    def logs(self) -> str:
        return "\n".join(p.log.read_text()[-3000:] for p in self.processes)  # type: ignore[attr-defined]

    def mails(self) -> list[str]:
        """Every e-mail the workers sent (the file backend writes one file per connection,
        and ``notification_deliver`` opens one per e-mail)."""
        if not self.mail_dir.exists():
            return []
        return [path.read_text() for path in sorted(self.mail_dir.iterdir())]


@pytest.fixture
def workers(tmp_path, settings):
    started = Workers(tmp_path, Path(settings.MEDIA_ROOT))
    yield started
    for process in started.processes:
        started.kill(process)


@pytest.fixture
def use_redis(settings):
    """Point this test process (cache, Celery producer) at a given Redis; undone afterwards."""
    previous_broker = app.conf.broker_url

    def _reset_producer() -> None:
        app._pool = None
        app.amqp._producer_pool = None

    def point(url: str) -> None:
        settings.CACHES = {
            "default": {
                "BACKEND": "cxc_portal.core.cache.ForgivingRedisCache",
                "LOCATION": url,
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }
        settings.CELERY_TASK_ALWAYS_EAGER = False
        app.conf.task_always_eager = False
        app.conf.broker_url = url
        _reset_producer()

    queue.broker_reset()
    forgiving_cache._down_until.clear()
    yield point
    app.conf.task_always_eager = True
    app.conf.broker_url = previous_broker
    _reset_producer()
    queue.broker_reset()
    forgiving_cache._down_until.clear()
