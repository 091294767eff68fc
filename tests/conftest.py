"""Fixtures shared by the whole suite."""

import os

import pytest
from django.db import connection
from django.test.client import ClientMixin
from hypothesis import settings as hypothesis_settings

from tests import factories, reference_data
from tests.auth import force_login_with_second_factor

# No timed assertion in the suite (speed lives in benchmarks/): hypothesis's per-example
# deadline would fail a property test on a busy machine, so it is off for every test.
hypothesis_settings.register_profile("cxc", deadline=None)
hypothesis_settings.load_profile("cxc")


def pytest_configure(config):
    # In CI the suite must run on PostgreSQL: refusing here makes a mis-set CI fail loudly
    # instead of silently skipping the concurrency tests.
    if (
        os.environ.get("CI") == "true"
        and not os.environ.get("DATABASE_URL")
        and not os.environ.get("CXC_SQLITE_PASS")
    ):
        raise pytest.UsageError("CI runs the suite on PostgreSQL: set DATABASE_URL.")


def pytest_collection_modifyitems(config, items):
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql"))
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL); CI runs it there")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data is loaded once per test database, by its migrations, and kept: the flush
    that ends a transactional test empties only the other tables (see tests/reference_data.py),
    so no test needs ``serialized_rollback``."""
    with django_db_blocker.unblock():
        reference_data.record()
    with reference_data.flush_keeps_reference_data():
        yield


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path, worker_id):
    """Tests never send real mail, run tasks inline, and keep private files in a tmp dir."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from cxc_portal.celery import app

    app.conf.task_always_eager = True
    # allauth's rate limits and the sessions live in the cache: every test starts with an
    # empty one. On Redis, each xdist worker gets its own database number, so that one
    # worker's clear() never wipes another's sessions mid-test.
    default_cache = settings.CACHES["default"]
    if default_cache["BACKEND"].endswith("RedisCache"):
        base = default_cache["LOCATION"].rsplit("/", 1)[0]
        number = 1 + (int(worker_id[2:]) if worker_id.startswith("gw") else 0)
        settings.CACHES = {"default": {**default_cache, "LOCATION": f"{base}/{number}"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _force_login_passes_second_factor(monkeypatch):
    """``client.force_login(user)`` is a complete sign-in: password AND second factor.

    The MFA middleware wants this session's TOTP step on record; tests that check the second
    factor itself sign in with ``tests.auth.force_login_password_only`` (see tests/auth.py).
    """
    monkeypatch.setattr(ClientMixin, "force_login", force_login_with_second_factor)


@pytest.fixture
def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def user(db):
    return factories.UserFactory()


@pytest.fixture
def staff_client(client, db):
    """A client logged in as partnership staff (with MFA set up) and its PartnershipStaff row."""
    staff = factories.PartnershipStaffFactory()
    factories.give_totp(staff.user)
    client.force_login(staff.user)
    client.staff = staff
    return client


@pytest.fixture
def support_client(client, db):
    user = factories.UserFactory(is_support_office=True)
    factories.give_totp(user)
    client.force_login(user)
    client.user = user
    return client
