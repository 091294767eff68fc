"""Error pages are styled; security headers are on; vendored assets are served locally."""

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_unknown_url_gets_the_styled_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'id="main"' in html and "Skip to main content" in html


def test_csrf_failure_gets_the_styled_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@b.org", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "This form has expired" in html
    assert "Skip to main content" in html


def test_500_page_renders_without_a_request_context():
    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html


def test_security_headers_and_strict_csp(client):
    response = client.get(reverse("home"))
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_no_asset_is_loaded_from_another_origin(client):
    html = client.get(reverse("home")).content.decode()
    assert "cdn" not in html.lower()
    assert "/static/vendor/bootstrap-5.3.9/css/bootstrap.min.css" in html
    assert "/static/vendor/htmx-2.0.11/htmx.min.js" in html


def test_base_layout_has_landmarks_and_skip_link(client):
    html = client.get(reverse("home")).content.decode()
    assert '<a class="visually-hidden-focusable skip-link" href="#main">' in html
    for landmark in ("<header>", '<main id="main"', "<footer", "<nav"):
        assert landmark in html


def test_login_form_fields_are_labelled(client):
    import re

    html = client.get(reverse("account_login")).content.decode()
    labels = re.findall(r'<label\s+for="(id_\w+)"', html)
    assert {"id_login", "id_password"} <= set(labels)


def test_favicon_is_answered(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.url.endswith("/static/img/favicon.svg")
