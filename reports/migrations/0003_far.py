# Final Activity Reports (R-DOC-4, R-DOC-6): helper "far".

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0002_seal'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='FinalReport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('side', models.CharField(choices=[('host', 'Host (Annex 2)'), ('visitor', 'Visitor (Annex 3)')], max_length=8)),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted'), ('returned', 'Returned for a correction'), ('validated', 'Validated')], default='draft', max_length=10)),
                ('objective_scores', models.JSONField(blank=True, default=list)),
                ('activities_done', models.JSONField(blank=True, default=list)),
                ('results_achieved', models.BooleanField(blank=True, null=True)),
                ('results_text', models.TextField(blank=True, default='')),
                ('collaborations', models.BooleanField(blank=True, null=True)),
                ('collaborations_text', models.TextField(blank=True, default='')),
                ('follow_up', models.TextField(blank=True, default='')),
                ('satisfaction_counterpart', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('satisfaction_partnership', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('satisfaction_overall', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('would_recommend', models.BooleanField(blank=True, null=True)),
                ('comments', models.TextField(blank=True, default='')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('first_submitted_at', models.DateTimeField(blank=True, null=True)),
                ('submitted_at', models.DateTimeField(blank=True, null=True)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('return_comment', models.TextField(blank=True, default='')),
                ('returned_count', models.PositiveSmallIntegerField(default=0)),
                ('file', models.CharField(blank=True, default='', max_length=255)),
                ('sha256', models.CharField(blank=True, db_index=True, default='', max_length=64)),
                ('size', models.PositiveIntegerField(default=0)),
                ('rendered_at', models.DateTimeField(blank=True, null=True)),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('exchange', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='final_reports', to='exchanges.exchange')),
                ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['exchange', 'side'],
                'constraints': [models.UniqueConstraint(fields=('exchange', 'side'), name='final_report_one_per_side'), models.CheckConstraint(condition=models.Q(('side__in', ['host', 'visitor'])), name='final_report_side_known'), models.CheckConstraint(condition=models.Q(('status__in', ['draft', 'submitted', 'returned', 'validated'])), name='final_report_status_known'), models.CheckConstraint(condition=models.Q(('satisfaction_counterpart__isnull', True), models.Q(('satisfaction_counterpart__gte', 1), ('satisfaction_counterpart__lte', 5)), _connector='OR'), name='final_report_satisfaction_counterpart_1_to_5'), models.CheckConstraint(condition=models.Q(('satisfaction_partnership__isnull', True), models.Q(('satisfaction_partnership__gte', 1), ('satisfaction_partnership__lte', 5)), _connector='OR'), name='final_report_satisfaction_partnership_1_to_5'), models.CheckConstraint(condition=models.Q(('satisfaction_overall__isnull', True), models.Q(('satisfaction_overall__gte', 1), ('satisfaction_overall__lte', 5)), _connector='OR'), name='final_report_satisfaction_overall_1_to_5'), models.CheckConstraint(condition=models.Q(('returned_count__lte', 1)), name='final_report_returned_once'), models.CheckConstraint(condition=models.Q(('status', 'draft'), ('first_submitted_at__isnull', False), _connector='OR'), name='final_report_submitted_has_time'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'validated'), _negated=True), ('decided_at__isnull', False), _connector='OR'), name='final_report_validated_has_time')],
            },
        ),
    ]
