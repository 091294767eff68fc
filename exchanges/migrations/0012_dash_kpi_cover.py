"""Issue 13: the KPI dashboards read the period's counted exchanges (by the day their stay
starts and their status) from one covering index: every column they group, count or join by is
included, so the grouped KPIs, the flow and the final-report counts are index-only scans. It
replaces ``exchange_kpi_start_status`` (the same key, without the included columns)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exchanges", "0011_list_count_index"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="exchange",
            name="exchange_kpi_start_status",
        ),
        migrations.AddIndex(
            model_name="exchange",
            index=models.Index(
                fields=["start_date", "status"],
                include=(
                    "id",
                    "vop",
                    "visitor",
                    "host",
                    "mode",
                    "end_date",
                    "closed_at",
                    "visitor_report_at",
                    "host_report_at",
                ),
                name="exchange_kpi_cover",
            ),
        ),
    ]
