"""Load the gazetteer's cities (15,000+ inhabitants) of the COSME participating countries."""

from django.db import migrations


def load(apps, schema_editor):
    from organisations.gazetteer import load_cities
    from organisations.reference import COSME_ASSOCIATED, EU_MEMBER_STATES

    load_cities(apps.get_model("organisations", "City"), (*EU_MEMBER_STATES, *COSME_ASSOCIATED))


def unload(apps, schema_editor):
    apps.get_model("organisations", "City").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("organisations", "0004_representative_age_city_names_checks")]
    operations = [migrations.RunPython(load, unload)]
