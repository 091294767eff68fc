"""Personal pages and exports are never kept by a (shared) browser's cache: `Cache-Control:
private, no-store` on every answer to a signed-in user and on downloads; static files and
anonymous public pages stay cacheable (penetration test, point 10)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.cache import get_max_age

from tests import factories as f

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_signed_in_pages_are_not_stored(client):
    rep = f.RepresentativeFactory()
    client.force_login(rep.user)
    for url in (reverse("home"), reverse("organisations:mine"), reverse("eligibility")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= directives(response), url


def test_staff_pages_redirects_and_exports_are_not_stored(staff_client):
    page = staff_client.get(reverse("exchanges:list"))
    assert {"private", "no-store"} <= directives(page)
    export = staff_client.get(reverse("exchanges:list"), {"export": "csv"})
    assert export.status_code == 200
    assert export["Content-Disposition"].startswith("attachment")
    assert {"private", "no-store"} <= directives(export)


def test_second_factor_redirect_is_not_stored(client):
    from tests.auth import force_login_password_only

    staff = f.PartnershipStaffFactory()
    f.give_totp(staff.user)
    force_login_password_only(client, staff.user)
    response = client.get(reverse("exchanges:list"))
    assert response.status_code == 302
    assert "no-store" in directives(response)


def test_anonymous_public_pages_stay_cacheable(client):
    for url in (reverse("home"), reverse("eligibility"), reverse("partnerships:directory")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" not in directives(response), url


def test_static_files_stay_cacheable(settings, db):
    """WhiteNoise answers before the session is read: no no-store, even for a signed-in user."""
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client = Client()  # a new handler, so WhiteNoise starts with the settings above
    client.force_login(f.RepresentativeFactory().user)
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200
    assert "no-store" not in directives(response)
    assert get_max_age(response) is not None
