"""Demo data: the wiring level that seeds every room in order (``manage.py seed_demo``)."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cxc_portal.demo"
    label = "demo"
    verbose_name = "Demo data"
