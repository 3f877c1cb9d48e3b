from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0010_prognose"),
    ]

    operations = [
        migrations.RenameField("screeningsimport", "oprettet", "created"),
        migrations.RenameField("screeningsimport", "startet", "started"),
        migrations.RenameField("screeningsimport", "afsluttet", "finished"),
        migrations.RenameField("screeningsimport", "fejl", "row_errors"),
        migrations.AddField(
            model_name="screeningsimport",
            name="progress",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="fremdrift (%)"),
        ),
        migrations.AddField(
            model_name="screeningsimport",
            name="error",
            field=models.TextField(blank=True, verbose_name="fejl"),
        ),
        migrations.AddField(
            model_name="screeningsimport",
            name="sent",
            field=models.DateTimeField(blank=True, null=True, verbose_name="sendt til køen"),
        ),
        migrations.AddField(
            model_name="screeningsimport",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="forsøg"),
        ),
    ]
