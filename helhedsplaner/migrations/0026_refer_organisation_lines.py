"""The lines about a member added to or removed from a plan's organisation written before the lines referred to
the member get that reference, where exactly one member of the plan fits; the others are left without, and the
anonymiser leaves them as they are (README, Databeskyttelse)."""

from collections import defaultdict

from django.db import migrations

# As helhedsplaner.actions wrote them when this migration was written: "Tilføjet til <gruppe>: <navn>." and
# "Fjernet fra <gruppe>: <navn>.", the group as Organisationsmedlem.Gruppe named it, in lower case.
GROUPS = {"styregruppe": "styregruppe", "foelgegruppe": "følgegruppe", "partner": "partner"}
VERBS = ("Tilføjet til", "Fjernet fra")


def refer_lines_to_members(apps, schema_editor):
    Haendelse = apps.get_model("helhedsplaner", "Haendelse")
    lines = Haendelse.objects.filter(art="organisation", organisationsmedlem__isnull=True)
    if not lines.exists():
        return
    # The members each line could be about, by plan and the whole line: every version of every member (the rows
    # and their history: a name changed since, a member removed since).
    members = defaultdict(set)
    for rows in (
        apps.get_model("helhedsplaner", "Organisationsmedlem"),
        apps.get_model("helhedsplaner", "HistoricalOrganisationsmedlem"),
    ):
        for plan_id, number, gruppe, navn in rows.objects.values_list("plan_id", "id", "gruppe", "navn"):
            for verb in VERBS:
                members[plan_id, f"{verb} {GROUPS.get(gruppe, gruppe)}: {navn}."].add(number)

    referred = []
    for line in lines.only("pk", "plan_id", "tekst").iterator():
        numbers = members.get((line.plan_id, line.tekst), set())
        if len(numbers) == 1:
            (line.organisationsmedlem_id,) = numbers
            referred.append(line)
    Haendelse.objects.bulk_update(referred, ["organisationsmedlem"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("helhedsplaner", "0025_haendelse_organisationsmedlem"),
    ]

    operations = [migrations.RunPython(refer_lines_to_members, migrations.RunPython.noop)]
