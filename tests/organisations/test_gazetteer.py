"""The offline gazetteer: loading, folding names, distances (for the 200 km rule)."""

import pytest
from django.core.management import call_command

from organisations.gazetteer import alternate_names, distance_km, fold, gazetteer_rows
from organisations.models import City
from organisations.reference import COSME_ASSOCIATED, EU_MEMBER_STATES


def test_fold_removes_accents_and_special_letters():
    assert fold("Liège") == "Liege"
    assert fold("Łódź") == "Lodz"
    assert fold("Gießen") == "Giessen"
    assert fold("  Ærøskøbing ") == "AEroskobing"


def test_distance_km_is_the_great_circle_distance():
    assert distance_km(50.85045, 4.34878, 50.85045, 4.34878) == 0
    brussels_antwerp = distance_km(50.85045, 4.34878, 51.21989, 4.40346)
    assert 40 < brussels_antwerp < 42
    lisbon_porto = distance_km(38.72509, -9.14980, 41.14850, -8.61097)
    assert 270 < lisbon_porto < 280


def test_alternate_names_are_folded_and_delimited():
    names = alternate_names({"name": "Gent", "alternatenames": ["Ghent", "Gand", "Гент"]})
    assert names == "|gand|gent|ghent|"


@pytest.mark.django_db
def test_the_migration_loaded_the_cities_of_every_cosme_country_including_kosovo():
    countries = set(City.objects.values_list("country", flat=True).distinct())
    assert countries == set(EU_MEMBER_STATES + COSME_ASSOCIATED)
    assert City.objects.filter(country="XK").count() > 10
    assert City.objects.count() == len(gazetteer_rows(EU_MEMBER_STATES + COSME_ASSOCIATED))


@pytest.mark.django_db
def test_load_cities_command_adds_only_missing_cities():
    City.objects.filter(country="IS").delete()
    call_command("load_cities", "is")
    assert City.objects.filter(country="IS", name="Reykjavík").exists()
    before = City.objects.count()
    call_command("load_cities")
    assert City.objects.count() == before
