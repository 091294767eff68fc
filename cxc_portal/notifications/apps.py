"""Every e-mail the portal sends, de-duplicated by key."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cxc_portal.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Its section of the Support Office's work queue (see ``work_queue``).
        from . import work_queue

        work_queue.register()
