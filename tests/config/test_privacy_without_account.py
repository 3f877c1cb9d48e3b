"""The administrator's data protection for people without an account (config/privacy/without_account.py):
contact persons and members of plans' organisations are found by name or e-mail, apart from the accounts; a
person known by an e-mail address is every contact-person entry with it and the notices to it, one known by
name every contact-person entry without an address and every organisation member with that name. Their export
holds all of that and nothing of anyone else, and is logged; their erasure anonymises exactly that, with a
reason, recorded. Everyone else is refused."""

import json
import unicodedata
from datetime import date

import pytest
from django.contrib.admin.models import LogEntry
from django.db.models import Q
from django.urls import reverse

from config.privacy.models import Anonymisering
from config.web.models import Adgangslog
from helhedsplaner import actions as plan_actions
from helhedsplaner.models import Besked, Haendelse, Organisationsmedlem
from indsatser import actions as indsats_actions
from indsatser.models import IndsatsHaendelse, Indsatstype, Kontaktperson
from tests.factories import AfdelingFactory, HelhedsplanFactory, IndsatsFactory, UserFactory
from tests.indsatser.factories import indsatstype

pytestmark = pytest.mark.django_db

EMAIL = "ida.iversen@kommune.dk"


def contact(navn, email="", **fields):
    return Kontaktperson.objects.create(
        afdeling=fields.pop("afdeling", None) or AfdelingFactory(),
        navn=navn,
        rolle=fields.pop("rolle", "Socialrådgiver"),
        email=email,
        fra_dato=date(2024, 1, 1),
        **fields,
    )


def member(plan, navn, gruppe="styregruppe", acting_user=None):
    return plan_actions.add_member(plan, acting_user=acting_user, gruppe=gruppe, navn=navn, rolle="Kommunen")


@pytest.fixture
def people(medarbejder):
    """Ida, known by her address on two contact-person entries and in the notices, who also sits in a
    styregruppe by name only; Bo, known by name, in two plans' organisations and on a contact-person entry
    without an address; and others who share a name or a plan with them."""
    plan, other_plan = (
        HelhedsplanFactory(indsats__titel="Irisplanen"),
        HelhedsplanFactory(indsats__titel="Bøgen"),
    )
    return {
        "ida": contact("Ida Iversen", EMAIL, afdeling=AfdelingFactory(navn="Irisparken"), telefon="11223344"),
        "ida_before": contact("Ida Iversen", EMAIL.upper(), til_dato=date(2024, 6, 30)),
        "ida_member": member(plan, "Ida Iversen", acting_user=medarbejder),
        "other_ida": contact("Ida Iversen", "ida@andet.dk"),
        "bo": member(plan, "Bo Berg", gruppe="partner", acting_user=medarbejder),
        "bo_again": member(other_plan, "bo berg", acting_user=medarbejder),
        "bo_contact": contact("Bo Berg"),
        "bo_with_address": contact("Bo Berg", "bo@berg.dk"),
        "karen": member(plan, "Karen Kragh", acting_user=medarbejder),
        "notice": Besked.objects.create(art="kommentar", sendt_til=["leder@example.org", EMAIL.upper()]),
        "reset": Besked.objects.create(art="nulstil_adgangskode", adresse=EMAIL),
        "other_notice": Besked.objects.create(art="kommentar", sendt_til=["ida@andet.dk"]),
        "failed": Besked.objects.create(
            art="kommentar", fejl=f"SMTPRecipientsRefused: {{'{EMAIL.upper()}': (550, b'Unknown')}}"
        ),
    }


def urls(name, entry):
    kind = "kontaktperson" if isinstance(entry, Kontaktperson) else "organisationsmedlem"
    return reverse(f"privacy_{name}_without_account", args=[kind, entry.pk])


def test_the_search_finds_them_by_name_and_e_mail_apart_from_the_accounts(client_as, administrator, people):
    account = UserFactory(first_name="Ida", last_name="Iversen", username="ida")
    client = client_as(administrator)

    page = client.get(reverse("privacy_overview"), {"q": "iversen"}).content.decode()

    accounts, without = page.split("Personer uden brugerkonto, der passer")
    assert reverse("privacy_export", args=[account.pk]) in accounts and "/uden-konto/" not in accounts
    assert "/databeskyttelse/personer/" not in without
    # Three people: Ida by her address (both entries), Ida by the name alone (the styregruppe), the other Ida.
    assert without.count("Hent data") == 3
    assert urls("export", people["ida"]) in without and urls("erase", people["ida"]) in without
    assert urls("export", people["ida_member"]) in without and urls("export", people["other_ida"]) in without
    assert urls("export", people["ida_before"]) not in without
    assert (
        "Kontaktperson for" in without and "Irisparken" in without and "Styregruppe i Irisplanen" in without
    )

    by_address = client.get(reverse("privacy_overview"), {"q": "IDA.IVERSEN@kommune"}).content.decode()
    assert (
        urls("export", people["ida"]) in by_address and urls("export", people["other_ida"]) not in by_address
    )

    # Bo by name: the partner, the styregruppe in the other plan and the entry without an address are one.
    by_name = client.get(reverse("privacy_overview"), {"q": "bo berg"}).content.decode()
    assert by_name.count("Hent data") == 2
    assert (
        urls("export", people["bo_contact"]) in by_name
        and urls("export", people["bo_with_address"]) in by_name
    )


def test_a_short_search_finds_nobody_and_says_why(client_as, administrator, people):
    page = client_as(administrator).get(reverse("privacy_overview"), {"q": "i"}).content.decode()
    assert "Skriv mindst 2 tegn." in page and "Hent data" not in page


def test_a_long_search_is_refused_and_says_why(client_as, administrator, people, django_assert_num_queries):
    client = client_as(administrator)
    # session, user, roles, the latest anonymisations: no search
    with django_assert_num_queries(4):
        page = client.get(reverse("privacy_overview"), {"q": "i" * 101}).content.decode()
    assert "Skriv højst 100 tegn." in page and "Hent data" not in page
    page = client.get(reverse("privacy_overview"), {"q": f"{EMAIL:<100}"}).content.decode()
    assert urls("export", people["ida"]) in page


def test_the_search_lists_every_name_known_by_the_same_address(client_as, administrator, people):
    contact("I. Iversen-Holm", EMAIL)

    page = client_as(administrator).get(reverse("privacy_overview"), {"q": EMAIL}).content.decode()

    assert page.count("Hent data") == 1
    assert "Ida Iversen, I. Iversen-Holm" in page or "I. Iversen-Holm, Ida Iversen" in page


def test_an_anonymised_entry_is_not_found(client_as, administrator, people):
    client_as(administrator).post(urls("erase", people["karen"]), {"begrundelse": "Anmodning"})
    page = client_as(administrator).get(reverse("privacy_overview"), {"q": "karen"}).content.decode()
    assert "Ingen personer uden brugerkonto passer" in page


def test_the_export_by_e_mail_holds_every_entry_with_the_address_and_nothing_else(
    client_as, administrator, people
):
    url = urls("export", people["ida_before"])

    response = client_as(administrator).get(url)

    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="kontaktperson-{people["ida_before"].pk}.json"'
    )
    data = json.loads(response.content)
    assert data["person"] == {"kendt_ved": "e-mail", "navn": "Ida Iversen", "email": EMAIL.upper()}
    assert [(c["email"], c["telefon"], c["til"]) for c in data["kontaktpersoner"]] == [
        (EMAIL, "11223344", None),
        (EMAIL.upper(), "", "2024-06-30"),
    ]
    assert data["kontaktpersoner"][0]["afdeling"].endswith("Irisparken")
    assert data["organisationsmedlemmer"] == []  # the styregruppe knows only her name: another person here
    assert [b["art"] for b in data["beskeder"]] == ["Kommentar", "Nulstil adgangskode", "Kommentar"]
    assert (
        "ida@andet.dk" not in response.content.decode()
        and "leder@example.org" not in response.content.decode()
    )
    logged = Adgangslog.objects.get(user=administrator)
    assert (logged.art, logged.hvad, logged.adresse) == (
        "eksporteret",
        "Alt om én person uden brugerkonto",
        url,
    )


def test_the_export_by_name_holds_the_memberships_and_entries_without_an_address(
    client_as, administrator, people
):
    data = client_as(administrator).get(urls("export", people["bo_again"])).json()

    assert data["person"] == {"kendt_ved": "navn", "navn": "bo berg", "email": ""}
    assert [(m["plan"], m["gruppe"], m["navn"]) for m in data["organisationsmedlemmer"]] == [
        ("Irisplanen", "Partner", "Bo Berg"),
        ("Bøgen", "Styregruppe", "bo berg"),
    ]
    assert [(c["navn"], c["email"]) for c in data["kontaktpersoner"]] == [("Bo Berg", "")]
    assert data["beskeder"] == []


def test_the_erasure_by_e_mail_anonymises_exactly_the_person(client_as, administrator, people):
    client = client_as(administrator)
    url = urls("erase", people["ida"])
    page = client.get(url).content.decode()
    assert "e-mailadressen ida.iversen@kommune.dk" in page and "Beskeder med adressen: 3." in page
    # An entry that had the address once and names someone else now keeps its name; the address goes.
    moved_on = contact("Mette Mortensen", EMAIL)
    moved_on.navn, moved_on.email = "Mette Mortensen", "mette@kommune.dk"
    moved_on.save()

    response = client.post(url, {"begrundelse": "Anmodning modtaget 3. marts"})

    assert response.status_code == 302 and response.url == reverse("privacy_overview")
    for key in ("ida", "ida_before"):
        entry = Kontaktperson.objects.get(pk=people[key].pk)
        assert (entry.navn, entry.email, entry.telefon) == (f"Anonymiseret person #{entry.pk}", "", "")
        assert set(Kontaktperson.history.filter(id=entry.pk).values_list("navn", "email")) == {
            (f"Anonymiseret person #{entry.pk}", "")
        }
    assert not Kontaktperson.history.filter(email__iexact=EMAIL).exists()
    assert Kontaktperson.objects.get(pk=moved_on.pk).navn == "Mette Mortensen"
    assert list(
        Kontaktperson.history.filter(id=moved_on.pk).order_by("history_id").values_list("navn", "email")
    ) == [
        (f"Anonymiseret person #{moved_on.pk}", ""),
        ("Mette Mortensen", "mette@kommune.dk"),
    ]
    assert Besked.objects.get(pk=people["failed"].pk).fejl == (
        f"SMTPRecipientsRefused: {{'Anonymiseret person #{people['ida'].pk}': (550, b'Unknown')}}"
    )
    assert Besked.objects.get(pk=people["notice"].pk).sendt_til == [
        "leder@example.org",
        f"Anonymiseret person #{people['ida'].pk}",
    ]
    assert Besked.objects.get(pk=people["reset"].pk).adresse == ""
    # Other people's, and the same name known without the address, stay.
    assert Kontaktperson.objects.get(pk=people["other_ida"].pk).email == "ida@andet.dk"
    assert Organisationsmedlem.objects.get(pk=people["ida_member"].pk).navn == "Ida Iversen"
    assert Besked.objects.get(pk=people["other_notice"].pk).sendt_til == ["ida@andet.dk"]
    record = Anonymisering.objects.get()
    assert (
        record.art,
        record.person_id,
        record.person_uden_konto,
        record.udfoert_af,
        record.begrundelse,
    ) == (
        "sletning",
        None,
        f"kontaktperson nr. {people['ida'].pk}",
        administrator,
        "Anmodning modtaget 3. marts",
    )
    assert record.antal == {"kontaktpersoner": 2, "tidligere_kontaktpersoner": 1, "beskeder": 3}
    overview = client.get(reverse("privacy_overview")).content.decode()
    assert f"(kontaktperson nr. {people['ida'].pk})" in overview
    # What was changed, and what not.
    assert "Personen er slettet: 2 kontaktpersoner og 1 tidligere kontaktperson er anonymiseret" in overview
    assert "Adressen er fjernet fra 3 beskeder. Uændret: andres versioner af de samme poster" in overview


def test_the_erasure_by_name_anonymises_the_memberships_and_their_timeline(client_as, administrator, people):
    bo, bo_again = people["bo"], people["bo_again"]
    response = client_as(administrator).post(urls("erase", bo), {"begrundelse": "Anmodning"})

    assert response.status_code == 302
    for entry in (bo, bo_again):
        assert Organisationsmedlem.objects.get(pk=entry.pk).navn == f"Anonymiseret person #{entry.pk}"
        assert set(Organisationsmedlem.history.filter(id=entry.pk).values_list("navn", flat=True)) == {
            f"Anonymiseret person #{entry.pk}"
        }
    assert set(Haendelse.objects.filter(art="organisation").values_list("tekst", flat=True)) == {
        f"Tilføjet til partner: Anonymiseret person #{bo.pk}.",
        f"Tilføjet til styregruppe: Anonymiseret person #{bo_again.pk}.",
        "Tilføjet til styregruppe: Ida Iversen.",
        "Tilføjet til styregruppe: Karen Kragh.",
    }
    assert Kontaktperson.objects.get(pk=people["bo_contact"].pk).navn.startswith("Anonymiseret person #")
    assert Kontaktperson.objects.get(pk=people["bo_with_address"].pk).navn == "Bo Berg"
    assert Organisationsmedlem.objects.get(pk=people["karen"].pk).navn == "Karen Kragh"
    assert Anonymisering.objects.get().antal == {"kontaktpersoner": 1, "planens_organisation": 2}


def test_the_erasure_page_is_logged_as_read(client_as, administrator, people):
    url = urls("erase", people["ida"])
    client = client_as(administrator)

    assert client.get(url).status_code == 200

    logged = Adgangslog.objects.get(user=administrator)
    assert (logged.art, logged.hvad, logged.adresse) == ("laest", "Alt om én person uden brugerkonto", url)
    client.post(url, {"begrundelse": "Anmodning"})
    assert Adgangslog.objects.count() == 1


def test_an_old_address_on_an_entry_that_names_someone_else_now_is_found_exported_and_erased(
    client_as, administrator, medarbejder
):
    afdeling = AfdelingFactory(nummer="07-01", navn="Lærkehaven")
    IndsatsFactory(type=indsatstype(Indsatstype.KONTAKTPERSONORDNING), status="aktiv", afdelinger=[afdeling])
    ida = Kontaktperson(
        navn="Ida Iversen", rolle="Frivillig", email=EMAIL, telefon="11223344", fra_dato=date(2024, 1, 1)
    )
    entry = indsats_actions.change_kontaktperson(afdeling, ida, acting_user=medarbejder)
    entry.navn, entry.email, entry.telefon = "Mette Mortensen", "mette@kommune.dk", "55667788"
    entry.save()
    version = Kontaktperson.history.get(id=entry.pk, email=EMAIL)
    erase = reverse("privacy_erase_without_account", args=["tidligere-kontaktperson", version.history_id])
    export = reverse("privacy_export_without_account", args=["tidligere-kontaktperson", version.history_id])
    client = client_as(administrator)

    page = client.get(reverse("privacy_overview"), {"q": "IDA.iversen@"}).content.decode()

    assert page.count("Hent data") == 1 and erase in page and export in page
    assert "Tidligere kontaktperson for 07-01 Lærkehaven" in page and "Mette" not in page
    data = client.get(export).json()
    assert data["person"] == {"kendt_ved": "e-mail", "navn": "Ida Iversen", "email": EMAIL}
    assert data["kontaktpersoner"] == [] and data["organisationsmedlemmer"] == []
    assert [
        (v["afdeling"], v["navn"], v["telefon"], v["email"]) for v in data["tidligere_kontaktpersoner"]
    ] == [("07-01 Lærkehaven", "Ida Iversen", "11223344", EMAIL)]
    assert "Mette" not in json.dumps(data) and "55667788" not in json.dumps(data)
    assert "Ida Iversen" in client.get(erase).content.decode()

    response = client.post(erase, {"begrundelse": "Anmodning"})

    assert response.status_code == 302
    versions = Kontaktperson.history.filter(id=entry.pk).order_by("history_id")
    assert list(versions.values_list("navn", "telefon", "email")) == [
        (f"Anonymiseret person #{entry.pk}", "", ""),
        ("Mette Mortensen", "55667788", "mette@kommune.dk"),
    ]
    assert IndsatsHaendelse.objects.get().kommentar == (
        f"07-01 Lærkehaven: Anonymiseret person #{entry.pk} fra 01.01.2024."
    )
    assert Kontaktperson.objects.filter(pk=entry.pk).values_list("navn", "telefon").get() == (
        "Mette Mortensen",
        "55667788",
    )
    record = Anonymisering.objects.get()
    assert (record.person_uden_konto, record.antal) == (
        f"tidligere kontaktperson nr. {version.history_id}",
        {"tidligere_kontaktpersoner": 1},
    )
    assert "Hent data" not in client.get(reverse("privacy_overview"), {"q": EMAIL}).content.decode()
    assert client.post(erase, {"begrundelse": "igen"}).status_code == 400


def test_a_removed_member_is_found_exported_and_erased_by_the_name(client_as, administrator, medarbejder):
    plan = HelhedsplanFactory(indsats__titel="Irisplanen")
    removed = member(plan, "Anne Jensen", gruppe="partner", acting_user=medarbejder).pk
    plan_actions.remove_member(Organisationsmedlem.objects.get(pk=removed), acting_user=medarbejder)
    client = client_as(administrator)

    page = client.get(reverse("privacy_overview"), {"q": "anne jensen"}).content.decode()

    assert page.count("Hent data") == 1 and "Tidligere: Partner i Irisplanen" in page
    version = Organisationsmedlem.history.filter(id=removed).earliest("history_id")
    export, erase = (
        reverse(f"privacy_{name}_without_account", args=["tidligere-organisationsmedlem", version.history_id])
        for name in ("export", "erase")
    )
    assert export in page and erase in page
    data = client.get(export).json()
    assert data["person"] == {"kendt_ved": "navn", "navn": "Anne Jensen", "email": ""}
    assert [(m["plan"], m["gruppe"], m["navn"]) for m in data["tidligere_organisationsmedlemmer"]] == [
        ("Irisplanen", "Partner", "Anne Jensen"),
        ("Irisplanen", "Partner", "Anne Jensen"),  # added, and removed
    ]
    assert data["organisationsmedlemmer"] == [] and data["kontaktpersoner"] == []
    assert "Tidligere medlem af planernes organisation" in client.get(erase).content.decode()

    assert client.post(erase, {"begrundelse": "Anmodning"}).status_code == 302

    assert set(Haendelse.objects.filter(art="organisation").values_list("tekst", flat=True)) == {
        f"Tilføjet til partner: Anonymiseret person #{removed}.",
        f"Fjernet fra partner: Anonymiseret person #{removed}.",
    }
    assert Anonymisering.objects.get().antal == {"tidligere_organisationsmedlemmer": 1}
    assert (
        "1 tidligere medlemskab af en plans organisation er anonymiseret"
        in client.get(reverse("privacy_overview")).content.decode()
    )
    assert "Hent data" not in client.get(reverse("privacy_overview"), {"q": "anne"}).content.decode()


def test_a_name_is_the_same_whichever_way_its_letters_are_composed(client_as, administrator, medarbejder):
    """ "Åse" stored as an A with a combining ring (as some systems write it) and as the one letter Å."""
    decomposed, composed = unicodedata.normalize("NFD", "Åse Holm"), unicodedata.normalize("NFC", "Åse Holm")
    assert decomposed != composed
    entry = contact(decomposed)
    plan = HelhedsplanFactory()
    seat = member(plan, composed, acting_user=medarbejder)
    client = client_as(administrator)

    page = client.get(reverse("privacy_overview"), {"q": "åse"}).content.decode()

    assert page.count("Hent data") == 1 and urls("export", entry) in page
    data = client.get(urls("export", seat)).json()
    assert [c["navn"] for c in data["kontaktpersoner"]] == [decomposed]

    client.post(urls("erase", seat), {"begrundelse": "Anmodning"})

    assert Kontaktperson.objects.get(pk=entry.pk).navn == f"Anonymiseret person #{entry.pk}"
    assert Organisationsmedlem.objects.get(pk=seat.pk).navn == f"Anonymiseret person #{seat.pk}"


def test_the_admin_log_names_the_erased_person_no_more_and_the_person_before_still(
    admin_client, client_as, administrator
):
    """The admin's "Seneste handlinger" shows each change as the entry was named then."""
    afdeling = AfdelingFactory(nummer="01-16", navn="Lynggården")
    entry = contact("Anne", "anne2@x.dk", afdeling=afdeling)
    url = reverse("admin:indsatser_kontaktperson_change", args=[entry.pk])
    form = {
        "afdeling": afdeling.pk,
        "rolle": "Socialrådgiver",
        "organisation": "",
        "telefon": "",
        "fra_dato": "2024-01-01",
        "til_dato": "",
    }
    assert (
        admin_client.post(url, {**form, "navn": "Anne", "email": "anne2@x.dk", "telefon": "1"}).status_code
        == 302
    )
    assert admin_client.post(url, {**form, "navn": "Jens Jul", "email": "jens@x.dk"}).status_code == 302
    log = LogEntry.objects.filter(object_id=str(entry.pk)).order_by("pk")
    assert list(log.values_list("object_repr", flat=True)) == [
        "Anne (01-16 Lynggården)",
        "Jens Jul (01-16 Lynggården)",
    ]

    client_as(administrator).post(urls("erase", entry), {"begrundelse": "Anmodning"})

    assert list(log.values_list("object_repr", flat=True)) == [
        "Anne (01-16 Lynggården)",
        f"Anonymiseret person #{entry.pk} (01-16 Lynggården)",
    ]
    # Django writes which fields changed there, never their values.
    assert not log.filter(Q(change_message__contains="Jens") | Q(change_message__contains="Anne")).exists()


def test_an_erasure_without_a_reason_is_refused_and_changes_nothing(client_as, administrator, people):
    response = client_as(administrator).post(urls("erase", people["ida"]), {"begrundelse": " "})

    assert response.status_code == 400 and "Dette felt er påkrævet." in response.content.decode()
    assert Kontaktperson.objects.get(pk=people["ida"].pk).navn == "Ida Iversen"
    assert Besked.objects.get(pk=people["reset"].pk).adresse == EMAIL
    assert not Anonymisering.objects.exists()


def test_an_erasure_with_nothing_left_is_refused(client_as, administrator, people):
    client = client_as(administrator)
    first, second = urls("erase", people["ida"]), urls("erase", people["ida_before"])
    assert client.post(first, {"begrundelse": "Anmodning"}).status_code == 302

    for url in (first, second):
        again = client.post(url, {"begrundelse": "igen"})
        assert again.status_code == 400
        assert "Der er ikke længere noget om personen at slette" in again.content.decode()
        assert "Der er ikke længere noget om personen at slette" in client.get(url).content.decode()
    assert Anonymisering.objects.count() == 1


@pytest.mark.parametrize("name", ["export", "erase"])
def test_only_an_administrator_gets_the_pages(client, client_as, people, medarbejder, sekretariat, name):
    url = urls(name, people["ida"])
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for user in (medarbejder, sekretariat, UserFactory(role="afdelingsbestyrelse")):
        assert client_as(user).get(url).status_code == 403
        assert client_as(user).post(url, {"begrundelse": "x"}).status_code == 403
    assert Kontaktperson.objects.get(pk=people["ida"].pk).navn == "Ida Iversen"
    assert not Adgangslog.objects.filter(art="eksporteret").exists()
    assert not Anonymisering.objects.exists()


def test_an_unknown_entry_or_kind_is_not_found(client_as, administrator, people):
    client = client_as(administrator)
    assert (
        client.get(reverse("privacy_export_without_account", args=["bruger", people["ida"].pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("privacy_erase_without_account", args=["kontaktperson", 999_999])).status_code
        == 404
    )


def test_the_pages_run_a_fixed_number_of_queries(client_as, administrator, django_assert_num_queries):
    client = client_as(administrator)
    for size in (1, 6):
        plan = HelhedsplanFactory()
        for number in range(size):
            contact(f"Jens Jensen {size}", f"jens{size}@example.org", til_dato=date(2024, 2, number + 1))
            contact(f"Hans Hansen {size}", til_dato=date(2024, 2, number + 1))
            Organisationsmedlem.objects.create(plan=plan, gruppe="partner", navn=f"Hans Hansen {size}")
            Besked.objects.create(art="kommentar", sendt_til=[f"jens{size}@example.org"])
        jens = Kontaktperson.objects.filter(navn=f"Jens Jensen {size}").first()
        hans = Organisationsmedlem.objects.filter(navn=f"Hans Hansen {size}").first()
        # session, user, roles, the accounts found, the contact persons found (with their afdeling), the
        # organisation members found (with their plan), the former contact persons' versions found (with their
        # afdeling), the former members' versions found (with their plan), the latest anonymisations
        with django_assert_num_queries(9):
            assert client.get(reverse("privacy_overview"), {"q": "hansen"}).status_code == 200
        # session, user, roles, the entry; the contact persons, the versions of contact persons who are
        # someone else now, the notices; the access log entry of the export
        with django_assert_num_queries(8):
            assert client.get(urls("export", jens)).status_code == 200
        # session, user, roles, the entry; the contact persons and their former versions, the organisation
        # members and their former versions; the access log entry of the export
        with django_assert_num_queries(9):
            assert client.get(urls("export", hans)).status_code == 200
        # session, user, roles, the entry; the contact persons and their former versions, the organisation
        # members and their former versions; the access log entry of the reading
        with django_assert_num_queries(9):
            assert client.get(urls("erase", hans)).status_code == 200
