from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("helhedsplaner", "0009_tilsagn_og_betingelser"),
    ]

    operations = [
        migrations.RenameField("pakke", "fremdrift", "progress"),
        migrations.RenameField("pakke", "fejl", "error"),
        migrations.RenameField("pakke", "oprettet", "created"),
        migrations.RenameField("pakke", "faerdig", "finished"),
        migrations.AddField(
            model_name="pakke",
            name="sent",
            field=models.DateTimeField(blank=True, null=True, verbose_name="sendt til køen"),
        ),
        migrations.AddField(
            model_name="pakke",
            name="started",
            field=models.DateTimeField(blank=True, null=True, verbose_name="startet"),
        ),
        migrations.RenameField("pakkeeksport", "fremdrift", "progress"),
        migrations.RenameField("pakkeeksport", "fejl", "error"),
        migrations.RenameField("pakkeeksport", "oprettet", "created"),
        migrations.RenameField("pakkeeksport", "sendt", "sent"),
        migrations.RenameField("pakkeeksport", "startet", "started"),
        migrations.RenameField("pakkeeksport", "faerdig", "finished"),
    ]
