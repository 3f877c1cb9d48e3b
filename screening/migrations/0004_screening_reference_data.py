"""Reference data for the screening: the indicators, the official rule sets and fsb's first risk model."""

from decimal import Decimal

from django.db import migrations

# kode, navn, kort navn, enhed, retning, niveau, kilde, officiel
INDIKATORER = [
    ("beboere", "Antal beboere", "Beboere", "antal", "neutral", "begge", "LBF Beboerdata", True),
    ("uden_job_uddannelse_pct", "A. Andel 18-64-årige uden for arbejde eller uddannelse (2-års gennemsnit)",
     "Uden job/uddannelse", "pct", "hoej", "begge", "Danmarks Statistik", True),
    ("domfaeldte_pct", "B. Andel beboere dømt efter straffeloven, våbenloven eller lov om euforiserende stoffer "
     "(2-års gennemsnit)", "Domfældte", "pct", "hoej", "begge", "Danmarks Statistik", True),
    ("kun_grundskole_pct", "C. Andel 30-59-årige med kun grundskoleuddannelse", "Kun grundskole", "pct", "hoej",
     "begge", "Danmarks Statistik", True),
    ("indkomst_pct_region", "D. Gennemsnitlig bruttoindkomst for 15-64-årige (ekskl. uddannelsessøgende) "
     "i % af regionens gennemsnit", "Indkomst", "indeks", "lav", "begge", "Danmarks Statistik", True),
    ("ikke_vestlige_pct", "Andel indvandrere og efterkommere fra ikke-vestlige lande", "Ikke-vestlige", "pct",
     "neutral", "begge", "Danmarks Statistik", True),
    ("husleje_kr_m2", "Husleje pr. m² om året", "Husleje", "kr_m2", "hoej", "afdeling", "fsb's lejesystem", False),
    ("fraflytning_pct", "Fraflytningsprocent (andel lejemål med fraflytning i året)", "Fraflytning", "pct", "hoej",
     "afdeling", "fsb's lejesystem", False),
    ("restancer_antal", "Husstande i restance ved årets udgang", "Restancer", "antal", "hoej", "afdeling",
     "fsb's økonomisystem", False),
    ("udsaettelser_antal", "Udsættelser i året", "Udsættelser", "antal", "hoej", "afdeling", "fsb's økonomisystem",
     False),
    ("tomgang_pct", "Tomgang (andel af lejemålene, der stod tomme)", "Tomgang", "pct", "hoej", "afdeling",
     "fsb's lejesystem", False),
    ("unge_uden_uddannelse_pct", "Andel 18-29-årige uden uddannelse ud over grundskolen og ikke i gang med en",
     "Unge uden uddannelse", "pct", "hoej", "afdeling", "LBF Beboerdata", False),
    ("ungdomskriminalitet_pct", "Andel 15-25-årige sigtet for overtrædelse af straffeloven", "Ungdomskriminalitet",
     "pct", "hoej", "afdeling", "Danmarks Statistik", False),
    ("husordenssager_antal", "Husordenssager i året", "Husordenssager", "antal", "hoej", "afdeling",
     "fsb's boligadministration", False),
]

REGELSAET = [
    {
        "kode": "2018",
        "navn": "Regler fra 2018 (ghettoområder)",
        "gyldig_fra_aar": 2018,
        "gyldig_til_aar": 2020,
        "udsat_uden_job_pct": Decimal(40),
        "udsat_domfaeldte_faktor": Decimal(3),
        "udsat_kun_grundskole_pct": Decimal(60),
        "udsat_indkomst_pct": Decimal(55),
        "parallel_ikke_vestlige_pct": Decimal(50),
        "min_beboere": 1000,
        "min_kriterier": 2,
        "vedvarende_runder": 4,
        "klasse_parallel": "ghettoomraade",
        "navn_parallel": "Ghettoområde",
        "klasse_vedvarende": "haardt_ghettoomraade",
        "navn_vedvarende": "Hårdt ghettoområde",
    },
    {
        "kode": "2021",
        "navn": "Regler fra 30. november 2021 (parallelsamfund og forebyggelsesområder)",
        "gyldig_fra_aar": 2021,
        "gyldig_til_aar": None,
        "udsat_uden_job_pct": Decimal(40),
        "udsat_domfaeldte_faktor": Decimal(3),
        "udsat_kun_grundskole_pct": Decimal(60),
        "udsat_indkomst_pct": Decimal(55),
        "parallel_ikke_vestlige_pct": Decimal(50),
        "forebyggelse_uden_job_pct": Decimal(30),
        "forebyggelse_domfaeldte_faktor": Decimal(2),
        "forebyggelse_kun_grundskole_pct": Decimal(60),
        "forebyggelse_indkomst_pct": Decimal(65),
        "forebyggelse_ikke_vestlige_pct": Decimal(30),
        "min_beboere": 1000,
        "min_kriterier": 2,
        "vedvarende_runder": 5,
        "klasse_parallel": "parallelsamfund",
        "navn_parallel": "Parallelsamfund",
        "klasse_vedvarende": "omdannelsesomraade",
        "navn_vedvarende": "Omdannelsesområde",
    },
]

# indikator, gul, rød, vægt
TAERSKLER = [
    ("uden_job_uddannelse_pct", "30", "40", 2),
    ("kun_grundskole_pct", "50", "60", 1),
    ("indkomst_pct_region", "65", "55", 1),
    ("husleje_kr_m2", "1050", "1200", 1),
    ("fraflytning_pct", "12", "16", 2),
    ("restancer_antal", "10", "25", 1),
    ("udsaettelser_antal", "2", "5", 2),
    ("tomgang_pct", "2", "4", 1),
    ("unge_uden_uddannelse_pct", "25", "35", 2),
    ("ungdomskriminalitet_pct", "3", "5", 2),
    ("husordenssager_antal", "10", "20", 1),
]


def seed(apps, schema_editor):
    Indikator = apps.get_model("screening", "Indikator")
    Regelsaet = apps.get_model("screening", "Regelsaet")
    Risikomodel = apps.get_model("screening", "Risikomodel")
    Risikotaerskel = apps.get_model("screening", "Risikotaerskel")
    indikatorer = {}
    for sortering, (kode, navn, kort, enhed, retning, niveau, kilde, officiel) in enumerate(INDIKATORER):
        indikatorer[kode], _ = Indikator.objects.update_or_create(
            kode=kode,
            defaults={
                "navn": navn,
                "kort_navn": kort,
                "enhed": enhed,
                "retning": retning,
                "niveau": niveau,
                "kilde": kilde,
                "officiel": officiel,
                "sortering": sortering,
            },
        )
    for values in REGELSAET:
        Regelsaet.objects.update_or_create(kode=values["kode"], defaults=values)
    model, _ = Risikomodel.objects.get_or_create(
        gyldig_fra_aar=2000,
        defaults={
            "navn": "fsb's risikomodel",
            "beskrivelse": "Første version. Rød giver 2 point, gul 1, gange vægten; scoren er pointene i procent "
            "af det højest mulige for de indikatorer, afdelingen har tal for.",
            "graense_ejendomsfunktionaer": 25,
            "graense_udviklingsprojekt": 40,
            "graense_helhedsplan": 60,
        },
    )
    for kode, gul, roed, vaegt in TAERSKLER:
        Risikotaerskel.objects.get_or_create(
            model=model,
            indikator=indikatorer[kode],
            defaults={"gul": Decimal(gul), "roed": Decimal(roed), "vaegt": vaegt},
        )


def unseed(apps, schema_editor):
    apps.get_model("screening", "Risikomodel").objects.filter(gyldig_fra_aar=2000).delete()
    apps.get_model("screening", "Regelsaet").objects.filter(kode__in=["2018", "2021"]).delete()
    apps.get_model("screening", "Indikator").objects.filter(kode__in=[row[0] for row in INDIKATORER]).delete()


class Migration(migrations.Migration):
    dependencies = [("screening", "0003_screening")]
    operations = [migrations.RunPython(seed, unseed)]
