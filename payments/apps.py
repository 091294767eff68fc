"""Lump-sum rates, payments and evidence (R-PAY-*)."""

from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "payments"
    verbose_name = "Payments"

    def ready(self) -> None:
        # The payments room's conditions and consequences on the exchange lifecycle, and its
        # section of the exchange page (see ``payments.gates`` and ``payments.page``).
        from exchanges.page_sections import register_section

        from . import gates, work_queue
        from .page import exchange_files_section, exchange_payment_section

        gates.register()
        register_section(exchange_payment_section)
        register_section(exchange_files_section)
        # Its sections of the work queue (see ``payments.work_queue``).
        work_queue.register()
