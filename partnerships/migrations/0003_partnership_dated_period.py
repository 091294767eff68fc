"""Partnership becomes a DatedPeriod: active_from/until → valid_from/until (data kept: the
columns are renamed)."""

from django.db import migrations, models

import cxc_portal.core.periods


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0002_alter_expressionofinterest_preferred_countries_and_more")]

    operations = [
        migrations.RemoveConstraint(model_name="partnership", name="partnership_period_ordered"),
        migrations.RenameField(
            model_name="partnership", old_name="active_from", new_name="valid_from"
        ),
        migrations.RenameField(
            model_name="partnership", old_name="active_until", new_name="valid_until"
        ),
        migrations.AlterField(
            model_name="partnership",
            name="valid_from",
            field=models.DateField(verbose_name="valid from"),
        ),
        migrations.AlterField(
            model_name="partnership",
            name="valid_until",
            field=models.DateField(
                blank=True,
                help_text="Last day included; leave empty for 'until further notice'.",
                null=True,
                verbose_name="valid until",
            ),
        ),
        migrations.AddConstraint(
            model_name="partnership",
            constraint=cxc_portal.core.periods.period_ordered_constraint(
                "partnership_period_ordered"
            ),
        ),
    ]
