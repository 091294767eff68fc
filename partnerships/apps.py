"""European Cluster Partnerships, staff, interests and matching (R-PART-*, R-MATCH-*)."""

from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partnerships"
    verbose_name = "Partnerships"

    def ready(self) -> None:
        # Its sections of the work queue (see ``partnerships.work_queue``).
        from . import work_queue

        work_queue.register()
