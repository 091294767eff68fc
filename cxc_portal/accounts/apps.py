"""Users (e-mail login), roles and the MFA requirement for staff."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cxc_portal.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added

        from .second_factor import record_totp_activation

        authenticator_added.connect(record_totp_activation, dispatch_uid="cxc_totp_activation")
