"""Staff sessions must have passed the second factor; personal pages are never cached."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from .second_factor import has_totp, second_factor_required, session_passed_second_factor

#: URL names a staff session that has not passed the second factor may still open: the public
#: pages, signing out, and the second-factor pages themselves.
OPEN_BEFORE_SECOND_FACTOR = frozenset(
    {
        "eligibility",
        "lump_sum",
        "lump_sum_cities",
        "reports:verify",
        "favicon",
        "account_logout",
        "mfa_authenticate",
        "mfa_reauthenticate",
    }
)
#: ...and, for an account with no authenticator yet, setting one up (allauth asks for the
#: password again before it shows the set-up page).
OPEN_FOR_TOTP_SETUP = frozenset({"mfa_activate_totp", "account_reauthenticate"})


class RequireStaffMFAMiddleware:
    """A staff-like session reaches a page only after passing TOTP in this very session.

    Staff-like: partnership staff, the Support Office, superusers and anyone with Django's
    ``is_staff`` (see ``second_factor.second_factor_required``). Owning an authenticator is not
    enough: the session must hold allauth's record of a second-factor step, so a session opened
    with the password alone (for instance through a login form that skips allauth) is sent to
    the second-factor page, whatever URL is typed. Checked in ``process_view`` on the resolved
    URL name, so the allowed pages are named, not guessed from path prefixes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not second_factor_required(user):
            return None
        name = request.resolver_match.view_name if request.resolver_match else None
        authenticator = has_totp(user)
        if authenticator and session_passed_second_factor(request):
            return None
        if name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        if not authenticator:
            if name in OPEN_FOR_TOTP_SETUP:
                return None
            messages.warning(
                request,
                _(
                    "Staff accounts must use two-factor authentication. "
                    "Set up an authenticator app to continue."
                ),
            )
            return redirect(reverse("mfa_activate_totp"))
        messages.warning(request, _("Enter the code from your authenticator app to continue."))
        target = reverse("mfa_reauthenticate")
        if request.method == "GET":
            target += "?" + urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
        return redirect(target)


class NoStoreForSignedInMiddleware:
    """``Cache-Control: private, no-store`` on every answer to a signed-in user and on downloads.

    Pages and exports carry personal data; on a shared computer the browser's cache (or a proxy)
    must not keep them after the user signs out. Static files (served by WhiteNoise before this
    middleware runs) and anonymous public pages stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        is_download = response.get("Content-Disposition", "").lower().startswith("attachment")
        if is_download or getattr(user, "is_authenticated", False):
            patch_cache_control(response, private=True, no_store=True)
        return response
