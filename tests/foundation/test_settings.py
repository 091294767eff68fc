"""Production settings refuse to start without their secrets and pass `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
GOOD_KEY = "x" * 20 + "-production-secret-key-for-the-test-only-" + "y" * 20


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"ALLOWED_HOSTS": "cxc.example.org"}, "SECRET_KEY"),
        ({"SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS"),
        ({}, "SECRET_KEY"),
    ],
)
def test_production_refuses_to_start_without_secrets(env, missing):
    result = run_manage("check", DJANGO_ENV="production", **env)
    assert result.returncode != 0
    assert f"{missing} must be set when DJANGO_ENV=production" in result.stderr


def test_production_refuses_a_development_secret_key():
    result = run_manage(
        "check",
        DJANGO_ENV="production",
        SECRET_KEY="django-insecure-short",
        ALLOWED_HOSTS="cxc.example.org",
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be a random string" in result.stderr


def test_production_passes_check_deploy_with_secure_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="cxc.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_turns_on_secure_transport_and_csp():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, "
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'], s.EMAIL_BACKEND]))"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"EMAIL_BACKEND"}}
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="cxc.example.org",
        DJANGO_SETTINGS_MODULE="cxc_portal.settings",
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    import json

    debug, session_secure, csrf_secure, hsts, ssl_redirect, script_src, backend = json.loads(
        out.stdout.strip().splitlines()[-1]
    )
    assert debug is False
    assert session_secure and csrf_secure and ssl_redirect
    assert hsts >= 31536000
    assert script_src == ["'self'"]
    assert backend.endswith("smtp.EmailBackend")
