"""The counts and population bases the official shares can be computed from (screening.criteria.COUNT_BASES):
indicators like the others, so the import reads them as columns under these codes."""

from django.db import migrations, models

# kode, navn, kort navn, enhed
INDIKATORER = [
    (
        "a_uden_job_uddannelse_antal",
        "A. 18-64-årige uden for arbejde eller uddannelse (antal)",
        "A: uden job/uddannelse",
        "antal",
    ),
    ("a_personer_18_64", "A. 18-64-årige (antal, grundlaget for A)", "A: 18-64-årige", "antal"),
    (
        "b_domfaeldte_antal",
        "B. Beboere på 15 år og derover dømt efter straffeloven, våbenloven eller lov om "
        "euforiserende stoffer (antal)",
        "B: domfældte",
        "antal",
    ),
    (
        "b_personer_15_plus",
        "B. Beboere på 15 år og derover (antal, grundlaget for B)",
        "B: 15 år og derover",
        "antal",
    ),
    (
        "c_kun_grundskole_antal",
        "C. 30-59-årige med kun grundskoleuddannelse (antal)",
        "C: kun grundskole",
        "antal",
    ),
    ("c_personer_30_59", "C. 30-59-årige (antal, grundlaget for C)", "C: 30-59-årige", "antal"),
    (
        "d_indkomst_sum",
        "D. Samlet bruttoindkomst for 15-64-årige (ekskl. uddannelsessøgende)",
        "D: indkomst i alt",
        "kr",
    ),
    (
        "d_personer_15_64",
        "D. 15-64-årige ekskl. uddannelsessøgende (antal, grundlaget for D)",
        "D: 15-64-årige",
        "antal",
    ),
    (
        "d_region_gennemsnitsindkomst",
        "D. Regionens gennemsnitlige bruttoindkomst for 15-64-årige (ekskl. uddannelsessøgende)",
        "D: regionens gennemsnit",
        "kr",
    ),
    (
        "ikke_vestlige_antal",
        "Indvandrere og efterkommere fra ikke-vestlige lande (antal; grundlaget er beboere)",
        "Ikke-vestlige (antal)",
        "antal",
    ),
]
FIRST_SORTERING = 100  # after the shares and fsb's own indicators


def seed(apps, schema_editor):
    Indikator = apps.get_model("screening", "Indikator")
    for offset, (kode, navn, kort, enhed) in enumerate(INDIKATORER):
        Indikator.objects.update_or_create(
            kode=kode,
            defaults={
                "navn": navn,
                "kort_navn": kort,
                "enhed": enhed,
                "retning": "neutral",
                "niveau": "begge",
                "kilde": "Danmarks Statistik",
                "officiel": True,
                "sortering": FIRST_SORTERING + offset,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("screening", "Indikator").objects.filter(kode__in=[row[0] for row in INDIKATORER]).delete()


class Migration(migrations.Migration):
    dependencies = [("screening", "0015_bestyrelsesmedlem_valgt_til_fratraadt")]
    operations = [
        migrations.AlterField(
            model_name="indikator",
            name="enhed",
            field=models.CharField(
                choices=[
                    ("pct", "andel i %"),
                    ("indeks", "% af gennemsnit"),
                    ("antal", "antal"),
                    ("kr_m2", "kr. pr. m²"),
                    ("kr", "kr."),
                ],
                max_length=10,
                verbose_name="enhed",
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
