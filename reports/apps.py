"""Documents (CTQ, FA, FAR) and management reporting (KPIs)."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        # The document cards on the exchange page, the signatures as a condition of contracting,
        # a refresh of the documents when an exchange is contracted or a draft changes (see
        # ``reports.page`` and ``reports.gates``).
        from exchanges.demo import register_signer
        from exchanges.page_sections import register_banner, register_section

        from . import gates, work_queue
        from .demo import sign_for_demo
        from .far_page import far_section
        from .page import amendment_banner, exchange_documents_section

        gates.register()
        register_section(exchange_documents_section)
        # The final activity reports (R-DOC-4), under the documents.
        register_section(far_section)
        # R-DOC-8: an amendment in progress, and the documents to sign again, atop the page.
        register_banner(amendment_banner)
        # The demo's exchanges are signed through the signing service (``reports.demo``).
        register_signer(sign_for_demo)
        # The work queue's documents and final-report sections, the journey's two steps.
        work_queue.register()
