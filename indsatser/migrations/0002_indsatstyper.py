from django.db import migrations

TYPES = [
    ("helhedsplan", "Boligsocial helhedsplan", 4,
     "Den mest omfattende indsats, kun i særligt udsatte afdelinger og områder. Tjener alle fire mål.",
     "Normalt 75 % Landsbyggefonden, 12,5 % Københavns Kommune og 12,5 % boligorganisation/afdelinger."),
    ("udviklingsprojekt", "Lokalt udviklingsprojekt", 4,
     "Målrettet afprøvning af en ny løsning for én målgruppe eller afdeling.",
     "Primært eksterne midler (fonde, kommune)."),
    ("ejendomsfunktionaer", "Boligsocial ejendomsfunktionær", None,
     "Ejendomsfunktionær med sociale opgaver i afdelinger med mange isolerede, udsatte beboere.",
     "Betales af afdelingerne."),
    ("kontaktpersonordning", "Kontaktpersonordning", None,
     "Hver afdeling har en kontaktperson, der forbinder den med kommunens sociale tilbud til særligt udsatte beboere.",
     "En del af udlejningsaftalen; dækker alle afdelinger."),
]


def seed(apps, schema_editor):
    Indsatstype = apps.get_model("indsatser", "Indsatstype")
    for order, (kode, navn, varighed, beskrivelse, finansiering) in enumerate(TYPES):
        Indsatstype.objects.update_or_create(
            kode=kode,
            defaults={"navn": navn, "normal_varighed_aar": varighed, "beskrivelse": beskrivelse,
                      "finansiering": finansiering, "sortering": order},
        )


class Migration(migrations.Migration):
    dependencies = [("indsatser", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
