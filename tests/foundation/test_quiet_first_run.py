"""A quiet, adjustable first run (issue 14): one port setting the e-mail links follow, one line
per e-mail on the console, the full e-mails in a development-only outbox page, no repeated
warnings."""

import io
import logging
import os
import subprocess
import sys
import warnings

import pytest
from django.contrib import admin
from django.core.mail import EmailMessage
from django.test import RequestFactory
from django.urls import reverse
from django.utils.deprecation import RemovedInDjango60Warning
from kombu import Connection

from cxc_portal.notifications.backends import OneLineConsoleBackend
from cxc_portal.notifications.models import Notification
from tests import factories
from tests.foundation.test_settings import BASE_DIR

#: Variables of the environment this test run may carry that would hide the defaults under test.
UNSET = {"SITE_URL", "CXC_PORT", "EMAIL_BACKEND", "DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS"}


def print_setting(name: str, **env: str) -> str:
    """The value of setting ``name`` in a fresh process with the development defaults."""
    clean = {k: v for k, v in os.environ.items() if k not in UNSET}
    code = f"from django.conf import settings; print(settings.{name})"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "cxc_portal.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_port_setting_feeds_site_url():
    assert print_setting("SITE_URL") == "http://127.0.0.1:8000"
    assert print_setting("SITE_URL", CXC_PORT="8123") == "http://127.0.0.1:8123"


def test_an_explicit_site_url_still_wins_over_the_port():
    assert (
        print_setting("SITE_URL", CXC_PORT="8123", SITE_URL="https://cxc.example.org")
        == "https://cxc.example.org"
    )


def test_development_prints_emails_with_the_one_line_backend():
    assert print_setting("EMAIL_BACKEND") == (
        "cxc_portal.notifications.backends.OneLineConsoleBackend"
    )


def test_console_backend_prints_one_line_per_email_with_recipient_subject_and_link():
    stream = io.StringIO()
    backend = OneLineConsoleBackend(stream=stream)
    body = (
        "Hello,\n\nPlease confirm your address:\n\n"
        "http://127.0.0.1:8010/accounts/confirm-email/abc-123/\n\n"
        + "More text.\n" * 40
        + "-- The ClusterXchange portal · http://127.0.0.1:8010\n"
    )
    sent = backend.send_messages(
        [
            EmailMessage("[ClusterXchange]  Confirm\n your address", body, to=["anna@example.org"]),
            EmailMessage("No link here", "Just text.", to=["a@example.org", "b@example.org"]),
        ]
    )
    assert sent == 2
    assert stream.getvalue().splitlines() == [
        "✉ to anna@example.org · [ClusterXchange] Confirm your address · "
        "http://127.0.0.1:8010/accounts/confirm-email/abc-123/",
        "✉ to a@example.org, b@example.org · No link here",
    ]


def test_the_filesystem_broker_connects_without_the_no_hostname_warning(settings, caplog):
    """The embedded default's broker (also when this run uses Redis) connects quietly."""
    connection = Connection(
        settings.EMBEDDED_BROKER_URL, transport_options=settings.EMBEDDED_BROKER_OPTIONS
    )
    with caplog.at_level(logging.WARNING, logger="kombu.connection"):
        connection.info()
    assert "No hostname was supplied" not in caplog.text


@pytest.mark.django_db
def test_no_admin_form_warns_about_django_6_url_fields():
    """Every admin form of the portal is built without RemovedInDjango60Warning (URLField's
    scheme): the test run stays free of the deprecation warning."""
    request = RequestFactory().get("/admin/")
    request.user = factories.UserFactory(is_superuser=True, is_staff=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RemovedInDjango60Warning)
        for model_admin in admin.site._registry.values():
            model_admin.get_form(request)()
            for inline in model_admin.get_inline_instances(request):
                inline.get_formset(request)()


# --- The development outbox -------------------------------------------------------------------


@pytest.fixture
def stored_email(db):
    return Notification.objects.create(
        dedup_key="outbox-test:1",
        kind="foundation.outbox.test",
        to_email="anna@example.org",
        subject="[ClusterXchange] Your profile is validated",
        body="Hello,\n\nYour profile is validated.\nSecond line of the body.\n",
    )


@pytest.fixture
def staff_user(db):
    user = factories.PartnershipStaffFactory().user
    factories.give_totp(user)
    return user


def test_outbox_lists_and_shows_the_full_emails_to_staff_in_development(
    client, settings, stored_email, staff_user
):
    settings.DEBUG = True
    client.force_login(staff_user)
    listing = client.get(reverse("notifications:outbox"))
    assert listing.status_code == 200
    assert "Your profile is validated" in listing.content.decode()
    detail = client.get(reverse("notifications:outbox_detail", args=[stored_email.pk]))
    assert detail.status_code == 200
    assert "Second line of the body." in detail.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "applicant", "newcomer"])
def test_outbox_is_a_404_for_people_who_do_not_run_the_scheme(client, settings, stored_email, who):
    settings.DEBUG = True
    if who == "applicant":
        client.force_login(factories.RepresentativeFactory().user)
    elif who == "newcomer":
        client.force_login(factories.UserFactory())
    assert client.get(reverse("notifications:outbox")).status_code == 404
    detail = reverse("notifications:outbox_detail", args=[stored_email.pk])
    assert client.get(detail).status_code == 404


@pytest.mark.parametrize(("debug", "production"), [(False, False), (True, True), (False, True)])
def test_outbox_is_a_404_outside_development_even_for_staff(
    client, settings, stored_email, staff_user, debug, production
):
    settings.DEBUG = debug
    settings.PRODUCTION = production
    client.force_login(staff_user)
    assert client.get(reverse("notifications:outbox")).status_code == 404
    detail = reverse("notifications:outbox_detail", args=[stored_email.pk])
    assert client.get(detail).status_code == 404


def test_make_run_serves_on_the_port_setting_and_keeps_celery_quiet():
    processes = dict(
        line.split(":", 1)
        for line in (BASE_DIR / "Procfile.dev").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert "runserver 127.0.0.1:${CXC_PORT:-8000}" in processes["web"]
    assert "--loglevel=WARNING" in processes["worker"]
    assert "--loglevel=WARNING" in processes["beat"]
