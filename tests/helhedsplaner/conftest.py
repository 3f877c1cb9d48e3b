"""Plans in any state, built through the same service functions the application uses."""

from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from finansiering import services
from finansiering.models import Budgetversion, Omkostningstype
from helhedsplaner import decisions, lifecycle
from helhedsplaner.lifecycle import fire
from helhedsplaner.models import Beslutning, Helhedsplan
from indsatser.models import Afslutningsvurdering, Indsats
from tests.factories import AfdelingFactory, HelhedsplanFactory
from tests.indsatser.factories import AktivitetFactory, anchor

Organ, Udfald = Beslutning.Organ, Beslutning.Udfald
TODAY = date(2026, 3, 2)

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


def place(plan, state, **fields) -> Helhedsplan:
    """Put the plan straight into a state (test set-up only: the application moves plans with fire())."""
    values = {"tilstand": state, "fase_nr": plan.fase_nr + 1, **fields}
    if state == lifecycle.AFDELINGSMOEDER:
        values["moederunde"] = plan.moederunde + 1
    Helhedsplan.objects.filter(pk=plan.pk).update(**values)
    Indsats.objects.filter(pk=plan.indsats_id).update(ramme_laast=state in lifecycle.FRAME_LOCKED)
    plan.refresh_from_db()
    plan.indsats.refresh_from_db()
    return plan


def decide(plan, organ, udfald, user, **extra):
    plan.refresh_from_db()
    data = {"organ": organ, "udfald": udfald, "dato": TODAY, "betingelser": "", **extra}
    return decisions.record_decision(plan, user, data, notify=False)


def vote(plan, afdeling, user, stemmer_for, stemmer_imod, stemmer_blanke=0, husstande=None, **extra):
    plan.refresh_from_db()
    meeting = decisions.new_meeting(plan, afdeling)
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
    return decisions.save_meeting(meeting, user, notify=False)


def give_budget(plan, user, amount, *, kilde=None):
    """A budget version for 2027-30 with `amount` in 2027 (and a period for the plan's indsats, if none)."""
    indsats = plan.indsats
    if not indsats.startdato:
        indsats.startdato, indsats.slutdato = date(2027, 1, 1), date(2030, 12, 31)
        indsats.save()
    version = services.opret_version(indsats, user, Budgetversion.Fase.ANSOEGNING, kilde=kilde)
    omraade = services.budget_omraader(indsats)[0]
    services.gem_budgetlinje(version, 2027, omraade, Omkostningstype.objects.first(), Decimal(amount))
    return version


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
            plan = fire(plan, "send_til_organisationsbestyrelsen", staff, notify=False)
        elif state == lifecycle.ORGANISATIONSBESTYRELSE:
            decide(plan, Organ.ORGANISATIONSBESTYRELSE, Udfald.GODKENDT, staff)
            plan = fire(plan, "start_praekvalifikation", staff, notify=False)
        elif state == lifecycle.PRAEKVALIFIKATION_UDARBEJDES:
            plan = fire(plan, "send_praekvalifikation", staff, {"indsendt": TODAY}, notify=False)
        elif state == lifecycle.PRAEKVALIFIKATION_BEHANDLES:
            decide(plan, Organ.LBF, Udfald.GODKENDT, secretariat)
            decide(plan, Organ.KOMMUNE, Udfald.GODKENDT, secretariat)
            plan = fire(plan, "praekvalificer", staff, notify=False)
        elif state == lifecycle.PRAEKVALIFICERET:
            plan = fire(plan, "start_helhedsplan", staff, notify=False)
        elif state == lifecycle.HELHEDSPLAN_UDARBEJDES:
            complete_text(plan)
            plan = fire(plan, "send_til_afdelingsmoeder", staff, notify=False)
        elif state == lifecycle.AFDELINGSMOEDER:
            for afdeling in plan.indsats.afdelinger.all():
                vote(plan, afdeling, staff, 40, 10)
            plan = fire(plan, "send_til_godkendelse", staff, {"indsendt": TODAY}, notify=False)
        elif state == lifecycle.GODKENDELSE:
            decide(plan, Organ.LBF, Udfald.GODKENDT, secretariat)
            decide(
                plan, Organ.KOMMUNE, Udfald.GODKENDT_MED_BETINGELSER, secretariat, betingelser="Årlig status."
            )
            plan = fire(plan, "godkend", staff, {"startdato": date(2027, 1, 1)}, notify=False)
        elif state == lifecycle.AKTIV:
            plan = fire(plan, "start_afslutning", staff, {"begrundelse": "Målene er nået."}, notify=False)
        elif state == lifecycle.AFSLUTNING:
            complete_closing_checklist(plan)
            plan = fire(plan, "afslut", staff, notify=False)
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
def worker_holding(kind, job_id):
    """A worker busy with the job: another database connection holding its claim (job_claims)."""
    worker = connection.copy()
    try:
        with worker.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(hashtext(%s), %s)", [kind, job_id])
        yield
    finally:
        worker.close()
