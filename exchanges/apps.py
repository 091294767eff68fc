"""Exchanges, their lifecycle, action plans, working days and groups (R-EXC-*)."""

from django.apps import AppConfig


class ExchangesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "exchanges"
    verbose_name = "Exchanges"

    def ready(self) -> None:
        from . import gates, work_queue
        from .services.amendments import amendment_withdraw_on_cancel

        # Its sections of the work queue (see ``exchanges.work_queue``).
        work_queue.register()
        # R-DOC-8: a cancelled exchange's open amendment is withdrawn with it.
        gates.register_consequence("cancel", amendment_withdraw_on_cancel)
