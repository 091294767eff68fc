"""Partnership staff and the Support Office must use a second factor (TOTP)."""

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .roles import user_roles

#: Paths a staff user without MFA may still reach: the account pages (to set MFA up, log out,
#: change password), static files and the public pages.
ALLOWED_PREFIXES = ("/accounts/", "/static/", "/eligibility/", "/lump-sum/", "/i18n/")
ALLOWED_EXACT: tuple[str, ...] = ()


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireStaffMFAMiddleware:
    """Send a staff user without an authenticator app to the TOTP set-up page.

    The check runs on every request of a staff-like user (see ``roles.MFA_REQUIRED_ROLES``),
    so no staff page can be reached before MFA is active, whatever URL is typed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and request.path not in ALLOWED_EXACT
            and user_roles(user).mfa_required
            and not has_totp(user)
        ):
            messages.warning(
                request,
                _(
                    "Staff accounts must use two-factor authentication. "
                    "Set up an authenticator app to continue."
                ),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
