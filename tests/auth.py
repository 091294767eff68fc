"""How tests sign people in, now that a staff session needs its own second factor.

A real staff sign-in has two steps, the password then the TOTP code, and the MFA middleware
lets a staff session through only when allauth recorded the second step in *this* session
(``cxc_portal.accounts.second_factor``). Most tests sign in with ``client.force_login(user)``
to test something else; ``tests/conftest.py`` makes that call stand for a *complete* sign-in
(``force_login_with_second_factor``: password and TOTP recorded, as after allauth's login and
``mfa_authenticate``). The user must still own an authenticator (``factories.give_totp``) for
staff pages to open: the middleware checks both.

Tests about the second factor itself use ``force_login_password_only``: the session Django's
own login (or the old admin login form) would give, with no record of a second factor.
"""

from django.http import HttpRequest
from django.test.client import ClientMixin

#: Django's own force_login, kept before tests/conftest.py replaces it.
_django_force_login = ClientMixin.force_login


def force_login_password_only(client, user, backend=None) -> None:
    """Sign ``user`` in without any second-factor record (a password-only session)."""
    _django_force_login(client, user, backend)


def force_login_with_second_factor(client, user, backend=None) -> None:
    """Sign ``user`` in as if they had typed their password and then their TOTP code."""
    # allauth has no public call to write these records; this is the one its login flow uses.
    from allauth.account.internal.flows.login import record_authentication

    _django_force_login(client, user, backend)
    request = HttpRequest()
    request.session = client.session
    request.user = user
    record_authentication(request, user, "password", email=user.email)
    record_authentication(request, user, "mfa", type="totp")
    request.session.save()
