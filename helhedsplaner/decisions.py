"""Recording decisions and afdelingsmøder: the facts the lifecycle's guards look at.

A decision is accepted only from an organ the plan's current state awaits (lifecycle.State.awaits), and
only from a role that records that organ's decisions (lifecycle.DECISION_RECORDERS). It remembers the
fasenummer it was recorded under, so it counts for this round only.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from config.web import roles
from config.web.formatting import kroner
from helhedsplaner import lifecycle, meeting_costs, notifications
from helhedsplaner.models import Afdelingsmoede, Besked, Beslutning, Betingelse, Haendelse, Helhedsplan
from helhedsplaner.uploads import original_name
from indsatser.afslutning import MIN_WORDS, too_short
from indsatser.transitions import ADMINISTRATOR, Conflict, Forbidden, Refused, user_roles

Organ = Beslutning.Organ


def organs_open(plan, user) -> list[str]:
    """The organs whose decisions this user may record on the plan now (afdelingsmøder: their own form)."""
    return [
        organ
        for organ in plan.state.awaits
        if organ != Organ.AFDELINGSMOEDE and lifecycle.may_record_decision(user, organ)
    ]


def _decision_text(decision, conditions) -> str:
    parts = [f"{decision.get_organ_display()}: {decision.get_udfald_display()} den {decision.dato:%d.%m.%Y}"]
    if decision.journalnummer:
        parts.append(f"j.nr. {decision.journalnummer}")
    if decision.erstatter:
        parts.append(f"erstatter beslutningen af {decision.erstatter.dato:%d.%m.%Y}")
    text = ", ".join(parts) + "."
    if decision.bevilget_beloeb is not None:
        text += f" Bevilget: {kroner(decision.bevilget_beloeb)} kr."
    if decision.afvigelse_begrundelse:
        text += f"\nBegrundelse for afvigelse fra budgettet: {decision.afvigelse_begrundelse}"
    for condition in conditions:
        text += f"\nBetingelse (frist {condition.frist:%d.%m.%Y}): {condition.tekst}"
    if decision.bemaerkning:
        text += f"\n{decision.bemaerkning}"
    return text


def _validate(record) -> None:
    """The model's own rules (Beslutning.clean, Afdelingsmoede.clean), the same the forms and the admin
    check, refused here too so that no caller can skip them."""
    try:
        record.full_clean()
    except ValidationError as error:
        raise Refused([message for messages in error.message_dict.values() for message in messages]) from None


def _check_tilsagn(plan, data, conditions) -> None:
    """The granted amount belongs to LBF's and the kommune's approval of the plan, and is required there;
    conditions belong to an approval with conditions, each with a due date and a staff member to follow up."""
    organ, udfald = data["organ"], data["udfald"]
    grants = (
        organ in lifecycle.FUNDERS
        and plan.tilstand == lifecycle.GODKENDELSE
        and udfald in Beslutning.POSITIVE
    )
    amount = data.get("bevilget_beloeb")
    if grants and amount is None:
        raise Refused(f"Skriv det beløb, {Organ(organ).label} bevilger (tilsagnet).")
    if not grants and amount is not None:
        raise Refused(
            "Et bevilget beløb registreres kun, når Landsbyggefonden eller kommunen godkender planen."
        )
    if amount is not None and amount < 0:
        raise Refused("Det bevilgede beløb kan ikke være negativt.")
    reason = data.get("afvigelse_begrundelse", "").strip()
    if reason and amount is None:
        raise Refused("En begrundelse for afvigelse hører til et bevilget beløb.")
    if reason and too_short(reason):
        raise Refused(f"Begrundelsen for afvigelsen er for kort: skriv mindst {MIN_WORDS} ord.")
    if udfald == Beslutning.Udfald.GODKENDT_MED_BETINGELSER and not conditions:
        raise Refused("Skriv betingelserne: mindst én, med frist og hvem der følger op.")
    if conditions and udfald != Beslutning.Udfald.GODKENDT_MED_BETINGELSER:
        raise Refused("Betingelser hører til udfaldet «godkendt med betingelser».")
    for condition in conditions:
        if not condition.get("tekst", "").strip() or not condition.get("frist"):
            raise Refused("Hver betingelse skal have en tekst og en frist.")
        follower = condition.get("ansvarlig")
        if follower is None or not roles.is_medarbejder(follower):
            raise Refused("Hver betingelse skal følges op af en af fsb's medarbejdere.")


def record_decision(plan, user, data, *, expected_fase_nr=None, notify=True) -> Beslutning:
    """Record a decision from cleaned form data: organ, dato, udfald, journalnummer, bevilget_beloeb,
    afvigelse_begrundelse, bemaerkning, dokument (an already validated upload or None) and betingelser (a
    list of dicts with tekst, frist and ansvarlig: the decision's conditions)."""
    organ = data["organ"]
    if organ == Organ.AFDELINGSMOEDE:
        raise Refused("Afdelingsmødernes resultater registreres under Afdelingsmøder.")
    if not lifecycle.may_record_decision(user, organ):
        raise Forbidden(f"Din rolle kan ikke registrere beslutninger fra {Organ(organ).label}.")
    conditions = list(data.get("betingelser") or [])
    with transaction.atomic():
        locked = lifecycle.lock(plan)
        if expected_fase_nr is not None and locked.fase_nr != expected_fase_nr:
            raise Conflict(
                f"Planen er flyttet til fasen «{locked.state.label}», siden du åbnede den. Se planen igen."
            )
        if organ not in locked.state.awaits:
            raise Refused(
                f"I fasen «{locked.state.label}» venter planen ikke på "
                f"en beslutning fra {Organ(organ).label}."
            )
        _check_tilsagn(locked, data, conditions)
        decision = Beslutning(
            plan=locked,
            organ=organ,
            dato=data["dato"],
            udfald=data["udfald"],
            journalnummer=data.get("journalnummer", ""),
            bevilget_beloeb=data.get("bevilget_beloeb"),
            afvigelse_begrundelse=data.get("afvigelse_begrundelse", "").strip(),
            bemaerkning=data.get("bemaerkning", ""),
            fase=locked.tilstand,
            fase_nr=locked.fase_nr,
            registreret_af=user,
            # The organ has decided in this phase already: this one is a correction and replaces it.
            erstatter=lifecycle.current_decisions(locked).get(organ),
        )
        _validate(decision)
        document = data.get("dokument")
        if document:
            decision.dokument_navn = original_name(document)
            decision.dokument.save(decision.dokument_navn, document, save=False)
        decision._history_user = user
        decision.save()
        stored = [
            Betingelse(
                plan=locked,
                beslutning=decision,
                tekst=condition["tekst"].strip(),
                frist=condition["frist"],
                ansvarlig=condition["ansvarlig"],
            )
            for condition in conditions
        ]
        bulk_create_with_history(stored, Betingelse, default_user=user)
        event = locked.haendelser.create(
            art=Haendelse.Art.BESLUTNING,
            bruger=user,
            beslutning=decision,
            tekst=_decision_text(decision, stored),
        )
        if notify:
            notifications.queue(Besked.Art.BESLUTNING, event.pk)
    return decision


def new_meeting(plan, afdeling) -> Afdelingsmoede:
    """This round's meeting for the afdeling: the one already registered, or a new unsaved one."""
    meeting = plan.afdelingsmoeder.filter(afdeling=afdeling, runde=plan.moederunde).first()
    return meeting or Afdelingsmoede(plan=plan, afdeling=afdeling, runde=plan.moederunde)


def save_meeting(meeting, user, *, referat=None, notify=True) -> Afdelingsmoede:
    """Save a validated meeting (from MeetingForm) and, once it has a result, the decision it makes."""
    if not lifecycle.may_record_decision(user, Organ.AFDELINGSMOEDE):
        raise Forbidden("Din rolle kan ikke registrere afdelingsmøder.")
    with transaction.atomic():
        locked = lifecycle.lock(meeting.plan)
        if Organ.AFDELINGSMOEDE not in locked.state.awaits:
            raise Refused(
                f"Afdelingsmøder registreres i fasen «{lifecycle.STATE[lifecycle.AFDELINGSMOEDER].label}»."
            )
        if meeting.runde != locked.moederunde:
            raise Conflict("Planen har været sendt tilbage, siden du åbnede formularen. Se planen igen.")
        if not locked.indsats.afdelinger.filter(pk=meeting.afdeling_id).exists():
            raise Refused(f"{meeting.afdeling} er ikke med i planen.")
        _validate(meeting)
        stored = Afdelingsmoede.objects.filter(pk=meeting.pk).first() if meeting.pk else None
        if not meeting.har_resultat:
            meeting.udgift_pr_aar = meeting.udgift_pr_lejemaal_pr_aar = None
        elif stored is None or not stored.har_resultat:
            # The result is recorded now: keep what the plan costs the afdeling as what it voted on.
            # A later correction of the figures keeps the cost of the vote it corrects.
            meeting_costs.record_voted_cost(meeting)
        meeting.registreret_af = user
        if referat:
            meeting.referat_navn = original_name(referat)
            meeting.referat.save(meeting.referat_navn, referat, save=False)
        meeting._history_user = user
        meeting.save()
        decision = _sync_decision(locked, meeting, user)
        text = f"Afdelingsmøde i {meeting.afdeling} den {meeting.dato:%d.%m.%Y}: {meeting.resultat_tekst()}."
        if meeting.kort_varsel:
            text += f" Indkaldt med kun {meeting.varsel_dage} dages varsel."
        event = locked.haendelser.create(
            art=Haendelse.Art.AFDELINGSMOEDE,
            bruger=user,
            afdelingsmoede=meeting,
            beslutning=decision,
            tekst=text,
        )
        if notify and decision is not None:
            notifications.queue(Besked.Art.BESLUTNING, event.pk)
    return meeting


def _sync_decision(plan, meeting, user):
    """The meeting's result as the afdelingsmøde's decision (none until the votes are in)."""
    if not meeting.har_resultat:
        Beslutning.objects.filter(afdelingsmoede=meeting).delete()
        return None
    result = {
        "plan": plan,
        "organ": Organ.AFDELINGSMOEDE,
        "afdeling": meeting.afdeling,
        "dato": meeting.dato,
        "udfald": Beslutning.Udfald.GODKENDT if meeting.vedtaget else Beslutning.Udfald.AFVIST,
        "bemaerkning": meeting.resultat_tekst(),
        "registreret_af": user,
    }
    decision, _ = Beslutning.objects.update_or_create(
        afdelingsmoede=meeting,
        defaults=result,
        # The phase it was made in, set once: a correction made later (in the admin) does not move it.
        create_defaults={**result, "fase": plan.tilstand, "fase_nr": plan.fase_nr},
    )
    return decision


def _correction_text(record, changed) -> str:
    labels = [str(type(record)._meta.get_field(name).verbose_name) for name in changed]
    return f"Rettet i administrationen: {', '.join(labels) or 'intet ændret'}."


def _save_correction(record, user, what):
    """Check and save an administrator's correction of a decision or meeting (in the caller's transaction),
    by the same rules as when it was recorded. Returns the plan, locked."""
    if ADMINISTRATOR not in user_roles(user):
        raise Forbidden(f"Kun en administrator kan rette registrerede {what}.")
    locked = lifecycle.lock(record.plan)
    _validate(record)
    record._history_user = user
    record.save()
    return locked


def outcome_settled(decision) -> bool:
    """Whether the plan has left the phase the decision was recorded in: the lifecycle acted on its
    outcome, so a changed outcome would contradict where the plan stands."""
    return decision.fase_nr != Helhedsplan.objects.values_list("fase_nr", flat=True).get(pk=decision.plan_id)


def correct_decision(decision, user, changed) -> Beslutning:
    """An administrator's correction of a recorded decision (the admin's form, fields `changed`), written
    on the plan's timeline. The outcome stays as it was once the plan has moved on from its phase."""
    if "udfald" in changed and outcome_settled(decision):
        raise Refused(
            "Planen er gået videre fra den fase, beslutningen blev truffet i, så udfaldet kan ikke rettes. "
            "Registrér en ny beslutning i planens nuværende fase."
        )
    with transaction.atomic():
        locked = _save_correction(decision, user, "beslutninger")
        locked.haendelser.create(
            art=Haendelse.Art.BESLUTNING,
            bruger=user,
            beslutning=decision,
            tekst=_correction_text(decision, changed)
            + "\n"
            + _decision_text(decision, decision.betingelser.all()),
        )
    return decision


def correct_meeting(meeting, user, changed) -> Afdelingsmoede:
    """An administrator's correction of a recorded afdelingsmøde (the admin's form, fields `changed`), its
    decision kept in step, written on the plan's timeline."""
    with transaction.atomic():
        locked = _save_correction(meeting, user, "afdelingsmøder")
        decision = _sync_decision(locked, meeting, user)
        locked.haendelser.create(
            art=Haendelse.Art.AFDELINGSMOEDE,
            bruger=user,
            afdelingsmoede=meeting,
            beslutning=decision,
            tekst=f"{_correction_text(meeting, changed)}\n"
            f"Afdelingsmøde i {meeting.afdeling} den {meeting.dato:%d.%m.%Y}: {meeting.resultat_tekst()}.",
        )
    return meeting


def mark_condition_met(condition, user, *, note="", dokument=None) -> Betingelse:
    """Staff record that a condition is met, with a note or a document (an already validated upload) that
    shows it; the timeline says who did and when. A condition met stays met."""
    if not roles.is_medarbejder(user):
        raise Forbidden("Kun fsb's medarbejdere kan markere en betingelse som opfyldt.")
    note = note.strip()
    if not note and not dokument:
        raise Refused("Skriv en note eller vedhæft et dokument, der viser, at betingelsen er opfyldt.")
    with transaction.atomic():
        locked_plan = lifecycle.lock(condition.plan)
        locked = Betingelse.objects.select_for_update().get(pk=condition.pk, plan=locked_plan)
        if not locked.aaben:
            raise Conflict("Betingelsen er allerede markeret som opfyldt.")
        locked.status = Betingelse.Status.OPFYLDT
        locked.opfyldt_note = note
        locked.opfyldt_tidspunkt = timezone.now()
        locked.opfyldt_af = user
        if dokument:
            locked.dokument_navn = original_name(dokument)
            locked.dokument.save(locked.dokument_navn, dokument, save=False)
        locked._history_user = user
        locked.save()
        text = f"Betingelse opfyldt: {locked.tekst}"
        if note:
            text += f"\n{note}"
        if locked.dokument_navn:
            text += f"\nDokumentation: {locked.dokument_navn}"
        locked_plan.haendelser.create(
            art=Haendelse.Art.BETINGELSE, bruger=user, beslutning_id=locked.beslutning_id, tekst=text
        )
    return locked


def tilsagn(plan) -> list[Beslutning]:
    """The funders' grants on the plan: for LBF and the kommune, the latest recorded decision with a
    granted amount."""
    latest = {}
    for decision in plan.beslutninger.filter(bevilget_beloeb__isnull=False).order_by("registreret", "id"):
        latest[decision.organ] = decision
    return [latest[organ] for organ in lifecycle.FUNDERS if organ in latest]
