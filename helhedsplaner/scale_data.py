"""Synthetic helhedsplaner at national scale, for benchmarks: plans in every state of the lifecycle.

A plan in a later state carries what its walk through the lifecycle would have left: one event per
transition, and the decisions and afdelingsmøder that each transition's guards ask for, recorded under the
fasenummer they counted for. The walk is read from the declaration in lifecycle.py (the transitions from
the idea to the plan's state and their guards), so a generated plan passes the same checks as a plan moved
by fire(). Texts, budgets, the fordelingsnøgle, partners and contact persons come from the demo data's
building blocks. Every row is written with batched bulk_create (with its history row where the application
keeps history), so 300 plans take seconds, not the minutes that walking them through fire() would.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from config.web import roles
from finansiering import demo as budget_demo
from finansiering import queries as budget_queries
from finansiering.models import (
    Budgetlinje,
    Budgetversion,
    Finansieringspart,
    Fordelingsnoegle,
    Kommuneanvendelse,
    Omkostningstype,
    Regnskabslinje,
)
from helhedsplaner import demo, lifecycle
from helhedsplaner.decisions import _decision_text
from helhedsplaner.models import (
    TEXT_SECTIONS,
    Afdelingsmoede,
    Beslutning,
    Haendelse,
    Helhedsplan,
    Kommentar,
    Organisationsmedlem,
)
from indsatser import demo as indsats_demo
from indsatser.models import (
    Afslutningsvurdering,
    Aktivitet,
    Aktivitetstype,
    Deltagertal,
    Finansieringsperiode,
    Indikator,
    Indsats,
    Indsatstype,
    Maal,
    Maalgruppe,
    Maalsaetning,
    Maaltal,
)
from screening.models import Afdeling, Bestyrelsesmedlem

Organ, Udfald = Beslutning.Organ, Beslutning.Udfald
BATCH = 5000
PERIODE = "2019-26"
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
STARTED = (lifecycle.AKTIV, lifecycle.AFSLUTNING, lifecycle.AFSLUTTET)


def main_path_index(state: str) -> int:
    return lifecycle.MAIN_PATH.index(state)


def forward_path(target: str) -> list[lifecycle.Transition]:
    """The forward transitions from the idea to `target` along the lifecycle's main path."""
    states = lifecycle.MAIN_PATH[: main_path_index(target) + 1]
    return [
        next(t for t in lifecycle.transitions_from(source) if t.target == following and t.kind == "frem")
        for source, following in zip(states, states[1:], strict=False)
    ]


def path_to(target: str, rng: random.Random) -> list[lifecycle.Transition]:
    """The transitions a plan now in `target` went through. A side exit is taken from a state picked at
    random among those it can be taken from."""
    if target in lifecycle.MAIN_PATH:
        return forward_path(target)
    exit_transition = rng.choice([t for t in lifecycle.TRANSITIONS if t.target == target])
    return [*forward_path(rng.choice(exit_transition.sources)), exit_transition]


@dataclass
class Timeline:
    """When the plan began as an idea and entered its current state, and its (planned) period."""

    ide: date
    reached: date
    start: date
    approved: date | None = None  # started plans: when LBF and the kommune had approved
    afslutning: date | None = None  # plans being or having been closed: when closing started

    @property
    def slut(self) -> date:
        return self.start.replace(year=self.start.year + 4) - timedelta(days=1)


def timeline_for(target: str, steps: int, today: date, rng: random.Random) -> Timeline:
    """Plausible dates for a plan in `target` after `steps` transitions; periods are four calendar years."""
    month = timedelta(days=30)
    if target in lifecycle.SIDE_EXITS:
        reached = today - timedelta(days=rng.randrange(60, 1500))
        return Timeline(reached - steps * rng.randrange(1, 3) * month, reached, date(reached.year + 2, 1, 1))
    if target not in STARTED:
        reached = today - timedelta(days=rng.randrange(3, 200))
        start = date(today.year + rng.randrange(1, 3), 1, 1)
        return Timeline(reached - steps * rng.randrange(1, 3) * month, reached, start)
    if target == lifecycle.AKTIV:
        start = date(today.year - rng.randrange(0, 4), 1, 1)
    elif target == lifecycle.AFSLUTNING:
        start = date(today.year - 3, 1, 1)
    else:
        start = date(today.year - rng.randrange(5, 9), 1, 1)
    approved = start - rng.randrange(1, 3) * month
    ide = approved - steps * rng.randrange(2, 4) * month
    end = start.replace(year=start.year + 4)
    if target == lifecycle.AKTIV:
        return Timeline(ide, approved, start, approved)
    afslutning = min(end - rng.randrange(2, 6) * month, today - timedelta(days=rng.randrange(3, 60)))
    reached = afslutning if target == lifecycle.AFSLUTNING else end + rng.randrange(1, 6) * month
    return Timeline(ide, reached, start, approved, afslutning)


def moment(day: date, minutes: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0))) + timedelta(minutes=minutes)


@dataclass
class Reference:
    """What the generated plans point at: users, the helhedsplan type, the catalogues."""

    today: date
    staff: list
    secretariat: User
    helhedsplan_type: Indsatstype
    periode: Finansieringsperiode
    omraader: dict  # the period's indsatsområder by id
    activity_types: list
    partners: list
    indicators: list
    maal: list
    maalgrupper: list
    board_of: dict  # afdeling id -> the users on its board

    @classmethod
    def load(cls, today: date, afdeling_ids) -> "Reference":
        periode = Finansieringsperiode.objects.get(navn=PERIODE)
        board_of = {}
        for seat in Bestyrelsesmedlem.objects.filter(afdeling_id__in=afdeling_ids).select_related("user"):
            board_of.setdefault(seat.afdeling_id, []).append(seat.user)
        return cls(
            today=today,
            staff=list(
                User.objects.filter(groups__name=roles.MEDARBEJDER, username__startswith="skala-").order_by(
                    "pk"
                )
            ),
            secretariat=User.objects.filter(groups__name=roles.SEKRETARIAT, username__startswith="skala-")
            .order_by("pk")
            .first(),
            helhedsplan_type=Indsatstype.objects.get(kode=Indsatstype.HELHEDSPLAN),
            periode=periode,
            omraader={o.pk: o for o in periode.indsatsomraader.all()},
            activity_types=list(Aktivitetstype.objects.filter(i_brug=True)),
            partners=list(indsats_demo.seed_partnere().values()),
            indicators=list(Indikator.objects.filter(bymaal__isnull=False)),
            maal=list(Maal.objects.all()),
            maalgrupper=list(Maalgruppe.objects.all()),
            board_of=board_of,
        )


@dataclass
class Rows:
    """Every row of every generated plan, written table by table once all plans are laid out."""

    walks: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    events: list = field(default_factory=list)
    members: list = field(default_factory=list)
    threads: list = field(default_factory=list)
    answers: list = field(default_factory=list)
    activities: list = field(default_factory=list)
    participants: list = field(default_factory=list)
    goals: list = field(default_factory=list)
    goal_values: list = field(default_factory=list)
    assessments: list = field(default_factory=list)


class PlanWalk:
    """One plan: its indsats, its walk to the target state and what the walk left behind."""

    def __init__(self, rows: Rows, ref: Reference, rng: random.Random, number: int, target, afdelinger):
        self.rows, self.ref, self.rng, self.target = rows, ref, rng, target
        self.steps = path_to(target, rng)
        self.when = timeline_for(target, len(self.steps), ref.today, rng)
        visited = [lifecycle.IDE, *(t.target for t in self.steps)]
        # How far along the main path the plan came (a plan on a side exit: where it left the path).
        self.furthest = max(main_path_index(s) for s in visited if s in lifecycle.MAIN_PATH)
        self.afdelinger = list(afdelinger)  # a no at an afdelingsmøde takes an afdeling out
        self.state, self.fase_nr, self.moederunde = lifecycle.IDE, 0, 0
        self.meeting_rounds_held = set()
        self.staff = rng.choice(ref.staff)
        started = target in STARTED
        area = afdelinger[0].boligomraade.navn
        afdeling_word = "afdeling" if len(afdelinger) == 1 else "afdelinger"
        self.indsats = Indsats(
            titel=f"Skala helhedsplan {number:04d} {area}",
            type=ref.helhedsplan_type,
            periode=ref.periode if started else None,
            startdato=self.when.start,
            slutdato=self.when.slut,
            beskrivelse=demo.ANALYSE.split("\n")[0],
            status=lifecycle.STATE[target].indsats_status,
            ramme_laast=target in lifecycle.FRAME_LOCKED,
            ansvarlig=self.staff,
        )
        self.plan = Helhedsplan(
            indsats=self.indsats,
            tilstand=target,
            resume=f"En helhedsplan for {len(afdelinger)} {afdeling_word} i {area}.",
            analyse=demo.ANALYSE,
            maal=demo.MAAL,
            organisering=demo.ORGANISERING,
            planlagt_start=self.when.start,
        )
        for row in (self.indsats, self.plan):
            row._history_date, row._history_user = moment(self.when.ide), self.staff
        self.activities = []
        self.approval_event = None

    def lay_out(self) -> None:
        self.content()
        self.walk()
        self.comments()
        self.rows.walks.append(self)

    # --- the walk ---------------------------------------------------------------------------------

    def step_days(self) -> list[date]:
        """Evenly spaced from the idea to approval (or to the current state); closing on its own dates."""
        closing = [t for t in self.steps if t.target in (lifecycle.AFSLUTNING, lifecycle.AFSLUTTET)]
        before = len(self.steps) - len(closing)
        end = self.when.approved or self.when.reached
        span = (end - self.when.ide).days
        days = [self.when.ide + timedelta(days=span * (i + 1) // before) for i in range(before)]
        return days + [self.when.afslutning, self.when.reached][: len(closing)]

    def walk(self) -> None:
        self.event(Haendelse.Art.OPRETTET, self.when.ide, til_tilstand=lifecycle.IDE)
        for transition, day in zip(self.steps, self.step_days(), strict=True):
            for guard in transition.guards:
                self.EVIDENCE[guard.code](self, day)
            if transition.name == "opgiv" and self.state == lifecycle.ORGANISATIONSBESTYRELSE:
                self.decide(Organ.ORGANISATIONSBESTYRELSE, Udfald.AFVIST, day - timedelta(days=5))
            notes = []
            if transition.target == lifecycle.AFDELINGSMOEDER:
                self.moederunde += 1
            if transition.target == lifecycle.GODKENDELSE:
                notes = self.drop_afdelinger_voting_no()
            if transition.target == lifecycle.AFSLUTTET:
                self.indsats.afsluttet_af, self.indsats.afsluttet_tidspunkt = self.staff, moment(day)
            event = self.event(
                Haendelse.Art.OVERGANG,
                day,
                minutes=60,
                overgang=transition.name,
                fra_tilstand=self.state,
                til_tilstand=transition.target,
                tekst="\n".join([*lifecycle._input_lines(transition, self.inputs(transition, day)), *notes]),
            )
            if transition.target == lifecycle.AKTIV:
                self.approval_event = event  # write_budgets notes the version the funders approved
            self.state = transition.target
            self.fase_nr += 1
        self.plan.fase_nr, self.plan.moederunde = self.fase_nr, self.moederunde
        self.plan.tilstand_siden = moment(self.when.reached, 60)
        self.awaiting()

    def inputs(self, transition, day) -> dict:
        values = {
            "indsendt": day,
            "startdato": self.when.start,
            "slutdato": self.when.slut,
            "begrundelse": "Besluttet i styregruppen.",
            "kommentar": "",
        }
        return {spec.name: values[spec.name] for spec in transition.inputs}

    def event(self, art, day, minutes=0, user=None, **fields) -> Haendelse:
        event = Haendelse(
            plan=self.plan, tid=moment(day, minutes), bruger=user or self.staff, art=art, **fields
        )
        self.rows.events.append(event)
        return event

    def decide(self, organ, udfald, day, **fields) -> Beslutning:
        user = self.ref.secretariat if organ in lifecycle.FUNDERS else self.staff
        decision = Beslutning(
            plan=self.plan,
            organ=organ,
            dato=day,
            udfald=udfald,
            fase=self.state,
            fase_nr=self.fase_nr,
            registreret_af=user,
            registreret=moment(day),
            **fields,
        )
        decision._history_date, decision._history_user = decision.registreret, user
        self.rows.decisions.append(decision)
        if organ != Organ.AFDELINGSMOEDE:
            self.event(
                Haendelse.Art.BESLUTNING,
                day,
                user=user,
                beslutning=decision,
                tekst=_decision_text(decision, []),
            )
        return decision

    def hold_meeting(self, afdeling, day, yes=True) -> None:
        households = max(10, afdeling.lejemaal * self.rng.randrange(8, 20) // 100)
        votes = households * 2 - self.rng.randrange(0, households // 2 + 1)
        blanke = votes // self.rng.randrange(15, 40)
        majority = (votes - blanke) * self.rng.randrange(60, 90) // 100
        meeting = Afdelingsmoede(
            plan=self.plan,
            afdeling=afdeling,
            runde=self.moederunde,
            dato=day,
            indkaldt_dato=day - timedelta(days=self.rng.randrange(21, 45)),
            husstande=households,
            stemmer_for=majority if yes else votes - blanke - majority,
            stemmer_imod=votes - blanke - majority if yes else majority,
            stemmer_blanke=blanke,
            registreret_af=self.staff,
        )
        meeting._history_date, meeting._history_user = moment(day), self.staff
        self.rows.meetings.append(meeting)
        decision = self.decide(
            Organ.AFDELINGSMOEDE,
            Udfald.GODKENDT if meeting.vedtaget else Udfald.AFVIST,
            day,
            afdeling=afdeling,
            afdelingsmoede=meeting,
            bemaerkning=meeting.resultat_tekst(),
        )
        self.event(
            Haendelse.Art.AFDELINGSMOEDE,
            day,
            afdelingsmoede=meeting,
            beslutning=decision,
            tekst=f"Afdelingsmøde i {afdeling} den {day:%d.%m.%Y}: {meeting.resultat_tekst()}.",
        )

    # What each guard on the path needs recorded before its transition fires on `day`.

    def plan_itself(self, day):
        """Met by the plan's own text and afdelinger, which every generated plan has."""

    def costs_voted_on(self, day):
        """Met without more: the generated meetings store no cost (their budgets are written in bulk
        afterwards), so no rise above what they voted on can be measured."""

    def budget_of_its_time(self, day):
        """Met by the budget versions write_budgets() gives the plan: an estimate before the prækvalifikation,
        the application's budget from the helhedsplan on, submitted with each application. (The generated
        plans record no granted amounts: the funders' decisions carry no tilsagn.)"""

    def organisation_approves(self, day):
        number = f"OB-{day:%Y}-{self.rng.randrange(1, 999):03d}"
        self.decide(
            Organ.ORGANISATIONSBESTYRELSE, Udfald.GODKENDT, day - timedelta(days=3), journalnummer=number
        )

    def funders_approve(self, day):
        number = f"LBF-{day:%Y}-{self.rng.randrange(1, 9999):04d}"
        self.decide(Organ.LBF, Udfald.GODKENDT, day - timedelta(days=10), journalnummer=number)
        self.decide(
            Organ.KOMMUNE,
            Udfald.GODKENDT,
            day - timedelta(days=4),
            journalnummer=f"KK-{day:%Y}-{self.rng.randrange(1, 9999):04d}",
        )

    def funder_refuses(self, day):
        self.decide(
            Organ.LBF,
            Udfald.AFVIST,
            day - timedelta(days=6),
            bemaerkning="Området opfylder ikke kriterierne i denne periode.",
        )

    def meetings_held(self, day):
        """Every afdeling's meeting in the weeks before; in a plan of several afdelinger, sometimes a no."""
        if self.moederunde in self.meeting_rounds_held:
            return  # both meeting guards are met by the same meetings
        self.meeting_rounds_held.add(self.moederunde)
        no_vote = None
        if len(self.afdelinger) > 2 and self.rng.random() < 0.2:
            no_vote = self.rng.randrange(len(self.afdelinger))
        for index, afdeling in enumerate(self.afdelinger):
            self.hold_meeting(afdeling, day - timedelta(days=7 + 7 * (index % 3)), yes=index != no_vote)

    def closing_assessed(self, day):
        for kriterium in Afslutningsvurdering.Kriterium:
            assessment = Afslutningsvurdering(
                indsats=self.indsats,
                kriterium=kriterium,
                opfyldt=kriterium != Afslutningsvurdering.Kriterium.OPBAKNING,
                begrundelse="Vurderet af styregruppen ud fra målopfølgningen.",
            )
            assessment._history_date = moment(day)
            self.rows.assessments.append(assessment)
        for activity in self.activities:
            activity.status = Aktivitet.Status.AFSLUTTET
            activity.forankring = self.rng.choice(
                [Aktivitet.Forankring.FSB_DRIFT, Aktivitet.Forankring.KOMMUNE, Aktivitet.Forankring.NGO]
            )
            activity.forankring_hvem = "Socialforvaltningen, Københavns Kommune"
            activity.forankring_fra = self.when.slut + timedelta(days=1)

    EVIDENCE = {
        lifecycle.HAS_AFDELINGER.code: plan_itself,
        lifecycle.HAS_ANALYSIS.code: plan_itself,
        lifecycle.PLAN_TEXT_COMPLETE.code: plan_itself,
        lifecycle.ORGANISATION_APPROVED.code: organisation_approves,
        lifecycle.FUNDERS_APPROVED.code: funders_approve,
        lifecycle.FUNDER_REFUSED.code: funder_refuses,
        lifecycle.MEETINGS_RECORDED.code: meetings_held,
        lifecycle.SOME_AFDELING_ADOPTED.code: meetings_held,
        lifecycle.COST_RISE_WITHIN_LIMIT.code: costs_voted_on,
        lifecycle.CLOSING_CHECKLIST_COMPLETE.code: closing_assessed,
        lifecycle.BUDGET_ESTIMATE_READY.code: budget_of_its_time,
        lifecycle.BUDGET_READY_TO_SUBMIT.code: budget_of_its_time,
        lifecycle.AFDELING_COSTS_KNOWN.code: budget_of_its_time,
        lifecycle.TILSAGN_MATCHES_BUDGET.code: budget_of_its_time,
    }

    def drop_afdelinger_voting_no(self) -> list[str]:
        """The effect of sending the plan on: an afdeling that voted no leaves it."""
        voted_no = {
            m.afdeling.pk
            for m in self.rows.meetings
            if m.plan is self.plan and m.runde == self.moederunde and not m.vedtaget
        }
        dropped = [a for a in self.afdelinger if a.pk in voted_no]
        if not dropped:
            return []
        self.afdelinger = [a for a in self.afdelinger if a.pk not in voted_no]
        return [f"Udgår af planen efter nej på afdelingsmødet: {', '.join(str(a) for a in dropped)}."]

    def since_reached(self, fraction: float) -> date:
        """A day between entering the current state and today: what came in since is in the past."""
        return self.when.reached + timedelta(days=int((self.ref.today - self.when.reached).days * fraction))

    def awaiting(self) -> None:
        """What has come in so far in a state that waits for decisions."""
        reached = self.when.reached
        if self.target == lifecycle.AFDELINGSMOEDER:
            held = len(self.afdelinger) // 2
            for index, afdeling in enumerate(self.afdelinger[:held]):
                self.hold_meeting(afdeling, self.since_reached((index + 1) / (held + 1)))
            for afdeling in self.afdelinger[held : held + 1]:
                planned = Afdelingsmoede(
                    plan=self.plan,
                    afdeling=afdeling,
                    runde=self.moederunde,
                    dato=self.ref.today + timedelta(days=self.rng.randrange(10, 40)),
                    registreret_af=self.staff,
                )
                planned._history_date = moment(reached)
                self.rows.meetings.append(planned)
        elif self.target in (lifecycle.PRAEKVALIFIKATION_BEHANDLES, lifecycle.GODKENDELSE):
            if self.rng.random() < 0.5:
                number = f"LBF-{reached:%Y}-{self.rng.randrange(1, 9999):04d}"
                self.decide(Organ.LBF, Udfald.GODKENDT, self.since_reached(0.5), journalnummer=number)

    # --- content ------------------------------------------------------------------------------------

    def content(self) -> None:
        """Activities (with participants once running), goals and the plan's organisation, once the
        helhedsplan itself is being written."""
        if self.furthest < main_path_index(lifecycle.HELHEDSPLAN_UDARBEJDES):
            return
        started = self.target in STARTED
        last_year = min(self.when.slut.year, self.ref.today.year)
        for kind in self.rng.sample(self.ref.activity_types, self.rng.randrange(4, 9)):
            activity = Aktivitet(
                indsats=self.indsats,
                aktivitetstype=kind,
                indsatsomraade=self.ref.omraader.get(kind.indsatsomraade_id),
                ansvarlig_partner=self.rng.choice(self.ref.partners),
                status=Aktivitet.Status.I_GANG if started else Aktivitet.Status.PLANLAGT,
            )
            self.activities.append(activity)
            self.rows.activities.append(activity)
            if started:
                self.rows.participants += [
                    Deltagertal(aktivitet=activity, aar=year, antal=self.rng.randrange(8, 160))
                    for year in range(self.when.start.year, last_year + 1)
                ]
        for indicator in self.rng.sample(self.ref.indicators, self.rng.randrange(2, 4)):
            baseline = Decimal(self.rng.randrange(40, 300)) / 10
            goal = Maalsaetning(
                indsats=self.indsats,
                indikator=indicator,
                baseline=baseline,
                baseline_aar=self.when.start.year - 1,
            )
            self.rows.goals.append(goal)
            step = Decimal(-1 if not indicator.hoejere_er_bedre else 1) / 2
            for offset, year in enumerate(range(self.when.start.year, self.when.slut.year + 1), start=1):
                measured = started and year < self.ref.today.year
                self.rows.goal_values.append(
                    Maaltal(
                        maalsaetning=goal,
                        aar=year,
                        maal=max(baseline + step * offset, Decimal(0)),
                        maalt=baseline + step * self.rng.randrange(0, offset + 1) if measured else None,
                    )
                )
        for gruppe, rolle in (
            (Organisationsmedlem.Gruppe.STYREGRUPPE, "Formand, afdelingsbestyrelsen"),
            (Organisationsmedlem.Gruppe.STYREGRUPPE, "Københavns Kommune, Socialforvaltningen"),
            (Organisationsmedlem.Gruppe.FOELGEGRUPPE, "Beboer"),
        ):
            navn = f"{self.rng.choice(indsats_demo.FORNAVNE)} {self.rng.choice(indsats_demo.EFTERNAVNE)}"
            member = Organisationsmedlem(plan=self.plan, gruppe=gruppe, navn=navn, rolle=rolle)
            self.rows.members.append(member)

    def comments(self) -> None:
        """Board members of the plan's afdelinger comment while it is open for review; fsb answers some."""
        if not lifecycle.STATE[self.target].review_open:
            return
        board = [user for a in self.afdelinger for user in self.ref.board_of.get(a.pk, [])]
        if not board:
            return
        for number in range(self.rng.randrange(1, 4)):
            author = self.rng.choice(board)
            sektion, label = self.rng.choice(TEXT_SECTIONS)
            written = self.since_reached((number + 1) / 5)
            answered = number % 2 == 0
            thread = Kommentar(
                plan=self.plan,
                sektion=sektion,
                forfatter=author,
                tekst=f"Afsnittet «{label}» nævner ikke de ældre beboere. Kan planen også nå dem?",
                oprettet=moment(written),
                seneste_fra_personale=answered,
            )
            self.rows.threads.append(thread)
            self.event(Haendelse.Art.KOMMENTAR, written, user=author, kommentar=thread, tekst=thread.tekst)
            if answered:
                answer = Kommentar(
                    plan=self.plan,
                    sektion=sektion,
                    traad=thread,
                    forfatter=self.staff,
                    tekst="Tak. Vi skriver et afsnit om de ældre beboere ind.",
                    oprettet=moment(written, minutes=240),
                    fra_personale=True,
                )
                self.rows.answers.append(answer)
                self.event(Haendelse.Art.KOMMENTAR, written, 240, kommentar=answer, tekst=answer.tekst)


def pick_targets(count: int, rng: random.Random) -> list[str]:
    """One plan in every state first, the rest by STATE_WEIGHTS."""
    first = [state.code for state in lifecycle.STATES]
    rest = rng.choices(
        list(STATE_WEIGHTS), weights=list(STATE_WEIGHTS.values()), k=max(count - len(first), 0)
    )
    return (first + rest)[:count]


def areas_with_afdelinger() -> list[list[Afdeling]]:
    by_area = {}
    afdelinger = Afdeling.objects.filter(navn__startswith="Skala ", boligomraade__isnull=False)
    for afdeling in afdelinger.select_related("boligomraade").order_by("boligomraade_id", "nummer", "pk"):
        by_area.setdefault(afdeling.boligomraade_id, []).append(afdeling)
    return list(by_area.values())


def generate_helhedsplaner(rng: random.Random, count: int, today: date) -> dict:
    areas = areas_with_afdelinger()
    chosen = []
    for _ in range(count):
        area = rng.choice(areas)
        picked = rng.sample(area, min(rng.randint(1, MAX_AFDELINGER), len(area)))
        chosen.append(sorted(picked, key=lambda a: (a.nummer, a.pk)))
    ref = Reference.load(today, {a.pk for afdelinger in chosen for a in afdelinger})
    rows = Rows()
    for number, (target, afdelinger) in enumerate(
        zip(pick_targets(count, rng), chosen, strict=True), start=1
    ):
        PlanWalk(rows, ref, rng, number, target, afdelinger).lay_out()
    write_plans(rows, ref, rng)
    budget_counts = write_budgets(rows, ref, rng)
    Haendelse.objects.bulk_create(rows.events, batch_size=BATCH)
    all_afdelinger = sorted(
        {a.pk: a for afdelinger in chosen for a in afdelinger}.values(), key=lambda a: a.pk
    )
    indsats_demo.seed_kontaktpersoner(all_afdelinger)
    return {
        "helhedsplaner": len(rows.walks),
        "hændelser": len(rows.events),
        "beslutninger": len(rows.decisions),
        "afdelingsmøder": len(rows.meetings),
        "aktiviteter": len(rows.activities),
        **budget_counts,
    }


def write_plans(rows: Rows, ref: Reference, rng: random.Random) -> None:
    """Every plan row but the events, table by table: a row's foreign keys are saved before it."""
    walks = rows.walks
    bulk_create_with_history([w.indsats for w in walks], Indsats, batch_size=BATCH)
    through = {
        Indsats.afdelinger.through: lambda w: [{"afdeling_id": a.pk} for a in w.afdelinger],
        Indsats.maal.through: lambda w: [{"maal_id": m.pk} for m in ref.maal],
        Indsats.maalgrupper.through: lambda w: [
            {"maalgruppe_id": g.pk} for g in rng.sample(ref.maalgrupper, rng.randrange(2, 5))
        ],
        Indsats.partnere.through: lambda w: [
            {"partner_id": p.pk} for p in rng.sample(ref.partners, rng.randrange(3, 6))
        ],
        Indsats.indsatsomraader.through: lambda w: [
            {"indsatsomraade_id": pk} for pk in (ref.omraader if w.target in STARTED else [])
        ],
    }
    for model, links in through.items():
        model.objects.bulk_create(
            [model(indsats_id=w.indsats.pk, **link) for w in walks for link in links(w)], batch_size=BATCH
        )
    bulk_create_with_history([w.plan for w in walks], Helhedsplan, batch_size=BATCH)
    for objects, model in (
        (rows.meetings, Afdelingsmoede),
        (rows.decisions, Beslutning),
        (rows.members, Organisationsmedlem),
        (rows.activities, Aktivitet),
        (rows.participants, Deltagertal),
        (rows.goals, Maalsaetning),
        (rows.goal_values, Maaltal),
        (rows.assessments, Afslutningsvurdering),
    ):
        bulk_create_with_history(objects, model, batch_size=BATCH, default_user=ref.staff[0])
    Kommentar.objects.bulk_create(rows.threads, batch_size=BATCH)
    Kommentar.objects.bulk_create(rows.answers, batch_size=BATCH)


def write_budgets(rows: Rows, ref: Reference, rng: random.Random) -> dict:
    """The demo's budget amounts for each plan that has reached the application for prækvalifikation: an
    estimate, an application once the helhedsplan is written, approved (and for some plans revised since)
    once it started, the standard fordelingsnøgle, and regnskab for the years that are over."""
    versions, lines, keys, parts, uses, actuals = [], [], [], [], [], []
    type_ids = dict(Omkostningstype.objects.values_list("kode", "pk"))
    preliminary = main_path_index(lifecycle.PRAEKVALIFIKATION_UDARBEJDES)
    drafted = main_path_index(lifecycle.HELHEDSPLAN_UDARBEJDES)
    # From these steps on, the estimate and the application were submitted with the plan.
    submitted = {
        Budgetversion.Fase.PRAEKVALIFIKATION: main_path_index(lifecycle.PRAEKVALIFIKATION_BEHANDLES),
        Budgetversion.Fase.ANSOEGNING: main_path_index(lifecycle.GODKENDELSE),
    }
    for walk in rows.walks:
        indsats = walk.indsats
        if walk.furthest < preliminary:
            continue
        total = budget_demo.budget_frame(indsats, rng)
        stages = [
            (Budgetversion.Fase.PRAEKVALIFIKATION, budget_demo.round_to(total * Decimal("0.94"), 10_000))
        ]
        if walk.furthest >= drafted:
            stages.append((Budgetversion.Fase.ANSOEGNING, total))
        for nummer, (fase, amount) in enumerate(stages, start=1):
            amounts = budget_demo.budget_amounts(indsats, rng, amount)
            version = Budgetversion(indsats=indsats, nummer=nummer, fase=fase, oprettet_af=walk.staff)
            if walk.furthest >= submitted[fase]:
                version.status, version.indsendt_af = Budgetversion.Status.INDSENDT, walk.staff
            versions.append((version, amounts))
        if walk.target in STARTED:
            approved, amounts = versions[-1]
            approved.status = Budgetversion.Status.GODKENDT
            approved.godkendt_tidspunkt, approved.godkendt_af = moment(walk.when.approved), ref.secretariat
            walk.approval_event.tekst += (
                f"\nBudgetversion {approved.nummer} er godkendt af Landsbyggefonden og kommunen."
            )
            if walk.target == lifecycle.AKTIV and rng.random() < 0.3:
                change = Budgetversion(
                    indsats=indsats,
                    nummer=approved.nummer + 1,
                    fase=Budgetversion.Fase.ANSOEGNING,
                    begrundelse=REVISION_REASON,
                    oprettet_af=walk.staff,
                )
                versions.append((change, evaluation_moved_to_activities(amounts, type_ids)))
            actuals += regnskab(indsats, amounts, ref.today, rng)
        key = Fordelingsnoegle(indsats=indsats)
        if rng.random() < 0.2:
            key.afdelingsgrundlag = Fordelingsnoegle.Grundlag.AREAL
        keys.append(key)
        for order, standard in enumerate(budget_queries.default_parties(indsats)):
            part = Finansieringspart(
                noegle=key, art=standard.art, navn=standard.navn, procent=standard.procent, sortering=order
            )
            parts.append(part)
            uses += [
                Kommuneanvendelse(part=part, navn=navn, procentpoint=point, sortering=sub_order)
                for sub_order, (navn, point) in enumerate(standard.anvendelser)
            ]
    bulk_create_with_history(
        [v for v, _ in versions], Budgetversion, batch_size=BATCH, default_user=ref.staff[0]
    )
    for version, amounts in versions:
        lines += [
            Budgetlinje(
                version=version, aar=aar, indsatsomraade_id=omraade, omkostningstype_id=typ, beloeb=beloeb
            )
            for (aar, omraade, typ), beloeb in amounts.items()
        ]
    for objects, model in (
        (lines, Budgetlinje),
        (keys, Fordelingsnoegle),
        (parts, Finansieringspart),
        (uses, Kommuneanvendelse),
        (actuals, Regnskabslinje),
    ):
        bulk_create_with_history(objects, model, batch_size=BATCH, default_user=ref.staff[0])
    return {"budgetversioner": len(versions), "budgetlinjer": len(lines), "regnskabslinjer": len(actuals)}


REVISION_REASON = (
    "Evalueringen gennemføres sammen med kommunen; beløbet flyttes fra evaluering til aktiviteter."
)


def evaluation_moved_to_activities(amounts: dict, type_ids: dict) -> dict:
    """The approved amounts with the first year's evaluation moved to activities, in every område."""
    changed = dict(amounts)
    first_year = min(aar for aar, _, _ in amounts)
    for (aar, omraade, typ), beloeb in amounts.items():
        if aar == first_year and typ == type_ids["evaluering"]:
            del changed[(aar, omraade, typ)]
            changed[(aar, omraade, type_ids["aktiviteter"])] += beloeb
    return changed


def regnskab(indsats, amounts: dict, today: date, rng: random.Random) -> list[Regnskabslinje]:
    """Actual spending for the years that are over: close to the budget."""
    low, high = budget_demo.USUAL_VARIATION
    return [
        Regnskabslinje(
            indsats=indsats,
            aar=aar,
            indsatsomraade_id=omraade,
            omkostningstype_id=typ,
            beloeb=(beloeb * Decimal(str(round(rng.uniform(low, high), 3)))).quantize(Decimal(1)),
        )
        for (aar, omraade, typ), beloeb in amounts.items()
        if aar < today.year
    ]
