"""Fictitious but realistic demo helhedsplaner: at least one in every state of the lifecycle.

Each plan is built through the same service functions the application uses (create, decisions, votes,
transitions, comments), then its events are dated in the plan's past. The helhedsplan-type indsatser of
the indsatser demo get their lifecycle here; the other plans are new. Area names are real Copenhagen
places; every plan, decision, vote, person and comment is invented. Idempotent: a plan whose indsats
already has a lifecycle is left as it is.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.utils import timezone

from finansiering import actions as budget_actions
from finansiering import demo as budget_demo
from finansiering import queries as budget_queries
from finansiering.financing import indsats_finansiering
from finansiering.models import Budgetversion, Finansieringspart
from finansiering.queries import budget_omraader
from helhedsplaner import actions, lifecycle, meeting_costs, queries
from helhedsplaner.models import (
    Beslutning,
    Betingelse,
    Bilag,
    Haendelse,
    Helhedsplan,
    Kommentar,
    Milepael,
    Rapporteringsforpligtelse,
    Reguleringspost,
)
from helhedsplaner.packs.documents import danish_date
from helhedsplaner.packs.pdf import html_to_pdf
from indsatser.models import (
    Afslutningsvurdering,
    Aktivitet,
    Aktivitetstype,
    Deltagertal,
    Indikator,
    Indsats,
    Indsatstype,
    Maalsaetning,
    Maaltal,
    Partner,
)
from screening.models import Afdeling

Organ, Udfald = Beslutning.Organ, Beslutning.Udfald

ANALYSE = (
    "Screeningen viser en høj andel unge uden job eller uddannelse og en stigende andel beboere på "
    "overførselsindkomst. Flyttefrekvensen er over 12 % om året, og restancerne er steget to år i træk.\n\n"
    "Afdelingsbestyrelserne peger på utryghed om aftenen omkring butikstorvet og på, at mange familier "
    "ikke kender tilbuddene i bydelen."
)
MAAL = (
    "Visionen er et område, hvor børn og unge får de samme chancer som i resten af byen.\n\n"
    "Planen arbejder mod fsb's fire mål: velfærdsområdet, broen til kommunens kernedrift, fsb's øvrige "
    "kerneområder og et stærkere naboskab."
)
ORGANISERING = (
    "En styregruppe med fsb, kommunen og formændene for afdelingsbestyrelserne. En følgegruppe af beboere "
    "mødes hvert kvartal. Planen hviler på en samarbejdsaftale med Københavns Kommune."
)

# The activities a demo plan proposes: (catalogue name, local name, indsatsområde, partner, forankring when
# the plan closes, who carries it on). Partners are those of the indsatser demo.
PROGRAM = [
    (
        "Lektiecafé",
        "Lektiecafé i beboerhuset",
        "Uddannelse og livschancer",
        "Lektiehjælpen Nordvest",
        Aktivitet.Forankring.NGO,
        "Lektiehjælpen Nordvest",
    ),
    (
        "Mentorordning",
        "Mentorer for 7.-10. klasse",
        "Uddannelse og livschancer",
        "Børne- og Ungdomsforvaltningen",
        Aktivitet.Forankring.KOMMUNE,
        "Børne- og Ungdomsforvaltningen",
    ),
    (
        "Familieindsats",
        "Familier i forandring",
        "Uddannelse og livschancer",
        "Socialforvaltningen",
        Aktivitet.Forankring.KOMMUNE,
        "Socialforvaltningen, familieafdelingen",
    ),
    (
        "Fritidsjob",
        "",
        "Beskæftigelse",
        "Beskæftigelses- og Integrationsforvaltningen",
        Aktivitet.Forankring.KOMMUNE,
        "Jobcenter København",
    ),
    (
        "Job- og uddannelsesvejledning",
        "Jobcafé",
        "Beskæftigelse",
        "Beskæftigelses- og Integrationsforvaltningen",
        Aktivitet.Forankring.KOMMUNE,
        "Jobcenter København",
    ),
    (
        "Lommepengejob",
        "Lommepengejob i gårdene",
        "Beskæftigelse",
        "fsb Ejendomsdrift",
        Aktivitet.Forankring.FSB_DRIFT,
        "fsb Ejendomsdrift",
    ),
    (
        "Brandkadetter",
        "",
        "Kriminalitetsforebyggelse",
        "Hovedstadens Beredskab",
        Aktivitet.Forankring.LOKAL_AKTOER,
        "Hovedstadens Beredskab",
    ),
    (
        "Fritids- og foreningsguides",
        "",
        "Kriminalitetsforebyggelse",
        "SSP København",
        Aktivitet.Forankring.OPHOERER,
        "",
    ),
    (
        "Bydelsmødre",
        "",
        "Sammenhængskraft og medborgerskab",
        "Bydelsmødrene i København",
        Aktivitet.Forankring.NGO,
        "Bydelsmødrene i København",
    ),
    (
        "Naboskabsaktiviteter",
        "Gårdfester og fællesspisning",
        "Sammenhængskraft og medborgerskab",
        "fsb Ejendomsdrift",
        Aktivitet.Forankring.FSB_DRIFT,
        "Afdelingsbestyrelserne med fsb Ejendomsdrift",
    ),
    (
        "Beboerrådgivning om økonomi og restancer",
        "",
        "Sammenhængskraft og medborgerskab",
        "fsb Ejendomsdrift",
        Aktivitet.Forankring.FSB_DRIFT,
        "fsb's beboerrådgivning",
    ),
]
# Goals: (indicator, indsatsområde, baseline, yearly change of the target, what was reached of the change).
GOALS = [
    ("Andel 16-24-årige uden job eller uddannelse", "Beskæftigelse", "18.4", "-1.1", "0.8"),
    ("Andel 25-årige med en ungdomsuddannelse", "Uddannelse og livschancer", "57", "2", "1.1"),
    ("Udsættelser pr. år", "Sammenhængskraft og medborgerskab", "12", "-1", "1.2"),
    ("Andel 15-25-årige sigtet for lovovertrædelser", "Kriminalitetsforebyggelse", "4.8", "-0.3", "0.6"),
    ("Andel beboere, der føler sig trygge", "Sammenhængskraft og medborgerskab", "68", "2.5", "0.9"),
]
# What a plan has depends on how far it has come: its programme from the prækvalifikation on, the
# kommune's recommendation once the prækvalifikation was sent, the samarbejdsaftale from the helhedsplan on.
AFTER_PRAEKVALIFIKATION = {
    lifecycle.PRAEKVALIFIKATION_BEHANDLES,
    lifecycle.PRAEKVALIFICERET,
    lifecycle.HELHEDSPLAN_UDARBEJDES,
    lifecycle.AFDELINGSMOEDER,
    lifecycle.GODKENDELSE,
    lifecycle.AKTIV,
    lifecycle.AFSLUTNING,
    lifecycle.AFSLUTTET,
}
WITH_PROGRAM = AFTER_PRAEKVALIFIKATION | {lifecycle.PRAEKVALIFIKATION_UDARBEJDES}
WITH_AGREEMENT = AFTER_PRAEKVALIFIKATION - {lifecycle.PRAEKVALIFIKATION_BEHANDLES, lifecycle.PRAEKVALIFICERET}

# The steering group's assessment of the five closing criteria for a closed plan.
CLOSING_ASSESSMENT = {
    Afslutningsvurdering.Kriterium.BEHOV: (
        True,
        "Trygheden er steget fire år i træk, og afdelingerne er ikke længere på kommunens liste over "
        "områder med særlige behov.",
    ),
    Afslutningsvurdering.Kriterium.MAAL: (
        True,
        "Fire af fem mål er nået; udsættelserne er faldet, men ikke helt så meget som målet.",
    ),
    Afslutningsvurdering.Kriterium.FORANKRING: (
        True,
        "Ti af elleve aktiviteter fortsætter hos kommunen, fsb's drift eller foreningerne.",
    ),
    Afslutningsvurdering.Kriterium.OPBAKNING: (
        False,
        "Afdelingsbestyrelserne ønsker fortsat en indsats; det tages med i forberedelsen af den næste plan.",
    ),
    Afslutningsvurdering.Kriterium.FINANSIERING: (
        True,
        "Landsbyggefonden har ikke midler til en forlængelse i perioden.",
    ),
}

# The active plan's milestones of last year: (month, what, status), one for each of its first activities.
MILESTONES = [
    (3, "Lektiecaféen har 40 faste deltagere", Milepael.Status.NAAET),
    (6, "20 unge er i fritidsjob", Milepael.Status.NAAET),
    (9, "Bydelsmødrene har holdt 12 netværksmøder", Milepael.Status.FORSINKET),
    (11, "Aftale med kommunen om at videreføre beboerrådgivningen", Milepael.Status.PLANLAGT),
]

# A one-page PDF: the demo's minutes of an afdelingsmøde.
MINUTES_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n4 0 obj<</Length 52>>stream\n"
    b"BT /F1 16 Tf 72 770 Td (Referat af afdelingsmode) Tj ET\nendstream endobj\n"
    b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class Spec:
    titel: str
    omraade: str
    target: str
    ide: date  # when the idea was first written down
    reached: date  # when the plan entered its current state
    start: date  # the plan period's (planned) start
    antal: int = 0  # afdelinger from the area (0: the indsats exists already)
    skip: int = 0
    approved: date | None = None  # for started plans: when LBF and the kommune approved
    afslutning: date | None = None  # for plans being closed: when closing started
    years: int = 4
    resume: str = ""
    extra: dict = field(default_factory=dict)


SPECS = [
    Spec(
        "Boligsocial helhedsplan Tingbjerg-Utterslevhuse 2024-28",
        "Tingbjerg/Utterslevhuse",
        lifecycle.AKTIV,
        ide=date(2022, 3, 1),
        reached=date(2024, 6, 20),
        start=date(2024, 7, 1),
        approved=date(2024, 6, 20),
    ),
    Spec(
        "Boligsocial helhedsplan Bispebjerg/Nordvest 2022-26",
        "Bispebjerg/Nordvest",
        lifecycle.AFSLUTNING,
        ide=date(2019, 10, 1),
        reached=date(2026, 9, 1),
        start=date(2022, 1, 1),
        approved=date(2021, 12, 10),
        afslutning=date(2026, 9, 1),
        years=5,
    ),
    Spec(
        "Boligsocial helhedsplan Husum 2027-31",
        "Husum",
        lifecycle.GODKENDELSE,
        ide=date(2025, 1, 15),
        reached=date(2026, 9, 20),
        start=date(2027, 7, 1),
        extra={"no_vote": 1},
    ),
    Spec(
        "Boligsocial helhedsplan Tingbjerg-Utterslevhuse 2028-32",
        "Tingbjerg/Utterslevhuse",
        lifecycle.HELHEDSPLAN_UDARBEJDES,
        ide=date(2025, 11, 1),
        reached=date(2026, 8, 25),
        start=date(2028, 7, 1),
        antal=12,
        extra={"review": True},
        resume="Den næste helhedsplan for Tingbjerg og Utterslevhuse bygger videre på lektiecaféer, "
        "fritidsjob og naboskab, og tager fat på ensomhed blandt ældre beboere.",
    ),
    Spec(
        "Boligsocial helhedsplan Tingbjerg-Utterslevhuse 2019-23",
        "Tingbjerg/Utterslevhuse",
        lifecycle.AFSLUTTET,
        ide=date(2017, 2, 1),
        reached=date(2024, 2, 15),
        start=date(2019, 7, 1),
        antal=12,
        approved=date(2019, 6, 14),
        afslutning=date(2023, 9, 1),
        resume="Helhedsplanen for 2019-23 med fokus på uddannelse, beskæftigelse og tryghed.",
    ),
    Spec(
        "Boligsocial helhedsplan Urbanplanen 2027-31",
        "Urbanplanen",
        lifecycle.AFDELINGSMOEDER,
        ide=date(2024, 9, 1),
        reached=date(2026, 10, 15),
        start=date(2027, 9, 1),
        antal=4,
        extra={"meetings": True},
        resume="En plan for fire afdelinger i Urbanplanen om unges vej til uddannelse og et tryggere "
        "område om aftenen.",
    ),
    Spec(
        "Boligsocial helhedsplan Sydhavnen 2028-32",
        "Sydhavnen",
        lifecycle.PRAEKVALIFIKATION_BEHANDLES,
        ide=date(2025, 10, 1),
        reached=date(2026, 8, 14),
        start=date(2028, 1, 1),
        antal=5,
        resume="Sydhavnens afdelinger ønsker en helhedsplan om beskæftigelse og et stærkere naboskab.",
    ),
    Spec(
        "Boligsocial helhedsplan Bispebjerg/Nordvest 2027-31",
        "Bispebjerg/Nordvest",
        lifecycle.PRAEKVALIFIKATION_UDARBEJDES,
        ide=date(2026, 1, 10),
        reached=date(2026, 6, 12),
        start=date(2027, 7, 1),
        antal=8,
        resume="Den næste plan for Bispebjerg og Nordvest, når den nuværende slutter ved udgangen af 2026.",
    ),
    Spec(
        "Boligsocial helhedsplan Hørgården og Lergravsparken 2028-32",
        "Urbanplanen",
        lifecycle.PRAEKVALIFICERET,
        ide=date(2025, 5, 1),
        reached=date(2026, 11, 3),
        start=date(2028, 3, 1),
        antal=4,
        skip=4,
        resume="En plan for Hørgården og Lergravsparken med vægt på familier og skolebørn.",
    ),
    Spec(
        "Boligsocial helhedsplan Sjælør Boulevard 2029-33",
        "Sydhavnen",
        lifecycle.ORGANISATIONSBESTYRELSE,
        ide=date(2026, 6, 1),
        reached=date(2026, 11, 10),
        start=date(2029, 1, 1),
        antal=3,
        skip=5,
        resume="Ønske om at søge om en helhedsplan for afdelingerne ved Sjælør Boulevard.",
    ),
    Spec(
        "Boligsocial helhedsplan Glasvej og Lygten 2029-33",
        "Bispebjerg/Nordvest",
        lifecycle.IDE,
        ide=date(2026, 10, 20),
        reached=date(2026, 10, 20),
        start=date(2029, 7, 1),
        antal=3,
        skip=8,
        resume="Idé: en mindre helhedsplan for afdelingerne ved Glasvej og Lygten.",
    ),
    Spec(
        "Boligsocial helhedsplan Husum 2022-26",
        "Husum",
        lifecycle.AFVIST,
        ide=date(2020, 4, 1),
        reached=date(2021, 6, 18),
        start=date(2022, 1, 1),
        antal=6,
        resume="Første forsøg på en helhedsplan i Husum.",
    ),
    Spec(
        "Boligsocial helhedsplan Bellahøj 2026-29",
        "Bellahøj",
        lifecycle.OPGIVET,
        ide=date(2024, 8, 1),
        reached=date(2025, 3, 4),
        start=date(2026, 1, 1),
        antal=4,
        resume="Idé om en helhedsplan for Bellahøj.",
    ),
]


class Builder:
    """Walks one plan to its target, dating every event, decision and meeting in the plan's past."""

    def __init__(self, spec, staff, secretariat, board):
        self.spec, self.staff, self.secretariat, self.board = spec, staff, secretariat, board
        self.plan = None
        # Everything this builder writes is dated in the plan's past, so "newer than this" is what is new.
        self.started = timezone.now()

    def at(self, day, *models):
        """Date what was written since the last call on `day`: events, history and the rows of `models`."""
        moment = timezone.make_aware(datetime.combine(day, time(10, 0)))
        Haendelse.objects.filter(plan=self.plan, tid__gte=self.started).update(tid=moment)
        Helhedsplan.history.filter(id=self.plan.pk, history_date__gte=self.started).update(
            history_date=moment
        )
        Helhedsplan.objects.filter(pk=self.plan.pk, tekst_aendret__gte=self.started).update(
            tekst_aendret=moment
        )
        for model, date_field in (
            (Beslutning, "registreret"),
            (Kommentar, "oprettet"),
            (Betingelse, "opfyldt_tidspunkt"),
        ):
            if model in models:
                model.objects.filter(plan=self.plan, **{f"{date_field}__gte": self.started}).update(
                    **{date_field: moment}
                )

    def fire(self, name, day, **inputs):
        self.plan = lifecycle.fire(self.plan, name, inputs, notify=False, acting_user=self.staff_for(name))
        if self.plan.tilstand == self.spec.target:
            day = self.spec.reached
        self.at(day)
        moment = timezone.make_aware(datetime.combine(day, time(10, 0)))
        Helhedsplan.objects.filter(pk=self.plan.pk).update(tilstand_siden=moment)

    def staff_for(self, name):
        return self.secretariat if name in ("praekvalificer", "praekvalifikation_afvist") else self.staff

    def decide(self, organ, udfald, day, **extra):
        user = self.secretariat if organ in lifecycle.FUNDERS else self.staff
        self.plan.refresh_from_db()
        data = {"organ": organ, "udfald": udfald, "dato": day, **extra}
        decision = actions.record_decision(self.plan, data, notify=False, acting_user=user)
        self.at(day, Beslutning)
        return decision

    def condition(self, tekst, frist):
        return {"tekst": tekst, "frist": frist, "ansvarlig": self.staff}

    def meet(self, decision_or_condition, note, day):
        """Mark a condition met (the first of a decision's, when given a decision)."""
        condition = decision_or_condition
        if isinstance(condition, Beslutning):
            condition = condition.betingelser.order_by("pk").first()
        actions.mark_condition_met(condition, note=note, acting_user=self.staff)
        self.at(day, Betingelse)

    def granted(self):
        """LBF's and the kommune's shares of the budget submitted with the application: what they grant."""
        indsats = self.plan.indsats
        version = budget_queries.submitted_version(indsats)
        totals = {}
        for part in indsats_finansiering(indsats, version).parter:
            totals[part.art] = totals.get(part.art, Decimal(0)) + part.total
        return totals

    def vote(self, afdeling, day, yes=True, **extra):
        self.plan.refresh_from_db()
        meeting = queries.new_meeting(self.plan, afdeling)
        households = max(12, afdeling.lejemaal // 9)
        meeting.dato, meeting.indkaldt_dato, meeting.husstande = day, day - timedelta(days=30), households
        votes_cast = households * 2 - households // 3
        meeting.stemmer_for = votes_cast * 3 // 4 if yes else votes_cast // 4
        meeting.stemmer_blanke = votes_cast // 20
        meeting.stemmer_imod = votes_cast - meeting.stemmer_for - meeting.stemmer_blanke
        for name, value in extra.items():
            setattr(meeting, name, value)
        meeting.full_clean()
        actions.save_meeting(meeting, notify=False, acting_user=self.staff)
        self.at(day, Beslutning)

    def steps_before(self, end):
        """Evenly spaced dates from the idea to `end`, one per step of the main path up to godkendelse."""
        count = 8
        span = (end - self.spec.ide).days
        return [self.spec.ide + timedelta(days=span * (i + 1) // count) for i in range(count)]

    def build(self, indsats):
        spec = self.spec
        if indsats is None:
            self.plan = actions.create_plan(
                titel=spec.titel,
                afdelinger=self.afdelinger(),
                ansvarlig=self.staff,
                planlagt_start=spec.start,
                resume=spec.resume,
                acting_user=self.staff,
            )
        else:
            Indsats.objects.filter(pk=indsats.pk).update(fase=lifecycle.STATE[lifecycle.IDE].label)
            self.plan = Helhedsplan(
                indsats=indsats, planlagt_start=spec.start, resume=spec.resume or indsats.beskrivelse
            )
            self.plan._history_user = self.staff
            self.plan.save()
            self.plan.haendelser.create(
                art=Haendelse.Art.OPRETTET, bruger=self.staff, til_tilstand=lifecycle.IDE
            )
        Helhedsplan.objects.filter(pk=self.plan.pk).update(
            analyse=ANALYSE, maal=MAAL, organisering=ORGANISERING, varighed_aar=spec.years
        )
        self.plan.refresh_from_db()
        if spec.target != lifecycle.OPGIVET:
            budget_demo.seed_estimate(self.plan.indsats, self.staff)
        self.at(spec.ide)
        Helhedsplan.objects.filter(pk=self.plan.pk).update(
            tilstand_siden=timezone.make_aware(datetime.combine(spec.ide, time(10, 0)))
        )
        # The programme first: a plan closes only once its activities have their forankring.
        self.program()
        self.walk()
        if spec.extra.get("review"):
            self.review()
        self.letters()
        if spec.target in lifecycle.RUNNING:
            self.active_years()

    def afdelinger(self):
        area = Afdeling.objects.filter(boligomraade__navn=self.spec.omraade).order_by("nummer")
        return list(area[self.spec.skip : self.spec.skip + self.spec.antal])

    def walk(self):
        spec, target = self.spec, self.spec.target
        if target == lifecycle.IDE:
            return
        end = spec.approved or spec.reached
        day = self.steps_before(end)
        if target in (lifecycle.OPGIVET, lifecycle.AFVIST):
            return self.exit(day)
        self.fire("send_til_organisationsbestyrelsen", day[0])
        if target == lifecycle.ORGANISATIONSBESTYRELSE:
            return self.at(spec.reached)
        self.decide(
            Organ.ORGANISATIONSBESTYRELSE,
            Udfald.GODKENDT,
            day[1] - timedelta(days=3),
            journalnummer=f"OB-{day[1]:%Y}-{self.plan.pk:03d}",
        )
        self.fire("start_praekvalifikation", day[1])
        if target == lifecycle.PRAEKVALIFIKATION_UDARBEJDES:
            return self.at(spec.reached)
        self.fire("send_praekvalifikation", day[2], indsendt=day[2])
        if target == lifecycle.PRAEKVALIFIKATION_BEHANDLES:
            self.decide(
                Organ.LBF, Udfald.GODKENDT, spec.reached + timedelta(days=40), journalnummer="LBF-2026-0412"
            )
            return
        self.decide(
            Organ.LBF,
            Udfald.GODKENDT,
            day[3] - timedelta(days=10),
            journalnummer=f"LBF-{day[3]:%Y}-0{self.plan.pk}",
        )
        agreement = self.decide(
            Organ.KOMMUNE,
            Udfald.GODKENDT_MED_BETINGELSER,
            day[3] - timedelta(days=4),
            journalnummer=f"KK-{day[3]:%Y}-{self.plan.pk:04d}",
            betingelser=[
                self.condition(
                    "Kommunens anbefaling forudsætter en samarbejdsaftale før ansøgningen om helhedsplan.",
                    day[5],
                )
            ],
        )
        self.fire("praekvalificer", day[3])
        if target == lifecycle.PRAEKVALIFICERET:
            return self.at(spec.reached)
        self.fire("start_helhedsplan", day[4])
        if target == lifecycle.HELHEDSPLAN_UDARBEJDES:
            return self.at(spec.reached)
        self.meet(agreement, "Samarbejdsaftalen er underskrevet; den ligger som bilag til planen.", day[5])
        budget_demo.seed_application(self.plan.indsats, self.staff)
        self.fire("send_til_afdelingsmoeder", day[5])
        if target == lifecycle.AFDELINGSMOEDER:
            return self.meetings(spec.reached)
        afdelinger = list(self.plan.indsats.afdelinger.order_by("nummer"))
        no_vote = spec.extra.get("no_vote")
        for index, afdeling in enumerate(afdelinger):
            meeting_day = day[5] + timedelta(days=21 + 7 * (index % 4))
            ballot = index == 0 and target != lifecycle.GODKENDELSE
            ballot_figures = (
                {
                    "urafstemning": True,
                    "ur_for": afdeling.lejemaal,
                    "ur_imod": afdeling.lejemaal // 3,
                    "ur_blanke": 4,
                }
                if ballot
                else {}
            )
            self.vote(afdeling, meeting_day, yes=no_vote is None or index != no_vote, **ballot_figures)
        self.revise_budget_after_no()
        self.fire("send_til_godkendelse", day[6], indsendt=day[6])
        grants = self.granted()
        midway = spec.start.replace(year=spec.start.year + spec.years // 2)
        if target == lifecycle.GODKENDELSE:
            self.decide(
                Organ.LBF,
                Udfald.GODKENDT_MED_BETINGELSER,
                spec.reached + timedelta(days=30),
                journalnummer="LBF-2026-1187",
                bevilget_beloeb=grants[Finansieringspart.Art.LBF],
                betingelser=[self.condition("Evalueringen midtvejs sendes til Landsbyggefonden.", midway)],
            )
            return
        period_end = spec.start.replace(year=spec.start.year + spec.years) - timedelta(days=1)
        lbf = self.decide(
            Organ.LBF,
            Udfald.GODKENDT_MED_BETINGELSER,
            end - timedelta(days=8),
            journalnummer=f"LBF-{end:%Y}-1{self.plan.pk:03d}",
            bevilget_beloeb=grants[Finansieringspart.Art.LBF],
            betingelser=[
                self.condition("Styregruppens kommissorium sendes til Landsbyggefonden.", spec.start),
                self.condition("Evalueringen midtvejs sendes til Landsbyggefonden.", midway),
                self.condition(
                    "Slutevalueringen sendes til Landsbyggefonden.", period_end + timedelta(days=183)
                ),
            ],
        )
        self.decide(
            Organ.KOMMUNE,
            Udfald.GODKENDT,
            end - timedelta(days=2),
            journalnummer=f"KK-{end:%Y}-2{self.plan.pk:03d}",
            bevilget_beloeb=grants[Finansieringspart.Art.KOMMUNE],
        )
        self.fire("godkend", end, startdato=spec.start, slutdato=period_end)
        budget_demo.seed_after_approval(self.plan.indsats, self.staff)
        # The active plan has met its first condition and has two open (the midway one overdue); a plan
        # being closed has met the midway one too, and a closed plan all three.
        commission, evaluation, final = lbf.betingelser.order_by("frist")
        self.meet(commission, "Kommissoriet er sendt til Landsbyggefonden.", spec.start - timedelta(days=5))
        if target == lifecycle.AKTIV:
            return
        self.meet(evaluation, "Midtvejsevalueringen er sendt til Landsbyggefonden.", midway)
        self.fire(
            "start_afslutning",
            spec.afslutning,
            begrundelse="Perioden slutter, og de vigtigste aktiviteter er ved at blive forankret.",
        )
        if target == lifecycle.AFSLUTNING:
            return
        for kriterium, (opfyldt, begrundelse) in CLOSING_ASSESSMENT.items():
            Afslutningsvurdering.objects.get_or_create(
                indsats=self.plan.indsats,
                kriterium=kriterium,
                defaults={"opfyldt": opfyldt, "begrundelse": begrundelse},
            )
        self.meet(final, "Slutevalueringen er sendt til Landsbyggefonden.", spec.reached - timedelta(days=20))
        self.fire("afslut", spec.reached, kommentar="Afsluttet efter styregruppens vurdering.")

    def active_years(self):
        """A running plan's reports so far: those due more than two months ago were sent a few days before
        their deadline (the recent ones are still open), and last year's status is filled in."""
        today = timezone.localdate()
        indsats = self.plan.indsats
        if indsats.startdato.year <= today.year - 1 <= indsats.slutdato.year:
            self.fill_year(today.year - 1)
        # After the year is filled in: a sent report locks what it reported.
        for obligation in self.plan.forpligtelser.filter(frist__lt=today - timedelta(days=60)):
            sent = obligation.frist - timedelta(days=4)
            actions.mark_obligation_ready(obligation, acting_user=self.staff)
            # Ready the week before it went (a report is never sent before it is ready).
            ready = timezone.make_aware(datetime.combine(sent - timedelta(days=7), time(10, 0)))
            Rapporteringsforpligtelse.objects.filter(pk=obligation.pk).update(klar_tidspunkt=ready)
            actions.mark_obligation_sent(obligation, dato=sent, acting_user=self.secretariat)

    def fill_year(self, aar: int):
        """A year's goal figures, milestones, explanations and reguleringskonto, as staff enter them."""
        indsats = self.plan.indsats
        rows = []
        for n, row in enumerate(queries.goal_rows(self.plan, aar)):
            if row.maal is None:
                continue
            behind = n % 3 == 2
            rows.append(
                {
                    "maalsaetning": row.maalsaetning,
                    "maalt": row.maal if not behind else row.maalsaetning.baseline,
                    "vurdering": Maaltal.Vurdering.BAGUD if behind else Maaltal.Vurdering.PAA_SPORET,
                    "kommentar": "Uændret i forhold til udgangspunktet; indsatsen styrkes i det nye år."
                    if behind
                    else "Følger målet.",
                }
            )
        actions.save_goal_year(self.plan, aar, rows, acting_user=self.staff)
        for aktivitet, (month, hvad, status) in zip(
            indsats.aktiviteter.order_by("pk"), MILESTONES, strict=False
        ):
            actions.save_milestone(
                self.plan,
                {
                    "aktivitet": aktivitet,
                    "hvad": hvad,
                    "dato": date(aar, month, 1),
                    "hvem": "Projektlederen",
                    "status": status,
                },
                acting_user=self.staff,
            )
        year = queries.year_status(self.plan, aar)
        explanations = {
            (row.indsatsomraade.pk, row.omkostningstype.pk): "Stillingen var ubesat i fire måneder."
            for row in year.accounts
            if row.afvigelse is not None and abs(row.afvigelse) > row.budget / 10
        }
        actions.save_year_status(
            self.plan,
            aar,
            bemaerkning="Et år med flere unge i fritidsjob og en stabil lektiecafé.",
            forklaringer=explanations,
            reguleringer={
                row.part.pk: (Reguleringspost.Behandling.OVERFOERES, "") for row in year.regulations
            },
            acting_user=self.staff,
        )

    def revise_budget_after_no(self):
        """After a no, the others would pay more than they voted on, and the plan could not go to the
        funders: the frame is cut to the lejemål that stay, so each pays per lejemål what it voted on."""
        meetings = lifecycle.current_meetings(self.plan)
        changes = meeting_costs.changes(self.plan, meetings, budget_queries.latest_version(self.plan.indsats))
        if not any(change.over_limit for change in changes):
            return
        rejected = {m.afdeling_id for m in meetings if m.har_resultat and not m.vedtaget}
        afdelinger = list(self.plan.indsats.afdelinger.order_by("nummer"))
        kept = Decimal(sum(a.lejemaal for a in afdelinger if a.pk not in rejected))
        share = kept / sum(a.lejemaal for a in afdelinger)
        names = ", ".join(str(a) for a in afdelinger if a.pk in rejected)
        revised = budget_actions.create_version(
            self.plan.indsats,
            Budgetversion.Fase.ANSOEGNING,
            f"{names} har stemt nej og udgår. Budgettet er skåret ned til de afdelinger, der bliver.",
            kilde=budget_queries.latest_version(self.plan.indsats),
            acting_user=self.staff,
        )
        for line in list(revised.linjer.select_related("indsatsomraade", "omkostningstype")):
            cut = (line.beloeb * share).quantize(Decimal(1))
            budget_actions.save_budget_line(
                revised, line.aar, line.indsatsomraade, line.omkostningstype, cut, acting_user=self.staff
            )

    def exit(self, day):
        spec = self.spec
        self.fire("send_til_organisationsbestyrelsen", day[0])
        if spec.target == lifecycle.OPGIVET:
            self.decide(
                Organ.ORGANISATIONSBESTYRELSE,
                Udfald.AFVIST,
                spec.reached - timedelta(days=5),
                bemaerkning="Området kan ikke få støtte fra Landsbyggefonden.",
            )
            self.fire(
                "opgiv",
                spec.reached,
                begrundelse="Organisationsbestyrelsen sagde nej. Indsatsen fortsættes "
                "som et lokalt udviklingsprojekt med en boligsocial ejendomsfunktionær.",
            )
            return
        self.decide(Organ.ORGANISATIONSBESTYRELSE, Udfald.GODKENDT, day[2] - timedelta(days=3))
        self.fire("start_praekvalifikation", day[2])
        self.fire("send_praekvalifikation", day[5], indsendt=day[5])
        self.decide(
            Organ.LBF,
            Udfald.AFVIST,
            spec.reached - timedelta(days=6),
            journalnummer="LBF-2021-0233",
            bemaerkning="Området opfylder ikke kriterierne for prækvalifikation i denne periode.",
        )
        self.fire(
            "praekvalifikation_afvist",
            spec.reached,
            kommentar="Afslaget er sendt til afdelingsbestyrelserne.",
        )

    def meetings(self, reached):
        """Some meetings held, one soon without a notice date (a reminder), one not planned yet."""
        self.at(reached)
        today = timezone.localdate()
        afdelinger = list(self.plan.indsats.afdelinger.order_by("nummer"))
        self.vote(afdelinger[0], reached + timedelta(days=14), yes=True)
        minutes = SimpleUploadedFile(
            "referat-afdelingsmoede.pdf", MINUTES_PDF, content_type="application/pdf"
        )
        self.plan.refresh_from_db()
        meeting = queries.new_meeting(self.plan, afdelinger[1])
        meeting.dato, meeting.indkaldt_dato = reached + timedelta(days=20), reached
        meeting.husstande, meeting.stemmer_for, meeting.stemmer_imod, meeting.stemmer_blanke = 41, 30, 44, 2
        lejemaal = afdelinger[1].lejemaal
        meeting.urafstemning = True
        meeting.ur_for, meeting.ur_imod, meeting.ur_blanke = lejemaal * 7 // 10, lejemaal * 9 // 20, 3
        meeting.full_clean()
        actions.save_meeting(meeting, referat=minutes, notify=False, acting_user=self.staff)
        self.at(reached + timedelta(days=35), Beslutning)
        if len(afdelinger) > 2:
            upcoming = queries.new_meeting(self.plan, afdelinger[2])
            upcoming.dato = max(today + timedelta(days=9), reached + timedelta(days=40))
            actions.save_meeting(upcoming, notify=False, acting_user=self.staff)
            self.at(min(today, reached + timedelta(days=36)))

    def program(self):
        """The activities and goals the plan proposes; a closed plan's with results and forankring.
        A plan of the indsatser demo has its own programme already."""
        spec, indsats = self.spec, self.plan.indsats
        if spec.target not in WITH_PROGRAM or indsats.aktiviteter.exists():
            return
        closed = spec.target == lifecycle.AFSLUTTET
        end = spec.start.replace(year=spec.start.year + spec.years)
        years = [spec.start.year + n for n in range(spec.years)]
        omraader = {o.navn: o for o in budget_omraader(indsats)}
        typer = {t.navn: t for t in Aktivitetstype.objects.filter(navn__in=[a[0] for a in PROGRAM])}
        partnere = {p.navn: p for p in Partner.objects.filter(navn__in=[a[3] for a in PROGRAM])}
        for index, (navn, betegnelse, omraade, partner, forankring, hvem) in enumerate(PROGRAM):
            aktivitet = Aktivitet.objects.create(
                indsats=indsats,
                aktivitetstype=typer[navn],
                betegnelse=betegnelse,
                indsatsomraade=omraader.get(omraade),
                ansvarlig_partner=partnere.get(partner),
                status=Aktivitet.Status.AFSLUTTET if closed else Aktivitet.Status.PLANLAGT,
                forankring=forankring if closed else "",
                forankring_hvem=hvem if closed else "",
                forankring_fra=end if closed else None,
            )
            if closed:
                Deltagertal.objects.bulk_create(
                    Deltagertal(aktivitet=aktivitet, aar=year, antal=20 + 6 * index + 5 * n)
                    for n, year in enumerate(years)
                )
        indikatorer = {i.navn: i for i in Indikator.objects.filter(navn__in=[g[0] for g in GOALS])}
        for navn, omraade, baseline, step, reached in GOALS:
            if navn not in indikatorer:
                continue
            places = Decimal(1) if indikatorer[navn].enhed == "antal" else Decimal("0.1")
            goal = Maalsaetning.objects.create(
                indsats=indsats,
                indikator=indikatorer[navn],
                indsatsomraade=omraader.get(omraade),
                baseline=Decimal(baseline),
                baseline_aar=years[0] - 1,
            )
            change = Decimal(step)
            Maaltal.objects.bulk_create(
                Maaltal(
                    maalsaetning=goal,
                    aar=year,
                    maal=(goal.baseline + change * (n + 1)).quantize(places),
                    maalt=(goal.baseline + change * Decimal(reached) * (n + 1)).quantize(places)
                    if closed
                    else None,
                )
                for n, year in enumerate(years)
            )

    def letters(self):
        """The kommune's letters, attached to the plan as PDFs (they go into the application packs)."""
        spec = self.spec
        day = self.steps_before(spec.approved or spec.reached)
        area = spec.omraade
        if spec.target in AFTER_PRAEKVALIFIKATION:
            self.attach(
                "Københavns Kommunes anbefaling",
                "anbefaling-kobenhavns-kommune.pdf",
                day[2] - timedelta(days=20),
                [
                    f"Københavns Kommune anbefaler, at Landsbyggefonden prækvalificerer en boligsocial "
                    f"helhedsplan for {area}. Området har i flere år haft en høj andel unge uden job eller "
                    "uddannelse, og kommunens egne tal for skolefravær og sager om udsættelse bekræfter "
                    "billedet i boligorganisationens screening.",
                    "Kommunen deltager i styregruppen og bidrager med 12,5 % af planens samlede budget, "
                    "heraf størstedelen til medarbejdere, aktiviteter og netværk og resten til at facilitere "
                    "samarbejdet. Anbefalingen forudsætter, at der indgås en samarbejdsaftale, før "
                    "ansøgningen om helhedsplan sendes.",
                    "Sagen er behandlet i Socialudvalget. Anbefalingen er fiktiv og hører til demodata.",
                ],
            )
        if spec.target in WITH_AGREEMENT:
            self.attach(
                "Samarbejdsaftale med Københavns Kommune",
                "samarbejdsaftale.pdf",
                day[4] + timedelta(days=30),
                [
                    f"Aftalen gælder den boligsociale helhedsplan for {area} i hele planens periode.",
                    "Kommunen stiller en medarbejder fra Beskæftigelses- og Integrationsforvaltningen og en "
                    "fra Børne- og Ungdomsforvaltningen til rådighed for jobcaféen og lektiecaféen, og SSP "
                    "deltager i følgegruppen.",
                    "Parterne mødes hvert halve år og følger op på planens mål ud fra de fem fælles mål for "
                    "byens udsatte boligområder. Aftalen er fiktiv og hører til demodata.",
                ],
            )

    def attach(self, titel, filnavn, day, afsnit):
        html = render_to_string(
            "pdf/brev.html",
            {
                "document_title": titel,
                "document_author": "Københavns Kommune",
                "dato": danish_date(day),
                "afsender": "Københavns Kommune, Socialforvaltningen",
                "afsnit": afsnit,
                "underskrift": "Københavns Kommune",
            },
        )
        pdf = html_to_pdf(html)
        bilag = Bilag(
            plan=self.plan, titel=titel, filnavn=filnavn, stoerrelse=len(pdf), uploadet_af=self.staff
        )
        bilag.fil.save(filnavn, ContentFile(pdf), save=False)
        bilag.uploadet = timezone.make_aware(datetime.combine(day, time(10, 0)))
        bilag.save()
        self.plan.haendelser.create(art=Haendelse.Art.BILAG, bruger=self.staff, bilag=bilag, tekst=titel)
        self.at(day)

    def review(self):
        """The demo board member's comments on the plan being drafted, answered and resolved in part."""
        plan, board, staff, reached = self.plan, self.board, self.staff, self.spec.reached
        elderly = actions.post_comment(
            plan,
            sektion="analyse",
            notify=False,
            tekst="Analysen nævner ikke de ældre beboere i Gavlhusene. Mange af dem er ensomme.",
            acting_user=board,
        )
        self.at(reached + timedelta(days=10), Kommentar)
        seats = actions.post_comment(
            plan,
            sektion="organisering",
            notify=False,
            tekst="Afdelingsbestyrelsen vil gerne have to pladser i følgegruppen.",
            acting_user=board,
        )
        self.at(reached + timedelta(days=12), Kommentar)
        plan.refresh_from_db()
        more = "\n\nDer bor mange ældre alene i Gavlhusene, og flere af dem føler sig ensomme. "
        more += "Planen skal nå dem gennem naboskabsaktiviteter og fremskudt rådgivning."
        actions.save_text(plan, {"analyse": ANALYSE + more}, version=plan.version, acting_user=staff)
        actions.post_comment(
            plan,
            sektion="analyse",
            thread=elderly,
            notify=False,
            tekst="Tak. Vi har tilføjet et afsnit om ensomhed blandt ældre. Er det dækkende?",
            acting_user=staff,
        )
        self.at(reached + timedelta(days=20), Kommentar)
        for gruppe, navn, rolle in [
            ("styregruppe", "Karin Vestergaard", "Formand, afdelingsbestyrelsen"),
            ("styregruppe", "Omar Haddad", "Københavns Kommune, Socialforvaltningen"),
            ("foelgegruppe", "Lis Bang", "Beboer"),
            ("foelgegruppe", "Ahmed Yilmaz", "Beboer"),
            ("partner", "Lektiehjælpen Nordvest", "Frivillig forening"),
        ]:
            actions.add_member(plan, gruppe=gruppe, navn=navn, rolle=rolle, acting_user=staff)
        actions.post_comment(
            plan,
            sektion="organisering",
            thread=seats,
            notify=False,
            tekst="Det er skrevet ind: to pladser fra hver afdelingsbestyrelse.",
            acting_user=staff,
        )
        actions.resolve_thread(seats, acting_user=staff)
        self.at(reached + timedelta(days=22), Kommentar)
        actions.post_comment(
            plan,
            sektion="maal",
            notify=False,
            tekst="Kan lektiecaféen i Ruten fortsætte? Den er meget brugt af børnene.",
            acting_user=board,
        )
        self.at(reached + timedelta(days=45), Kommentar)


def seed_helhedsplaner() -> int:
    """Create the demo plans that do not exist yet; returns how many helhedsplaner there are in all."""
    staff = User.objects.get(username="medarbejder")
    secretariat = User.objects.get(username="sekretariat")
    board = User.objects.get(username="bestyrelse")
    existing = {
        indsats.titel: indsats
        for indsats in Indsats.objects.filter(
            type__kode=Indsatstype.HELHEDSPLAN, titel__in=[spec.titel for spec in SPECS]
        ).select_related("helhedsplan")
    }
    for spec in SPECS:
        indsats = existing.get(spec.titel)
        if indsats is not None and hasattr(indsats, "helhedsplan"):
            continue
        if indsats is None and spec.antal == 0:
            continue  # an indsats of the indsatser demo that is not there
        Builder(spec, staff, secretariat, board).build(indsats)
    return Helhedsplan.objects.count()
