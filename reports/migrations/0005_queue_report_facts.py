"""Issue 13 (queue): the exchanges' "final report first submitted" facts (R-DOC-4,
``Exchange.visitor_report_at`` / ``host_report_at``, added by exchanges 0010) filled from the
reports already submitted — one set-based UPDATE per side; the documents' "awaits the HOP /
VOP signature" facts (R-DOC-2, R-DOC-3) from their live signatures — one UPDATE; the work
queue's partial indexes of the versions still waiting and of the reports awaiting validation
(by their reviewer, R-DOC-6, filled from the exchanges' VOP/HOP)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Subquery


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


def fill_reviewers(apps, schema_editor):
    """R-DOC-6: each report's reviewer, the exchange's VOP (the visitor's) or HOP (the
    host's) — one UPDATE per side."""
    Exchange = apps.get_model("exchanges", "Exchange")
    FinalReport = apps.get_model("reports", "FinalReport")
    for side, field in (("visitor", "vop_id"), ("host", "hop_id")):
        FinalReport.objects.filter(side=side).update(
            reviewer_id=Subquery(
                Exchange.objects.filter(pk=OuterRef("exchange_id")).values(field)[:1]
            )
        )


def fill_awaits(apps, schema_editor):
    """R-DOC-2, R-DOC-3: each version waits for the HOP (a CTQ) and the VOP (a CTQ or an FA)
    until their live signature is on it (one UPDATE)."""
    Document = apps.get_model("reports", "Document")
    Signature = apps.get_model("reports", "Signature")

    def signed(party):
        return Exists(
            Signature.objects.filter(document=OuterRef("pk"), party=party, voided_at__isnull=True)
        )

    Document.objects.update(
        awaits_hop=ExpressionWrapper(Q(kind="CTQ") & ~signed("hop"), output_field=BooleanField()),
        awaits_vop=ExpressionWrapper(~signed("vop"), output_field=BooleanField()),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_sign"),
        ("exchanges", "0010_queue_report_facts"),
        ("partnerships", "0007_speed3_match_encoded"),
    ]

    operations = [
        migrations.RunPython(fill_report_facts, migrations.RunPython.noop),
        migrations.AddField(
            model_name="document",
            name="awaits_hop",
            field=models.BooleanField(default=True, editable=False),
        ),
        migrations.AddField(
            model_name="document",
            name="awaits_vop",
            field=models.BooleanField(default=True, editable=False),
        ),
        migrations.RunPython(fill_awaits, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                condition=models.Q(
                    ("status", "ready"),
                    models.Q(("awaits_hop", True), ("awaits_vop", True), _connector="OR"),
                ),
                fields=["exchange", "kind"],
                include=("id", "version", "awaits_hop", "awaits_vop"),
                name="document_awaits_partnership",
            ),
        ),
        migrations.AddField(
            model_name="finalreport",
            name="reviewer",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="partnerships.partnership",
            ),
        ),
        migrations.RunPython(fill_reviewers, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="finalreport",
            index=models.Index(
                condition=models.Q(("status", "submitted")),
                fields=["reviewer", "submitted_at", "id"],
                include=("exchange", "side"),
                name="final_report_to_validate",
            ),
        ),
    ]
