"""European Cluster Partnerships, staff, interests and matching (R-PART-*, R-MATCH-*)."""

from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "partnerships"
    verbose_name = "Partnerships"
