"""Load the reference data of organisations/reference.py (R-ELIG-8, ecosystems, sectors)."""

from datetime import date

from django.db import migrations


def load(apps, schema_editor):
    from organisations.reference import (
        COSME_ASSOCIATED,
        EU_MEMBER_STATES,
        INDUSTRIAL_ECOSYSTEMS,
        SECTORS,
    )

    ParticipatingCountry = apps.get_model("organisations", "ParticipatingCountry")
    IndustrialEcosystem = apps.get_model("organisations", "IndustrialEcosystem")
    Sector = apps.get_model("organisations", "Sector")
    for code in EU_MEMBER_STATES:
        ParticipatingCountry.objects.get_or_create(
            country=code, defaults={"is_eu_member": True, "participating_from": date(2014, 1, 1)}
        )
    for code in COSME_ASSOCIATED:
        ParticipatingCountry.objects.get_or_create(
            country=code, defaults={"is_eu_member": False, "participating_from": date(2014, 1, 1)}
        )
    for code, name in INDUSTRIAL_ECOSYSTEMS:
        IndustrialEcosystem.objects.get_or_create(code=code, defaults={"name": name})
    for code, name in SECTORS:
        Sector.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("organisations", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
