"""Issue 12: the staff exchange list's count reads "HOP in S and VOP not in S" (with or without
a status) from an index alone (``selectors.exchange_list_count``)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exchanges", "0010_queue_report_facts"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="exchange",
            index=models.Index(fields=["hop", "status", "vop"], name="exchange_hop_status_vop"),
        ),
    ]
