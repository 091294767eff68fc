"""Celery application. The beat schedule lives here, in one place.

Each entry names a task by its dotted path; the tasks themselves are thin (ids in, a selector to
find what is due, a service to act) and live in their app's ``tasks.py``, found by autodiscovery.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cxc_portal.settings")

app = Celery("cxc_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The whole schedule of time-driven work. Apps add their entries here, never elsewhere.
app.conf.beat_schedule = {
    "exchanges-flag-ended": {
        # R-EXC-2: suggest "executed" to staff once an exchange's end date has passed.
        "task": "exchanges.tasks.flag_ended_exchanges_task",
        "schedule": crontab(hour=6, minute=0),
    },
    "payments-deadlines": {
        # R-DL-2: remind the VOP's finance staff before a payment's due date, escalate after.
        "task": "payments.tasks.payment_deadlines_task",
        "schedule": crontab(hour=6, minute=15),
    },
    "reports-far-deadlines": {
        # R-DL-1: remind the authors of a final activity report before its due date, notify them
        # and their partnership once it passed.
        "task": "reports.tasks.far_deadlines_task",
        "schedule": crontab(hour=6, minute=30),
    },
    "reports-signature-reminders": {
        # R-DOC-2, R-DOC-3: remind the signatories of a document ready for some days, once.
        "task": "reports.tasks.signature_reminders_task",
        "schedule": crontab(hour=6, minute=30),
    },
    "notifications-deliver-due": {
        # Retry failed e-mails once their back-off has passed (and any whose task was lost).
        "task": "cxc_portal.notifications.tasks.deliver_due_notifications_task",
        "schedule": 60.0,
    },
    "reports-renders-requeue-stalled": {
        # R-DOC-5: queue again the PDF renderings and seals whose task was lost (broker down
        # when queued, worker killed); CXC_RENDER_STALLED_MINUTES says when one is stalled.
        "task": "reports.tasks.renders_requeue_stalled_task",
        "schedule": 120.0,
    },
}
