"""ParticipatingCountry becomes a DatedPeriod: participating_from/until → valid_from/until (data
kept: the columns are renamed)."""

import datetime

from django.db import migrations, models

import cxc_portal.core.periods


class Migration(migrations.Migration):
    dependencies = [("organisations", "0005_load_cities")]

    operations = [
        migrations.RemoveConstraint(
            model_name="participatingcountry", name="participating_country_period_ordered"
        ),
        migrations.RenameField(
            model_name="participatingcountry", old_name="participating_from", new_name="valid_from"
        ),
        migrations.RenameField(
            model_name="participatingcountry",
            old_name="participating_until",
            new_name="valid_until",
        ),
        migrations.AlterField(
            model_name="participatingcountry",
            name="valid_from",
            field=models.DateField(
                default=datetime.date(2014, 1, 1), verbose_name="participating from"
            ),
        ),
        migrations.AlterField(
            model_name="participatingcountry",
            name="valid_until",
            field=models.DateField(
                blank=True,
                help_text="Last day included; leave empty for 'until further notice'.",
                null=True,
                verbose_name="participating until",
            ),
        ),
        migrations.AddConstraint(
            model_name="participatingcountry",
            constraint=cxc_portal.core.periods.period_ordered_constraint(
                "participating_country_period_ordered"
            ),
        ),
    ]
