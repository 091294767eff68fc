"""Who must use a second factor, and whether THIS session has passed it.

Having an authenticator is not enough: a session opened with the password alone (an old
Django-admin login, a bug in a login path, a stolen session cookie of a half-finished login)
must not reach staff pages. allauth keeps, in the session, the list of the authentication
steps the session went through (``get_authentication_records``); a session has passed the
second factor when one of them is an ``mfa`` step of this user.
"""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator

from .roles import user_roles


def second_factor_required(user) -> bool:
    """Partnership staff, Support Office, superusers — and anyone the admin lets in."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user_roles(user).mfa_required or bool(user.is_staff)


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def session_passed_second_factor(request) -> bool:
    """True when this session completed a second-factor step (TOTP code or recovery code).

    allauth records the step at login (``mfa_authenticate``), at re-authentication
    (``mfa_reauthenticate``); ``record_totp_activation`` below records it when the user proves
    the new authenticator with a valid code.
    """
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def record_totp_activation(sender, *, request, user, authenticator, **kwargs) -> None:
    """Count a TOTP activation as this session's second factor.

    Activating needs a valid code from the new authenticator app (allauth checks it), so the
    session has just proved what a login's second step proves; without this the user would
    have to wait for the next 30-second code to get past the second-factor page.
    """
    # allauth has no public call for this; the record has the same shape as its own.
    from allauth.account.internal.flows.login import record_authentication

    if request is None or authenticator.type != Authenticator.Type.TOTP:
        return
    if getattr(request, "user", None) is None or request.user.pk != user.pk:
        return
    record_authentication(
        request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True
    )
    # allauth sends this signal after commit, which may come after the session middleware
    # already saved the session (e.g. a caller's transaction): save now so it is never lost.
    request.session.save()
