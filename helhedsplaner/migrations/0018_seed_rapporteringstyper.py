from django.db import migrations

# What the funders expect each year of an active plan, the same for every funding period until its
# regulations say otherwise (then changed in the admin): the accounts with the reguleringskonto within
# 6 months of the year's end; the goal report on the year gone by and the milestone plan for the coming year,
# both by a fixed date each year; a status halfway through the period.
# (navn, art, fristregel, måneder, dag, måned, års forskydning)
DEFAULTS = [
    ("Regnskab med reguleringskonto", "regnskab", "efter_aarets_udgang", 6, None, None, 0),
    ("Målopfyldelsesskema", "maalopfoelgning", "fast_dato", None, 1, 3, 1),
    ("Milepælsplan for det kommende år", "milepaelsplan", "fast_dato", None, 1, 12, -1),
    ("Midtvejsstatus", "midtvejsstatus", "midtvejs", None, None, None, 0),
]


def seed(apps, schema_editor):
    Finansieringsperiode = apps.get_model("indsatser", "Finansieringsperiode")
    Rapporteringstype = apps.get_model("helhedsplaner", "Rapporteringstype")
    for periode in Finansieringsperiode.objects.all():
        for order, (navn, art, regel, maaneder, dag, maaned, forskydning) in enumerate(DEFAULTS):
            Rapporteringstype.objects.get_or_create(
                periode=periode,
                navn=navn,
                defaults={
                    "art": art,
                    "fristregel": regel,
                    "maaneder": maaneder,
                    "dag": dag,
                    "maaned": maaned,
                    "aar_forskydning": forskydning,
                    "sortering": order,
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("helhedsplaner", "0017_aarscyklus"),
        ("indsatser", "0004_seed_indsatsomraader"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
