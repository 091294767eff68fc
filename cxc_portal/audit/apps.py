"""One append-only log of who did what to which object."""

from django.apps import AppConfig


class AuditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cxc_portal.audit"
    label = "audit"
    verbose_name = "Audit"
