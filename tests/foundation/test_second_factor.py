"""The Django admin login cannot skip the second factor or the login rate limit, and a staff
session reaches staff pages only once it passed TOTP itself (penetration test, point 1)."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from tests import factories as f
from tests.auth import force_login_password_only

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password
STAFF_PAGES = ("home", "organisations:staff_queue", "exchanges:list", "partnerships:staff_inbox")


def current_code() -> str:
    return format_hotp_value(hotp_value(f.TEST_TOTP_SECRET, int(time.time()) // 30))


def support_office():
    user = f.UserFactory(is_support_office=True, is_staff=True)
    f.give_totp(user)
    return user


def superuser():
    user = f.UserFactory(is_superuser=True, is_staff=True)
    f.give_totp(user)
    return user


WHO = pytest.mark.parametrize("make_user", [support_office, superuser], ids=["support", "super"])


@WHO
def test_admin_login_with_the_password_alone_opens_nothing(client, make_user):
    """POST /admin/login/ with a right password no longer signs in: the admin login hands over
    to allauth's login (which then asks for the TOTP code)."""
    user = make_user()
    response = client.post(
        reverse("admin:login") + "?next=/admin/",
        {"username": user.email, "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    admin = client.get(reverse("admin:index"))
    assert admin.status_code == 302
    assert admin.url.startswith(reverse("admin:login"))
    for name in STAFF_PAGES[1:]:
        page = client.get(reverse(name))
        assert page.status_code == 302, name
        assert page.url.startswith(reverse("account_login")), name


@WHO
def test_admin_login_goes_through_the_second_factor(client, make_user):
    """The way into the admin: allauth's login form, then the TOTP code, then /admin/."""
    user = make_user()
    response = client.get(reverse("admin:index"), follow=True)
    login_url = response.redirect_chain[-1][0]
    assert login_url.startswith(reverse("account_login"))
    response = client.post(login_url, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert client.get(reverse("admin:index")).status_code == 302  # not signed in yet
    response = client.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert response.status_code == 302
    assert client.get(response.url, follow=True).request["PATH_INFO"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_admin_login_is_throttled_like_the_portal_login(client):
    """Wrong passwords sent to /admin/login/ are never checked there; the form it hands over
    to locks after 5 failures (ACCOUNT_RATE_LIMITS login_failed), even for the right one."""
    user = superuser()
    for _ in range(15):
        response = client.post(reverse("admin:login"), {"username": user.email, "password": "x"})
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    login_url = response.url
    for _ in range(5):
        refused = client.post(login_url, {"login": user.email, "password": "wrong-guess"})
        assert refused.status_code == 200
    locked = client.post(login_url, {"login": user.email, "password": PASSWORD})
    assert locked.status_code == 200
    assert "Too many failed login attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "make_user",
    [
        support_office,
        superuser,
        lambda: f.PartnershipStaffFactory().user,
        lambda: f.UserFactory(is_staff=True),  # may enter /admin/ without any portal role
    ],
    ids=["support", "super", "partnership-staff", "django-staff"],
)
def test_password_only_session_is_sent_to_the_second_factor(client, make_user):
    """A session signed in with the password alone (what the old admin login gave) opens no
    staff or admin page, even when the user owns an authenticator."""
    user = make_user()
    f.give_totp(user)
    force_login_password_only(client, user)
    for url in [reverse(name) for name in STAFF_PAGES] + [reverse("admin:index")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == f"{reverse('mfa_reauthenticate')}?next={url.replace('/', '%2F')}"
    # The account pages are closed too (no password change, no recovery codes before TOTP).
    for name in ("account_email", "account_change_password", "mfa_view_recovery_codes"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("mfa_reauthenticate")), name


def test_passing_the_code_opens_the_pages(client):
    user = superuser()
    force_login_password_only(client, user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    page = client.get(response.url)
    assert page.status_code == 200
    response = client.post(response.url, {"code": current_code()})
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("organisations:staff_queue")).status_code == 200


def test_wrong_code_keeps_the_pages_closed(client):
    user = superuser()
    force_login_password_only(client, user)
    response = client.post(reverse("mfa_reauthenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get(reverse("admin:index")).status_code == 302


def test_staff_without_an_authenticator_may_only_set_one_up(client):
    """Before TOTP exists: the set-up (after the password again), sign-out, nothing else."""
    user = f.PartnershipStaffFactory().user
    force_login_password_only(client, user)
    for name in ("home", "admin:index", "account_email", "mfa_reauthenticate"):
        response = client.get(reverse(name))
        if name == "mfa_reauthenticate":  # open, but allauth has no code to ask for
            assert response.status_code in (302, 403), name
            continue
        assert response.status_code == 302, name
        assert response.url == reverse("mfa_activate_totp"), name
    assert client.get(reverse("account_logout")).status_code == 200


def test_applicant_session_needs_no_second_factor(client):
    rep = f.RepresentativeFactory()
    force_login_password_only(client, rep.user)
    assert client.get(reverse("organisations:mine")).status_code == 200
