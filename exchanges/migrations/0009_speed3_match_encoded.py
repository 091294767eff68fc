"""Issue 12 (speed3): ``Match.encoded`` filled for the matches an exchange was already encoded
from (R-EXC-6), and the dashboards' index for overdue payments by VOP."""

from django.conf import settings
from django.db import migrations, models


def mark_encoded(apps, schema_editor):
    Match = apps.get_model("partnerships", "Match")
    Exchange = apps.get_model("exchanges", "Exchange")
    Match.objects.filter(
        pk__in=Exchange.objects.filter(match__isnull=False).values("match_id")
    ).update(encoded=True)


class Migration(migrations.Migration):
    dependencies = [
        ('exchanges', '0008_amend'),
        ('organisations', '0009_speed3_indexes'),
        ('partnerships', '0007_speed3_match_encoded'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(mark_encoded, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="exchange",
            index=models.Index(fields=["id"], include=("vop",), name="exchange_vop_cover"),
        ),
    ]
