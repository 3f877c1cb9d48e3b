import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("indsatser", "0010_goal_figures"),
    ]

    operations = [
        migrations.AddField(
            model_name="indsatshaendelse",
            name="kontaktperson",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="indsatser.kontaktperson",
                verbose_name="kontaktperson",
            ),
        ),
        migrations.AddField(
            model_name="indsatshaendelse",
            name="forrige_kontaktperson",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="indsatser.kontaktperson",
                verbose_name="forrige kontaktperson",
            ),
        ),
    ]
