import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("helhedsplaner", "0024_udbetaling_for_rapport"),
    ]

    operations = [
        migrations.AddField(
            model_name="haendelse",
            name="organisationsmedlem",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="helhedsplaner.organisationsmedlem",
                verbose_name="medlem af planens organisation",
            ),
        ),
    ]
