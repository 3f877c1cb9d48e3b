"""Two erasures of the same person without an account, started from different entries of theirs: every row of
the person is locked in one order before anything changes, so one erasure waits for the other and then finds
nothing left, instead of the two deadlocking."""

import threading
import time
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from config.privacy import actions
from config.privacy.models import Anonymisering
from config.privacy.without_account import PersonWithoutAccount
from helhedsplaner.models import Organisationsmedlem
from indsatser.models import Kontaktperson
from tests.factories import AfdelingFactory, HelhedsplanFactory, UserFactory

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")


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
def test_the_erasure_locks_the_contact_persons_then_the_members_by_number_before_it_changes_anything(
    administrator,
):
    contacts, members = anne()
    person = PersonWithoutAccount.of("organisationsmedlem", members[1])

    with CaptureQueriesContext(connection) as queries:
        actions.erase_person_without_account(person, "Anmodning", acting_user=administrator)

    sql = [query["sql"] for query in queries.captured_queries]
    locked = [
        (index, text.split(" FROM ")[1].split()[0])
        for index, text in enumerate(sql)
        if text.endswith("FOR UPDATE")
    ]
    first_change = min(index for index, text in enumerate(sql) if text.startswith("UPDATE"))
    # The person's rows, then (as each kind is anonymised) the timeline lines about them.
    assert [table for index, table in locked if index < first_change] == [
        '"indsatser_kontaktperson"',
        '"helhedsplaner_organisationsmedlem"',
        '"indsatser_indsatshaendelse"',
    ]
    assert all(" ORDER BY " in sql[index] for index, table in locked)


@pytest.mark.django_db(transaction=True)
def test_two_erasures_of_the_same_person_from_different_entries_at_once_do_not_deadlock(monkeypatch):
    administrator = UserFactory(username="t-slet-samtidig", role="administrator")
    contacts, members = anne()
    original = actions.anonymise_contact_persons

    def slow(ids):
        # Both erasures hold what they locked first while the other takes its first lock.
        time.sleep(0.5)
        return original(ids)

    monkeypatch.setattr(actions, "anonymise_contact_persons", slow)
    barrier = threading.Barrier(2)
    results = [None, None]

    def erase(index, kind, entry):
        try:
            barrier.wait()
            person = PersonWithoutAccount.of(kind, entry)
            results[index] = actions.erase_person_without_account(
                person, "Anmodning", acting_user=administrator
            )
        except Exception as error:  # noqa: BLE001 - the test inspects whatever happened
            results[index] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=erase, args=(0, "kontaktperson", contacts[1])),
        threading.Thread(target=erase, args=(1, "organisationsmedlem", members[0])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    done = [result for result in results if isinstance(result, Anonymisering)]
    refused = [result for result in results if isinstance(result, ValidationError)]
    assert len(done) == 1 and len(refused) == 1, results
    assert actions.NOTHING_LEFT in refused[0].messages
    assert not Kontaktperson.objects.filter(navn="Anne Holm").exists()
    assert not Organisationsmedlem.objects.filter(navn="Anne Holm").exists()
