"""Fictitious but realistic demo indsatser: every type, across the demo areas, with activities, goals and
measurements, one closed with a complete checklist, and contact persons for all afdelinger but two.

Area names are real Copenhagen places and the partners real kinds of organisation; every indsats, number,
decision and person is invented. Idempotent: an indsats that exists (by title) is left as it is.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from indsatser.models import (
    Afslutningsvurdering,
    Aktivitet,
    Aktivitetstype,
    Deltagertal,
    Finansieringsperiode,
    Indikator,
    Indsats,
    IndsatsHaendelse,
    Indsatsomraade,
    Indsatstype,
    Kontaktperson,
    Maal,
    Maalgruppe,
    Maalsaetning,
    Maaltal,
    Partner,
    Partnertype,
)
from screening.models import Afdeling

PARTNERE = [
    ("Børne- og Ungdomsforvaltningen", "Københavns Kommune, forvaltning"),
    ("Socialforvaltningen", "Københavns Kommune, forvaltning"),
    ("Beskæftigelses- og Integrationsforvaltningen", "Københavns Kommune, forvaltning"),
    ("Sundheds- og Omsorgsforvaltningen", "Københavns Kommune, forvaltning"),
    ("Teknik- og Miljøforvaltningen", "Københavns Kommune, forvaltning"),
    ("SSP København", "Politi og SSP"),
    ("Københavns Politi, lokalpolitiet", "Politi og SSP"),
    ("Hovedstadens Beredskab", "Lokal aktør eller virksomhed"),
    ("Skolen ved Utterslev Mose", "Skole eller dagtilbud"),
    ("Lektiehjælpen Nordvest", "Frivillig forening"),
    ("Bydelsmødrene i København", "NGO"),
    ("Fædrenetværket København", "Frivillig forening"),
    ("Sydhavnens Erhvervsnetværk", "Lokal aktør eller virksomhed"),
    ("fsb Ejendomsdrift", "fsb's drift"),
    ("Fonden for Lokalt Fællesskab", "Fond"),
]

CITY = {
    "ledighed": "Andel 16-24-årige uden job eller uddannelse",
    "uddannelse": "Andel 25-årige med en ungdomsuddannelse",
    "karakter": "Karaktergennemsnit ved 9.-klasses afgangsprøve",
    "udsaettelser": "Udsættelser pr. år",
    "kriminalitet": "Andel 15-25-årige sigtet for lovovertrædelser",
}
OWN_INDICATORS = {
    "naboskab": ("Deltagere i naboskabsaktiviteter", "antal", True),
    "tryghed": ("Andel beboere, der føler sig trygge", "%", True),
}

# Each indsats: where, when, what. Activities: (catalogue name, local name, indsatsområde, partner, status,
# participants from the first year on, forankring or None). Goals: (indicator, baseline, baseline year,
# targets from the first year on, measurements from the first year on).
INDSATSER = [
    {
        "titel": "Boligsocial helhedsplan Tingbjerg-Utterslevhuse 2024-28",
        "type": "helhedsplan",
        "omraade": "Tingbjerg/Utterslevhuse",
        "antal": 12,
        "periode": "2019-26",
        "start": date(2024, 7, 1),
        "slut": date(2028, 6, 30),
        "status": "aktiv",
        "maal": [1, 2, 3, 4],
        "omraader": "alle",
        "maalgrupper": [
            "Børn (0-12 år)",
            "Unge (13-17 år)",
            "Forældre og familier",
            "Voksne uden for arbejdsmarkedet",
        ],
        "partnere": [
            "Børne- og Ungdomsforvaltningen",
            "Beskæftigelses- og Integrationsforvaltningen",
            "SSP København",
            "Skolen ved Utterslev Mose",
            "Bydelsmødrene i København",
        ],
        "beskrivelse": "Helhedsplanen samler fsb og SAB om en fælles indsats for børn, unge og familier i "
        "Tingbjerg "
        "og Utterslevhuse, med vægt på uddannelse, beskæftigelse og trygge rammer.",
        "aktiviteter": [
            (
                "Lektiecafé",
                "Lektiecafé i Ruten",
                "Uddannelse og livschancer",
                "Lektiehjælpen Nordvest",
                "i_gang",
                [60, 85, 90],
                None,
            ),
            (
                "Fritidsjob",
                "",
                "Beskæftigelse",
                "Beskæftigelses- og Integrationsforvaltningen",
                "i_gang",
                [25, 40, 45],
                None,
            ),
            (
                "Job- og uddannelsesvejledning",
                "Jobcafé i Tingbjerg",
                "Beskæftigelse",
                "Beskæftigelses- og Integrationsforvaltningen",
                "i_gang",
                [110, 140, 150],
                None,
            ),
            (
                "Bydelsmødre",
                "",
                "Sammenhængskraft og medborgerskab",
                "Bydelsmødrene i København",
                "i_gang",
                [30, 35, 35],
                None,
            ),
            (
                "Fædregrupper",
                "",
                "Kriminalitetsforebyggelse",
                "Fædrenetværket København",
                "planlagt",
                [],
                None,
            ),
            (
                "Naboskabsaktiviteter",
                "Fællesspisning og gårdfester",
                "Sammenhængskraft og medborgerskab",
                "fsb Ejendomsdrift",
                "i_gang",
                [240, 310, 330],
                None,
            ),
            (
                "Brandkadetter",
                "",
                "Kriminalitetsforebyggelse",
                "Hovedstadens Beredskab",
                "i_gang",
                [12, 14],
                None,
            ),
        ],
        "goals": [
            ("ledighed", "17.2", 2023, ["16.5", "15.5", "14.5", "13.5", "13"], ["16.1", "15.8"]),
            ("uddannelse", "58", 2023, ["60", "62", "64", "66", "68"], ["59.5", "61"]),
            ("udsaettelser", "14", 2023, ["12", "10", "9", "8", "8"], ["11", "10"]),
            ("naboskab", "150", 2023, ["250", "300", "320", "340", "350"], ["240", "310"]),
        ],
    },
    {
        "titel": "Boligsocial helhedsplan Bispebjerg/Nordvest 2022-26",
        "type": "helhedsplan",
        "omraade": "Bispebjerg/Nordvest",
        "antal": 12,
        "periode": "2019-26",
        "start": date(2022, 1, 1),
        "slut": date(2026, 12, 31),
        "status": "aktiv",
        "maal": [1, 2, 3, 4],
        "omraader": "alle",
        "maalgrupper": [
            "Børn (0-12 år)",
            "Unge (13-17 år)",
            "Unge voksne (18-29 år)",
            "Forældre og familier",
        ],
        "partnere": [
            "Børne- og Ungdomsforvaltningen",
            "Sundheds- og Omsorgsforvaltningen",
            "SSP København",
            "Københavns Politi, lokalpolitiet",
            "Lektiehjælpen Nordvest",
        ],
        "beskrivelse": "En fælles plan for fsb, AAB og AKB København i Bispebjerg og Nordvest med fokus på "
        "skolebørns faglighed, unges vej til job og færre unge i kriminalitet.",
        "aktiviteter": [
            (
                "Lektiecafé",
                "",
                "Uddannelse og livschancer",
                "Lektiehjælpen Nordvest",
                "i_gang",
                [70, 80, 95, 100, 105],
                None,
            ),
            ("Lommepengejob", "", "Beskæftigelse", "fsb Ejendomsdrift", "i_gang", [30, 36, 40, 42, 44], None),
            (
                "Mentorordning",
                "",
                "Uddannelse og livschancer",
                "Børne- og Ungdomsforvaltningen",
                "i_gang",
                [18, 22, 25, 25, 26],
                None,
            ),
            (
                "Familieindsats",
                "",
                "Uddannelse og livschancer",
                "Socialforvaltningen",
                "i_gang",
                [20, 24, 26, 28, 28],
                None,
            ),
            (
                "Fremskudt sundhedspleje",
                "",
                "Uddannelse og livschancer",
                "Sundheds- og Omsorgsforvaltningen",
                "afsluttet",
                [45, 50, 52],
                None,
            ),
            (
                "Tryghedsvandringer",
                "",
                "Kriminalitetsforebyggelse",
                "Københavns Politi, lokalpolitiet",
                "i_gang",
                [40, 45, 38, 41, 44],
                None,
            ),
        ],
        "goals": [
            ("karakter", "5.9", 2021, ["6.2", "6.4", "6.6", "6.8", "7"], ["6.1", "6.3", "6.5", "6.6"]),
            ("kriminalitet", "4.1", 2021, ["3.8", "3.5", "3.2", "3", "2.8"], ["3.9", "3.4", "3.3", "3.1"]),
            ("ledighed", "18.4", 2021, ["18", "17", "16", "15", "14"], ["17.9", "17.2", "16.4", "15.6"]),
        ],
    },
    {
        "titel": "Boligsocial helhedsplan Husum 2027-31",
        "type": "helhedsplan",
        "omraade": "Husum",
        "antal": 6,
        "periode": None,
        "start": date(2027, 7, 1),
        "slut": date(2031, 6, 30),
        "status": "forslag",
        "maal": [1, 2, 3, 4],
        "maalgrupper": ["Unge (13-17 år)", "Forældre og familier"],
        "partnere": ["Socialforvaltningen", "Børne- og Ungdomsforvaltningen"],
        "beskrivelse": "Forberedelse af en ny helhedsplan for fsb's og AAB's afdelinger i Husum. "
        "Screeningen peger "
        "på stigende restancer og flere unge uden for uddannelse.",
        "aktiviteter": [],
        "goals": [],
    },
    {
        "titel": "Tryghedspartnerskab Urbanplanen",
        "type": "udviklingsprojekt",
        "omraade": "Urbanplanen",
        "antal": 4,
        "periode": None,
        "start": date(2023, 3, 1),
        "slut": date(2027, 2, 28),
        "status": "aktiv",
        "maal": [2, 4],
        "maalgrupper": ["Unge (13-17 år)", "Alle beboere"],
        "partnere": [
            "Københavns Politi, lokalpolitiet",
            "SSP København",
            "Teknik- og Miljøforvaltningen",
            "Fonden for Lokalt Fællesskab",
        ],
        "beskrivelse": "Et fireårigt tryghedspartnerskab mellem afdelingerne, kommunen, SSP og politiet om "
        "tryghed i gårdene og et bedre forhold mellem unge og voksne.",
        "aktiviteter": [
            (
                "Tryghedsvandringer",
                "",
                None,
                "Københavns Politi, lokalpolitiet",
                "i_gang",
                [35, 42, 48, 50],
                None,
            ),
            (
                "Konfliktmægling mellem naboer",
                "",
                None,
                "fsb Ejendomsdrift",
                "i_gang",
                [22, 30, 27, 31],
                None,
            ),
            (
                "Børne- og ungeråd",
                "Ungerådet i Urbanplanen",
                None,
                "SSP København",
                "i_gang",
                [9, 12, 12],
                None,
            ),
            ("Fritids- og foreningsguides", "", None, "Børne- og Ungdomsforvaltningen", "planlagt", [], None),
        ],
        "goals": [
            ("kriminalitet", "5.2", 2022, ["4.8", "4.4", "4", "3.6", "3.4"], ["5", "4.5", "4.1"]),
            ("tryghed", "68", 2022, ["72", "75", "78", "80", "80"], ["70", "74", "77"]),
        ],
    },
    {
        "titel": "Lommepengejob og fritidsjob i Sydhavnen 2021-24",
        "type": "udviklingsprojekt",
        "omraade": "Sydhavnen",
        "antal": 3,
        "periode": None,
        "start": date(2021, 8, 1),
        "slut": date(2024, 7, 31),
        "status": "afsluttet",
        "afsluttet": date(2024, 9, 16),
        "maal": [1, 2],
        "maalgrupper": ["Unge (13-17 år)"],
        "partnere": [
            "Sydhavnens Erhvervsnetværk",
            "Beskæftigelses- og Integrationsforvaltningen",
            "Fonden for Lokalt Fællesskab",
        ],
        "beskrivelse": "Et treårigt projekt, der skaffede de 13-17-årige lommepengejob i afdelingerne og "
        "fritidsjob hos lokale virksomheder.",
        "aktiviteter": [
            (
                "Lommepengejob",
                "",
                None,
                "fsb Ejendomsdrift",
                "afsluttet",
                [18, 26, 31, 29],
                ("fsb_drift", "fsb Ejendomsdrift, driftsområde Sydhavnen", date(2024, 8, 1)),
            ),
            (
                "Fritidsjob",
                "",
                None,
                "Sydhavnens Erhvervsnetværk",
                "afsluttet",
                [12, 19, 24, 22],
                ("kommune", "Beskæftigelses- og Integrationsforvaltningen, Ungeindsatsen", date(2024, 8, 1)),
            ),
            (
                "Mentorordning",
                "Jobmentorer",
                None,
                "Sydhavnens Erhvervsnetværk",
                "afsluttet",
                [8, 10, 9, 7],
                ("ophoerer", "", date(2024, 7, 31)),
            ),
        ],
        "goals": [
            ("ledighed", "19.5", 2020, ["18.5", "17.5", "16.5", "15.5"], ["18.9", "17.6", "16.8", "15.9"]),
        ],
        "vurderinger": [
            (
                "behov",
                True,
                "Andelen af unge uden job eller uddannelse er faldet markant, og afdelingerne "
                "vurderer ikke længere, at der er behov for en særskilt indsats for de unge.",
            ),
            (
                "maal",
                True,
                "Målet for 2024 blev næsten nået (15,9 mod 15,5), og udviklingen har været stabil "
                "i alle fire år.",
            ),
            (
                "forankring",
                True,
                "Lommepengejobbene fortsætter i fsb's drift, og fritidsjobformidlingen er "
                "overtaget af kommunens ungeindsats.",
            ),
            (
                "opbakning",
                False,
                "Der er fortsat opbakning i afdelingsbestyrelserne; afslutningen skyldes, at "
                "aktiviteterne er forankret.",
            ),
            ("finansiering", True, "Fondsbevillingen udløb i juli 2024 og kan ikke forlænges."),
        ],
    },
    {
        "titel": "Fædrenetværk i Husum",
        "type": "udviklingsprojekt",
        "omraade": "Husum",
        "antal": 2,
        "periode": None,
        "start": date(2027, 1, 1),
        "slut": date(2028, 12, 31),
        "status": "forslag",
        "maal": [1, 4],
        "maalgrupper": ["Forældre og familier"],
        "partnere": ["Fædrenetværket København"],
        "beskrivelse": "Forslag om faste fædregrupper og et netværk for fædre i Husum.",
        "aktiviteter": [
            ("Fædregrupper", "Fædregruppen i Husum", None, "Fædrenetværket København", "planlagt", [], None),
        ],
        "goals": [],
    },
    {
        "titel": "Boligsocial ejendomsfunktionær i Bellahøj",
        "type": "ejendomsfunktionaer",
        "omraade": "Bellahøj",
        "antal": 4,
        "periode": None,
        "start": date(2022, 4, 1),
        "slut": date(2027, 3, 31),
        "status": "aktiv",
        "maal": [3, 4],
        "maalgrupper": ["Ældre og ensomme beboere", "Nye beboere", "Voksne uden for arbejdsmarkedet"],
        "partnere": ["fsb Ejendomsdrift", "Socialforvaltningen"],
        "beskrivelse": "En ejendomsfunktionær med sociale opgaver: rådgivning om økonomi og restancer, "
        "velkomst af nye beboere og hjælp ved nabokonflikter.",
        "aktiviteter": [
            (
                "Beboerrådgivning om økonomi og restancer",
                "",
                None,
                "fsb Ejendomsdrift",
                "i_gang",
                [40, 62, 71, 75, 70],
                None,
            ),
            ("Velkomst af nye beboere", "", None, "fsb Ejendomsdrift", "i_gang", [55, 60, 58, 64, 61], None),
            (
                "Konfliktmægling mellem naboer",
                "",
                None,
                "fsb Ejendomsdrift",
                "i_gang",
                [14, 19, 16, 17, 15],
                None,
            ),
        ],
        "goals": [
            ("udsaettelser", "9", 2021, ["8", "7", "6", "5", "5", "5"], ["8", "6", "6", "5"]),
        ],
    },
    {
        "titel": "Boligsocial ejendomsfunktionær i Sydhavnen",
        "type": "ejendomsfunktionaer",
        "omraade": "Sydhavnen",
        "antal": 3,
        "skip": 3,
        "periode": None,
        "start": date(2027, 1, 1),
        "slut": date(2029, 12, 31),
        "status": "behandlet",
        "maal": [3, 4],
        "maalgrupper": ["Ældre og ensomme beboere", "Voksne uden for arbejdsmarkedet"],
        "partnere": ["fsb Ejendomsdrift"],
        "beskrivelse": "Afdelingsmøderne har sagt ja til en boligsocial ejendomsfunktionær fra januar 2027.",
        "aktiviteter": [
            ("Beboerrådgivning om økonomi og restancer", "", None, "fsb Ejendomsdrift", "planlagt", [], None),
        ],
        "goals": [],
    },
    {
        "titel": "Kontaktpersonordning med Københavns Kommune",
        "type": "kontaktpersonordning",
        "omraade": None,
        "periode": None,
        "start": date(2019, 1, 1),
        "slut": None,
        "status": "aktiv",
        "maal": [2, 3],
        "maalgrupper": ["Voksne uden for arbejdsmarkedet", "Nye beboere"],
        "partnere": ["Socialforvaltningen"],
        "beskrivelse": "Del af udlejningsaftalen: hver afdeling har en kontaktperson, der bygger bro til "
        "kommunens tilbud til særligt udsatte beboere.",
        "aktiviteter": [],
        "goals": [],
    },
    {
        "titel": "Digital nabohjælp i Bellahøj",
        "type": "udviklingsprojekt",
        "omraade": "Bellahøj",
        "antal": 2,
        "skip": 4,
        "periode": None,
        "start": date(2025, 1, 1),
        "slut": date(2026, 12, 31),
        "status": "opgivet",
        "opgivet_begrundelse": "Fonden gav afslag, og afdelingerne ønskede ikke selv at betale.",
        "maal": [4],
        "maalgrupper": ["Ældre og ensomme beboere"],
        "partnere": ["Fonden for Lokalt Fællesskab"],
        "beskrivelse": "Forslag om en app, hvor naboer kan tilbyde hinanden hjælp.",
        "aktiviteter": [],
        "goals": [],
    },
]

# The steps each demo indsats went through, with when (the months after its start).
STEPS = {
    "behandlet": [("behandl", "forslag", "behandlet", -4)],
    "aktiv": [("behandl", "forslag", "behandlet", -4), ("start", "behandlet", "aktiv", 0)],
    "afsluttet": [("behandl", "forslag", "behandlet", -4), ("start", "behandlet", "aktiv", 0)],
    "opgivet": [("opgiv", "forslag", "opgivet", -3)],
}

FORNAVNE = [
    "Anne",
    "Jonas",
    "Fatima",
    "Lars",
    "Maja",
    "Ahmad",
    "Sofie",
    "Peter",
    "Leila",
    "Rasmus",
    "Hanne",
    "Omar",
    "Camilla",
    "Mikkel",
    "Nadia",
    "Jesper",
    "Ida",
    "Karim",
    "Louise",
    "Thomas",
]
EFTERNAVNE = [
    "Holm",
    "Nørgaard",
    "Bech",
    "Kjær",
    "Lind",
    "Dahl",
    "Friis",
    "Søgaard",
    "Bang",
    "Winther",
    "Krogh",
    "Vestergaard",
    "Brandt",
    "Thygesen",
    "Munk",
]
KONTAKT_ROLLER = [
    ("Socialrådgiver", "Socialforvaltningen, Københavns Kommune"),
    ("Sagsbehandler", "Socialforvaltningen, Center for Udsatte Voksne"),
    ("Boligsocial medarbejder", "fsb, Boligsocialt team"),
]
# Two demo afdelinger deliberately have no contact person, so the list of those missing one is not empty.
WITHOUT_CONTACT = 2


def _months(day: date, months: int) -> datetime:
    month = day.month - 1 + months
    moment = date(day.year + month // 12, month % 12 + 1, 1)
    return timezone.make_aware(datetime.combine(moment, time(10, 0)))


def seed_partnere() -> dict[str, Partner]:
    typer = {t.navn: t for t in Partnertype.objects.all()}
    partnere = {}
    for navn, typenavn in PARTNERE:
        partnere[navn], _ = Partner.objects.get_or_create(
            navn=navn, defaults={"partnertype": typer[typenavn]}
        )
    return partnere


# The indsatsområde a goal belongs to, where the indsats has a funding period with indsatsområder.
GOAL_OMRAADE = {
    "ledighed": "Beskæftigelse",
    "uddannelse": "Uddannelse og livschancer",
    "karakter": "Uddannelse og livschancer",
    "kriminalitet": "Kriminalitetsforebyggelse",
    "tryghed": "Kriminalitetsforebyggelse",
    "udsaettelser": "Sammenhængskraft og medborgerskab",
    "naboskab": "Sammenhængskraft og medborgerskab",
}


def _indikator(key: str) -> Indikator:
    if key in CITY:
        return Indikator.objects.get(navn=CITY[key])
    navn, enhed, hoejere = OWN_INDICATORS[key]
    return Indikator.objects.get_or_create(navn=navn, defaults={"enhed": enhed, "hoejere_er_bedre": hoejere})[
        0
    ]


def _create(spec, afdelinger, partnere, ansvarlig) -> Indsats:
    periode = Finansieringsperiode.objects.filter(navn=spec["periode"]).first() if spec["periode"] else None
    omraader = {o.navn: o for o in Indsatsomraade.objects.filter(periode=periode)} if periode else {}
    indsats = Indsats(
        titel=spec["titel"],
        type=Indsatstype.objects.get(kode=spec["type"]),
        periode=periode,
        startdato=spec["start"],
        slutdato=spec["slut"],
        status=spec["status"],
        beskrivelse=spec["beskrivelse"],
        ansvarlig=ansvarlig,
    )
    # One history record holding all the lists, rather than one per list: keeps the seeding fast.
    indsats.skip_history_when_saving = True
    indsats.save()
    indsats.afdelinger.set(afdelinger)
    indsats.maal.set(Maal.objects.filter(nummer__in=spec["maal"]))
    if spec.get("omraader") == "alle":
        indsats.indsatsomraader.set(omraader.values())
    indsats.maalgrupper.set(Maalgruppe.objects.filter(navn__in=spec["maalgrupper"]))
    indsats.partnere.set([partnere[p] for p in spec["partnere"]])
    del indsats.skip_history_when_saving
    indsats.save()
    typer = {t.navn: t for t in Aktivitetstype.objects.all()}
    for navn, betegnelse, omraade, partner, status, deltagere, forankring in spec["aktiviteter"]:
        hvem, fra = "", None
        if forankring:
            forankring, hvem, fra = forankring
        aktivitet = Aktivitet.objects.create(
            indsats=indsats,
            aktivitetstype=typer[navn],
            betegnelse=betegnelse,
            indsatsomraade=omraader.get(omraade),
            ansvarlig_partner=partnere[partner],
            status=status,
            forankring=forankring or "",
            forankring_hvem=hvem,
            forankring_fra=fra,
        )
        Deltagertal.objects.bulk_create(
            Deltagertal(aktivitet=aktivitet, aar=spec["start"].year + i, antal=antal)
            for i, antal in enumerate(deltagere)
        )
    for key, baseline, baseline_aar, targets, measured in spec["goals"]:
        maalsaetning = Maalsaetning.objects.create(
            indsats=indsats,
            indikator=_indikator(key),
            indsatsomraade=omraader.get(GOAL_OMRAADE.get(key)),
            baseline=Decimal(baseline),
            baseline_aar=baseline_aar,
        )
        Maaltal.objects.bulk_create(
            Maaltal(
                maalsaetning=maalsaetning,
                aar=spec["start"].year + i,
                maal=Decimal(target),
                maalt=Decimal(measured[i]) if i < len(measured) else None,
            )
            for i, target in enumerate(targets)
        )
    for kriterium, opfyldt, begrundelse in spec.get("vurderinger", []):
        Afslutningsvurdering.objects.create(
            indsats=indsats, kriterium=kriterium, opfyldt=opfyldt, begrundelse=begrundelse
        )
    if spec["type"] != Indsatstype.HELHEDSPLAN:
        _record_steps(indsats, spec, ansvarlig)
    return indsats


def _record_steps(indsats, spec, ansvarlig) -> None:
    """The lifecycle events the demo indsats would have had, dated in its past."""
    events = [
        IndsatsHaendelse(
            indsats=indsats,
            tidspunkt=_months(spec["start"], months),
            bruger=ansvarlig,
            overgang=name,
            fra_status=fra,
            til_status=til,
            kommentar=spec.get("opgivet_begrundelse", "") if name == "opgiv" else "",
        )
        for name, fra, til, months in STEPS.get(spec["status"], [])
    ]
    if spec["status"] == "afsluttet":
        closed = timezone.make_aware(datetime.combine(spec["afsluttet"], time(14, 30)))
        events.append(
            IndsatsHaendelse(
                indsats=indsats,
                tidspunkt=closed,
                bruger=ansvarlig,
                overgang="afslut",
                fra_status="aktiv",
                til_status="afsluttet",
            )
        )
        Indsats.objects.filter(pk=indsats.pk).update(afsluttet_af=ansvarlig, afsluttet_tidspunkt=closed)
    IndsatsHaendelse.objects.bulk_create(events)


def seed_kontaktpersoner(afdelinger: list[Afdeling]) -> None:
    rng = random.Random(4711)  # fixed seed: the same contact persons on every machine
    with_contact = afdelinger[:-WITHOUT_CONTACT]
    has_any = set(
        Kontaktperson.objects.filter(afdeling__in=with_contact).values_list("afdeling_id", flat=True)
    )
    personer = []
    for index, afdeling in enumerate(with_contact):
        navn = f"{rng.choice(FORNAVNE)} {rng.choice(EFTERNAVNE)}"
        forgaenger = f"{rng.choice(FORNAVNE)} {rng.choice(EFTERNAVNE)}"
        rolle, organisation = rng.choice(KONTAKT_ROLLER)
        fra = date(rng.randrange(2021, 2026), rng.randrange(1, 13), 1)
        if afdeling.pk in has_any:
            continue
        if index % 6 == 0:
            # Some afdelinger have changed contact person, so the history has something to show.
            personer.append(
                Kontaktperson(
                    afdeling=afdeling,
                    navn=forgaenger,
                    rolle=rolle,
                    organisation=organisation,
                    fra_dato=date(2019, 1, 1),
                    til_dato=fra - timedelta(days=1),
                )
            )
        personer.append(
            Kontaktperson(
                afdeling=afdeling,
                navn=navn,
                rolle=rolle,
                organisation=organisation,
                email=f"{navn.split()[0].lower()}.{index}@kontakt.invalid",
                fra_dato=fra,
            )
        )
    bulk_create_with_history(personer, Kontaktperson)


def seed_indsatser() -> int:
    """Create the demo indsatser that do not exist yet; returns how many there are in all."""
    afdelinger = list(Afdeling.objects.select_related("boligomraade", "organisation").order_by("nummer"))
    by_area = {}
    for afdeling in afdelinger:
        if afdeling.boligomraade:
            by_area.setdefault(afdeling.boligomraade.navn, []).append(afdeling)
    partnere = seed_partnere()
    ansvarlig = User.objects.filter(username="medarbejder").first()
    existing = set(
        Indsats.objects.filter(titel__in=[s["titel"] for s in INDSATSER]).values_list("titel", flat=True)
    )
    for spec in INDSATSER:
        if spec["titel"] in existing:
            continue
        if spec["omraade"] is None:
            chosen = afdelinger
        else:
            start = spec.get("skip", 0)
            chosen = by_area.get(spec["omraade"], [])[start : start + spec["antal"]]
        _create(spec, chosen, partnere, ansvarlig)
    seed_kontaktpersoner(afdelinger)
    return Indsats.objects.count()
