"""Plans in any state, built through the same service functions the application uses."""

from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from config.web import roles
from finansiering import actions as budget_actions
from finansiering import queries as budget_queries
from finansiering.financing import indsats_finansiering
from finansiering.models import Budgetversion, Omkostningstype
from helhedsplaner import actions, lifecycle, queries
from helhedsplaner.lifecycle import fire
from helhedsplaner.models import Beslutning, Betingelse, Helhedsplan
from indsatser.models import Afslutningsvurdering, Indsats
from tests.factories import AfdelingFactory, HelhedsplanFactory
from tests.indsatser.factories import AktivitetFactory, anchor

Organ, Udfald = Beslutning.Organ, Beslutning.Udfald
TODAY = date(2026, 3, 2)
PLAN_PERIOD = (date(2027, 1, 1), date(2030, 12, 31))
BUDGET = Decimal("1000000.00")
# The states in which the plan works on a draft budget, and those in which one is with the funders.
DRAFTING = (
    lifecycle.PRAEKVALIFIKATION_UDARBEJDES,
    lifecycle.PRAEKVALIFICERET,
    lifecycle.HELHEDSPLAN_UDARBEJDES,
    lifecycle.AFDELINGSMOEDER,
)
# A decision form posted without conditions (its formset's management fields).
NO_CONDITIONS = {"betingelse-TOTAL_FORMS": "3", "betingelse-INITIAL_FORMS": "0"}
WITH_FUNDERS = (lifecycle.PRAEKVALIFIKATION_BEHANDLES, lifecycle.GODKENDELSE)

COMPLETE_TEXT = {
    "resume": "Planen skal give børn og unge bedre chancer.",
    "analyse": "Mange unge uden uddannelse; utryghed om aftenen.",
    "maal": "Flere unge i uddannelse og job.",
    "organisering": "Styregruppe med fsb, kommunen og afdelingsbestyrelserne.",
    "planlagt_start": date(2027, 1, 1),
}


@pytest.fixture
def second_afdeling(db):
    return AfdelingFactory(navn="Anden Afdeling", lejemaal=100)


@pytest.fixture
def plan(db, own_afdeling, second_afdeling, medarbejder):
    return HelhedsplanFactory(
        indsats__titel="Helhedsplan for Testparken",
        indsats__afdelinger=[own_afdeling, second_afdeling],
        indsats__ansvarlig=medarbejder,
    )


def place(plan, state, *, budget=True, **fields) -> Helhedsplan:
    """Put the plan straight into a state (test set-up only: the application moves plans with fire()),
    with the budget the state has: a draft while the plan is written, a submitted version while it is
    with the funders (`budget=False`: none)."""
    values = {"tilstand": state, "fase_nr": plan.fase_nr + 1, **fields}
    if state == lifecycle.AFDELINGSMOEDER:
        values["moederunde"] = plan.moederunde + 1
    Helhedsplan.objects.filter(pk=plan.pk).update(**values)
    # The budget the state has was laid down before the frame was locked.
    Indsats.objects.filter(pk=plan.indsats_id).update(ramme_laast=False)
    plan.refresh_from_db()
    if budget and state in DRAFTING:
        give_budget(plan)
    elif budget and state in WITH_FUNDERS and budget_queries.submitted_version(plan.indsats) is None:
        budget_actions.submit_budget(give_budget(plan), acting_user=None)
    Indsats.objects.filter(pk=plan.indsats_id).update(ramme_laast=state in lifecycle.FRAME_LOCKED)
    plan.indsats.refresh_from_db()
    return plan


def give_budget(plan, user=None, amount=BUDGET, *, kilde=None):
    """A new draft budget version with `amount` in the plan's first year, copying `kilde`'s other lines
    (and a period 2027-30 for the plan's indsats, if it has none)."""
    indsats = plan.indsats
    if indsats.startdato is None:
        Indsats.objects.filter(pk=indsats.pk).update(startdato=PLAN_PERIOD[0], slutdato=PLAN_PERIOD[1])
        indsats.refresh_from_db()
    version = budget_actions.create_version(
        indsats, Budgetversion.Fase.ANSOEGNING, "Revideret.", kilde=kilde, acting_user=user
    )
    omraade = budget_queries.budget_omraader(indsats)[0]
    first_type = Omkostningstype.objects.first()
    budget_actions.save_budget_line(
        version, indsats.startdato.year, omraade, first_type, Decimal(amount), acting_user=user
    )
    return version


def shares_of_submitted_budget(plan) -> dict:
    """LBF's and the kommune's shares of the budget with the funders: the tilsagn that matches it."""
    totals = {}
    for part in indsats_finansiering(plan.indsats, budget_queries.submitted_version(plan.indsats)).parter:
        totals[part.art] = totals.get(part.art, Decimal(0)) + part.total
    return {organ: totals.get(art, Decimal(0)) for organ, art in lifecycle.FUNDER_PARTY.items()}


def decide(plan, organ, udfald, user, **extra):
    """Record a decision. A funder approving the plan grants its share of the submitted budget, and an
    approval with conditions has one, unless the test says otherwise."""
    plan.refresh_from_db()
    data = {"organ": organ, "udfald": udfald, "dato": TODAY, **extra}
    grants = plan.tilstand == lifecycle.GODKENDELSE and organ in lifecycle.FUNDERS
    if grants and udfald in Beslutning.POSITIVE and "bevilget_beloeb" not in data:
        data["bevilget_beloeb"] = shares_of_submitted_budget(plan)[organ]
    if udfald == Udfald.GODKENDT_MED_BETINGELSER and "betingelser" not in data:
        follower = User.objects.filter(groups__name=roles.MEDARBEJDER).first()
        data["betingelser"] = [
            {"tekst": "Årlig status.", "frist": TODAY + timedelta(days=365), "ansvarlig": follower}
        ]
    return actions.record_decision(plan, data, notify=False, acting_user=user)


def vote(plan, afdeling, user, stemmer_for, stemmer_imod, stemmer_blanke=0, husstande=None, **extra):
    plan.refresh_from_db()
    meeting = queries.new_meeting(plan, afdeling)
    # Held today: a meeting with votes lies between the day the plan was sent to the meetings and today.
    meeting.dato = extra.pop("dato", timezone.localdate())
    meeting.husstande = husstande if husstande is not None else stemmer_for + stemmer_imod + stemmer_blanke
    meeting.stemmer_for, meeting.stemmer_imod, meeting.stemmer_blanke = (
        stemmer_for,
        stemmer_imod,
        stemmer_blanke,
    )
    for name, value in extra.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    return actions.save_meeting(meeting, notify=False, acting_user=user)


def complete_text(plan):
    Helhedsplan.objects.filter(pk=plan.pk).update(**COMPLETE_TEXT)
    plan.refresh_from_db()


def complete_closing_checklist(plan):
    """The five criteria assessed, and an activity with its forankring (a plan closes with activities)."""
    for kriterium in Afslutningsvurdering.Kriterium:
        Afslutningsvurdering.objects.update_or_create(
            indsats=plan.indsats,
            kriterium=kriterium,
            defaults={"opfyldt": True, "begrundelse": "Vurderet på styregruppens møde med afdelingerne."},
        )
    if not plan.indsats.aktiviteter.exists():
        anchor(AktivitetFactory(indsats=plan.indsats))


def walk(plan, target, staff, secretariat) -> Helhedsplan:
    """Move the plan along the main path to `target`, recording the decisions and votes each step needs."""
    while plan.tilstand != target:
        state = plan.tilstand
        if state == lifecycle.IDE:
            plan = fire(plan, "send_til_organisationsbestyrelsen", notify=False, acting_user=staff)
        elif state == lifecycle.ORGANISATIONSBESTYRELSE:
            decide(plan, Organ.ORGANISATIONSBESTYRELSE, Udfald.GODKENDT, staff)
            plan = fire(plan, "start_praekvalifikation", notify=False, acting_user=staff)
        elif state == lifecycle.PRAEKVALIFIKATION_UDARBEJDES:
            estimate = budget_queries.latest_version(plan.indsats)
            if estimate is None or not estimate.linjer.exists():
                give_budget(plan, user=staff)
            plan = fire(plan, "send_praekvalifikation", {"indsendt": TODAY}, notify=False, acting_user=staff)
        elif state == lifecycle.PRAEKVALIFIKATION_BEHANDLES:
            decide(plan, Organ.LBF, Udfald.GODKENDT, secretariat)
            decide(plan, Organ.KOMMUNE, Udfald.GODKENDT, secretariat)
            plan = fire(plan, "praekvalificer", notify=False, acting_user=staff)
        elif state == lifecycle.PRAEKVALIFICERET:
            plan = fire(plan, "start_helhedsplan", notify=False, acting_user=staff)
        elif state == lifecycle.HELHEDSPLAN_UDARBEJDES:
            complete_text(plan)
            plan = fire(plan, "send_til_afdelingsmoeder", notify=False, acting_user=staff)
        elif state == lifecycle.AFDELINGSMOEDER:
            for afdeling in plan.indsats.afdelinger.all():
                vote(plan, afdeling, staff, 40, 10)
            plan = fire(plan, "send_til_godkendelse", {"indsendt": TODAY}, notify=False, acting_user=staff)
        elif state == lifecycle.GODKENDELSE:
            decide(plan, Organ.LBF, Udfald.GODKENDT, secretariat)
            decide(plan, Organ.KOMMUNE, Udfald.GODKENDT_MED_BETINGELSER, secretariat)
            plan = fire(plan, "godkend", {"startdato": date(2027, 1, 1)}, notify=False, acting_user=staff)
        elif state == lifecycle.AKTIV:
            plan = fire(
                plan, "start_afslutning", {"begrundelse": "Målene er nået."}, notify=False, acting_user=staff
            )
        elif state == lifecycle.AFSLUTNING:
            complete_closing_checklist(plan)
            for condition in plan.betingelser.filter(status=Betingelse.Status.AABEN):
                actions.mark_condition_met(condition, note="Opfyldt.", acting_user=staff)
            plan = fire(plan, "afslut", notify=False, acting_user=staff)
        else:
            raise AssertionError(f"cannot walk from {state}")
    return plan


@pytest.fixture
def walk_to(medarbejder, sekretariat):
    def go(plan, target):
        return walk(plan, target, medarbejder, sekretariat)

    return go


@pytest.fixture
def private_storage(settings, tmp_path):
    """Uploads go to a temporary private folder instead of var/private."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path, "base_url": None},
        },
    }
    return tmp_path


@contextmanager
def worker_holding(job):
    """A worker busy with the job: another database connection holding its claim (config.web.jobs.hold)."""
    worker = connection.copy()
    try:
        with worker.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(hashtext(%s), %s)", [job._meta.label_lower, job.pk])
        yield
    finally:
        worker.close()
