"""Time-driven work of the exchanges room (scheduled in ``cxc_portal/celery.py``)."""

from celery import shared_task

from .services import exchanges_flag_ended


@shared_task
def flag_ended_exchanges_task() -> int:
    """Daily: flag contracted exchanges past their end date for the VOP/HOP staff (R-EXC-2).

    Thin: the service finds what is due, locks and stamps each exchange, and notifies once (the
    stamp and the notification keys make a second run, or a second worker, do nothing). It never
    changes an exchange's state: staff record the execution.
    """
    return exchanges_flag_ended()
