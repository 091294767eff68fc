"""R-PAY-3: the initial table of lump-sum rates (EYE Annex 1), valid from 1 January 2020."""

from datetime import date
from decimal import Decimal

from django.db import migrations

#: R-PAY-3: euro per host country (the 27 EU member states and the 11 COSME associated
#: countries). Portugal 780 matches the published example (R-PAY-2); Denmark's 1,100 is the cap.
INITIAL_RATES = {
    "AL": 530,
    "AM": 610,
    "AT": 900,
    "BE": 830,
    "BA": 560,
    "BG": 560,
    "HR": 720,
    "CY": 780,
    "CZ": 610,
    "DK": 1100,
    "EE": 670,
    "FI": 950,
    "FR": 900,
    "DE": 830,
    "GR": 780,
    "HU": 670,
    "IS": 900,
    "IE": 1000,
    "IT": 900,
    "XK": 560,
    "LV": 610,
    "LT": 560,
    "LU": 830,
    "MT": 720,
    "MD": 530,
    "ME": 560,
    "NL": 830,
    "MK": 560,
    "PL": 610,
    "PT": 780,
    "RO": 560,
    "RS": 560,
    "SK": 610,
    "SI": 720,
    "ES": 830,
    "SE": 950,
    "TR": 750,
    "UA": 530,
}
VALID_FROM = date(2020, 1, 1)


def load(apps, schema_editor):
    LumpSumRate = apps.get_model("payments", "LumpSumRate")
    known = set(LumpSumRate.objects.values_list("country", flat=True))
    LumpSumRate.objects.bulk_create(
        LumpSumRate(country=code, amount=Decimal(amount), valid_from=VALID_FROM)
        for code, amount in INITIAL_RATES.items()
        if code not in known
    )


def unload(apps, schema_editor):
    LumpSumRate = apps.get_model("payments", "LumpSumRate")
    LumpSumRate.objects.filter(
        valid_from=VALID_FROM, valid_until__isnull=True, created_by__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_lump_sum_rate")]
    operations = [migrations.RunPython(load, unload)]
