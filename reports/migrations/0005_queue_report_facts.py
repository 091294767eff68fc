"""Issue 13 (queue): the exchanges' "final report first submitted" facts (R-DOC-4,
``Exchange.visitor_report_at`` / ``host_report_at``, added by exchanges 0010) filled from the
reports already submitted — one set-based UPDATE per side; the work queue's indexes of the
current documents and of the reports awaiting validation."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_report_facts(apps, schema_editor):
    Exchange = apps.get_model("exchanges", "Exchange")
    FinalReport = apps.get_model("reports", "FinalReport")
    for side, field in (("visitor", "visitor_report_at"), ("host", "host_report_at")):
        submitted = FinalReport.objects.filter(side=side, first_submitted_at__isnull=False)
        Exchange.objects.filter(pk__in=submitted.values("exchange_id")).update(
            **{
                field: Subquery(
                    submitted.filter(exchange_id=OuterRef("pk")).values("first_submitted_at")[:1]
                )
            }
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_sign"),
        ("exchanges", "0010_queue_report_facts"),
    ]

    operations = [
        migrations.RunPython(fill_report_facts, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                condition=models.Q(("status", "ready")),
                fields=["exchange", "kind"],
                include=("version",),
                name="document_ready",
            ),
        ),
        migrations.AddIndex(
            model_name="finalreport",
            index=models.Index(
                condition=models.Q(("status", "submitted")),
                fields=["submitted_at", "id"],
                include=("exchange", "side"),
                name="final_report_submitted",
            ),
        ),
    ]
