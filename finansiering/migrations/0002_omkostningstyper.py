from django.db import migrations

# The cost types of LBF budgets for boligsociale helhedsplaner. Reference data: staff can rename, add or
# retire types in the admin; this only makes sure the usual ones exist.
TYPER = [
    ("loen", "Løn", "Løn til projektleder, medarbejdere og studentermedhjælpere."),
    ("aktiviteter", "Aktiviteter", "Udgifter til aktiviteternes drift: materialer, lokaler, honorarer."),
    ("frikoeb", "Frikøb af kommunale medarbejdere", "Kommunale medarbejdere, der frikøbes til indsatsen."),
    ("administration", "Administration", "Boligorganisationens administration af indsatsen."),
    ("evaluering", "Evaluering", "Evaluering, dokumentation og målopfølgning."),
    ("oevrige", "Øvrige", "Andre udgifter."),
]


def seed(apps, schema_editor):
    Omkostningstype = apps.get_model("finansiering", "Omkostningstype")
    for order, (kode, navn, beskrivelse) in enumerate(TYPER):
        Omkostningstype.objects.get_or_create(
            kode=kode, defaults={"navn": navn, "beskrivelse": beskrivelse, "sortering": order}
        )


class Migration(migrations.Migration):
    dependencies = [("finansiering", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
