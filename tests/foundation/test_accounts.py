"""Sign-up → verify → login, bad input on the account forms, the staff MFA requirement."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.urls import reverse

from cxc_portal.accounts.models import User
from cxc_portal.notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "Exchange-abroad-2026"


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """A client whose requests run their on-commit callbacks, as a real request does (e-mails
    leave after commit; the test transaction never commits)."""
    post = client.post

    def post_and_commit(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(*args, **kwargs)

    client.post = post_and_commit
    return client


def _signup(client, email="visitor@example.org", password=PASSWORD, password2=None, **names):
    names = {"first_name": "Ana", "last_name": "Silva", **names}
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": password, "password2": password2 or password, **names},
    )


def test_signup_asks_for_the_name_and_the_portal_greets_by_name(client):
    """Sign-up asks the person's first and last name; the e-mails and the navigation use it."""
    page = client.get(reverse("account_signup")).content.decode()
    assert 'name="first_name"' in page and 'name="last_name"' in page
    refused = _signup(client, first_name="  ")
    assert refused.status_code == 200 and "data-error-summary" in refused.content.decode()
    assert not User.objects.exists()
    _signup(client)
    user = User.objects.get()
    assert (user.first_name, user.last_name) == ("Ana", "Silva")
    assert mail.outbox[-1].body.startswith("Hello Ana,")
    client.force_login(user)
    home = client.get(reverse("home")).content.decode()
    assert ">Ana Silva</a>" in home


def test_confirming_the_email_signs_the_person_in(client):
    """ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION: no second login after the confirmation link."""
    _signup(client)
    assert "_auth_user_id" not in client.session
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[0].body)
    response = client.post(link.group(1))
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get().pk)


def test_one_wording_for_sign_in_sign_up_sign_out(client):
    """One wording, "Sign in", "Sign up", "Sign out": on the portal's pages and allauth's."""
    for name in ("home", "account_login", "account_signup"):
        page = client.get(reverse(name)).content.decode()
        assert "Log in" not in page and "Sign In" not in page and "Sign Up" not in page, name
        assert "Sign in" in page and "Sign up" in page, name
    client.force_login(factories.UserFactory())
    page = client.get(reverse("home")).content.decode()
    assert "Sign out" in page and "Log out" not in page


def test_signup_sends_verification_email_through_the_notification_service(client):
    response = _signup(client)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["visitor@example.org"]
    assert "confirm-email" in message.body
    stored = Notification.objects.get(to_email="visitor@example.org")
    assert stored.sent_at is not None
    assert stored.kind.startswith("accounts.email.confirmation")


def test_signup_verify_then_login(client):
    _signup(client)
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    # Before verification the login is refused (mandatory verification).
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "visitor@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    confirm = client.get(link.group(1))
    assert confirm.status_code == 200
    response = client.post(link.group(1))
    assert response.status_code == 302

    response = client.post(
        reverse("account_login"), {"login": "visitor@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("home")
    home = client.get(reverse("home"))
    assert b"visitor@example.org" in home.content
    assert home.context["user"].email == "visitor@example.org"


def test_signup_malformed_email_shows_error_and_keeps_input(client):
    response = _signup(client, email="not-an-email")
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    html = response.content.decode()
    assert 'value="not-an-email"' in html
    assert "is-invalid" in html
    assert not User.objects.exists()
    assert mail.outbox == []


def test_signup_weak_password_shows_error_and_keeps_email(client):
    response = _signup(client, email="weak@example.org", password="12345678")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "password1" in errors
    text = " ".join(errors["password1"])
    assert "too short" in text or "too common" in text or "numeric" in text
    assert 'value="weak@example.org"' in response.content.decode()
    assert not User.objects.exists()


def test_signup_mismatched_passwords_refused(client):
    response = _signup(client, password2="Something-else-2026")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.exists()


def test_login_wrong_password_is_refused_with_message(client):
    factories.UserFactory(email="known@example.org")
    response = client.post(
        reverse("account_login"), {"login": "known@example.org", "password": "wrong"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert 'value="known@example.org"' in response.content.decode()


def test_password_reset_sends_email(client):
    factories.UserFactory(email="forgot@example.org")
    response = client.post(reverse("account_reset_password"), {"email": "forgot@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "password" in mail.outbox[0].subject.lower()


def _staff_user(client):
    """Partnership staff logged in with their password (a fresh login, as MFA set-up needs)."""
    staff = factories.PartnershipStaffFactory()
    response = client.post(
        reverse("account_login"), {"login": staff.user.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    return staff.user


def _reauthenticate(client):
    """allauth asks for the password again before an authenticator can be added."""
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    response = client.post(response.url, {"password": "correct-horse-battery"})
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_staff_without_mfa_is_sent_to_totp_setup(client):
    _staff_user(client)
    for url in (reverse("home"), reverse("organisations:staff_queue"), reverse("exchanges:list")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == reverse("mfa_activate_totp")
    # The set-up page itself is reachable (after confirming the password).
    _reauthenticate(client)
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_staff_reaches_staff_pages_after_activating_totp(client):
    _staff_user(client)
    _reauthenticate(client)
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("organisations:staff_queue")).status_code == 200


def test_support_office_and_superuser_also_need_mfa(client):
    for user in (
        factories.UserFactory(is_support_office=True),
        factories.UserFactory(is_superuser=True, is_staff=True),
    ):
        client.force_login(user)
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response.url == reverse("mfa_activate_totp")


def test_applicant_is_not_forced_to_use_mfa(client):
    rep = factories.RepresentativeFactory()
    client.force_login(rep.user)
    assert client.get(reverse("home")).status_code == 200
