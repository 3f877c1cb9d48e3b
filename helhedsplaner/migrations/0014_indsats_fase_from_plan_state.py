from django.db import migrations

# The phases' names as helhedsplaner/lifecycle.py declared them when this migration was written.
PHASE_NAMES = {
    "ide": "Idé og analyse",
    "organisationsbestyrelse": "Organisationsbestyrelsen behandler",
    "praekvalifikation_udarbejdes": "Prækvalifikation under udarbejdelse",
    "praekvalifikation_behandles": "Prækvalifikation til behandling hos LBF og kommune",
    "praekvalificeret": "Prækvalificeret",
    "helhedsplan_udarbejdes": "Helhedsplan under udarbejdelse",
    "afdelingsmoeder": "Afdelingsmøder",
    "godkendelse": "Til godkendelse hos LBF og kommune",
    "aktiv": "Aktiv",
    "afslutning": "Afslutning",
    "afsluttet": "Afsluttet",
    "opgivet": "Opgivet",
    "afvist": "Afvist",
}


def name_each_plans_phase(apps, schema_editor):
    """Every existing helhedsplan's indsats gets the name of the plan's phase, as the lifecycle now writes."""
    Helhedsplan = apps.get_model("helhedsplaner", "Helhedsplan")
    Indsats = apps.get_model("indsatser", "Indsats")
    for code, name in PHASE_NAMES.items():
        plans = Helhedsplan.objects.filter(tilstand=code).values("indsats_id")
        Indsats.objects.filter(pk__in=plans).update(fase=name)


class Migration(migrations.Migration):
    dependencies = [
        ("helhedsplaner", "0013_invitation_and_comment_afdeling"),
        ("indsatser", "0008_indsats_fase"),
    ]

    operations = [migrations.RunPython(name_each_plans_phase, migrations.RunPython.noop)]
