"""The helhedsplan lifecycle, declared in one place.

DOMAIN.md "The helhedsplan lifecycle" step by step: every step is a state here and every decision a
Beslutning that the guards look at. This declaration (STATES, TRANSITIONS, DECISION_RECORDERS) is what
fire() enforces, what the plan page draws as its diagram, and what the "what can I do next" buttons and
their dialogs are built from. Nothing else writes Helhedsplan.tilstand.

fire() locks the plan row, checks the role, the current state and the guards, writes the new state,
keeps the coarse Indsats.status in step, runs the transition's effects and writes the event row, all
in one transaction. E-mails to the people involved go out only after the commit.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

from django.db import transaction
from django.db.models import OuterRef
from django.db.models.functions import JSONObject
from django.utils import timezone

from config.web.formatting import kroner, numeric_date, percent
from config.web.lists import ValueList
from finansiering import actions as budget_actions
from finansiering import queries as budget_queries
from finansiering.financing import (
    afdeling_cost_problems,
    budget_problems,
    finansiering_without_uses,
    party_totals,
)
from finansiering.models import Budgetversion, Finansieringspart
from helhedsplaner import aarscyklus, meeting_costs, notifications
from helhedsplaner.models import Aendringsanmodning, Besked, Beslutning, Betingelse, Haendelse, Helhedsplan
from indsatser.afslutning import mangler, record_afslutning, too_short
from indsatser.models import Afslutningsvurdering, Indsats
from indsatser.overlap import confirmed_overlap
from indsatser.transitions import (
    ADMINISTRATOR,
    BEGRUNDELSE,
    KOMMENTAR,
    SEKRETARIAT,
    STAFF,
    STAFF_AND_SECRETARIAT,
    Conflict,
    Forbidden,
    Guard,
    Input,
    Refused,
    Transition,
    blockers,
    may_fire,
    missing_inputs,
    user_roles,
)

# --- States -----------------------------------------------------------------------------------------

IDE = "ide"
ORGANISATIONSBESTYRELSE = "organisationsbestyrelse"
PRAEKVALIFIKATION_UDARBEJDES = "praekvalifikation_udarbejdes"
PRAEKVALIFIKATION_BEHANDLES = "praekvalifikation_behandles"
PRAEKVALIFICERET = "praekvalificeret"
HELHEDSPLAN_UDARBEJDES = "helhedsplan_udarbejdes"
AFDELINGSMOEDER = "afdelingsmoeder"
GODKENDELSE = "godkendelse"
AKTIV = "aktiv"
AFSLUTNING = "afslutning"
AFSLUTTET = "afsluttet"
OPGIVET = "opgivet"
AFVIST = "afvist"
# The phases in which a plan's years are reported on: aktiv, and afslutning while the last year's reports are
# still due. A plan closed (afsluttet, opgivet) owes the funders nothing more.
RUNNING = (AKTIV, AFSLUTNING)

Organ = Beslutning.Organ
FUNDERS = (Organ.LBF, Organ.KOMMUNE)
# The party of the fordelingsnøgle whose share each funder's tilsagn covers.
FUNDER_PARTY = {Organ.LBF: Finansieringspart.Art.LBF, Organ.KOMMUNE: Finansieringspart.Art.KOMMUNE}
PRAEKVALIFIKATIONSESTIMAT = Budgetversion.Fase.PRAEKVALIFIKATION
ANSOEGNING = Budgetversion.Fase.ANSOEGNING


@dataclass(frozen=True)
class State:
    code: str
    label: str
    description: str
    indsats_status: str
    editable: bool = False  # the plan text, its organisation and attachments may be changed
    review_open: bool = False  # board members of the involved afdelinger may comment
    awaits: tuple[str, ...] = ()  # the organs whose decisions are recorded in this state
    side_exit: bool = False


FORSLAG, AKTIV_STATUS = Indsats.Status.FORSLAG, Indsats.Status.AKTIV

STATES = [
    State(
        code=IDE,
        label="Idé og analyse",
        description="Screening, dialog med afdelingsbestyrelserne og analyse af udfordringerne.",
        indsats_status=FORSLAG,
        editable=True,
        review_open=True,
    ),
    State(
        code=ORGANISATIONSBESTYRELSE,
        label="Organisationsbestyrelsen behandler",
        description="Organisationsbestyrelsen tager stilling til ønsket om at søge.",
        indsats_status=FORSLAG,
        awaits=(Organ.ORGANISATIONSBESTYRELSE,),
    ),
    State(
        code=PRAEKVALIFIKATION_UDARBEJDES,
        label="Prækvalifikation under udarbejdelse",
        description="Ansøgningen om prækvalifikation skrives: udfordringer, nøgletal og budgetoverslag.",
        indsats_status=FORSLAG,
        editable=True,
        review_open=True,
    ),
    State(
        code=PRAEKVALIFIKATION_BEHANDLES,
        label="Prækvalifikation til behandling hos LBF og kommune",
        description="Landsbyggefonden og Københavns Kommune behandler ansøgningen om prækvalifikation.",
        indsats_status=FORSLAG,
        awaits=FUNDERS,
    ),
    State(
        code=PRAEKVALIFICERET,
        label="Prækvalificeret",
        description="Landsbyggefonden og kommunen har prækvalificeret planen.",
        indsats_status=FORSLAG,
    ),
    State(
        code=HELHEDSPLAN_UDARBEJDES,
        label="Helhedsplan under udarbejdelse",
        description="Helhedsplanen skrives i dialog med kommune, afdelinger og partnere: "
        "mål, aktiviteter, organisering, budget.",
        indsats_status=FORSLAG,
        editable=True,
        review_open=True,
    ),
    State(
        code=AFDELINGSMOEDER,
        label="Afdelingsmøder",
        description="Hver involveret afdeling behandler planen på et afdelingsmøde.",
        indsats_status=FORSLAG,
        review_open=True,
        awaits=(Organ.AFDELINGSMOEDE,),
    ),
    State(
        code=GODKENDELSE,
        label="Til godkendelse hos LBF og kommune",
        description="Landsbyggefonden og kommunen behandler planen. Begge skal godkende.",
        indsats_status=FORSLAG,
        awaits=FUNDERS,
    ),
    State(
        code=AKTIV,
        label="Aktiv",
        description="Planen kører: aktiviteter, budget mod regnskab og årlig målopfølgning.",
        indsats_status=AKTIV_STATUS,
    ),
    State(
        code=AFSLUTNING,
        label="Afslutning",
        description="Planen afsluttes: kriterierne vurderes og aktiviteterne forankres.",
        indsats_status=AKTIV_STATUS,
    ),
    State(
        code=AFSLUTTET,
        label="Afsluttet",
        description="Planen er afsluttet.",
        indsats_status=Indsats.Status.AFSLUTTET,
    ),
    State(
        code=OPGIVET,
        label="Opgivet",
        description="fsb har opgivet planen.",
        indsats_status=Indsats.Status.OPGIVET,
        side_exit=True,
    ),
    State(
        code=AFVIST,
        label="Afvist",
        description="Landsbyggefonden eller kommunen har afvist planen.",
        indsats_status=Indsats.Status.OPGIVET,
        side_exit=True,
    ),
]
STATE = {state.code: state for state in STATES}
# The states in which the plan's frame (indsatser/ramme.py) is locked: while the funders treat it, and from
# their approval on. fire() keeps Indsats.ramme_laast in step; afterwards the frame changes only through
# an approved change request (helhedsplaner/actions.py).
FRAME_LOCKED = frozenset({PRAEKVALIFIKATION_BEHANDLES, GODKENDELSE, AKTIV, AFSLUTNING, AFSLUTTET})
MAIN_PATH = [state.code for state in STATES if not state.side_exit]
SIDE_EXITS = [state.code for state in STATES if state.side_exit]
STATE_CHOICES = [(state.code, state.label) for state in STATES]

# Who records which organ's decisions: the secretariat records the funders' (and administrators can).
DECISION_RECORDERS = {
    Organ.ORGANISATIONSBESTYRELSE: STAFF,
    Organ.LBF: frozenset({SEKRETARIAT, ADMINISTRATOR}),
    Organ.KOMMUNE: frozenset({SEKRETARIAT, ADMINISTRATOR}),
    Organ.AFDELINGSMOEDE: STAFF,
}


def may_record_decision(user, organ) -> bool:
    return bool(user_roles(user) & DECISION_RECORDERS[organ])


# --- Guards -----------------------------------------------------------------------------------------


def _read_once(plan, what: str, read):
    """read(); while available() asks the guards of several transitions, the first guard's answer for
    `what` serves the others (they ask the same questions: this round's meetings, the afdelinger, the
    decisions, the conditions, the latest budget version, what closing asks about)."""
    answers = getattr(plan, "_guard_reads", None)
    if answers is None:
        return read()
    if what not in answers:
        answers[what] = read()
    return answers[what]


def current_decisions(plan) -> dict[str, Beslutning]:
    """The decision of each organ that counts now: of those recorded since the plan entered its current
    state, the one registered last. Registration order, not the decision's own date: a correction or a
    later refusal is registered after what it overrides, even when it is dated earlier."""

    return _read_once(
        plan,
        "decisions",
        lambda: _current(plan, plan.beslutninger.filter(fase_nr=plan.fase_nr).order_by("registreret", "id")),
    )


def _current(plan, decisions) -> dict[str, Beslutning]:
    """Of `decisions` (in registration order), each organ's last in the plan's current state."""
    return {decision.organ: decision for decision in decisions if decision.fase_nr == plan.fase_nr}


def current_meetings(plan) -> list:
    """This round's meetings of the plan's afdelinger (with their afdeling)."""
    return _read_once(
        plan,
        "meetings",
        lambda: list(
            plan.afdelingsmoeder.filter(
                runde=plan.moederunde, afdeling__in=plan.indsats.afdelinger.all()
            ).select_related("afdeling")
        ),
    )


def _afdelinger(plan) -> list:
    return _read_once(plan, "afdelinger", lambda: list(plan.indsats.afdelinger.order_by("nummer")))


def _latest_version(plan):
    return _read_once(plan, "latest version", lambda: budget_queries.latest_version(plan.indsats))


def _has_afdelinger(plan):
    if not _afdelinger(plan):
        return "Planen omfatter ingen afdelinger."
    return None


# The plan's text each guard asks for (field, as a requirement names it).
ANALYSIS_FIELDS = (("resume", "resumé"), ("analyse", "analyse"))
PLAN_TEXT_FIELDS = (*ANALYSIS_FIELDS, ("maal", "vision og mål"), ("organisering", "organisering"))


def _has_analysis(plan):
    missing = [label for name, label in ANALYSIS_FIELDS if not getattr(plan, name).strip()]
    if missing:
        return f"Udfyld {' og '.join(missing)}."
    return None


def _plan_text_complete(plan):
    missing = [label for name, label in PLAN_TEXT_FIELDS if not getattr(plan, name).strip()]
    if not plan.planlagt_start:
        missing.append("planlagt start")
    if missing:
        return f"Planteksten mangler: {', '.join(missing)}."
    return None


def _organisation_approved(plan):
    decision = current_decisions(plan).get(Organ.ORGANISATIONSBESTYRELSE)
    if decision is None:
        return "Organisationsbestyrelsens beslutning er ikke registreret."
    if not decision.positiv:
        return f"Organisationsbestyrelsen har ikke godkendt ønsket ({decision.get_udfald_display().lower()})."
    return None


def _funders_approved(plan):
    decisions = current_decisions(plan)
    problems = []
    for organ in FUNDERS:
        decision = decisions.get(organ)
        if decision is None:
            problems.append(f"{organ.label}s beslutning er ikke registreret.")
        elif not decision.positiv:
            problems.append(f"{organ.label} har ikke godkendt ({decision.get_udfald_display().lower()}).")
    return " ".join(problems) or None


def _funder_said(outcome, plan):
    decisions = current_decisions(plan)
    if any(decisions.get(organ) and decisions[organ].udfald == outcome for organ in FUNDERS):
        return None
    return f"Hverken Landsbyggefonden eller kommunen har registreret udfaldet «{outcome.label.lower()}»."


def _meetings_recorded(plan):
    recorded = {meeting.afdeling_id for meeting in current_meetings(plan) if meeting.har_resultat}
    missing = [str(a) for a in _afdelinger(plan) if a.pk not in recorded]
    if missing:
        return f"Mangler resultat fra afdelingsmødet i: {', '.join(missing)}."
    return None


def _some_afdeling_adopted(plan):
    results = [meeting for meeting in current_meetings(plan) if meeting.har_resultat]
    if not any(meeting.vedtaget for meeting in results):
        return "Ingen afdeling har vedtaget planen. Send den tilbage til udarbejdelse eller opgiv den."
    return None


def _cost_rise_within_limit(plan):
    changes = meeting_costs.changes(plan, current_meetings(plan), _latest_version(plan))
    over = [change for change in changes if change.over_limit]
    if not over:
        return None
    return (
        f"Udgiften pr. lejemål er steget mere end {percent(meeting_costs.limit_pct())} % over "
        f"det, afdelingsmødet stemte om, i: {'; '.join(str(change) for change in over)}. Hold nye "
        "afdelingsmøder (send planen tilbage til udarbejdelse), eller registrér et revideret budget."
    )


def _budget_estimate_ready(plan):
    """The prækvalifikation's budget estimate: a draft with amounts, and a fordelingsnøgle (the parties'
    split; the afdelinger's is not asked about yet)."""
    version = _latest_version(plan)
    problems = _draft_problems(version) or budget_problems(finansiering_without_uses(plan.indsats, version))
    return " ".join(problems) or None


def _draft_problems(version) -> list[str]:
    if version is None:
        return ["Planen har intet budget."]
    if version.status != Budgetversion.Status.UDKAST:
        return [
            f"Budgetversion {version.nummer} er {version.get_status_display().lower()}: der er intet udkast."
        ]
    return []


def _afdeling_costs_known(plan):
    """Every afdeling's cost, kr. per year and per lejemål per year, for its afdelingsmøde's material."""
    version = _latest_version(plan)
    problems = _draft_problems(version) or afdeling_cost_problems(
        finansiering_without_uses(plan.indsats, version, _afdelinger(plan))
    )
    return " ".join(problems) or None


def _budget_ready_to_submit(plan):
    version = _latest_version(plan)
    problems = _draft_problems(version)
    if not problems and not version.has_lines:
        problems = [f"Budgetversion {version.nummer} har ingen linjer."]
    return " ".join(problems) or None


def _tilsagn_matches_budget(plan):
    """LBF's and the kommune's granted amounts equal their shares of the submitted budget, or the decision
    records why not."""
    version = budget_queries.submitted_version(plan.indsats)
    if version is None:
        return "Der er ingen budgetversion indsendt med ansøgningen."
    decisions = current_decisions(plan)
    totals = None
    problems = []
    for organ in FUNDERS:
        decision = decisions.get(organ)
        if decision is None or not decision.positiv:
            continue  # FUNDERS_APPROVED says so
        if decision.bevilget_beloeb is None:
            problems.append(f"{organ.label}s tilsagn har intet bevilget beløb.")
            continue
        totals = totals if totals is not None else party_totals(plan.indsats, version)
        share = totals.get(FUNDER_PARTY[organ], Decimal(0))
        if decision.bevilget_beloeb != share and too_short(decision.afvigelse_begrundelse):
            problems.append(
                f"{organ.label} har bevilget {kroner(decision.bevilget_beloeb)} kr., men dens andel af "
                f"budgetversion {version.nummer} er {kroner(share)} kr. Registrér beslutningen igen med "
                "en begrundelse for afvigelsen, eller send planen tilbage."
            )
    return " ".join(problems) or None


def _closing_records(plan) -> dict:
    """What the guards of closing ask about besides the activities and the conditions, in one query: the
    indsats's assessments of the closing criteria ({kriterium, opfyldt, begrundelse}) and the plan's open
    change requests ({nummer, status})."""
    status = Aendringsanmodning.Status
    # In no order: the checklist looks each up by its criterion.
    assessments = (
        Afslutningsvurdering.objects.filter(indsats=OuterRef("indsats"))
        .order_by()
        .values(row=JSONObject(kriterium="kriterium", opfyldt="opfyldt", begrundelse="begrundelse"))
    )
    open_changes = (
        Aendringsanmodning.objects.filter(plan=OuterRef("pk"), status__in=(status.KLADDE, status.SENDT))
        .order_by("nummer")
        .values(row=JSONObject(nummer="nummer", status="status"))
    )
    records = Helhedsplan.objects.filter(pk=plan.pk).values(
        assessments=ValueList(assessments, "row", is_json=True),
        open_changes=ValueList(open_changes, "row", is_json=True),
    )
    return _read_once(plan, "closing", records.get)


def _closing_checklist_complete(plan):
    assessments = [
        Afslutningsvurdering(
            kriterium=row["kriterium"],
            # SQLite's JSON (the demo's database) writes a boolean as 1 or 0.
            opfyldt=None if row["opfyldt"] is None else bool(row["opfyldt"]),
            begrundelse=row["begrundelse"],
        )
        for row in _closing_records(plan)["assessments"]
    ]
    activities = plan.indsats.aktiviteter.select_related("aktivitetstype")
    return " ".join(mangler(assessments, activities)) or None


def _no_open_change(plan):
    """A closed plan changes no more: a change to it is decided or withdrawn before it closes."""
    status = Aendringsanmodning.Status
    return (
        " ".join(
            f"Ændring {change['nummer']} af godkendt plan er ikke afgjort "
            f"({status(change['status']).label.lower()}): afgør den, eller træk den tilbage."
            for change in _closing_records(plan)["open_changes"]
        )
        or None
    )


def _conditions_met(plan):
    """The tilsagn's conditions are followed up before the plan closes: afterwards nothing of it changes."""
    conditions = _read_once(plan, "conditions", lambda: list(plan.betingelser.all()))
    open_conditions = [each for each in conditions if each.status == Betingelse.Status.AABEN]
    return " ".join(f"Betingelsen «{each.tekst}» er ikke opfyldt." for each in open_conditions) or None


HAS_AFDELINGER = Guard("har_afdelinger", "Planen omfatter mindst én afdeling.", _has_afdelinger)
HAS_ANALYSIS = Guard("analyse_skrevet", "Resumé og analyse er skrevet.", _has_analysis)
PLAN_TEXT_COMPLETE = Guard(
    "plantekst_faerdig",
    "Resumé, analyse, vision og mål, organisering og planlagt start er udfyldt.",
    _plan_text_complete,
)
ORGANISATION_APPROVED = Guard(
    "organisationsbestyrelse_godkendt",
    "Organisationsbestyrelsen har godkendt ønsket om at søge.",
    _organisation_approved,
)
FUNDERS_APPROVED = Guard(
    "lbf_og_kommune_godkendt", "Både Landsbyggefonden og kommunen har godkendt.", _funders_approved
)
FUNDER_SENT_BACK = Guard(
    "sendt_tilbage",
    "Landsbyggefonden eller kommunen har sendt planen tilbage.",
    partial(_funder_said, Beslutning.Udfald.SENDT_TILBAGE),
)
FUNDER_REFUSED = Guard(
    "afvist",
    "Landsbyggefonden eller kommunen har afvist planen.",
    partial(_funder_said, Beslutning.Udfald.AFVIST),
)
MEETINGS_RECORDED = Guard(
    "afdelingsmoeder_registreret",
    "Der er registreret et resultat fra hver involveret afdelings møde.",
    _meetings_recorded,
)
SOME_AFDELING_ADOPTED = Guard(
    "mindst_en_afdeling_ja", "Mindst én afdeling har vedtaget planen.", _some_afdeling_adopted
)
COST_RISE_WITHIN_LIMIT = Guard(
    "udgift_inden_for_graensen",
    "Ingen afdeling, der har stemt ja, kommer til at betale mere pr. lejemål end det, afdelingsmødet stemte "
    "om, plus den fastsatte grænse (normalt 10 %), fx fordi andre afdelinger har stemt nej.",
    _cost_rise_within_limit,
)
BUDGET_ESTIMATE_READY = Guard(
    "budgetoverslag",
    "Der er et budgetoverslag med beløb i planens periode og en fordelingsnøgle, hvis parter giver 100 %.",
    _budget_estimate_ready,
)
AFDELING_COSTS_KNOWN = Guard(
    "afdelingernes_udgift",
    "Hver afdelings udgift (kr. pr. år og pr. lejemål pr. år) kan beregnes ud fra budgettet og "
    "fordelingsnøglen, så den kan stå i materialet til afdelingsmødet.",
    _afdeling_costs_known,
)
BUDGET_READY_TO_SUBMIT = Guard(
    "budget_kan_indsendes",
    "Budgettets seneste version er et udkast med linjer; den indsendes og låses.",
    _budget_ready_to_submit,
)
TILSAGN_MATCHES_BUDGET = Guard(
    "tilsagn_svarer_til_budget",
    "Landsbyggefondens og kommunens bevilgede beløb svarer til deres andele af det indsendte budget, "
    "eller afvigelsen er begrundet.",
    _tilsagn_matches_budget,
)
CLOSING_CHECKLIST_COMPLETE = Guard(
    "afslutning_vurderet",
    "De fem afslutningskriterier er vurderet, og hver aktivitet har en forankring.",
    _closing_checklist_complete,
)
NO_OPEN_CHANGE = Guard(
    "ingen_aaben_aendring",
    "Ingen ændring af godkendt plan venter på afgørelse.",
    _no_open_change,
)
CONDITIONS_MET = Guard(
    "betingelser_opfyldt",
    "Alle betingelser i tilsagnene er opfyldt.",
    _conditions_met,
)

# --- Inputs and effects -------------------------------------------------------------------------------


INDSENDT = Input("indsendt", "Indsendt den", "date", help="Datoen, ansøgningen blev sendt.")
STARTDATO = Input("startdato", "Planens startdato", "date")
SLUTDATO = Input(
    "slutdato",
    "Planens slutdato",
    "date",
    required=False,
    help="Tom: startdato plus planens varighed (normalt 4 år).",
)


def _start_meeting_round(plan, user, inputs):
    plan.moederunde += 1
    return None


def _drop_afdelinger_voting_no(plan, user, inputs):
    """An afdeling that voted no leaves the plan; its vote stays on record. The financing follows the
    plan's current afdelinger, so the remaining afdelinger's shares are recalculated from here on."""
    rejected = [
        meeting.afdeling
        for meeting in current_meetings(plan)
        if meeting.har_resultat and not meeting.vedtaget
    ]
    if not rejected:
        return None
    plan.indsats.afdelinger.remove(*rejected)
    names = ", ".join(str(afdeling) for afdeling in rejected)
    return f"Udgår af planen efter nej på afdelingsmødet: {names}."


def _begin_period(plan, user, inputs):
    """The approved period. Afdelinger that are in another helhedsplan in it need `overlap_begrundelse`
    (indsatser.overlap.OverlapNotConfirmed otherwise, which undoes the whole transition)."""
    start = inputs["startdato"]
    longest = _add_years(start, plan.varighed_aar) - timedelta(days=1)
    end = inputs.get("slutdato") or longest
    _check_period(plan, start, end, longest)
    note = confirmed_overlap(
        plan.indsats.afdelinger.all(), start, end, inputs.get("overlap_begrundelse", ""), exclude=plan.indsats
    )
    plan.indsats.startdato, plan.indsats.slutdato = start, end
    period = f"Periode {numeric_date(start)}–{numeric_date(end)}."
    return f"{period}\n{note}" if note else period


def _check_period(plan, start, end, longest):
    """The approved period is the one applied for: no longer than the plan's duration, and holding every
    year the submitted budget has money in."""
    if end < start:
        raise Refused(["Slutdatoen ligger før startdatoen."])
    if end > longest:
        raise Refused(
            [
                f"Perioden er længere end planens varighed ({plan.varighed_aar} år): den slutter senest "
                f"{numeric_date(longest)}."
            ]
        )
    submitted = budget_queries.submitted_version(plan.indsats)
    years = set(submitted.linjer.values_list("aar", flat=True)) if submitted else set()
    outside = sorted(year for year in years if not start.year <= year <= end.year)
    if outside:
        raise Refused(
            [
                f"Det indsendte budget har beløb uden for perioden ({', '.join(map(str, outside))}). "
                "Vælg den periode, der er søgt om."
            ]
        )


def _submit_budget(plan, user, inputs):
    """The application goes with its budget: the latest version is submitted and locked while the funders
    treat it (BUDGET_READY_TO_SUBMIT has checked that there is one)."""
    version = budget_actions.submit_budget(budget_queries.latest_version(plan.indsats), acting_user=user)
    return f"Budgetversion {version.nummer} er indsendt og låst, mens bevillingsgiverne behandler den."


def _funders_decision(plan) -> str:
    """What LBF and the kommune decided in this phase, as the submitted budget version records it."""
    decisions = current_decisions(plan)
    return "; ".join(
        f"{organ.label}: {decisions[organ].get_udfald_display().lower()} "
        f"{numeric_date(decisions[organ].dato)}"
        + (f", j.nr. {decisions[organ].journalnummer}" if decisions[organ].journalnummer else "")
        for organ in FUNDERS
        if organ in decisions
    )


def _new_draft(fase, reason, plan, user, inputs):
    """The funders have decided without approving the budget: the submitted version is decided, and work
    goes on in a new draft (a copy)."""
    version = budget_actions.create_draft_after_decision(
        plan.indsats,
        fase,
        inputs.get("begrundelse") or reason,
        decision=_funders_decision(plan),
        acting_user=user,
    )
    if version is None:
        return None
    return f"Budgetversion {version.nummer} er oprettet som udkast (en kopi af den indsendte)."


def _budget_decided(plan, user, inputs):
    """The funders refused the plan: the submitted budget version is decided, with their decision."""
    version = budget_actions.record_budget_decided(plan.indsats, _funders_decision(plan), acting_user=user)
    if version is None:
        return None
    return f"Budgetversion {version.nummer} er besluttet af bevillingsgiverne."


def _create_obligations(plan, user, inputs):
    """The reports the plan owes the funders for every year of the period just approved."""
    return aarscyklus.sync_obligations(plan, acting_user=user)


def _approve_budget(plan, user, inputs):
    """The funders approved the plan, so they approved its submitted budget (TILSAGN_MATCHES_BUDGET has
    checked that there is one): it becomes the approved version, the one approved before is superseded."""
    decisions = current_decisions(plan)
    grounds = "; ".join(
        f"{organ.label} {numeric_date(decisions[organ].dato)}"
        + (f", j.nr. {decisions[organ].journalnummer}" if decisions[organ].journalnummer else "")
        for organ in FUNDERS
    )
    version = budget_actions.approve_budget(
        budget_queries.submitted_version(plan.indsats), grounds=grounds, acting_user=user
    )
    return f"Budgetversion {version.nummer} er godkendt af Landsbyggefonden og kommunen."


def _record_closing(plan, user, inputs):
    record_afslutning(plan.indsats, user)
    return None


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- Transitions ------------------------------------------------------------------------------------


BEFORE_ACTIVE = (
    IDE,
    ORGANISATIONSBESTYRELSE,
    PRAEKVALIFIKATION_UDARBEJDES,
    PRAEKVALIFIKATION_BEHANDLES,
    PRAEKVALIFICERET,
    HELHEDSPLAN_UDARBEJDES,
    AFDELINGSMOEDER,
    GODKENDELSE,
)

TRANSITIONS = [
    Transition(
        name="send_til_organisationsbestyrelsen",
        label="Send til organisationsbestyrelsen",
        sources=(IDE,),
        target=ORGANISATIONSBESTYRELSE,
        roles=STAFF,
        guards=(HAS_AFDELINGER, HAS_ANALYSIS),
        inputs=(KOMMENTAR,),
        help="Organisationsbestyrelsen skal tage stilling til ønsket om at søge om en helhedsplan.",
    ),
    Transition(
        name="start_praekvalifikation",
        label="Start ansøgningen om prækvalifikation",
        sources=(ORGANISATIONSBESTYRELSE,),
        target=PRAEKVALIFIKATION_UDARBEJDES,
        roles=STAFF,
        guards=(ORGANISATION_APPROVED,),
        inputs=(KOMMENTAR,),
    ),
    Transition(
        name="send_praekvalifikation",
        label="Send ansøgningen om prækvalifikation",
        sources=(PRAEKVALIFIKATION_UDARBEJDES,),
        target=PRAEKVALIFIKATION_BEHANDLES,
        roles=STAFF,
        guards=(HAS_AFDELINGER, HAS_ANALYSIS, BUDGET_ESTIMATE_READY, BUDGET_READY_TO_SUBMIT),
        inputs=(INDSENDT, KOMMENTAR),
        effects=(_submit_budget,),
        help="Ansøgningen sendes til Landsbyggefonden og kommunen. Teksten og budgettet låses, mens de "
        "behandler den.",
    ),
    Transition(
        name="praekvalificer",
        label="Registrér planen som prækvalificeret",
        sources=(PRAEKVALIFIKATION_BEHANDLES,),
        target=PRAEKVALIFICERET,
        roles=STAFF_AND_SECRETARIAT,
        guards=(FUNDERS_APPROVED,),
        inputs=(KOMMENTAR,),
        effects=(partial(_new_draft, ANSOEGNING, "Ansøgningens budget, bygget på prækvalifikationens."),),
    ),
    Transition(
        name="praekvalifikation_tilbage",
        label="Tilbage til udarbejdelse (sendt tilbage)",
        sources=(PRAEKVALIFIKATION_BEHANDLES,),
        target=PRAEKVALIFIKATION_UDARBEJDES,
        roles=STAFF_AND_SECRETARIAT,
        guards=(FUNDER_SENT_BACK,),
        inputs=(BEGRUNDELSE,),
        effects=(partial(_new_draft, PRAEKVALIFIKATIONSESTIMAT, ""),),
        kind="tilbage",
    ),
    Transition(
        name="praekvalifikation_afvist",
        label="Registrér afslag",
        sources=(PRAEKVALIFIKATION_BEHANDLES,),
        target=AFVIST,
        roles=STAFF_AND_SECRETARIAT,
        guards=(FUNDER_REFUSED,),
        inputs=(KOMMENTAR,),
        effects=(_budget_decided,),
        kind="exit",
    ),
    Transition(
        name="start_helhedsplan",
        label="Start udarbejdelsen af helhedsplanen",
        sources=(PRAEKVALIFICERET,),
        target=HELHEDSPLAN_UDARBEJDES,
        roles=STAFF,
        inputs=(KOMMENTAR,),
    ),
    Transition(
        name="send_til_afdelingsmoeder",
        label="Send planen til afdelingsmøderne",
        sources=(HELHEDSPLAN_UDARBEJDES,),
        target=AFDELINGSMOEDER,
        roles=STAFF,
        guards=(HAS_AFDELINGER, PLAN_TEXT_COMPLETE, AFDELING_COSTS_KNOWN),
        inputs=(KOMMENTAR,),
        effects=(_start_meeting_round,),
        help="Teksten låses, og hver afdeling skal behandle planen på et afdelingsmøde.",
    ),
    Transition(
        name="send_til_godkendelse",
        label="Send planen til LBF og kommunen",
        sources=(AFDELINGSMOEDER,),
        target=GODKENDELSE,
        roles=STAFF,
        guards=(MEETINGS_RECORDED, SOME_AFDELING_ADOPTED, COST_RISE_WITHIN_LIMIT, BUDGET_READY_TO_SUBMIT),
        inputs=(INDSENDT, KOMMENTAR),
        effects=(_drop_afdelinger_voting_no, _submit_budget),
        help="Afdelinger, der har stemt nej, udgår af planen, og finansieringen beregnes for de øvrige. "
        "Budgettet indsendes og låses, mens Landsbyggefonden og kommunen behandler planen.",
    ),
    Transition(
        name="afdelingsmoeder_tilbage",
        label="Send planen tilbage til udarbejdelse",
        sources=(AFDELINGSMOEDER,),
        target=HELHEDSPLAN_UDARBEJDES,
        roles=STAFF,
        guards=(MEETINGS_RECORDED,),
        inputs=(BEGRUNDELSE,),
        kind="tilbage",
        help="Planen revideres, og alle afdelinger beholdes. Afdelingsmøderne holdes igen bagefter.",
    ),
    Transition(
        name="godkend",
        label="Registrér godkendelse og start planen",
        sources=(GODKENDELSE,),
        target=AKTIV,
        roles=STAFF_AND_SECRETARIAT,
        guards=(FUNDERS_APPROVED, TILSAGN_MATCHES_BUDGET),
        inputs=(STARTDATO, SLUTDATO, KOMMENTAR),
        effects=(_begin_period, _approve_budget, _create_obligations),
        help="Planens rapporteringsfrister over for Landsbyggefonden og kommunen oprettes for hele perioden.",
    ),
    Transition(
        name="godkendelse_tilbage",
        label="Tilbage til udarbejdelse (sendt tilbage)",
        sources=(GODKENDELSE,),
        target=HELHEDSPLAN_UDARBEJDES,
        roles=STAFF_AND_SECRETARIAT,
        guards=(FUNDER_SENT_BACK,),
        inputs=(BEGRUNDELSE,),
        effects=(partial(_new_draft, ANSOEGNING, ""),),
        kind="tilbage",
    ),
    Transition(
        name="godkendelse_afvist",
        label="Registrér afslag",
        sources=(GODKENDELSE,),
        target=AFVIST,
        roles=STAFF_AND_SECRETARIAT,
        guards=(FUNDER_REFUSED,),
        inputs=(KOMMENTAR,),
        effects=(_budget_decided,),
        kind="exit",
    ),
    Transition(
        name="start_afslutning",
        label="Start afslutningen",
        sources=(AKTIV,),
        target=AFSLUTNING,
        roles=STAFF,
        inputs=(BEGRUNDELSE,),
        help="Begrund ud fra afslutningskriterierne, fx at målene er nået, eller at der ikke længere er "
        "lokal opbakning.",
    ),
    Transition(
        name="fortsaet",
        label="Fortsæt planen",
        sources=(AFSLUTNING,),
        target=AKTIV,
        roles=STAFF,
        inputs=(BEGRUNDELSE,),
        kind="tilbage",
    ),
    Transition(
        name="afslut",
        label="Afslut planen",
        sources=(AFSLUTNING,),
        target=AFSLUTTET,
        roles=STAFF,
        guards=(CLOSING_CHECKLIST_COMPLETE, NO_OPEN_CHANGE, CONDITIONS_MET),
        inputs=(KOMMENTAR,),
        effects=(_record_closing,),
    ),
    Transition(
        name="opgiv",
        label="Opgiv planen",
        sources=BEFORE_ACTIVE,
        target=OPGIVET,
        roles=STAFF,
        inputs=(BEGRUNDELSE,),
        kind="exit",
    ),
]
TRANSITION = {transition.name: transition for transition in TRANSITIONS}

# The plan's fields each guard reads, so the text form can say which step waits for a field.
GUARD_FIELDS = {
    HAS_ANALYSIS.code: [name for name, _ in ANALYSIS_FIELDS],
    PLAN_TEXT_COMPLETE.code: [*(name for name, _ in PLAN_TEXT_FIELDS), "planlagt_start"],
}


def needed_before(state: str = IDE) -> dict[str, Transition]:
    """Each plan field a guard asks for, with the first transition (in the declared order) from `state` on
    along the main path that waits for it: the field may be left empty until then."""
    ahead = set(MAIN_PATH[MAIN_PATH.index(state) :]) if state in MAIN_PATH else set()
    needed = {}
    for transition in TRANSITIONS:
        if not ahead & set(transition.sources):
            continue
        for guard in transition.guards:
            for name in GUARD_FIELDS.get(guard.code, ()):
                needed.setdefault(name, transition)
    return needed


def transitions_from(state_code: str) -> list[Transition]:
    return [transition for transition in TRANSITIONS if state_code in transition.sources]


def available(
    plan, user, *, afdelinger=None, meetings=None, decisions=None, conditions=None
) -> list[tuple[Transition, list[str]]]:
    """What this user could do next: each transition from the current state their role allows, with the
    reasons it is still blocked (an empty list when it can be done now). The guards read what they share
    once (_read_once), for this call only: a later call reads the plan's records again. `afdelinger`: the
    plan's afdelinger by number, `meetings`: this round's meetings of those afdelinger (with their afdeling),
    `decisions`: every decision on the plan in registration order, and `conditions`: every condition on the
    plan, by status and due date, when the caller has just read them."""
    transitions = [t for t in transitions_from(plan.tilstand) if may_fire(user, t)]
    plan._guard_reads = {}
    if afdelinger is not None:
        plan._guard_reads["afdelinger"] = afdelinger
    if meetings is not None:
        plan._guard_reads["meetings"] = meetings
    if decisions is not None:
        plan._guard_reads["decisions"] = _current(plan, decisions)
    if conditions is not None:
        plan._guard_reads["conditions"] = conditions
    try:
        return [(t, blockers(plan, t)) for t in transitions]
    finally:
        del plan._guard_reads


# --- Firing -----------------------------------------------------------------------------------------


def lock(plan) -> Helhedsplan:
    """The plan row, locked until the transaction ends, with its indsats (locked too)."""
    return Helhedsplan.objects.select_for_update().select_related("indsats").get(pk=plan.pk)


def fire(plan, name, inputs=None, *, acting_user, expected_fase_nr=None, notify=True) -> Helhedsplan:
    """Fire one transition: lock the plan, check role, state and guards, write the state, the effects and the
    event in one transaction; e-mails are queued for after the commit. Raises Forbidden, Conflict or Refused.
    """
    transition = TRANSITION.get(name)
    if transition is None:
        raise Refused(["Handlingen findes ikke."])
    if not may_fire(acting_user, transition):
        raise Forbidden([f"Din rolle kan ikke udføre «{transition.label}»."])
    inputs = dict(inputs or {})
    missing = missing_inputs(transition, inputs)
    if missing:
        raise Refused([f"Udfyld {', '.join(missing).lower()}."])
    with transaction.atomic():
        locked = lock(plan)
        state = STATE[locked.tilstand]
        if expected_fase_nr is not None and locked.fase_nr != expected_fase_nr:
            raise Conflict(
                [
                    f"Planen er flyttet, siden du åbnede den: den er nu i fasen «{state.label}». "
                    "Se planen igen."
                ]
            )
        if locked.tilstand not in transition.sources:
            raise Conflict([f"Planen er i fasen «{state.label}», så «{transition.label}» kan ikke udføres."])
        problems = blockers(locked, transition)
        if problems:
            raise Refused(problems)
        locked.tilstand = transition.target
        notes = [note for effect in transition.effects if (note := effect(locked, acting_user, inputs))]
        locked.fase_nr += 1
        locked.tilstand_siden = timezone.now()
        locked._history_user = acting_user
        locked.save()
        target = STATE[transition.target]
        frame_locked = transition.target in FRAME_LOCKED
        if (
            locked.indsats.status != target.indsats_status
            or locked.indsats.fase != target.label
            or locked.indsats.ramme_laast != frame_locked
            or transition.effects
        ):
            locked.indsats.status = target.indsats_status
            locked.indsats.fase = target.label
            locked.indsats.ramme_laast = frame_locked
            locked.indsats._history_user = acting_user
            locked.indsats.save()
        event = locked.haendelser.create(
            art=Haendelse.Art.OVERGANG,
            bruger=acting_user,
            overgang=transition.name,
            fra_tilstand=state.code,
            til_tilstand=transition.target,
            tekst="\n".join([*_input_lines(transition, inputs), *notes]),
        )
        if notify:
            notifications.queue(Besked.Art.OVERGANG, event.pk)
    return locked


def _input_lines(transition, inputs) -> list[str]:
    lines = []
    for spec in transition.inputs:
        value = inputs.get(spec.name)
        if value in (None, ""):
            continue
        if isinstance(value, date):
            lines.append(f"{spec.label}: {numeric_date(value)}")
        elif spec.name in ("begrundelse", "kommentar"):
            lines.append(str(value))
        else:
            lines.append(f"{spec.label}: {value}")
    return lines
