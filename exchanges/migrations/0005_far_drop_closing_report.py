# The interim closing-report record is replaced by the final activity reports (R-DOC-6).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('exchanges', '0004_kpi_start_index'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='exchange',
            name='closing_report_validated_at',
        ),
        migrations.RemoveField(
            model_name='exchange',
            name='closing_report_validated_by',
        ),
    ]
