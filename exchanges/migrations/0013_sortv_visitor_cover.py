"""Issue 12: the staff list sorted by visitor reads a page's ids from indexes alone — the
organisations' name index walked, each visitor's exchange probed in ``exchange_visitor_cover``
(``selectors.exchange_list_rows``)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exchanges", "0012_dash_kpi_cover"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="exchange",
            index=models.Index(
                fields=["visitor"],
                include=["status", "vop", "hop", "host", "id"],
                name="exchange_visitor_cover",
            ),
        ),
    ]
