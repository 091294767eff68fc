"""`manage.py seed_demo` loads every room's demo data, is idempotent and prints the logins."""

import os
import subprocess
import sys
from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command

from cxc_portal.core.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

COUNTED = [
    "accounts.User",
    "organisations.Organisation",
    "organisations.Representative",
    "partnerships.Partnership",
    "partnerships.PartnershipStaff",
    "partnerships.ExpressionOfInterest",
    "partnerships.Match",
    "exchanges.Exchange",
    "exchanges.ExchangeGroup",
    "exchanges.Activity",
]


def counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in COUNTED}


def test_seed_demo_is_idempotent_and_prints_logins():
    out = StringIO()
    call_command("seed_demo", today=date(2026, 11, 21), stdout=out)
    first = counts()
    call_command("seed_demo", today=date(2026, 11, 21), stdout=StringIO())
    assert counts() == first
    text = out.getvalue()
    assert DEMO_PASSWORD in text
    for email in ("admin@cxc.local", "support@cxc.local", "staff.agrifood-x@cxc.local"):
        assert email in text
    assert first["partnerships.Partnership"] == 15
    assert first["organisations.Organisation"] >= 20


def test_demo_covers_every_role_and_exchange_state():
    from exchanges.models import Exchange, ExchangeStatus
    from organisations.choices import OrganisationType

    call_command("seed_demo", today=date(2026, 11, 21), stdout=StringIO())
    org_types = set(
        apps.get_model("organisations.Organisation").objects.values_list("org_type", flat=True)
    )
    assert org_types == set(OrganisationType.values)
    states = set(Exchange.objects.values_list("status", flat=True))
    assert states == set(ExchangeStatus.values)
    assert Exchange.objects.filter(mode="virtual").exists()
    assert (
        apps.get_model("exchanges.ExchangeGroup").objects.filter(exchanges__isnull=False).exists()
    )
    # R-DOC-8: an amendment signed and one still open (the demo had too few visitors for the
    # second, and skipped it)
    amendments = apps.get_model("exchanges.Amendment").objects
    assert set(amendments.values_list("status", flat=True)) >= {"open", "signed"}


def test_seed_demo_refuses_in_production(settings):
    """Point 7 of the penetration test: no demo accounts (published password, fixed TOTP
    secret) in production."""
    settings.PRODUCTION = True
    settings.DJANGO_ENV = "production"
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", stdout=StringIO())
    assert not apps.get_model("accounts.User").objects.exists()


def test_seed_demo_exits_non_zero_with_django_env_production(tmp_path):
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "test-only-" + "k" * 60,
        "ALLOWED_HOSTS": "localhost",
        "CXC_VAR_DIR": str(tmp_path),
        "STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "refuses to run in production" in result.stderr
    assert "Demo data ready" not in result.stdout
