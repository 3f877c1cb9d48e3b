"""The demo plans: one in every state, built through the service functions, with board review; idempotent.

One test, because seeding takes a few seconds: every check runs on the same seeded data.
"""

import pytest

from finansiering.queries import latest_version
from helhedsplaner import demo, lifecycle, meeting_costs
from helhedsplaner.models import Afdelingsmoede, Beslutning, Helhedsplan, Kommentar
from indsatser import demo as indsatser_demo
from indsatser.models import Indsats
from indsatser.overlap import LIVE, overlaps
from screening import demo as screening_demo
from screening.models import Bestyrelsesmedlem

pytestmark = pytest.mark.django_db


def test_demo_plans(django_assert_max_num_queries):
    afdelinger = screening_demo.seed_afdelinger()
    screening_demo.seed_users(afdelinger)
    indsatser_demo.seed_indsatser()
    assert demo.seed_helhedsplaner() == len(demo.SPECS)

    # A plan in every state, and the coarse indsats status following each.
    assert set(Helhedsplan.objects.values_list("tilstand", flat=True)) == set(lifecycle.STATE)
    for plan in Helhedsplan.objects.select_related("indsats"):
        assert plan.indsats.status == plan.state.indsats_status, plan

    # The demo board member has a plan open for review, with a thread awaiting her, one awaiting fsb and
    # one resolved.
    seats = Bestyrelsesmedlem.objects.filter(user__username="bestyrelse").values_list("afdeling", flat=True)
    open_plans = [
        plan
        for plan in Helhedsplan.objects.filter(indsats__afdelinger__in=seats).distinct()
        if plan.state.review_open
    ]
    threads = Kommentar.objects.threads().filter(plan__in=open_plans, forfatter__username="bestyrelse")
    assert threads.filter(loest__isnull=True, seneste_fra_personale=True).exists()
    assert threads.filter(loest__isnull=True, seneste_fra_personale=False).exists()
    assert threads.filter(loest__isnull=False).exists()

    # The history is dated in the plan's past.
    closed = Helhedsplan.objects.get(indsats__titel="Boligsocial helhedsplan Tingbjerg-Utterslevhuse 2019-23")
    years = {event.tid.year for event in closed.haendelser.all()}
    assert (min(years), max(years)) == (2017, 2024)
    assert closed.tilstand_siden.date().isoformat() == "2024-02-15"

    # From the prækvalifikation on, a plan proposes activities and goals and has the kommune's letters
    # as PDF attachments, so its application packs look like real ones; a closed plan has results.
    drafting = Helhedsplan.objects.get(tilstand=lifecycle.HELHEDSPLAN_UDARBEJDES)
    assert drafting.indsats.aktiviteter.count() >= 10 and drafting.indsats.maalsaetninger.count() >= 4
    assert sorted(drafting.bilag.values_list("filnavn", flat=True)) == [
        "anbefaling-kobenhavns-kommune.pdf",
        "samarbejdsaftale.pdf",
    ]
    assert not closed.indsats.aktiviteter.filter(forankring="").exists()
    assert not closed.indsats.maalsaetninger.filter(maaltal__maalt=None).exists()
    assert not Helhedsplan.objects.get(tilstand=lifecycle.IDE).bilag.exists()

    # Every meeting and decision abides by the rules the forms, the actions and the admin check.
    for record in [*Afdelingsmoede.objects.select_related("plan", "afdeling"), *Beslutning.objects.all()]:
        record.full_clean()
    # The plan that went to the funders after a no: those that stayed pay what their meetings voted on.
    sent = Helhedsplan.objects.get(tilstand=lifecycle.GODKENDELSE)
    changes = meeting_costs.changes(sent, lifecycle.current_meetings(sent), latest_version(sent.indsats))
    assert changes and not any(change.over_limit for change in changes)
    # No afdeling is in two live helhedsplaner at once.
    for indsats in Indsats.objects.filter(helhedsplan__isnull=False, status__in=LIVE):
        assert not overlaps(indsats.afdelinger.all(), indsats.startdato, indsats.slutdato, exclude=indsats)

    # Seeding again changes nothing and costs next to nothing.
    counts = [model.objects.count() for model in (Helhedsplan, Kommentar)]
    with django_assert_max_num_queries(10):
        assert demo.seed_helhedsplaner() == len(demo.SPECS)
    assert counts == [model.objects.count() for model in (Helhedsplan, Kommentar)]
