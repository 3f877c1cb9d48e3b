from django.db import migrations, models


# Apart from the data migration before it (and the renames before that): PostgreSQL does not alter a table
# with row changes pending in the same transaction.
class Migration(migrations.Migration):
    dependencies = [
        ("helhedsplaner", "0011_job_statuses"),
    ]

    operations = [
        migrations.RemoveField("pakke", "opdateret"),
        migrations.AddField(
            model_name="pakke",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="forsøg"),
        ),
        migrations.AlterField(
            model_name="pakke",
            name="finished",
            field=models.DateTimeField(blank=True, null=True, verbose_name="afsluttet"),
        ),
        migrations.AlterField(
            model_name="pakke",
            name="status",
            field=models.CharField(
                choices=[("queued", "I kø"), ("running", "I gang"), ("done", "Færdig"), ("failed", "Fejlet")],
                default="queued",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="pakkeeksport",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="forsøg"),
        ),
        migrations.AlterField(
            model_name="pakkeeksport",
            name="finished",
            field=models.DateTimeField(blank=True, null=True, verbose_name="afsluttet"),
        ),
        migrations.AlterField(
            model_name="pakkeeksport",
            name="status",
            field=models.CharField(
                choices=[("queued", "I kø"), ("running", "I gang"), ("done", "Færdig"), ("failed", "Fejlet")],
                default="queued",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AlterModelOptions(
            name="pakke",
            options={
                "ordering": ["-created", "-id"],
                "verbose_name": "ansøgningspakke",
                "verbose_name_plural": "ansøgningspakker",
            },
        ),
        migrations.AlterModelOptions(
            name="pakkeeksport",
            options={
                "ordering": ["-created", "-id"],
                "verbose_name": "eksport af ansøgningspakker",
                "verbose_name_plural": "eksporter af ansøgningspakker",
            },
        ),
    ]
