"""Fictitious but realistic demo data: organisations, areas, afdelinger and board members.

Area names are real Copenhagen places; every afdeling, address, figure and person is invented.
"""

import random
from decimal import Decimal

from django.contrib.auth.models import Group, User

from screening import roles
from screening.models import Afdeling, Bestyrelsesmedlem, Boligomraade, Boligorganisation

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
    Bestyrelsesmedlem.objects.update_or_create(
        user=board_member, afdeling=tingbjerg[0], defaults={"rolle": Bestyrelsesmedlem.Rolle.FORMAND}
    )
    Bestyrelsesmedlem.objects.update_or_create(
        user=board_member, afdeling=tingbjerg[1], defaults={"rolle": Bestyrelsesmedlem.Rolle.MEDLEM}
    )
