from django.db import migrations

# fsb's four aims for boligsocialt arbejde.
MAAL = [
    (1, "Udvikle velfærdsområdet", ""),
    (2, "Bygge bro til den kommunale kernedrift", ""),
    (3, "Understøtte fsb's øvrige kerneområder",
     "Fx forebygge udsættelser for restancer, tage imod udsatte nye beboere og forebygge nabokonflikter."),
    (4, "Styrke naboskab og sammenhængskraft", ""),
]

# Which aims each type serves: a helhedsplan all four, the smaller types some.
TYPE_MAAL = {
    "helhedsplan": [1, 2, 3, 4],
    "udviklingsprojekt": [1, 2, 4],
    "ejendomsfunktionaer": [3, 4],
    "kontaktpersonordning": [2, 3],
}

# The five goals shared by the city's plans, each with the indicator it is followed on:
# (number, goal, indicator, unit, higher is better).
BYMAAL = [
    (1, "Lavere ungdomsarbejdsløshed", "Andel 16-24-årige uden job eller uddannelse", "%", False),
    (2, "Flere unge gennemfører en ungdomsuddannelse", "Andel 25-årige med en ungdomsuddannelse", "%", True),
    (3, "Højere fagligt niveau blandt skolebørn", "Karaktergennemsnit ved 9.-klasses afgangsprøve", "karakter", True),
    (4, "Færre udsættelser", "Udsættelser pr. år", "antal", False),
    (5, "Mindre ungdomskriminalitet", "Andel 15-25-årige sigtet for lovovertrædelser", "%", False),
]

MAALGRUPPER = [
    "Børn (0-12 år)",
    "Unge (13-17 år)",
    "Unge voksne (18-29 år)",
    "Forældre og familier",
    "Voksne uden for arbejdsmarkedet",
    "Ældre og ensomme beboere",
    "Nye beboere",
    "Alle beboere",
]

PARTNERTYPER = [
    "Københavns Kommune, forvaltning",
    "NGO",
    "Politi og SSP",
    "Skole eller dagtilbud",
    "Frivillig forening",
    "fsb's drift",
    "Anden boligorganisation",
    "Lokal aktør eller virksomhed",
    "Fond",
]

# The activity catalogue's first entries, from the documented activities fsb uses. The evidence level is
# the starting classification; it is kept up to date in the admin as the videnskatalog changes.
# (name, description, target group, indsatsområde in the 2019-26 period or None, evidence level)
AKTIVITETER = [
    ("Lektiecafé", "Frivillige og ansatte hjælper børn og unge med lektier efter skoletid.",
     "Børn (0-12 år)", "Uddannelse og livschancer", "lovende"),
    ("Fritidsjob", "Unge får et almindeligt fritidsjob i en lokal virksomhed, med en voksen som bindeled.",
     "Unge (13-17 år)", "Beskæftigelse", "dokumenteret"),
    ("Lommepengejob", "Korte, lønnede småjob i boligområdet for de yngste unge, fx i ejendomsdriften.",
     "Unge (13-17 år)", "Beskæftigelse", "dokumenteret"),
    ("Brandkadetter", "Et forløb hos brandvæsenet, der styrker unges sociale kompetencer og lyst til uddannelse.",
     "Unge (13-17 år)", "Kriminalitetsforebyggelse", "lovende"),
    ("Mentorordning", "En voksen mentor støtter en ung i uddannelse, job eller fritidsliv.",
     "Unge voksne (18-29 år)", "Uddannelse og livschancer", "lovende"),
    ("Job- og uddannelsesvejledning", "Fremskudt vejledning i boligområdet om job, uddannelse og jobcentret.",
     "Unge voksne (18-29 år)", "Beskæftigelse", "lovende"),
    ("Bydelsmødre", "Frivillige kvinder, uddannet til at vejlede andre kvinder om sundhed, opdragelse og "
     "kommunens tilbud.", "Forældre og familier", "Sammenhængskraft og medborgerskab", "lovende"),
    ("Netværksmødre", "Mødre mødes i faste netværk med oplæg og erfaringsudveksling om familieliv.",
     "Forældre og familier", "Sammenhængskraft og medborgerskab", "afproevning"),
    ("Fremskudt sundhedspleje", "Kommunens sundhedsplejerske har faste træffetider i boligområdet.",
     "Forældre og familier", "Uddannelse og livschancer", "lovende"),
    ("Mødregrupper", "Grupper for nybagte mødre med sundhedsplejerske, særligt for mødre uden netværk.",
     "Forældre og familier", "Uddannelse og livschancer", "lovende"),
    ("Fædregrupper", "Faste grupper for fædre om faderrollen, opdragelse og samarbejdet med skole og institution.",
     "Forældre og familier", "Kriminalitetsforebyggelse", "afproevning"),
    ("Familieindsats", "Helhedsorienteret støtte til familier med flere udfordringer, sammen med kommunen.",
     "Forældre og familier", "Uddannelse og livschancer", "lovende"),
    ("Fritids- og foreningsguides", "Guider hjælper børn og unge ind i foreningslivet og følger dem de første "
     "gange.", "Børn (0-12 år)", "Sammenhængskraft og medborgerskab", "lovende"),
    ("Børne- og ungeråd", "Børn og unge får indflydelse på aktiviteter og forhold i boligområdet.",
     "Unge (13-17 år)", "Sammenhængskraft og medborgerskab", "afproevning"),
    ("Naboskabsaktiviteter", "Fællesspisning, gårdfester og opgangsmøder, der styrker kendskabet mellem naboer.",
     "Alle beboere", "Sammenhængskraft og medborgerskab", "lovende"),
    ("Beboerrådgivning om økonomi og restancer", "Rådgivning om privatøkonomi, gæld og huslejerestancer, der "
     "forebygger udsættelser.", "Voksne uden for arbejdsmarkedet", None, "lovende"),
    ("Velkomst af nye beboere", "Nye beboere bydes velkommen og introduceres til naboer, regler og lokale tilbud.",
     "Nye beboere", "Sammenhængskraft og medborgerskab", "afproevning"),
    ("Konfliktmægling mellem naboer", "fsb's mægler hjælper naboer med at løse konflikter, før de bliver til "
     "klagesager.", "Alle beboere", "Sammenhængskraft og medborgerskab", "lovende"),
    ("Tryghedsvandringer", "Beboere, politi og drift gennemgår området sammen og aftaler forbedringer af "
     "trygheden.", "Alle beboere", "Kriminalitetsforebyggelse", "afproevning"),
]


def seed(apps, schema_editor):
    Maal = apps.get_model("indsatser", "Maal")
    Bymaal = apps.get_model("indsatser", "Bymaal")
    Indikator = apps.get_model("indsatser", "Indikator")
    Indsatstype = apps.get_model("indsatser", "Indsatstype")
    Maalgruppe = apps.get_model("indsatser", "Maalgruppe")
    Partnertype = apps.get_model("indsatser", "Partnertype")
    Indsatsomraade = apps.get_model("indsatser", "Indsatsomraade")
    Aktivitetstype = apps.get_model("indsatser", "Aktivitetstype")

    maal = {}
    for nummer, navn, beskrivelse in MAAL:
        maal[nummer], _ = Maal.objects.update_or_create(
            nummer=nummer, defaults={"navn": navn, "beskrivelse": beskrivelse}
        )
    for kode, numre in TYPE_MAAL.items():
        Indsatstype.objects.get(kode=kode).maal.set([maal[n] for n in numre])
    for nummer, navn, indikator, enhed, hoejere in BYMAAL:
        bymaal, _ = Bymaal.objects.update_or_create(nummer=nummer, defaults={"navn": navn})
        Indikator.objects.update_or_create(
            navn=indikator, defaults={"enhed": enhed, "bymaal": bymaal, "hoejere_er_bedre": hoejere}
        )
    grupper = {}
    for order, navn in enumerate(MAALGRUPPER):
        grupper[navn], _ = Maalgruppe.objects.update_or_create(navn=navn, defaults={"sortering": order})
    for order, navn in enumerate(PARTNERTYPER):
        Partnertype.objects.update_or_create(navn=navn, defaults={"sortering": order})
    omraader = {o.navn: o for o in Indsatsomraade.objects.filter(periode__navn="2019-26")}
    for navn, beskrivelse, gruppe, omraade, evidens in AKTIVITETER:
        Aktivitetstype.objects.update_or_create(
            navn=navn,
            defaults={
                "beskrivelse": beskrivelse,
                "maalgruppe": grupper[gruppe],
                "indsatsomraade": omraader.get(omraade),
                "evidens": evidens,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("indsatser", "0005_register_aktiviteter_maal_kontaktpersoner")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
