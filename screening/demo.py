"""Fictitious but realistic demo data: organisations, areas, afdelinger, board members and screening rounds.

Area names are real Copenhagen places; every afdeling, address, figure and person is invented.
"""

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.utils import timezone

from config.web import roles
from screening import criteria
from screening.models import (
    Afdeling,
    Bestyrelsesmedlem,
    Boligomraade,
    Boligorganisation,
    Indikator,
    Maaling,
    OfficielListeplacering,
    Regelsaet,
    Screeningsrunde,
    Vurdering,
)

ORGANISATIONER = ["fsb", "AAB", "SAB", "AKB København"]

# (area, bydel, postnr, organisations present, number of afdelinger, street names)
OMRAADER = [
    (
        "Tingbjerg/Utterslevhuse",
        "Brønshøj-Husum",
        "2700",
        ["fsb", "SAB"],
        12,
        ["Ruten", "Langhusvej", "Gavlhusvej", "Terrasserne", "Bystævneparken", "Utterslevvej"],
    ),
    (
        "Husum",
        "Brønshøj-Husum",
        "2700",
        ["fsb", "AAB"],
        10,
        ["Husumgårdsvej", "Voldparkens Allé", "Tornsangervej", "Gærdesmuttevej", "Kobbelvej"],
    ),
    (
        "Bispebjerg/Nordvest",
        "Bispebjerg",
        "2400",
        ["fsb", "AAB", "AKB København"],
        12,
        ["Bispebjergvej", "Tagensvej", "Frederiksborgvej", "Rentemestervej", "Glasvej", "Lygten"],
    ),
    (
        "Bellahøj",
        "Brønshøj-Husum",
        "2700",
        ["fsb", "AKB København"],
        8,
        ["Bellahøjvej", "Borups Allé", "Hulgårdsvej", "Fuglebakkevej"],
    ),
    (
        "Urbanplanen",
        "Amager Vest",
        "2300",
        ["fsb", "AKB København", "SAB"],
        9,
        ["Hørgården", "Lergravsparken", "Gullfossgade", "Remisevej"],
    ),
    (
        "Sydhavnen",
        "Kongens Enghave",
        "2450",
        ["fsb", "AAB"],
        9,
        ["Sjælør Boulevard", "Mozartsvej", "Borgbjergsvej", "Hammelstrupvej"],
    ),
]

NAVNEDELE = [
    "Lærke",
    "Bøge",
    "Egely",
    "Solsikke",
    "Hyld",
    "Kastanje",
    "Tjørne",
    "Rønne",
    "Pile",
    "Ahorn",
    "Birke",
    "Grøn",
    "Kilde",
    "Mølle",
    "Eng",
    "Lyng",
    "Humle",
    "Kløver",
    "Skov",
    "Sø",
]
ENDELSER = ["parken", "gården", "haven", "bakken", "toften", "vænget", "lunden", "højen"]

DEMO_PASSWORD = "demo"  # noqa: S105 - the demo's documented password, refused outside DEBUG unless forced

# username, first name, last name, role
DEMO_USERS = [
    ("admin", "Aske", "Holmgaard", roles.ADMINISTRATOR),
    ("medarbejder", "Mette", "Kragelund", roles.MEDARBEJDER),
    ("sekretariat", "Sami", "Østergård", roles.SEKRETARIAT),
    ("bestyrelse", "Birthe", "Lundholm", roles.AFDELINGSBESTYRELSE),
]
# On the demo board member's first board (fictitious people); True: has left the board.
DEMO_FELLOW_BOARD_MEMBERS = [
    ("hassan.yilmaz@demo.invalid", "Hassan", "Yilmaz", Bestyrelsesmedlem.Rolle.NAESTFORMAND, False),
    ("lone.bech@demo.invalid", "Lone", "Bech", Bestyrelsesmedlem.Rolle.MEDLEM, False),
    ("jonas.friis@demo.invalid", "Jonas", "Friis", Bestyrelsesmedlem.Rolle.SUPPLEANT, False),
    ("inge.dahl@demo.invalid", "Inge", "Dahl", Bestyrelsesmedlem.Rolle.MEDLEM, True),
]


def seed_afdelinger() -> list[Afdeling]:
    rng = random.Random(1952)  # fixed seed: the demo looks the same on every machine
    organisations = {navn: Boligorganisation.objects.get_or_create(navn=navn)[0] for navn in ORGANISATIONER}
    afdelinger = []
    used_names = set()
    for area_index, (area_name, bydel, postnr, org_names, count, streets) in enumerate(OMRAADER):
        area, _ = Boligomraade.objects.get_or_create(navn=area_name)
        for i in range(count):
            organisation = organisations[org_names[i % len(org_names)]]
            while True:
                navn = rng.choice(NAVNEDELE) + rng.choice(ENDELSER)
                if navn not in used_names:
                    used_names.add(navn)
                    break
            lejemaal = rng.randrange(90, 620)
            values = {
                "navn": navn,
                "adresse": f"{rng.choice(streets)} {rng.randrange(1, 180)}",
                "postnr": postnr,
                "bydel": bydel,
                "boligomraade": area,
                "lejemaal": lejemaal,
                "areal_m2": Decimal(lejemaal * rng.randrange(58, 86)),
                "beboere": int(lejemaal * rng.uniform(1.6, 2.6)),
            }
            nummer = f"{area_index + 1:02d}-{i * 3 + 10:02d}"
            afdeling, _ = Afdeling.objects.update_or_create(
                organisation=organisation, nummer=nummer, defaults=values
            )
            afdelinger.append(afdeling)
    return afdelinger


def seed_users(afdelinger: list[Afdeling]) -> None:
    for username, first, last, role in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@demo.invalid"
        user.is_staff = user.is_superuser = role == roles.ADMINISTRATOR
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=role)])
    board_member = User.objects.get(username="bestyrelse")
    # The demo board member sits on the boards of two fsb afdelinger in Tingbjerg.
    tingbjerg = [
        a for a in afdelinger if a.boligomraade.navn.startswith("Tingbjerg") and a.organisation.navn == "fsb"
    ]
    today = timezone.localdate()
    elected, term_end = date(today.year - 1, 9, 14), date(today.year + 1, 9, 30)
    Bestyrelsesmedlem.objects.update_or_create(
        user=board_member,
        afdeling=tingbjerg[0],
        defaults={"rolle": Bestyrelsesmedlem.Rolle.FORMAND, "valgt_dato": elected, "valgt_til": term_end},
    )
    Bestyrelsesmedlem.objects.update_or_create(
        user=board_member,
        afdeling=tingbjerg[1],
        defaults={"rolle": Bestyrelsesmedlem.Rolle.MEDLEM, "valgt_dato": elected, "valgt_til": term_end},
    )
    # Her fellow board members, invited by e-mail: they have not chosen a password (no demo login), and one
    # has left the board.
    for username, first, last, rolle, left in DEMO_FELLOW_BOARD_MEMBERS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name, user.email = first, last, username
        user.is_active = not left
        user.set_unusable_password()
        user.save()
        user.groups.set([Group.objects.get(name=roles.AFDELINGSBESTYRELSE)])
        Bestyrelsesmedlem.objects.update_or_create(
            user=user,
            afdeling=tingbjerg[0],
            defaults={
                "rolle": rolle,
                "valgt_dato": elected,
                "valgt_til": term_end,
                "fratraadt": elected + timedelta(days=60) if left else None,
            },
        )


# --- screening ----------------------------------------------------------------------------------------------

DEMO_AAR = range(2020, 2026)  # 2020 falls under the 2018 rules; 2025 is still a draft
LANDSGENNEMSNIT = {2020: "1.12", 2021: "1.08", 2022: "1.05", 2023: "1.02", 2024: "1.00", 2025: "0.98"}


def _area_profile(area_name: str, aar: int) -> dict:
    """The area's official figures for the year (A, B as a multiple of the national share, C, D, non-western)
    and a strain from 0 to 1 driving fsb's own signals. Chosen so the demo shows every classification."""
    t = aar - 2020
    profiles = {
        # Parallel in every round: ghettoområde in 2020, omdannelsesområde from the fifth round in a row.
        "Tingbjerg/Utterslevhuse": dict(a=46 - 0.4 * t, b=3.4, c=63, d=50 + 0.3 * t, nw=62, strain=0.78),
        # Udsat, crossing into parallelsamfund when the non-western share passes 50 % in 2023.
        "Bispebjerg/Nordvest": dict(a=43, b=2.6, c=62, d=57, nw=47.5 + 1.5 * t, strain=0.66),
        # Udsat on A and D, below 50 % non-western.
        "Husum": dict(a=42.5, b=2.2, c=57, d=52.5, nw=44, strain=0.56),
        # Forebyggelsesområde under the 2021 rules (nothing under the 2018 rules, which had none).
        "Urbanplanen": dict(a=34, b=1.6, c=55, d=61, nw=38, strain=0.46),
        # Udsat in 2020-21, improving to no classification.
        "Sydhavnen": dict(
            a=42 - 2.2 * t, b=1.5, c=61.5 - 1.2 * t, d=58 + 1.5 * t, nw=27, strain=0.5 - 0.04 * t
        ),
        "Bellahøj": dict(a=19, b=0.9, c=34, d=82, nw=21, strain=0.2),
    }
    return profiles[area_name]


def _centred_offsets(rng: random.Random, weights: list[int], spread: float) -> list[float]:
    """Per-afdeling deviations whose resident-weighted mean is zero, so the area lands on its profile."""
    offsets = [rng.uniform(-spread, spread) for _ in weights]
    mean = sum(o * w for o, w in zip(offsets, weights, strict=True)) / sum(weights)
    return [o - mean for o in offsets]


def _d(value: float, places: str = "0.1") -> Decimal:
    return Decimal(str(max(value, 0))).quantize(Decimal(places))


def _afdeling_figures(rng, afdelinger, area_name, aar) -> dict[int, dict[str, Decimal]]:
    profile = _area_profile(area_name, aar)
    national = Decimal(LANDSGENNEMSNIT[aar])
    weights = [a.beboere for a in afdelinger]
    offsets = {
        key: _centred_offsets(rng, weights, spread)
        for key, spread in (("a", 5), ("b", 0.4), ("c", 4), ("d", 5), ("nw", 6), ("strain", 0.15))
    }
    result = {}
    for i, afdeling in enumerate(afdelinger):
        v = {key: profile[key] + offsets[key][i] for key in offsets}
        strain = min(1.0, max(0.0, v["strain"]))
        lejemaal = afdeling.lejemaal
        result[afdeling.pk] = {
            "beboere": Decimal(int(afdeling.beboere * (1 + 0.01 * (aar - 2025)))),
            "uden_job_uddannelse_pct": _d(v["a"]),
            "domfaeldte_pct": _d(v["b"] * float(national), "0.01"),
            "kun_grundskole_pct": _d(v["c"]),
            "indkomst_pct_region": _d(v["d"]),
            "ikke_vestlige_pct": _d(min(v["nw"], 99)),
            "husleje_kr_m2": _d(905 + 28 * (aar - 2020) + 260 * strain + rng.uniform(-40, 40), "1"),
            "fraflytning_pct": _d(6.5 + 11 * strain + rng.uniform(-1.5, 1.5)),
            "restancer_antal": Decimal(int(lejemaal * (0.01 + 0.07 * strain) + rng.uniform(0, 3))),
            "udsaettelser_antal": Decimal(int(lejemaal * 0.012 * strain + rng.uniform(0, 1.5))),
            "tomgang_pct": _d(0.3 + 4.2 * strain * rng.uniform(0.5, 1.2)),
            "unge_uden_uddannelse_pct": _d(14 + 26 * strain + rng.uniform(-3, 3)),
            "ungdomskriminalitet_pct": _d(0.8 + 5.5 * strain + rng.uniform(-0.6, 0.6)),
            "husordenssager_antal": Decimal(int(lejemaal * 0.015 * (0.4 + strain) + rng.uniform(0, 4))),
        }
        if has_counts(afdeling, i):
            result[afdeling.pk] |= _counts(afdeling, aar, result[afdeling.pk])
    return result


# Husum's afdelinger deliver each criterion's count and population base, so the area is computed exactly;
# every other afdeling of Urbanplanen does too, which leaves that area approximate (see criteria.aggregate).
REGION_INDKOMST = Decimal(351200)  # the region's average income of the 15-64-year-olds (invented)
# Each population as a share of the afdeling's residents: (code, lowest, highest).
POPULATIONS = {
    "a_personer_18_64": (0.55, 0.7),
    "b_personer_15_plus": (0.76, 0.86),
    "c_personer_30_59": (0.32, 0.45),
    "d_personer_15_64": (0.5, 0.64),
}


def has_counts(afdeling: Afdeling, index: int) -> bool:
    """Whether the demo afdeling (the index-th of its area) delivers counts and bases."""
    area = afdeling.boligomraade.navn
    return area == "Husum" or (area == "Urbanplanen" and index % 2 == 0)


def _counts(afdeling: Afdeling, aar: int, figures: dict[str, Decimal]) -> dict[str, Decimal]:
    """Counts and bases that give (close to) the afdeling's shares, and the shares they give exactly. The
    populations' sizes vary between afdelinger, so the area's exact figure differs from its shares weighted
    by residents."""
    rng = random.Random(f"{afdeling.nummer}-{aar}")  # its own seed: the other demo figures stay as they were
    beboere = figures["beboere"]
    bases = {code: Decimal(round(float(beboere) * rng.uniform(*span))) for code, span in POPULATIONS.items()}
    counts = {
        "a_uden_job_uddannelse_antal": bases["a_personer_18_64"] * figures["uden_job_uddannelse_pct"] / 100,
        "b_domfaeldte_antal": bases["b_personer_15_plus"] * figures["domfaeldte_pct"] / 100,
        "c_kun_grundskole_antal": bases["c_personer_30_59"] * figures["kun_grundskole_pct"] / 100,
        "ikke_vestlige_antal": beboere * figures["ikke_vestlige_pct"] / 100,
    }
    values = {code: value.to_integral_value() for code, value in counts.items()} | bases
    values["d_region_gennemsnitsindkomst"] = REGION_INDKOMST
    income = bases["d_personer_15_64"] * REGION_INDKOMST * figures["indkomst_pct_region"] / 100
    values["d_indkomst_sum"] = income.to_integral_value()
    for basis in criteria.COUNT_BASES:
        values[basis.share] = criteria.share_of(*criteria.fraction(basis, {**figures, **values}))
    return values


def seed_screening(afdelinger: list[Afdeling]) -> int:
    """Six yearly rounds of figures for every demo afdeling; returns how many figures were added.

    Figures that exist already are left as they are, so seeding again adds nothing."""
    rng = random.Random(2025)
    indicators = {i.kode: i for i in Indikator.objects.all()}
    staff = User.objects.filter(username="medarbejder").first()
    by_area: dict[str, list[Afdeling]] = {}
    for afdeling in afdelinger:
        by_area.setdefault(afdeling.boligomraade.navn, []).append(afdeling)
    measurements = []
    rounds = {}
    for aar in DEMO_AAR:
        final = aar < DEMO_AAR[-1]
        runde, _ = Screeningsrunde.objects.update_or_create(
            aar=aar,
            defaults={
                "regelsaet": Regelsaet.objects.in_force(aar),
                "landsgennemsnit_domfaeldte_pct": Decimal(LANDSGENNEMSNIT[aar]),
                "status": Screeningsrunde.Status.ENDELIG if final else Screeningsrunde.Status.KLADDE,
                "afsluttet_af": staff if final else None,
            },
        )
        rounds[aar] = runde
        for area_name, members in by_area.items():
            for afdeling_id, values in _afdeling_figures(rng, members, area_name, aar).items():
                measurements += [
                    Maaling(
                        runde=runde,
                        indikator=indicators[code],
                        afdeling_id=afdeling_id,
                        vaerdi=value,
                        kilde=indicators[code].kilde,
                    )
                    for code, value in values.items()
                ]
    existing = set(
        Maaling.objects.filter(runde__in=rounds.values(), afdeling__isnull=False).values_list(
            "runde_id", "afdeling_id", "indikator_id"
        )
    )
    missing = [m for m in measurements if (m.runde.pk, m.afdeling_id, m.indikator.pk) not in existing]
    Maaling.objects.bulk_create(missing, batch_size=2000)
    # Two of staff's decisions on the 2024 suggestions, one of them overruled with a reason.
    decisions = [
        (afdelinger[0], "helhedsplan", "bekraeftet", "helhedsplan", ""),
        (
            afdelinger[-1],
            "ejendomsfunktionaer",
            "tilsidesat",
            "ingen",
            "Afdelingen har selv ansat en beboerrådgiver fra 2024; vi følger udviklingen ved næste "
            "screening.",
        ),
    ]
    for afdeling, foreslaaet, beslutning, valgt, begrundelse in decisions:
        Vurdering.objects.update_or_create(
            runde=rounds[2024],
            afdeling=afdeling,
            defaults={
                "foreslaaet_type": foreslaaet,
                "beslutning": beslutning,
                "valgt_type": valgt,
                "begrundelse": begrundelse,
                "besluttet_af": staff,
                "besluttet": timezone.make_aware(datetime(2025, 2, 14, 10, 30)),
            },
        )
    return len(missing)


# The demo's official lists (published 1 December): mostly what the demo figures give, but Tingbjerg has been
# an omdannelsesområde since 2021, longer than the app's figures (from 2020) can show: a mismatch to explain.
DEMO_OFFICIAL_LISTS = {
    "Tingbjerg/Utterslevhuse": {aar: ["parallelsamfund", "omdannelsesomraade"] for aar in range(2021, 2025)},
    "Bispebjerg/Nordvest": {
        2021: ["udsat"],
        2022: ["udsat"],
        2023: ["parallelsamfund"],
        2024: ["parallelsamfund"],
    },
    "Husum": {aar: ["udsat"] for aar in range(2021, 2025)},
    "Urbanplanen": {aar: ["forebyggelsesomraade"] for aar in range(2021, 2025)},
    "Sydhavnen": {2021: ["udsat"]},
}


def seed_official_lists() -> None:
    areas = {area.navn: area for area in Boligomraade.objects.filter(navn__in=DEMO_OFFICIAL_LISTS)}
    for area_name, years in DEMO_OFFICIAL_LISTS.items():
        for aar, lists in years.items():
            for liste in lists:
                OfficielListeplacering.objects.get_or_create(
                    aar=aar, boligomraade=areas[area_name], liste=liste, defaults={"kommune": "København"}
                )
