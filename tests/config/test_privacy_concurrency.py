"""Erasures at the same time as each other or as the daily retention run: each takes the erasures' advisory
lock first, so one waits for the other and then finds what the other left, instead of the two deadlocking on
rows they take in different orders."""

import threading
import time
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from config.privacy import actions, retention
from config.privacy.anonymiser import serialise_erasures
from config.privacy.models import Anonymisering
from config.privacy.without_account import PersonWithoutAccount
from helhedsplaner.models import Organisationsmedlem
from indsatser import actions as indsats_actions
from indsatser.models import Kontaktperson
from tests.factories import AfdelingFactory, HelhedsplanFactory, UserFactory

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks need PostgreSQL")


def anne():
    """Anne, known by her name: two contact-person entries without an address and two memberships."""
    plan = HelhedsplanFactory()
    contacts = [
        Kontaktperson.objects.create(
            afdeling=AfdelingFactory(), navn="Anne Holm", rolle="Socialrådgiver", fra_dato=date(2024, 1, 1)
        )
        for _ in range(2)
    ]
    members = [
        Organisationsmedlem.objects.create(plan=plan, gruppe=gruppe, navn="Anne Holm")
        for gruppe in ("styregruppe", "partner")
    ]
    return contacts, members


@pytest.mark.django_db
@pytest.mark.parametrize("work", ["konto", "uden konto", "frist", "kontaktpersoner i admin"])
def test_every_erasure_and_the_retention_run_take_the_erasures_lock_first(work, administrator, medarbejder):
    contacts, members = anne()
    person = UserFactory(username="per", email="per@x.dk")
    run = {
        "konto": lambda: actions.erase_person(person, "Anmodning", acting_user=administrator),
        "uden konto": lambda: actions.erase_person_without_account(
            PersonWithoutAccount.of("organisationsmedlem", members[1]), "Anmodning", acting_user=administrator
        ),
        "frist": lambda: retention.anonymise_due(today=date(2031, 1, 1)),
        "kontaktpersoner i admin": lambda: indsats_actions.anonymise_kontaktpersoner(
            [contacts[0].pk], acting_user=medarbejder
        ),
    }[work]

    with CaptureQueriesContext(connection) as queries:
        run()

    sql = [query["sql"] for query in queries.captured_queries]
    transaction_begins = next(index for index, text in enumerate(sql) if text.startswith("SAVEPOINT"))
    assert sql[transaction_begins + 1].startswith("SELECT pg_advisory_xact_lock(")


def in_a_thread(name, work, results):
    def run():
        try:
            results[name] = work()
        except Exception as error:  # noqa: BLE001 - the test inspects whatever happened
            results[name] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
def test_two_erasures_of_the_same_person_from_different_entries_at_once_do_not_deadlock(monkeypatch):
    administrator = UserFactory(username="t-slet-samtidig", role="administrator")
    contacts, members = anne()
    original = actions.anonymise_contact_persons

    def slow(*args):
        # The first erasure is under way while the other one starts.
        time.sleep(0.5)
        return original(*args)

    monkeypatch.setattr(actions, "anonymise_contact_persons", slow)
    barrier = threading.Barrier(2)
    results = {}

    def erase(kind, entry):
        barrier.wait()
        person = PersonWithoutAccount.of(kind, entry)
        return actions.erase_person_without_account(person, "Anmodning", acting_user=administrator)

    threads = [
        in_a_thread("kontaktperson", lambda: erase("kontaktperson", contacts[1]), results),
        in_a_thread("organisationsmedlem", lambda: erase("organisationsmedlem", members[0]), results),
    ]
    for thread in threads:
        thread.join(timeout=30)

    done = [result for result in results.values() if isinstance(result, Anonymisering)]
    refused = [result for result in results.values() if isinstance(result, ValidationError)]
    assert len(done) == 1 and len(refused) == 1, results
    assert actions.NOTHING_LEFT in refused[0].messages
    assert not Kontaktperson.objects.filter(navn="Anne Holm").exists()
    assert not Organisationsmedlem.objects.filter(navn="Anne Holm").exists()


@pytest.mark.django_db(transaction=True)
def test_an_account_and_a_contact_person_with_its_address_erased_at_once_do_not_deadlock(monkeypatch):
    """The account's erasure protects the last superuser, and the other erasure's record refers to its acting
    superuser: without the erasures' lock the two each held what the other waited for."""
    superuser = UserFactory(username="t-rod-samtidig", is_superuser=True, role="administrator")
    per = UserFactory(username="per", email="per@x.dk")
    entry = Kontaktperson.objects.create(
        afdeling=AfdelingFactory(),
        navn="Per Holm",
        rolle="Socialrådgiver",
        email="PER@x.dk",
        fra_dato=date(2024, 1, 1),
    )
    original = actions.anonymise_contact_persons
    contact_erasure_under_way = threading.Event()

    def held(*args):
        # The contact person's erasure has taken what it takes first when the account's erasure starts.
        if threading.current_thread().name == "kontaktperson":
            contact_erasure_under_way.set()
            time.sleep(0.5)
        return original(*args)

    monkeypatch.setattr(actions, "anonymise_contact_persons", held)
    results = {}

    def erase_account():
        assert contact_erasure_under_way.wait(timeout=10)
        return actions.erase_person(per, "Anmodning", acting_user=superuser)

    threads = [
        in_a_thread(
            "kontaktperson",
            lambda: actions.erase_person_without_account(
                PersonWithoutAccount.of("kontaktperson", entry), "Anmodning", acting_user=superuser
            ),
            results,
        ),
        in_a_thread("konto", erase_account, results),
    ]
    for thread in threads:
        thread.join(timeout=30)

    assert all(isinstance(result, Anonymisering) for result in results.values()) and len(results) == 2, (
        results
    )
    assert results["kontaktperson"].antal == {"kontaktpersoner": 1}
    # The contact person was anonymised already when the account's erasure looked for its address.
    assert "kontaktpersoner" not in results["konto"].antal
    per.refresh_from_db()
    assert per.username == f"anonymiseret-{per.pk}"
    assert Kontaktperson.objects.get(pk=entry.pk).navn == f"Anonymiseret person #{entry.pk}"


def waiting_for_an_advisory_lock() -> bool:
    """Whether another connection to this database waits for an advisory lock, looked at for at most 10
    seconds (pg_locks shows the locks as they are at each look, also inside a transaction)."""
    for _ in range(200):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.05)
    return False


@pytest.mark.django_db(transaction=True)
def test_the_daily_retention_run_waits_for_an_erasure_under_way():
    results = {}
    with transaction.atomic():
        serialise_erasures()  # as an erasure under way holds it
        thread = in_a_thread("frist", retention.anonymise_due, results)

        assert waiting_for_an_advisory_lock(), results
        assert results == {}

    thread.join(timeout=30)
    assert isinstance(results["frist"], dict), results
