"""Two users at once, on PostgreSQL with real transactions: one wins, the other is told, nothing is lost."""

import threading
import time

import pytest
from django.db import connection, connections

from helhedsplaner import actions, lifecycle
from helhedsplaner.lifecycle import fire
from helhedsplaner.models import Haendelse, Helhedsplan
from indsatser.transitions import Conflict
from tests.factories import UserFactory

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")


def _run_together(*calls):
    """Start the calls in threads at the same moment; return each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the test inspects whatever happened
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture
def slow_guards(monkeypatch):
    """Hold the row lock a little while checking guards, so the second user really has to wait for it."""
    original = lifecycle.blockers

    def slow(plan, transition):
        problems = original(plan, transition)
        time.sleep(0.3)
        return problems

    monkeypatch.setattr(lifecycle, "blockers", slow)


@pytest.mark.django_db(transaction=True)
def test_two_users_firing_at_once_one_wins(plan, slow_guards):
    first = UserFactory(username="t-samtidig-1", role="medarbejder")
    second = UserFactory(username="t-samtidig-2", role="medarbejder")
    opened_at = plan.fase_nr
    results = _run_together(
        lambda: fire(
            plan,
            "send_til_organisationsbestyrelsen",
            expected_fase_nr=opened_at,
            notify=False,
            acting_user=first,
        ),
        lambda: fire(
            plan,
            "opgiv",
            {"begrundelse": "Opgives."},
            expected_fase_nr=opened_at,
            notify=False,
            acting_user=second,
        ),
    )
    winners = [r for r in results if isinstance(r, Helhedsplan)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], Conflict)
    assert "flyttet" in str(losers[0])
    plan.refresh_from_db()
    assert plan.tilstand == winners[0].tilstand
    assert plan.fase_nr == opened_at + 1
    assert Haendelse.objects.filter(plan=plan, art=Haendelse.Art.OVERGANG).count() == 1


@pytest.fixture
def wait_for_the_other_reader(monkeypatch):
    """Each save, once it has read the plan, waits up to a second for the other save to read it too. The row
    lock keeps the second save out until the first has committed, so the wait runs out (the barrier breaks);
    without the lock both would read the same version and both would save."""
    barrier = threading.Barrier(2, timeout=1)
    original = actions._require_editable

    def meet(plan):
        original(plan)
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass

    monkeypatch.setattr(actions, "_require_editable", meet)
    return barrier


@pytest.mark.django_db(transaction=True)
def test_two_users_saving_the_text_at_once_the_second_is_refused(plan, wait_for_the_other_reader):
    first = UserFactory(username="t-skriver-1", role="medarbejder")
    second = UserFactory(username="t-skriver-2", role="medarbejder")
    version = plan.version
    results = _run_together(
        lambda: actions.save_text(plan, {"resume": "Første udgave."}, version=version, acting_user=first),
        lambda: actions.save_text(plan, {"resume": "Anden udgave."}, version=version, acting_user=second),
    )
    saved = [r for r in results if isinstance(r, Helhedsplan)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(saved) == 1 and len(refused) == 1, results
    assert isinstance(refused[0], Conflict)
    assert wait_for_the_other_reader.broken, "the second save read the plan while the first held it"
    plan.refresh_from_db()
    assert plan.version == version + 1
    assert plan.resume == saved[0].resume
