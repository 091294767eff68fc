"""`manage.py seed_demo` loads every room's demo data, is idempotent and prints the logins."""

from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

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
