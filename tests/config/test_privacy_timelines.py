"""The timeline lines that name a person without an account: a contact person's start and end on the
kontaktpersonordning's timeline, an organisation member's arrival and removal on the plan's. Each line refers
to the entries it is about, and an anonymisation rewrites only the lines that refer to an anonymised entry,
and only the name at its place in the line: a namesake, a longer name that starts the same, the successor's
line and a renamed afdeling change nothing else."""

from datetime import UTC, date, datetime
from importlib import import_module

import pytest
from django.apps import apps as django_apps

from config.privacy import actions as privacy_actions
from config.privacy.anonymiser import anonymise_contact_persons, anonymise_organisation_members, every_version
from config.privacy.without_account import PersonWithoutAccount
from helhedsplaner import actions as plan_actions
from helhedsplaner.models import Haendelse, Organisationsmedlem
from indsatser import actions
from indsatser.models import Indsats, IndsatsHaendelse, Indsatstype, Kontaktperson
from tests.factories import AfdelingFactory, HelhedsplanFactory, IndsatsFactory, UserFactory
from tests.indsatser.factories import indsatstype

pytestmark = pytest.mark.django_db


@pytest.fixture
def afdeling():
    afdeling = AfdelingFactory(nummer="06-34", navn="Grønhøjen")
    kind = indsatstype(Indsatstype.KONTAKTPERSONORDNING)
    IndsatsFactory(type=kind, status=Indsats.Status.AKTIV, afdelinger=[afdeling])
    return afdeling


def start(afdeling, navn, fra, email="", acting_user=None):
    ny = Kontaktperson(navn=navn, rolle="Socialrådgiver", email=email, telefon="11223344", fra_dato=fra)
    return actions.change_kontaktperson(afdeling, ny, acting_user=acting_user)


@pytest.fixture
def annes(afdeling, medarbejder):
    """Anne, then Anne Jensen (a@x.dk) after her, who stops; a namesake Anne Jensen (other@x.dk), and Bo after
    the namesake."""
    anne = start(afdeling, "Anne", date(2020, 1, 1), acting_user=medarbejder)
    anne_jensen = start(afdeling, "Anne Jensen", date(2021, 1, 1), email="a@x.dk", acting_user=medarbejder)
    actions.end_kontaktperson(anne_jensen, date(2022, 2, 1), acting_user=medarbejder)
    namesake = start(afdeling, "Anne Jensen", date(2022, 3, 1), email="other@x.dk", acting_user=medarbejder)
    bo = start(afdeling, "Bo", date(2023, 1, 1), acting_user=medarbejder)
    return {"anne": anne, "anne_jensen": anne_jensen, "namesake": namesake, "bo": bo}


def lines():
    return list(IndsatsHaendelse.objects.order_by("pk").values_list("kommentar", flat=True))


def anonymous(entry) -> str:
    return f"Anonymiseret person #{entry.pk}"


def test_the_lines_refer_to_the_contact_persons_they_are_about(annes):
    refs = IndsatsHaendelse.objects.order_by("pk").values_list("kontaktperson_id", "forrige_kontaktperson_id")
    anne, anne_jensen, namesake, bo = (annes[key].pk for key in ("anne", "anne_jensen", "namesake", "bo"))
    assert list(refs) == [
        (anne, None),
        (anne_jensen, anne),
        (anne_jensen, None),
        (namesake, None),
        (bo, namesake),
    ]


def test_erasing_a_contact_person_rewrites_only_the_lines_about_them(annes, administrator):
    anne, anne_jensen = annes["anne"], annes["anne_jensen"]

    anonymise_contact_persons(*every_version(Kontaktperson, [anne.pk]))

    assert lines() == [
        f"06-34 Grønhøjen: {anonymous(anne)} fra 01.01.2020.",
        f"06-34 Grønhøjen: Anne Jensen fra 01.01.2021, efter {anonymous(anne)}.",
        "06-34 Grønhøjen: Anne Jensen til 01.02.2022.",
        "06-34 Grønhøjen: Anne Jensen fra 01.03.2022.",
        "06-34 Grønhøjen: Bo fra 01.01.2023, efter Anne Jensen.",
    ]

    person = PersonWithoutAccount.of("kontaktperson", anne_jensen)
    privacy_actions.erase_person_without_account(person, "Anmodning", acting_user=administrator)

    assert lines() == [
        f"06-34 Grønhøjen: {anonymous(anne)} fra 01.01.2020.",
        f"06-34 Grønhøjen: {anonymous(anne_jensen)} fra 01.01.2021, efter {anonymous(anne)}.",
        f"06-34 Grønhøjen: {anonymous(anne_jensen)} til 01.02.2022.",
        "06-34 Grønhøjen: Anne Jensen fra 01.03.2022.",
        "06-34 Grønhøjen: Bo fra 01.01.2023, efter Anne Jensen.",
    ]
    assert Kontaktperson.objects.get(pk=annes["namesake"].pk).navn == "Anne Jensen"


def test_the_lines_are_found_after_the_afdeling_is_renamed(afdeling, annes, medarbejder):
    afdeling.navn = "Grønhøjen Øst"
    afdeling.save()
    namesake = annes["namesake"]

    actions.anonymise_kontaktpersoner([namesake.pk], acting_user=medarbejder)

    assert lines()[3:] == [
        f"06-34 Grønhøjen: {anonymous(namesake)} fra 01.03.2022.",
        f"06-34 Grønhøjen: Bo fra 01.01.2023, efter {anonymous(namesake)}.",
    ]
    assert lines()[:3] == [
        "06-34 Grønhøjen: Anne fra 01.01.2020.",
        "06-34 Grønhøjen: Anne Jensen fra 01.01.2021, efter Anne.",
        "06-34 Grønhøjen: Anne Jensen til 01.02.2022.",
    ]


def test_a_line_break_in_the_next_persons_name_does_not_keep_the_erased_name(afdeling, medarbejder):
    """The form keeps a line break typed into a name: the line then holds one too."""
    before = start(afdeling, "Mikkel Kjær", date(2024, 1, 1), acting_user=medarbejder)
    start(afdeling, "Ny\nPerson", date(2026, 2, 1), acting_user=medarbejder)

    actions.anonymise_kontaktpersoner([before.pk], acting_user=medarbejder)

    assert lines()[-1] == f"06-34 Grønhøjen: Ny\nPerson fra 01.02.2026, efter {anonymous(before)}."


def test_a_name_that_was_changed_since_is_rewritten_in_the_lines_written_with_it(annes):
    bo = annes["bo"]
    bo.navn = "Bo Berg"
    bo.save()

    anonymise_contact_persons(*every_version(Kontaktperson, [bo.pk]))

    assert lines()[4] == f"06-34 Grønhøjen: {anonymous(bo)} fra 01.01.2023, efter Anne Jensen."


def erase(person):
    return privacy_actions.erase_person_without_account(
        person, "Anmodning", acting_user=UserFactory(role="administrator")
    )


def test_erasing_the_person_an_entry_names_now_leaves_the_person_it_named_before(afdeling, medarbejder):
    """An entry edited (in the admin) from one person to another: each is erased in the versions, and the
    lines written while the entry was theirs, also where the next contact person's line names them."""
    entry = start(afdeling, "Anne", date(2024, 1, 1), email="anne2@x.dk", acting_user=medarbejder)
    entry.navn, entry.email = "Carl", "carl@x.dk"
    entry.save()
    start(afdeling, "Bo", date(2024, 7, 1), acting_user=medarbejder)
    versions = Kontaktperson.history.filter(id=entry.pk).order_by("history_id")
    carl = anonymous(entry)

    assert erase(PersonWithoutAccount.of("kontaktperson", entry)).antal == {"kontaktpersoner": 1}

    assert lines()[:2] == [
        "06-34 Grønhøjen: Anne fra 01.01.2024.",
        f"06-34 Grønhøjen: Bo fra 01.07.2024, efter {carl}.",
    ]
    assert list(versions.values_list("navn", "email")) == [("Anne", "anne2@x.dk"), (carl, ""), (carl, "")]
    assert Kontaktperson.objects.filter(pk=entry.pk).values_list("navn", "email").get() == (carl, "")

    anne = PersonWithoutAccount.of("tidligere-kontaktperson", versions.first())
    assert erase(anne).antal == {"tidligere_kontaktpersoner": 1}

    assert lines()[:2] == [
        f"06-34 Grønhøjen: {carl} fra 01.01.2024.",
        f"06-34 Grønhøjen: Bo fra 01.07.2024, efter {carl}.",
    ]
    assert set(versions.values_list("navn", "email")) == {(carl, "")}


def test_erasing_the_person_before_leaves_the_lines_written_once_the_entry_was_someone_elses(
    afdeling, medarbejder
):
    """Renamed in one save and given the new address in the next: the version between is the old person's
    (by the address), and the line written after both saves is the new person's."""
    entry = start(
        afdeling, "Camilla Winther", date(2024, 1, 1), email="camilla@x.dk", acting_user=medarbejder
    )
    entry.navn = "Dorte Dam"
    entry.save()
    entry.email = "dorte@x.dk"
    entry.save()
    actions.end_kontaktperson(entry, date(2025, 1, 31), acting_user=medarbejder)
    versions = Kontaktperson.history.filter(id=entry.pk).order_by("history_id")

    erase(PersonWithoutAccount.of("tidligere-kontaktperson", versions.first()))

    assert lines() == [
        f"06-34 Grønhøjen: {anonymous(entry)} fra 01.01.2024.",
        "06-34 Grønhøjen: Dorte Dam til 31.01.2025.",
    ]
    assert list(versions.values_list("navn", "email")) == [
        (anonymous(entry), ""),
        (anonymous(entry), ""),
        ("Dorte Dam", "dorte@x.dk"),
        ("Dorte Dam", "dorte@x.dk"),
    ]


def test_erasing_a_member_by_name_rewrites_the_lines_about_their_memberships_also_removed_ones(medarbejder):
    """A member removed from the plan is deleted, and the lines and the history keep the number: the person
    known by the name is also the removed member. A longer name that begins the same is someone else."""
    plan = HelhedsplanFactory()
    removed = plan_actions.add_member(plan, acting_user=medarbejder, gruppe="partner", navn="Anne Jensen").pk
    plan_actions.remove_member(Organisationsmedlem.objects.get(pk=removed), acting_user=medarbejder)
    anne = plan_actions.add_member(plan, acting_user=medarbejder, gruppe="foelgegruppe", navn="anne jensen")
    longer = plan_actions.add_member(
        plan, acting_user=medarbejder, gruppe="foelgegruppe", navn="Anne Jensen-Bo"
    )
    texts = Haendelse.objects.filter(art="organisation").order_by("pk")
    assert list(texts.values_list("organisationsmedlem_id", flat=True)) == [
        removed,
        removed,
        anne.pk,
        longer.pk,
    ]
    # Dated back, as the demo dates a plan's past: before the member's first version.
    texts.filter(organisationsmedlem=removed, tekst__startswith="Tilføjet").update(
        tid=datetime(2020, 1, 1, tzinfo=UTC)
    )

    erasure = erase(PersonWithoutAccount.of("organisationsmedlem", anne))

    assert erasure.antal == {"planens_organisation": 1, "tidligere_organisationsmedlemmer": 1}
    assert list(texts.values_list("tekst", flat=True)) == [
        f"Tilføjet til partner: Anonymiseret person #{removed}.",
        f"Fjernet fra partner: Anonymiseret person #{removed}.",
        f"Tilføjet til følgegruppe: {anonymous(anne)}.",
        "Tilføjet til følgegruppe: Anne Jensen-Bo.",
    ]
    assert set(Organisationsmedlem.history.filter(id=removed).values_list("navn", flat=True)) == {
        f"Anonymiseret person #{removed}"
    }

    anonymise_organisation_members(*every_version(Organisationsmedlem, [longer.pk]))

    assert texts.last().tekst == f"Tilføjet til følgegruppe: {anonymous(longer)}."


def backfill(app: str, migration: str, function: str):
    getattr(import_module(f"{app}.migrations.{migration}"), function)(django_apps, None)


def test_older_contact_lines_get_their_references_where_exactly_one_contact_person_fits(afdeling, annes):
    lines = IndsatsHaendelse.objects.order_by("pk")
    written = list(lines.values_list("kontaktperson_id", "forrige_kontaktperson_id"))
    lines.update(kontaktperson=None, forrige_kontaktperson=None)
    afdeling.navn = "Grønhøjen Øst"
    afdeling.save()

    backfill("indsatser", "0012_refer_contact_person_lines", "refer_lines_to_contact_persons")

    assert list(lines.values_list("kontaktperson_id", "forrige_kontaktperson_id")) == written

    # A second Bo who started the same day: the line about Bo fits both, and is left without that reference.
    Kontaktperson.objects.create(
        afdeling=afdeling, navn="Bo", rolle="Vikar", fra_dato=date(2023, 1, 1), til_dato=date(2023, 1, 1)
    )
    lines.update(kontaktperson=None, forrige_kontaktperson=None)

    backfill("indsatser", "0012_refer_contact_person_lines", "refer_lines_to_contact_persons")

    assert list(lines.values_list("kontaktperson_id", "forrige_kontaktperson_id")) == [
        *written[:4],
        (None, annes["namesake"].pk),
    ]


def test_older_member_lines_get_their_reference_where_exactly_one_member_of_the_plan_fits(medarbejder):
    plan, other_plan = HelhedsplanFactory(), HelhedsplanFactory()
    removed = plan_actions.add_member(plan, acting_user=medarbejder, gruppe="foelgegruppe", navn="Anne").pk
    plan_actions.remove_member(Organisationsmedlem.objects.get(pk=removed), acting_user=medarbejder)
    plan_actions.add_member(plan, acting_user=medarbejder, gruppe="foelgegruppe", navn="Anne")
    bo = plan_actions.add_member(plan, acting_user=medarbejder, gruppe="partner", navn="Bo")
    elsewhere = plan_actions.add_member(
        other_plan, acting_user=medarbejder, gruppe="foelgegruppe", navn="Anne"
    )
    lines = Haendelse.objects.filter(art="organisation").order_by("pk")
    lines.update(organisationsmedlem=None)

    backfill("helhedsplaner", "0026_refer_organisation_lines", "refer_lines_to_members")

    # The two Annes of the plan are in the same group with the same name: their lines fit both.
    assert list(lines.values_list("organisationsmedlem_id", flat=True)) == [
        None,
        None,
        None,
        bo.pk,
        elsewhere.pk,
    ]
