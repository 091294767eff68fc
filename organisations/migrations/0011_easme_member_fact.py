"""R-ELIG-4 kept on the row: ``Organisation.in_validated_cluster``, backfilled in one set-based
UPDATE, and the EASME requests' partial index narrowed to the SMEs that are no cluster member
(issue 13: the Support Office's work queue no longer joins every membership)."""

from django.db import migrations, models
from django.db.models import Exists, OuterRef


def backfill(apps, schema_editor):
    Organisation = apps.get_model("organisations", "Organisation")
    ClusterMembership = apps.get_model("organisations", "ClusterMembership")
    validated_membership = ClusterMembership.objects.filter(
        member=OuterRef("pk"), cluster__org_type="cluster", cluster__status="validated"
    )
    Organisation.objects.filter(Exists(validated_membership)).update(in_validated_cluster=True)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0010_match_tokens"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="in_validated_cluster",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.RemoveIndex(
            model_name="organisation",
            name="organisation_easme_queue",
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(
                condition=models.Q(
                    ("in_validated_cluster", False),
                    ("org_type", "sme"),
                    ("status__in", ("submitted", "validated")),
                ),
                fields=["submitted_at", "id"],
                name="organisation_easme_queue",
            ),
        ),
        # Fresh statistics for the new column (the EASME queue's partial index predicate).
        migrations.RunSQL(
            ["ANALYZE organisations_organisation"], migrations.RunSQL.noop, elidable=True
        ),
    ]
