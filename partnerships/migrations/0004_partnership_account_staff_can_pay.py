from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0003_partnership_dated_period"),
    ]

    operations = [
        migrations.RenameField(
            model_name="partnershipstaff", old_name="can_manage_payments", new_name="can_pay"
        ),
        migrations.AddField(
            model_name="partnership",
            name="iban",
            field=models.CharField(blank=True, default="", max_length=34, verbose_name="IBAN"),
        ),
        migrations.AddField(
            model_name="partnership",
            name="bic",
            field=models.CharField(blank=True, default="", max_length=11, verbose_name="BIC"),
        ),
    ]
