"""Issue 13: the dashboards' satisfaction figures read the submitted final reports' overall
scores by exchange from a partial covering index (no scan of every report)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_queue_report_facts"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="finalreport",
            index=models.Index(
                condition=models.Q(("first_submitted_at__isnull", False)),
                fields=["exchange"],
                include=("satisfaction_overall",),
                name="final_report_submitted_score",
            ),
        ),
    ]
