"""The administrator's data-protection pages: the export of everything held about one person (logged as an
export), and the erasure of a person, confirmed by their user name, recorded without what was erased, and
refused for the last active superuser. Everyone else is refused."""

import json
from datetime import date

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.api.models import ApiToken
from config.privacy.models import Anonymisering
from config.web import audit
from config.web.models import Adgangslog
from helhedsplaner.models import Besked, Kommentar, Notifikationsvalg, Organisationsmedlem
from indsatser.models import Kontaktperson
from screening.models import Bestyrelsesmedlem
from tests.factories import AfdelingFactory, BestyrelsesmedlemFactory, HelhedsplanFactory, UserFactory
from tests.logins import give_app

pytestmark = pytest.mark.django_db

EMAIL = "ida.iversen@example.org"


@pytest.fixture
def person(db):
    """A board member with something of every kind the application holds about a person."""
    user = UserFactory(
        username="ida", first_name="Ida", last_name="Iversen", email=EMAIL, role="afdelingsbestyrelse"
    )
    afdeling = AfdelingFactory(navn="Irisparken")
    BestyrelsesmedlemFactory(user=user, afdeling=afdeling, valgt_dato=date(2024, 3, 1))
    plan = HelhedsplanFactory(indsats__titel="Irisplanen")
    Kommentar.objects.create(plan=plan, sektion="resume", forfatter=user, tekst="Vi savner lektiecaféen.")
    Kontaktperson.objects.create(
        afdeling=afdeling,
        navn="Ida Iversen",
        rolle="Frivillig",
        email=EMAIL.upper(),
        fra_dato=date(2024, 1, 1),
    )
    Besked.objects.create(art="kommentar", sendt_til=["leder@example.org", EMAIL])
    Notifikationsvalg.objects.create(bruger=user, art="frist_foer", levering="ugentlig")
    ApiToken.objects.create(user=user, navn="Power BI", digest="a" * 64, begyndelse="abcdefgh")
    give_app(user)
    Adgangslog.objects.create(user=user, brugernavn="ida", art="laest", hvad="Kontaktpersoner", adresse="/k/")
    member = Organisationsmedlem(plan=plan, gruppe="partner", navn="Lektiecaféen")
    member._history_user = user
    member.save()
    return user


def test_the_export_holds_every_kind_and_no_secret_and_is_logged(client_as, administrator, person):
    response = client_as(administrator).get(reverse("privacy_export", args=[person.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="person-{person.pk}.json"'
    data = json.loads(response.content)
    assert data["brugerkonto"]["email"] == EMAIL
    assert data["roller"] == ["afdelingsbestyrelse"]
    assert [(s["afdeling"].endswith("Irisparken"), s["valgt"]) for s in data["bestyrelsesposter"]] == [
        (True, "2024-03-01")
    ]
    assert [c["tekst"] for c in data["kommentarer"]] == ["Vi savner lektiecaféen."]
    assert [c["navn"] for c in data["kontaktpersoner"]] == ["Ida Iversen"]
    assert [b["art"] for b in data["beskeder"]] == ["Kommentar"]
    assert data["valg_af_notifikationer"] == [{"art": "frist_foer", "levering": "ugentlig"}]
    assert [t["navn"] for t in data["api_noegler"]] == ["Power BI"]
    assert [d["navn"] for d in data["totrinslogin"]] == ["Autentificeringsapp"]
    assert [a["hvad"] for a in data["adgangslog"]] == ["Kontaktpersoner"]
    assert [(c["model"], c["art"]) for c in data["aendringer"]] == [
        ("helhedsplaner.organisationsmedlem", "Oprettet")
    ]
    body = response.content.decode()
    assert "a" * 64 not in body and person.password not in body and "abcdefgh" not in body
    logged = Adgangslog.objects.filter(user=administrator).get()
    assert (logged.art, logged.hvad, logged.adresse) == (
        "eksporteret",
        "Alt om én person",
        f"/databeskyttelse/personer/{person.pk}/eksport/",
    )


@pytest.mark.parametrize("name", ["privacy_overview", "privacy_export", "privacy_erase"])
def test_only_an_administrator_gets_the_pages(client, client_as, person, medarbejder, sekretariat, name):
    url = reverse(name, args=[] if name == "privacy_overview" else [person.pk])
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for user in (medarbejder, sekretariat, person):
        assert client_as(user).get(url).status_code == 403
        assert client_as(user).post(url, {"brugernavn": "ida", "begrundelse": "x"}).status_code == 403
    assert User.objects.get(pk=person.pk).username == "ida"
    assert not Adgangslog.objects.filter(art="eksporteret").exists()


def test_the_overview_finds_a_person_and_shows_the_rules(client_as, administrator, person):
    response = client_as(administrator).get(reverse("privacy_overview"), {"q": "iversen"})
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("privacy_export", args=[person.pk]) in page
    assert reverse("privacy_erase", args=[person.pk]) in page
    assert "Kontaktpersoner" in page and "5 år efter kontaktpersonens periode sluttede" in page


def test_an_erasure_confirmed_by_the_user_name_anonymises_the_person_at_once(
    client_as, administrator, person
):
    client = client_as(administrator)
    url = reverse("privacy_erase", args=[person.pk])
    assert client.get(url).status_code == 200
    wrong = client.post(url, {"brugernavn": "ida2", "begrundelse": "Anmodning 3. marts"})
    assert wrong.status_code == 400 and "Brugernavnet passer ikke" in wrong.content.decode()
    assert User.objects.get(pk=person.pk).username == "ida"

    # As the admin logs a change of the account: named by its user name then.
    logged = LogEntry.objects.create(
        user=administrator,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(person.pk),
        object_repr=str(person),
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["E-mailadresse"]}}]',
    )

    response = client.post(url, {"brugernavn": "ida", "begrundelse": "Anmodning 3. marts"})

    assert response.status_code == 302 and response.url == reverse("privacy_overview")
    person.refresh_from_db()
    assert LogEntry.objects.get(pk=logged.pk).object_repr == f"anonymiseret-{person.pk}"
    placeholder = f"Anonymiseret person #{person.pk}"
    assert (person.get_full_name(), person.email, person.is_active) == (placeholder, "", False)
    assert not person.has_usable_password() and not person.groups.exists()
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not ApiToken.objects.filter(user=person).exists()
    assert not Notifikationsvalg.objects.filter(bruger=person).exists()
    assert Bestyrelsesmedlem.objects.get(user=person).fratraadt is not None
    # The comment stays in the plan's record, written by the anonymous account.
    assert Kommentar.objects.get().forfatter == person
    contact = Kontaktperson.objects.get()
    assert (contact.navn, contact.email) == (f"Anonymiseret person #{contact.pk}", "")
    assert set(Kontaktperson.history.values_list("navn", flat=True)) == {f"Anonymiseret person #{contact.pk}"}
    assert Besked.objects.get().sendt_til == ["leder@example.org", placeholder]
    record = Anonymisering.objects.get()
    assert (record.art, record.person_id, record.udfoert_af, record.begrundelse) == (
        "sletning",
        person.pk,
        administrator,
        "Anmodning 3. marts",
    )
    assert record.antal["brugerkonti"] == 1 and record.antal["kontaktpersoner"] == 1
    assert "Ida" not in json.dumps(record.antal) and EMAIL not in json.dumps(record.antal)
    # Erased already: the page says so, and a second erasure is refused.
    assert "allerede anonymiseret" in client.get(url).content.decode()
    again = client.post(url, {"brugernavn": person.username, "begrundelse": "igen"})
    assert again.status_code == 400 and Anonymisering.objects.count() == 1


def test_a_contact_entry_that_names_someone_else_now_is_theirs(client_as, administrator, person):
    """The entry had the person's address once; today it is Karen's: Karen is neither exported nor anonymised,
    only the person's version in its history is."""
    contact = Kontaktperson.objects.get()
    contact.navn, contact.email, contact.telefon = "Karen Ny", "karen.ny@example.dk", "12345678"
    contact.save()
    client = client_as(administrator)
    exported = client.get(reverse("privacy_export", args=[person.pk])).json()
    assert "Karen Ny" not in json.dumps(exported) and exported["kontaktpersoner"] == []
    assert [(v["navn"], v["email"]) for v in exported["tidligere_kontaktpersoner"]] == [
        ("Ida Iversen", EMAIL.upper())
    ]
    client.post(reverse("privacy_erase", args=[person.pk]), {"brugernavn": "ida", "begrundelse": "Anmodning"})
    contact.refresh_from_db()
    assert (contact.navn, contact.email, contact.telefon) == ("Karen Ny", "karen.ny@example.dk", "12345678")
    assert list(Kontaktperson.history.order_by("history_id").values_list("navn", "email")) == [
        (f"Anonymiseret person #{contact.pk}", ""),
        ("Karen Ny", "karen.ny@example.dk"),
    ]
    assert Anonymisering.objects.get().antal["tidligere_kontaktpersoner"] == 1


def test_the_last_active_superuser_cannot_be_erased(client_as, administrator):
    only = UserFactory(username="rod", is_superuser=True)
    url = reverse("privacy_erase", args=[only.pk])

    refused = client_as(administrator).post(url, {"brugernavn": "rod", "begrundelse": "Fratrådt"})

    assert refused.status_code == 400
    assert "sidste aktive superbruger" in refused.content.decode()
    only.refresh_from_db()
    assert only.is_superuser and only.is_active and not Anonymisering.objects.exists()
    UserFactory(username="rod2", is_superuser=True)
    assert client_as(administrator).post(url, {"brugernavn": "rod", "begrundelse": "x"}).status_code == 302


def test_the_pages_run_a_fixed_number_of_queries(client_as, administrator, django_assert_num_queries):
    client = client_as(administrator)
    for size in (1, 6):
        user = UserFactory(last_name=f"Jensen {size}", email=f"jensen{size}@example.org")
        for number in range(size):
            UserFactory(last_name=f"Jensen {size}-{number}")
            BestyrelsesmedlemFactory(user=user)
            plan = HelhedsplanFactory()
            Kommentar.objects.create(plan=plan, sektion="resume", forfatter=user, tekst="x")
            Kontaktperson.objects.create(
                afdeling=AfdelingFactory(), navn="J", rolle="r", email=user.email, fra_dato=date(2024, 1, 1)
            )
            Besked.objects.create(art="kommentar", sendt_til=[user.email])
            Adgangslog.objects.create(user=user, brugernavn="j", art="laest", hvad="Kontaktpersoner")
            member = Organisationsmedlem(plan=plan, gruppe="partner", navn="P")
            member._history_user = user
            member.save()
        # session, user, the user's roles, the users found, the contact persons, the organisation members, the
        # former contact persons' versions and the former members' versions found (people without an
        # account), the latest anonymisations
        with django_assert_num_queries(9):
            assert client.get(reverse("privacy_overview"), {"q": "jensen"}).status_code == 200
        # session, user, roles, the person; the person's roles, seats, comments, contact persons, versions of
        # contact persons who are someone else now, notices, reminders, choices, tokens, two kinds of device,
        # the access log, one per model with a history; the access log entry of the export
        with django_assert_num_queries(17 + len(audit.history_models())):
            assert client.get(reverse("privacy_export", args=[user.pk])).status_code == 200
        # session, user, roles, the person
        with django_assert_num_queries(4):
            assert client.get(reverse("privacy_erase", args=[user.pk])).status_code == 200
