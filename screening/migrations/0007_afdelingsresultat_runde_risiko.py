from django.db import migrations, models

INDEX = models.Index(
    models.F("runde"),
    models.OrderBy(models.F("risikoscore"), descending=True, nulls_last=True),
    models.F("afdeling"),
    name="resultat_runde_risiko",
)


# SQLite, the demo's default database, has no NULLS LAST in an index; the overview's order needs it only on
# PostgreSQL, where the national data live.
def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("screening", "Afdelingsresultat"), INDEX)


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("screening", "Afdelingsresultat"), INDEX)


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0006_maaling_afdeling_runde"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="afdelingsresultat", index=INDEX)],
            database_operations=[migrations.RunPython(add_index, remove_index)],
        ),
    ]
