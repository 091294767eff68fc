"""A real Celery worker runs a task through the configured broker: kombu's filesystem transport
on the embedded default, Redis when REDIS_URL is set (CI)."""

import os
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from cxc_portal.celery import app
from cxc_portal.notifications.models import Notification
from cxc_portal.notifications.tasks import deliver_notification_task
from tests.celery_worker import database_url, worker_command

BASE_DIR = Path(__file__).resolve().parents[2]


def test_every_beat_entry_names_a_registered_task():
    from django.apps import apps

    app.loader.autodiscover_tasks([c.name for c in apps.get_app_configs()], related_name="tasks")
    assert app.conf.beat_schedule, "the beat schedule is empty"
    for name, entry in app.conf.beat_schedule.items():
        assert entry["task"] in app.tasks, f"beat entry {name} names an unknown task"


def test_broker_follows_the_environment():
    if os.environ.get("REDIS_URL"):
        assert os.environ["REDIS_URL"] == settings.CELERY_BROKER_URL
    else:
        assert settings.CELERY_BROKER_URL == "filesystem://localhost/"
        assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_task_runs_in_a_real_worker(tmp_path):
    notification = Notification.objects.create(
        dedup_key=f"worker-test:{uuid.uuid4().hex}",
        kind="foundation.worker.test",
        to_email="worker@example.org",
        subject="Delivered by a real worker",
        body="Hello from the Celery worker.",
    )
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    env["DATABASE_URL"] = database_url()
    worker = subprocess.Popen(
        worker_command(queue=queue),
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    app.conf.task_always_eager = False
    try:
        deliver_notification_task.apply_async(
            kwargs={"notification_id": notification.pk}, queue=queue
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            notification.refresh_from_db()
            if notification.sent_at is not None or worker.poll() is not None:
                break
            time.sleep(0.5)
    finally:
        app.conf.task_always_eager = True
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    assert notification.sent_at is not None, output[-3000:]
    sent = list((tmp_path / "mail").iterdir())
    assert len(sent) == 1
    assert "Hello from the Celery worker." in sent[0].read_text()
