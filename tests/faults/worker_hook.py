"""The Celery app of the worker-restart fault test: the portal's own app, whose notices stop
dead after ``CXC_FAULTS_PAUSE_AFTER`` of them were created (the file ``CXC_FAULTS_PAUSE_FILE``
says so), so the test can SIGKILL the worker in the middle of a deadline scan, every time.

Started as ``celery -A tests.faults.worker_hook worker``; the portal's code is not changed.
"""

import os
import time
from pathlib import Path

from celery.signals import task_prerun

from cxc_portal.celery import app

__all__ = ["app"]

_state = {"installed": False, "created": 0}


@task_prerun.connect
def _pause_notices(**_kwargs) -> None:
    """Wrap ``notification_send`` (Django is set up by the time a task runs)."""
    if _state["installed"]:
        return
    _state["installed"] = True
    from cxc_portal.notifications import services

    original = services.notification_send
    pause_after = int(os.environ["CXC_FAULTS_PAUSE_AFTER"])
    marker = Path(os.environ["CXC_FAULTS_PAUSE_FILE"])

    def notification_send(**kwargs):
        notice = original(**kwargs)
        _state["created"] += 1
        if _state["created"] == pause_after:
            marker.write_text(str(notice.pk if notice else ""))
            while True:  # the test kills the worker here
                time.sleep(60)
        return notice

    services.notification_send = notification_send
