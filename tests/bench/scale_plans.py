"""Helhedsplaner at national scale, for benchmarks: plans in every state of the lifecycle.

Each plan is walked to its state by the demo's builder (helhedsplaner/demo.py): it creates the plan, fires
every transition with lifecycle.fire(), records the organisationsbestyrelse's, LBF's and the kommune's
decisions, the afdelingsmøder and the conditions met with the application's own functions, and makes each
budget version through the budget's actions, so a generated plan has passed the same guards and carries
the same effects as a plan moved in the application. Notices are not sent (the builder passes
notify=False). What differs from plan to plan (area, afdelinger, state, dates) is drawn from one seed.

An active plan gets what its years hold, made by the same functions as in the application: its reports to
the funders (created by the approval's own effect, the older ones marked ready and sent), last year's goal
figures, milestones and status (the builder's active_years), and the funders' instalments with the payments
received so far (the payments' actions).
"""

import random
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from config.web import roles
from finansiering import actions as budget_actions
from finansiering import allocation
from finansiering.models import Udbetalingspart
from helhedsplaner import demo, lifecycle, payments
from helhedsplaner.models import Haendelse, Helhedsplan, Rapporteringsforpligtelse
from indsatser import demo as indsats_demo
from screening.models import Afdeling, Bestyrelsesmedlem

MAX_AFDELINGER = 8
# How often each state occurs among the generated plans after the first plan in each: most plans run.
STATE_WEIGHTS = {
    lifecycle.IDE: 6,
    lifecycle.ORGANISATIONSBESTYRELSE: 4,
    lifecycle.PRAEKVALIFIKATION_UDARBEJDES: 6,
    lifecycle.PRAEKVALIFIKATION_BEHANDLES: 5,
    lifecycle.PRAEKVALIFICERET: 4,
    lifecycle.HELHEDSPLAN_UDARBEJDES: 8,
    lifecycle.AFDELINGSMOEDER: 6,
    lifecycle.GODKENDELSE: 5,
    lifecycle.AKTIV: 25,
    lifecycle.AFSLUTNING: 6,
    lifecycle.AFSLUTTET: 15,
    lifecycle.OPGIVET: 5,
    lifecycle.AFVIST: 5,
}
# The builder holds the first afdelinger's meetings and plans one more (AFDELINGSMOEDER), the second with
# 41 households present; a no from one of three or more afdelinger takes it out of the plan before it goes
# to the funders (GODKENDELSE on).
FEWEST_AFDELINGER = {lifecycle.AFDELINGSMOEDER: 3}
FEWEST_LEJEMAAL = {lifecycle.AFDELINGSMOEDER: 41}
AFTER_MEETINGS = (lifecycle.GODKENDELSE, lifecycle.AKTIV, lifecycle.AFSLUTNING, lifecycle.AFSLUTTET)
NO_VOTE_SHARE = 0.2
# The builder dates what comes in while a plan waits up to 45 days after it entered its state.
WAITING_DAYS = (50, 400)


class ScalePlan(demo.Builder):
    """The demo's walk for afdelinger chosen here, without the kommune's letters (rendering them as PDFs
    would take most of the build)."""

    def __init__(self, spec, staff, secretariat, board, afdelinger):
        super().__init__(spec, staff, secretariat, board)
        self.chosen = afdelinger

    def afdelinger(self):
        return self.chosen

    def letters(self):
        pass

    def build(self, indsats):
        super().build(indsats)
        if self.spec.target == lifecycle.AKTIV:
            self.instalments()

    def instalments(self):
        """Each funder's grant in one instalment a year, due 1 March; those due more than a month ago were
        received ten days after their date."""
        indsats, today = self.plan.indsats, timezone.localdate()
        years = range(indsats.startdato.year, indsats.slutdato.year + 1)
        for part, granted in payments.tilsagn_by_part(self.plan).items():
            if part not in Udbetalingspart.values or not granted:
                continue
            for number, (year, amount) in enumerate(
                allocation.split_by_weights(granted, dict.fromkeys(years, 1)).items(), start=1
            ):
                due = date(year, 3, 1)
                common = {"part": part, "beloeb": amount, "tilsagn": granted, "acting_user": self.secretariat}
                budget_actions.add_expected_payment(
                    indsats, dato=due, beskrivelse=f"{number}. rate {year}", **common
                )
                if due <= today - timedelta(days=30):
                    budget_actions.record_payment(
                        indsats, dato=due + timedelta(days=10), reference=f"{part.upper()}-{year}", **common
                    )


def pick_targets(count: int, active: int, rng: random.Random) -> list[str]:
    """One plan in every state first, the rest of `count` by STATE_WEIGHTS; then `active` active plans."""
    first = [state.code for state in lifecycle.STATES]
    rest = rng.choices(
        list(STATE_WEIGHTS), weights=list(STATE_WEIGHTS.values()), k=max(count - len(first), 0)
    )
    return (first + rest)[:count] + [lifecycle.AKTIV] * active


def spec_for(number: int, target: str, area: str, afdelinger: int, today: date, rng) -> demo.Spec:
    """Plausible dates for a plan in `target`, walked from its idea in eight even steps to the funders'
    approval (or to the state it waits in); periods are four calendar years."""
    month = timedelta(days=30)
    if target in (lifecycle.AKTIV, lifecycle.AFSLUTNING, lifecycle.AFSLUTTET):
        if target == lifecycle.AKTIV:
            start = date(today.year - rng.randrange(0, 4), 1, 1)
        elif target == lifecycle.AFSLUTNING:
            start = date(today.year - 3, 1, 1)
        else:
            start = date(today.year - rng.randrange(5, 9), 1, 1)
        approved = start - rng.randrange(1, 3) * month
        ide = approved - 8 * rng.randrange(2, 4) * month
        end = start.replace(year=start.year + 4)
        dates = {"approved": approved, "reached": approved}
        if target != lifecycle.AKTIV:
            afslutning = min(end - rng.randrange(2, 6) * month, today - timedelta(days=rng.randrange(3, 60)))
            reached = afslutning if target == lifecycle.AFSLUTNING else end + rng.randrange(1, 6) * month
            dates = {"approved": approved, "afslutning": afslutning, "reached": reached}
    else:
        reached = today - timedelta(days=rng.randrange(*WAITING_DAYS))
        ide = reached - 8 * rng.randrange(1, 3) * month
        start = date(reached.year + 2, 1, 1)
        dates = {"reached": reached}
        if target == lifecycle.IDE:
            ide = reached
    extra = {}
    if target in AFTER_MEETINGS and afdelinger >= 3:
        if rng.random() < NO_VOTE_SHARE:
            extra["no_vote"] = rng.randrange(1, afdelinger)
    return demo.Spec(
        f"Skala helhedsplan {number:04d} {area}",
        area,
        target,
        ide=ide,
        start=start,
        antal=afdelinger,
        resume=f"En helhedsplan for {afdelinger} {'afdeling' if afdelinger == 1 else 'afdelinger'} i {area}.",
        extra=extra,
        **dates,
    )


def areas_with_afdelinger() -> list[list[Afdeling]]:
    by_area = {}
    afdelinger = Afdeling.objects.filter(navn__startswith="Skala ", boligomraade__isnull=False)
    for afdeling in afdelinger.select_related("boligomraade").order_by("boligomraade_id", "nummer", "pk"):
        by_area.setdefault(afdeling.boligomraade_id, []).append(afdeling)
    return list(by_area.values())


def generate_helhedsplaner(rng: random.Random, count: int, active: int, today: date) -> dict:
    """`count` plans in every state and `active` more active ones, each in an area of its own (an afdeling is
    in one plan at a time)."""
    staff = list(
        User.objects.filter(groups__name=roles.MEDARBEJDER, username__startswith="skala-").order_by("pk")
    )
    secretariat = (
        User.objects.filter(groups__name=roles.SEKRETARIAT, username__startswith="skala-")
        .order_by("pk")
        .first()
    )
    indsats_demo.seed_partnere()  # the partners the demo's programme names
    board_of = {}
    for seat in Bestyrelsesmedlem.objects.filter(afdeling__navn__startswith="Skala ").select_related("user"):
        board_of.setdefault(seat.afdeling_id, seat.user)
    areas = areas_with_afdelinger()
    rng.shuffle(areas)
    in_plans = []
    for number, target in enumerate(pick_targets(count, active, rng), start=1):
        fewest = FEWEST_AFDELINGER.get(target, 1)
        suitable = ([a for a in area if a.lejemaal >= FEWEST_LEJEMAAL.get(target, 0)] for area in areas)
        area = next(afdelinger for afdelinger in suitable if len(afdelinger) >= fewest)
        areas = [other for other in areas if other[0].boligomraade_id != area[0].boligomraade_id]
        afdelinger = area[: rng.randint(fewest, min(MAX_AFDELINGER, len(area)))]
        spec = spec_for(number, target, afdelinger[0].boligomraade.navn, len(afdelinger), today, rng)
        state = lifecycle.STATE[target]
        board = next((board_of[a.pk] for a in afdelinger if a.pk in board_of), None)
        # Board members comment on plans open to them where the plan's text can still change.
        if state.review_open and state.editable and board is not None:
            spec.extra["review"] = True
        ScalePlan(spec, rng.choice(staff), secretariat, board, afdelinger).build(None)
        in_plans += afdelinger
    indsats_demo.seed_kontaktpersoner(sorted(in_plans, key=lambda a: a.pk))
    plans = Helhedsplan.objects.filter(indsats__titel__startswith="Skala ")
    return {
        "helhedsplaner": plans.count(),
        "aktive": plans.filter(tilstand=lifecycle.AKTIV).count(),
        "rapporteringsfrister": Rapporteringsforpligtelse.objects.filter(plan__in=plans).count(),
        "hændelser": Haendelse.objects.filter(plan__in=plans).count(),
    }
