"""Exchanges, their lifecycle, action plans, working days and groups (R-EXC-*)."""

from django.apps import AppConfig


class ExchangesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "exchanges"
    verbose_name = "Exchanges"

    def ready(self) -> None:
        from . import work_queue

        # Its sections of the work queue (see ``exchanges.work_queue``).
        work_queue.register()
