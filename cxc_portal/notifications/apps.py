"""Every e-mail the portal sends, de-duplicated by key."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cxc_portal.notifications"
    label = "notifications"
    verbose_name = "Notifications"
