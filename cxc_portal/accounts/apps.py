"""Users (e-mail login), roles and the MFA requirement for staff."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cxc_portal.accounts"
    label = "accounts"
    verbose_name = "Accounts"
