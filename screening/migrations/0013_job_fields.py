import django.utils.timezone
from django.db import migrations, models


# Apart from the data migration before it (and the renames before that): PostgreSQL does not alter a table
# with row changes pending in the same transaction.
class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0012_job_statuses"),
    ]

    operations = [
        migrations.RemoveField("screeningsimport", "behandlet"),
        migrations.RemoveField("screeningsimport", "i_alt"),
        migrations.AlterField(
            model_name="screeningsimport",
            name="created",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="bestilt"),
        ),
        migrations.AlterField(
            model_name="screeningsimport",
            name="started",
            field=models.DateTimeField(blank=True, null=True, verbose_name="startet"),
        ),
        migrations.AlterField(
            model_name="screeningsimport",
            name="finished",
            field=models.DateTimeField(blank=True, null=True, verbose_name="afsluttet"),
        ),
        migrations.AlterField(
            model_name="screeningsimport",
            name="row_errors",
            field=models.JSONField(blank=True, default=list, verbose_name="fejl i filen"),
        ),
        migrations.AlterField(
            model_name="screeningsimport",
            name="status",
            field=models.CharField(
                choices=[("queued", "I kø"), ("running", "I gang"), ("done", "Færdig"), ("failed", "Fejlet")],
                default="queued",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AlterModelOptions(
            name="screeningsimport",
            options={
                "ordering": ["-created"],
                "verbose_name": "screeningsimport",
                "verbose_name_plural": "screeningsimporter",
            },
        ),
    ]
