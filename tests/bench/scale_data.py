"""Synthetic data at national scale (every almen afdeling in Denmark) for benchmarks and scale tests.

Everything is invented and deterministic for a given seed. The register (organisations, areas, afdelinger,
users, board seats) and the screening figures are plain rows, written in bulk: PostgreSQL's COPY for the
1.5 M figures, batched bulk_create elsewhere. The helhedsplaner go through the application's own lifecycle
and actions (tests/bench/scale_plans.py).
"""

import random
import time
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.utils import timezone

from config.web import roles
from screening import results
from screening.models import (
    Afdeling,
    Bestyrelsesmedlem,
    Boligomraade,
    Boligorganisation,
    Indikator,
    Maaling,
    Regelsaet,
    Screeningsrunde,
)
from tests.bench import scale_plans

# (organisations, areas, afdelinger, screening rounds, indicators, users, helhedsplaner in every state, and
# active ones on top: about 300 active plans in all at national scale)
SCALES = {
    "national": {
        "organisations": 500,
        "areas": 900,
        "afdelinger": 7500,
        "rounds": 10,
        "indicators": 20,
        "users": 3000,
        "helhedsplaner": 300,
        "aktive": 225,
    },
    "small": {
        "organisations": 6,
        "areas": 16,
        "afdelinger": 120,
        "rounds": 3,
        "indicators": 14,
        "users": 40,
        "helhedsplaner": 13,
        "aktive": 2,
    },
}
LAST_YEAR = 2025
BYDELE = [
    ("Bispebjerg", "2400"),
    ("Brønshøj-Husum", "2700"),
    ("Amager Vest", "2300"),
    ("Amager Øst", "2300"),
    ("Kongens Enghave", "2450"),
    ("Nørrebro", "2200"),
    ("Valby", "2500"),
    ("Vanløse", "2720"),
    ("Vesterbro", "1799"),
    ("Østerbro", "2100"),
]
BATCH = 5000
PASSWORD = "bench"  # noqa: S105 - the scale data's own test password, never used outside a benchmark database


def copy_rows(table: str, columns: list[str], rows) -> int:
    """Write rows with COPY on PostgreSQL; the caller guarantees the values are valid for the table."""
    count = 0
    with connection.cursor() as cursor:
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def generate_register(
    rng: random.Random, organisations: int, areas: int, afdelinger: int, users: int
) -> dict:
    organisation_objs = Boligorganisation.objects.bulk_create(
        [Boligorganisation(navn=f"Skala Boligselskab {i:04d}") for i in range(organisations)],
        batch_size=BATCH,
    )
    area_objs = Boligomraade.objects.bulk_create(
        [Boligomraade(navn=f"Skala Boligområde {i:04d}") for i in range(areas)], batch_size=BATCH
    )
    rows = []
    for i in range(afdelinger):
        bydel, postnr = BYDELE[i % len(BYDELE)]
        lejemaal = rng.randrange(20, 900)
        rows.append(
            Afdeling(
                organisation=organisation_objs[i % organisations],
                nummer=f"{i // organisations:03d}",
                navn=f"Skala Afdeling {i:05d}",
                adresse=f"Skalavej {i % 250 + 1}",
                postnr=postnr,
                bydel=bydel,
                # About one afdeling in eight stands alone, outside any boligområde.
                boligomraade=area_objs[rng.randrange(areas)] if rng.random() > 0.12 else None,
                lejemaal=lejemaal,
                areal_m2=Decimal(lejemaal * rng.randrange(55, 95)),
                beboere=int(lejemaal * rng.uniform(1.4, 2.7)),
            )
        )
    afdeling_objs = Afdeling.objects.bulk_create(rows, batch_size=BATCH)

    # One password hash for all: hashing 3,000 passwords one by one would take longer than the rest.
    password = make_password(PASSWORD)
    role_of = {}
    board_count = int(users * 0.8)
    staff_count = int(users * 0.14)
    secretariat_count = int(users * 0.04)
    user_rows = []
    for i in range(users):
        if i < board_count:
            role, name = roles.AFDELINGSBESTYRELSE, f"skala-bestyrelse-{i:05d}"
        elif i < board_count + staff_count:
            role, name = roles.MEDARBEJDER, f"skala-medarbejder-{i:05d}"
        elif i < board_count + staff_count + secretariat_count:
            role, name = roles.SEKRETARIAT, f"skala-sekretariat-{i:05d}"
        else:
            role, name = roles.ADMINISTRATOR, f"skala-admin-{i:05d}"
        user_rows.append(User(username=name, first_name="Skala", last_name=f"Bruger {i}", password=password))
        role_of[name] = role
    user_objs = User.objects.bulk_create(user_rows, batch_size=BATCH)
    groups = {g.name: g for g in Group.objects.filter(name__in=roles.ALL_ROLES)}
    memberships = User.groups.through
    memberships.objects.bulk_create(
        [memberships(user_id=u.pk, group_id=groups[role_of[u.username]].pk) for u in user_objs],
        batch_size=BATCH,
    )
    board_users = [u for u in user_objs if role_of[u.username] == roles.AFDELINGSBESTYRELSE]
    seats = []
    for index, user in enumerate(board_users):
        first = afdeling_objs[(index * 3) % len(afdeling_objs)]
        seats.append(Bestyrelsesmedlem(user=user, afdeling=first, rolle=Bestyrelsesmedlem.Rolle.MEDLEM))
        if index % 2 == 0:
            second = afdeling_objs[(index * 3 + 1) % len(afdeling_objs)]
            seats.append(Bestyrelsesmedlem(user=user, afdeling=second, rolle=Bestyrelsesmedlem.Rolle.FORMAND))
    Bestyrelsesmedlem.objects.bulk_create(seats, batch_size=BATCH)
    return {
        "organisationer": len(organisation_objs),
        "boligområder": len(area_objs),
        "afdelinger": len(afdeling_objs),
        "brugere": len(user_objs),
        "bestyrelsesposter": len(seats),
    }


# Typical level and spread of each indicator across almene afdelinger (invented, in the right ballpark:
# DOMAIN.md gives 1.017 kr./m² as the Copenhagen average rent and about 10 % yearly turnover).
PROFILE = {
    "beboere": None,
    "uden_job_uddannelse_pct": (30, 12),
    "domfaeldte_pct": (1.6, 0.9),
    "kun_grundskole_pct": (45, 15),
    "indkomst_pct_region": (68, 12),
    "ikke_vestlige_pct": (32, 18),
    "husleje_kr_m2": (1017, 140),
    "fraflytning_pct": (10, 4),
    "tomgang_pct": (1.2, 1.0),
    "unge_uden_uddannelse_pct": (18, 8),
    "ungdomskriminalitet_pct": (2.5, 1.5),
}


def indicator_value(
    kode: str, enhed: str, vulnerability: float, beboere: int, year_trend: float, rng
) -> Decimal:
    """A plausible value for one afdeling: worse where the afdeling is more vulnerable, drifting by year."""
    if kode == "beboere":
        return Decimal(beboere)
    mean, spread = PROFILE.get(kode, (5 if enhed == "antal" else 20, 3 if enhed == "antal" else 8))
    direction = -1 if kode == "indkomst_pct_region" else 1
    value = (
        mean + direction * spread * (vulnerability * 2 - 1) + rng.gauss(0, spread / 4) + year_trend * spread
    )
    if enhed == "antal":
        return Decimal(max(0, round(value * beboere / 800)))
    if enhed == "pct":
        value = min(100.0, value)
    return Decimal(str(round(max(0.0, value), 2)))


def ensure_indicators(count: int) -> list[Indikator]:
    """The seeded indicators, topped up with fsb-own extras so that a scale run measures `count` of them. The
    counts and bases behind the official shares are not among them: the figures are shares."""
    indicators = [i for i in Indikator.objects.order_by("sortering") if not i.is_basis]
    for number in range(len(indicators) + 1, count + 1):
        indicator, _ = Indikator.objects.get_or_create(
            kode=f"skala_ekstra_{number}",
            defaults={
                "navn": f"Ekstra skalaindikator {number}",
                "kort_navn": f"Ekstra {number}",
                "enhed": Indikator.Enhed.ANDEL,
                "retning": Indikator.Retning.HOEJ,
                "niveau": Indikator.Niveau.AFDELING,
                "kilde": "Skaladata",
                "sortering": 100 + number,
            },
        )
        indicators.append(indicator)
    return indicators


def generate_screening(rng: random.Random, rounds: int, last_year: int, indicator_count: int) -> dict:
    indicators = ensure_indicators(indicator_count)
    afdelinger = list(Afdeling.objects.filter(navn__startswith="Skala ").values_list("id", "beboere"))
    years = range(last_year - rounds + 1, last_year + 1)
    round_ids = {}
    for year in years:
        regelsaet = Regelsaet.objects.in_force(year)
        runde, _ = Screeningsrunde.objects.get_or_create(
            aar=year,
            defaults={
                "regelsaet": regelsaet,
                "landsgennemsnit_domfaeldte_pct": Decimal("0.55"),
                "status": Screeningsrunde.Status.ENDELIG
                if year < last_year
                else Screeningsrunde.Status.KLADDE,
            },
        )
        round_ids[year] = runde.pk
    vulnerability = {afdeling_id: rng.betavariate(2, 3) for afdeling_id, _ in afdelinger}
    now = timezone.now()

    def rows():
        for year in years:
            trend = (year - last_year) * 0.03
            for afdeling_id, beboere in afdelinger:
                for indicator in indicators:
                    value = indicator_value(
                        indicator.kode, indicator.enhed, vulnerability[afdeling_id], beboere, trend, rng
                    )
                    yield (round_ids[year], indicator.pk, afdeling_id, value, "Skaladata", "", now)

    if connection.vendor == "postgresql":
        count = copy_rows(
            Maaling._meta.db_table,
            ["runde_id", "indikator_id", "afdeling_id", "vaerdi", "kilde", "note", "aendret"],
            rows(),
        )
    else:
        objects = (
            Maaling(runde_id=r, indikator_id=i, afdeling_id=a, vaerdi=v, kilde=k, note=n)
            for r, i, a, v, k, n, _ in rows()
        )
        count = len(Maaling.objects.bulk_create(objects, batch_size=BATCH))
    results.refresh_from(years[0])
    return {"screeningsrunder": len(round_ids), "indikatorer": len(indicators), "målinger": count}


class ScaleDataExists(Exception):
    pass


def build(scale: str, seed: int = 7500, report=print) -> None:
    """The whole data set of `scale` in one transaction, into an empty database (PostgreSQL for "national");
    `report` is given a line of counts after each part."""
    size = SCALES[scale]
    if Boligorganisation.objects.filter(navn__startswith="Skala ").exists():
        raise ScaleDataExists("The database holds scale data already; use an empty one.")
    rng = random.Random(seed)
    started = time.perf_counter()
    parts = (
        lambda: generate_register(
            rng, size["organisations"], size["areas"], size["afdelinger"], size["users"]
        ),
        lambda: generate_screening(rng, size["rounds"], LAST_YEAR, size["indicators"]),
        lambda: scale_plans.generate_helhedsplaner(
            rng, size["helhedsplaner"], size["aktive"], timezone.localdate()
        ),
    )
    with transaction.atomic():
        for part in parts:
            counts = part()
            figures = ", ".join(f"{count:,} {name}".replace(",", ".") for name, count in counts.items())
            report(f"  {figures} ({time.perf_counter() - started:.0f} s)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    report(f"Scale data ({scale}) built in {time.perf_counter() - started:.0f} s.")
