"""The flush that ends a transactional test keeps the reference data the migrations loaded
(tests/reference_data.py), so transactional tests need no ``serialized_rollback``."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from organisations.models import City, IndustrialEcosystem, ParticipatingCountry, Sector
from payments.models import LumpSumRate
from tests import factories, reference_data


def _reference_counts():
    return {
        model: model.objects.count()
        for model in (
            City,
            ParticipatingCountry,
            IndustrialEcosystem,
            Sector,
            LumpSumRate,
            ContentType,
        )
    }


def test_the_reference_tables_are_those_the_migrations_fill():
    tables = reference_data.reference_tables()
    for model in (City, ParticipatingCountry, IndustrialEcosystem, Sector, LumpSumRate):
        assert model._meta.db_table in tables
    assert get_user_model()._meta.db_table not in tables


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_other_tables_and_gives_back_the_reference_data():
    before = _reference_counts()
    assert before[City] > 6000
    rate = LumpSumRate.objects.get(country="PT")
    recorded = (rate.amount, rate.created_at)
    factories.OrganisationFactory()
    # A test that changes reference data: all of it comes back, exactly as recorded.
    City.objects.filter(country="BE").delete()
    LumpSumRate.objects.filter(pk=rate.pk).update(amount=Decimal("1.00"))
    Sector.objects.create(code="ZZ", name="Not a NACE section")

    call_command("flush", interactive=False, verbosity=0)

    assert get_user_model().objects.count() == 0
    assert _reference_counts() == before
    assert City.objects.filter(country="BE").exists()
    assert not Sector.objects.filter(code="ZZ").exists()
    rate = LumpSumRate.objects.get(country="PT")
    assert (rate.amount, rate.created_at) == recorded
