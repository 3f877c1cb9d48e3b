from django.db import migrations

# LBF's indsatsområder per funding period (Landsbyggefonden's regulativer for 2015-18 and 2019-26).
PERIODER = [
    ("2015-18", 2015, 2018, ["Tryghed og trivsel", "Kriminalpræventiv indsats", "Uddannelse og beskæftigelse",
                             "Forebyggelse og forældreansvar"]),
    ("2019-26", 2019, 2026, ["Uddannelse og livschancer", "Beskæftigelse", "Kriminalitetsforebyggelse",
                             "Sammenhængskraft og medborgerskab"]),
]


def seed(apps, schema_editor):
    Finansieringsperiode = apps.get_model("indsatser", "Finansieringsperiode")
    Indsatsomraade = apps.get_model("indsatser", "Indsatsomraade")
    for navn, start, slut, omraader in PERIODER:
        periode, _ = Finansieringsperiode.objects.update_or_create(
            navn=navn, defaults={"startaar": start, "slutaar": slut}
        )
        for order, omraade in enumerate(omraader):
            Indsatsomraade.objects.update_or_create(periode=periode, navn=omraade, defaults={"sortering": order})


class Migration(migrations.Migration):
    dependencies = [("indsatser", "0003_finansieringsperiode_indsatsomraade")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
