"""Organisation profiles, cluster membership, representatives and eligibility (R-ELIG-*)."""

from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "organisations"
    verbose_name = "Organisations"

    def ready(self) -> None:
        # Its sections of the staff's work queue (see ``organisations.work_queue``).
        from . import work_queue

        work_queue.register()
