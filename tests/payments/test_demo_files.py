"""The payments paperwork demo step: bank accounts for the demo visitors (R-PAY-6) and evidence
accepted and rejected on an executed exchange (R-PAY-4 (c)); idempotent."""

from datetime import date

import pytest

from cxc_portal.core.demo import SeedContext
from exchanges import demo as exchanges_demo
from exchanges.models import ExchangeMode, ExchangeStatus
from payments import demo_files
from payments.bank import check_bank_details
from payments.models import BankAccount, Evidence, EvidenceStatus
from tests.exchanges.test_demo import COUNTRIES, _world

pytestmark = pytest.mark.django_db


def test_demo_iban_table_passes_the_checksum():
    """R-PAY-6: every demo IBAN is valid, so the demo goes through the real service."""
    for code, iban in demo_files.DEMO_IBANS.items():
        assert not isinstance(check_bank_details(holder="x", iban=iban), list), code
        assert iban.startswith(code)


def test_demo_seeds_bank_accounts_and_reviewed_evidence_idempotently():
    _world(COUNTRIES)
    ctx = SeedContext(today=date(2026, 11, 23), log=lambda _: None)
    exchanges_demo.seed(ctx)
    demo_files.seed(ctx)
    accounts = BankAccount.objects.count()
    assert accounts >= 3
    for account in BankAccount.objects.select_related("organisation"):
        visits = account.organisation.visits.filter(mode=ExchangeMode.PHYSICAL)
        assert visits.exclude(status=ExchangeStatus.CANCELLED).exists()
    statuses = sorted(Evidence.objects.values_list("status", flat=True))
    assert statuses == [EvidenceStatus.ACCEPTED, EvidenceStatus.REJECTED]
    assert Evidence.objects.get(status=EvidenceStatus.REJECTED).review_comment
    demo_files.seed(ctx)
    assert BankAccount.objects.count() == accounts
    assert Evidence.objects.count() == 2
