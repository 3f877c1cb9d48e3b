"""Every change to a helhedsplan, in one place: creating it and changing its content (text, organisation,
attachments), the board's review comments, the decisions and afdelingsmøder the lifecycle's guards look at,
the conditions of a tilsagn, an administrator's corrections, and the ændring af godkendt plan. The plan's
phase moves only through lifecycle.fire. Also the board members who review the plans: a seat on a board is
screening's record (screening.actions), the e-mail inviting a new member to choose a password is sent from
here, with the other notices.

Views, the admin, the demo data and the tests call these. Each runs in one transaction, locks the plan row
(lifecycle.lock) where the plan's state decides what may change, records who acted on the plan's timeline
(Haendelse) and in the rows' history, and queues notifications only once the transaction commits. The
content may change only while the plan is being drafted (the lifecycle's editable states); the text is saved
with optimistic concurrency, so a save based on an older version is refused, never silently lost.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from config.web import roles
from config.web.formatting import kroner, numeric_date, numeric_datetime
from finansiering import actions as budget_actions
from finansiering import queries as budget_queries
from finansiering.models import ModtagetUdbetaling
from helhedsplaner import aarscyklus, lifecycle, meeting_costs, notifications, payments, queries
from helhedsplaner.models import (
    SECTION_LABELS,
    TEXT_SECTIONS,
    Aarsstatus,
    Aendringsanmodning,
    Aendringsbeslutning,
    Afdelingsmoede,
    Afvigelsesforklaring,
    Besked,
    Beslutning,
    Betingelse,
    Bilag,
    Haendelse,
    Helhedsplan,
    Kommentar,
    Milepael,
    Notifikationsvalg,
    Organisationsmedlem,
    Rapporteringsforpligtelse,
    Rapporteringstype,
    RapportUdbetaling,
    Reguleringspost,
)
from helhedsplaner.models.helhedsplan import not_in_future
from helhedsplaner.uploads import original_name
from indsatser import overlap, ramme
from indsatser.afslutning import MIN_WORDS, too_short
from indsatser.models import Indsats, Indsatstype, Maaltal
from indsatser.overlap import confirmed_overlap
from indsatser.transitions import ADMINISTRATOR, Conflict, Forbidden, Refused, user_roles
from screening import actions as register_actions
from screening.models import held_seat

TEXT_FIELDS = [name for name, _ in TEXT_SECTIONS]


PLAN_FIELDS = ["planlagt_start", "varighed_aar", *TEXT_FIELDS]


INDSATS_FIELDS = ["titel", "ansvarlig"]


def _require_staff(acting_user):
    if not roles.is_medarbejder(acting_user):
        raise Forbidden("Kun fsb's medarbejdere kan ændre planen.")


def _require_editable(plan):
    if not plan.state.editable:
        raise Refused(f"Planens indhold er låst, mens den er i fasen «{plan.state.label}».")


def create_plan(
    *,
    acting_user,
    titel,
    afdelinger,
    ansvarlig=None,
    planlagt_start=None,
    varighed_aar=4,
    resume="",
    overlap_begrundelse="",
):
    """A new plan in its first state. Afdelinger already in another helhedsplan in the planned period are
    refused (indsatser.overlap.OverlapNotConfirmed) unless `overlap_begrundelse` confirms it."""
    _require_staff(acting_user)
    with transaction.atomic():
        plan = Helhedsplan(planlagt_start=planlagt_start, varighed_aar=varighed_aar, resume=resume)
        note = confirmed_overlap(afdelinger, plan.planlagt_start, plan.planlagt_slut, overlap_begrundelse)
        indsats = Indsats(
            titel=titel,
            type=Indsatstype.objects.get(kode=Indsatstype.HELHEDSPLAN),
            ansvarlig=ansvarlig,
            status=lifecycle.STATE[lifecycle.IDE].indsats_status,
            fase=lifecycle.STATE[lifecycle.IDE].label,
            startdato=plan.planlagt_start,
            slutdato=plan.planlagt_slut,
        )
        indsats._history_user = acting_user
        indsats.save()
        indsats.afdelinger.set(afdelinger)
        plan.indsats = indsats
        plan._history_user = acting_user
        plan.save()
        plan.haendelser.create(
            art=Haendelse.Art.OPRETTET, bruger=acting_user, til_tilstand=plan.tilstand, tekst=note
        )
    return plan


def _sync_planned_period(plan):
    """Until the plan starts, the register shows its planned period."""
    if plan.tilstand in (lifecycle.AKTIV, lifecycle.AFSLUTNING, lifecycle.AFSLUTTET):
        return
    indsats = plan.indsats
    if (indsats.startdato, indsats.slutdato) != (plan.planlagt_start, plan.planlagt_slut):
        indsats.startdato, indsats.slutdato = plan.planlagt_start, plan.planlagt_slut
        indsats.save(update_fields=["startdato", "slutdato", "aendret"])


def save_text(plan, data, *, version, acting_user, overlap_begrundelse="") -> Helhedsplan:
    """Save the plan's text and facts from `data` (cleaned form data) if `version` is still current.

    Raises Conflict when someone saved after `version` was read: the caller shows the user their own
    text again next to the saved one, so nothing typed is lost. New afdelinger or a new planned period
    that share afdelinger with another helhedsplan in the period are refused
    (indsatser.overlap.OverlapNotConfirmed) unless `overlap_begrundelse` confirms it.
    """
    _require_staff(acting_user)
    with transaction.atomic():
        locked = lifecycle.lock(plan)
        _require_editable(locked)
        if locked.version != version:
            who = locked.tekst_aendret_af.get_full_name() if locked.tekst_aendret_af else "en anden"
            when = numeric_datetime(timezone.localtime(locked.tekst_aendret)) if locked.tekst_aendret else ""
            raise Conflict(
                f"Planen er gemt af {who} {when}, efter du åbnede den. Dine ændringer er ikke gemt endnu: "
                "sammenlign med den gemte tekst nedenfor, ret til og gem igen."
            )
        changed = [name for name in PLAN_FIELDS if name in data and getattr(locked, name) != data[name]]
        for name in changed:
            setattr(locked, name, data[name])
        indsats = locked.indsats
        indsats_changed = [
            name for name in INDSATS_FIELDS if name in data and getattr(indsats, name) != data[name]
        ]
        for name in indsats_changed:
            setattr(indsats, name, data[name])
        afdelinger_changed = "afdelinger" in data and set(data["afdelinger"]) != set(indsats.afdelinger.all())
        if not (changed or indsats_changed or afdelinger_changed):
            return locked
        note = ""
        if afdelinger_changed or {"planlagt_start", "varighed_aar"} & set(changed):
            afdelinger = data["afdelinger"] if afdelinger_changed else list(indsats.afdelinger.all())
            note = confirmed_overlap(
                afdelinger, locked.planlagt_start, locked.planlagt_slut, overlap_begrundelse, exclude=indsats
            )
        locked.version += 1
        locked.tekst_aendret, locked.tekst_aendret_af = timezone.now(), acting_user
        locked._history_user = acting_user
        locked.save()
        if indsats_changed:
            indsats._history_user = acting_user
            indsats.save()
        if afdelinger_changed:
            indsats.afdelinger.set(data["afdelinger"])
        _sync_planned_period(locked)
        labels = {name: Helhedsplan._meta.get_field(name).verbose_name for name in PLAN_FIELDS}
        labels.update(titel="titel", ansvarlig="ansvarlig medarbejder")
        described = [labels[name] for name in [*indsats_changed, *changed]]
        if afdelinger_changed:
            described.append("afdelinger")
        text = f"Version {locked.version}. Ændret: {', '.join(described)}."
        locked.haendelser.create(
            art=Haendelse.Art.TEKST, bruger=acting_user, tekst=f"{text}\n{note}" if note else text
        )
    return locked


def add_member(plan, *, acting_user, gruppe, navn, rolle="") -> Organisationsmedlem:
    _require_staff(acting_user)
    with transaction.atomic():
        locked = lifecycle.lock(plan)
        _require_editable(locked)
        member = Organisationsmedlem(plan=locked, gruppe=gruppe, navn=navn, rolle=rolle)
        member._history_user = acting_user
        member.save()
        locked.haendelser.create(
            art=Haendelse.Art.ORGANISATION,
            bruger=acting_user,
            tekst=f"Tilføjet til {member.get_gruppe_display().lower()}: {navn}.",
            organisationsmedlem=member,
        )
    return member


def remove_member(member, *, acting_user):
    _require_staff(acting_user)
    with transaction.atomic():
        locked = lifecycle.lock(member.plan)
        _require_editable(locked)
        member._history_user = acting_user
        number = member.pk
        member.delete()
        locked.haendelser.create(
            art=Haendelse.Art.ORGANISATION,
            bruger=acting_user,
            tekst=f"Fjernet fra {member.get_gruppe_display().lower()}: {member.navn}.",
            # The number the deleted member's history keeps.
            organisationsmedlem_id=number,
        )


def add_attachment(plan, *, acting_user, titel, fil) -> Bilag:
    """Store a validated upload (see uploads.validate) as an attachment to the plan."""
    _require_staff(acting_user)
    with transaction.atomic():
        locked = lifecycle.lock(plan)
        _require_editable(locked)
        attachment = Bilag(
            plan=locked, titel=titel, filnavn=original_name(fil), stoerrelse=fil.size, uploadet_af=acting_user
        )
        attachment.fil.save(attachment.filnavn, fil, save=False)
        attachment.save()
        locked.haendelser.create(
            art=Haendelse.Art.BILAG, bruger=acting_user, bilag=attachment, tekst=attachment.titel
        )
    return attachment


def remove_attachment(attachment, *, acting_user):
    """Remove an attachment and its file, in any phase of the plan until it is closed (afsluttet).

    Unlike adding one, removing is not locked with the text: an attachment uploaded by mistake, or one the
    packs cannot include, must be removable also while the plan is with the funders. The packs made before
    keep their copy; the upload's entry stays on the timeline beside the removal.
    """
    _require_staff(acting_user)
    with transaction.atomic():
        locked = lifecycle.lock(attachment.plan)
        if ramme.is_closed(locked.indsats):
            raise Refused(ramme.CLOSED_MESSAGE)
        stored = attachment.fil
        attachment.delete()
        locked.haendelser.create(
            art=Haendelse.Art.BILAG,
            bruger=acting_user,
            tekst=f"Fjernet: {attachment.titel} ({attachment.filnavn}).",
        )
        transaction.on_commit(lambda: stored.storage.delete(stored.name))


# --- Board review: comments per section, answers, resolving threads -----------------------------------------


def _names(afdelinger) -> str:
    names = [str(afdeling) for afdeling in afdelinger]
    return names[0] if len(names) < 2 else ", ".join(names[:-1]) + " og " + names[-1]


def post_comment(plan, *, acting_user, sektion, tekst, thread=None, notify=True) -> Kommentar:
    """A new thread on a section, or (with `thread`) an answer to one. Answering reopens a resolved thread.
    A board member's comment names the afdelinger of the plan whose board they speak for."""
    if not acting_user.has_perm("helhedsplaner.comment_helhedsplan", plan):
        raise Forbidden("Du kan ikke kommentere planen nu.")
    if thread is not None and (thread.plan_id != plan.pk or thread.traad_id is not None):
        raise Refused("Tråden findes ikke på denne plan.")
    if sektion not in SECTION_LABELS:
        raise Refused("Afsnittet findes ikke.")
    from_staff = roles.is_medarbejder(acting_user)
    board_for = ""
    if not from_staff:
        seats = plan.indsats.afdelinger.filter(
            Q(bestyrelsesmedlemmer__user=acting_user) & held_seat("bestyrelsesmedlemmer__")
        )
        board_for = _names(seats.order_by("nummer", "navn"))[:1000]
    with transaction.atomic():
        comment = Kommentar.objects.create(
            plan=plan,
            sektion=thread.sektion if thread else sektion,
            traad=thread,
            forfatter=acting_user,
            tekst=tekst,
            fra_personale=from_staff,
            seneste_fra_personale=from_staff,
            bestyrelse_for=board_for,
        )
        if thread is not None:
            thread.seneste_fra_personale = from_staff
            thread.loest, thread.loest_af = None, None
            thread.save(update_fields=["seneste_fra_personale", "loest", "loest_af"])
        plan.haendelser.create(
            art=Haendelse.Art.KOMMENTAR,
            bruger=acting_user,
            kommentar=comment,
            tekst=f"{'Svar' if thread else 'Kommentar'} til «{comment.get_sektion_display()}»: {tekst}",
        )
        if notify:
            notifications.queue(Besked.Art.KOMMENTAR, comment.pk)
    return comment


def resolve_thread(thread, *, acting_user) -> Kommentar:
    if not acting_user.has_perm("helhedsplaner.resolve_kommentar", thread.plan):
        raise Forbidden("Kun fsb's medarbejdere kan markere en tråd som løst.")
    with transaction.atomic():
        thread.loest, thread.loest_af = timezone.now(), acting_user
        thread.save(update_fields=["loest", "loest_af"])
        thread.plan.haendelser.create(
            art=Haendelse.Art.LOEST,
            bruger=acting_user,
            kommentar=thread,
            tekst=f"Tråd om «{thread.get_sektion_display()}» markeret som løst.",
        )
    return thread


# --- Decisions and afdelingsmøder: the facts the lifecycle's guards look at ---------------------------------
# A decision is accepted only from an organ the plan's current state awaits (lifecycle.State.awaits), and
# only from a role that records that organ's decisions (lifecycle.DECISION_RECORDERS). It remembers the
# fasenummer it was recorded under, so it counts for this round only.


Organ = Beslutning.Organ


def _decision_text(decision, conditions) -> str:
    parts = [
        f"{decision.get_organ_display()}: {decision.get_udfald_display()} den {numeric_date(decision.dato)}"
    ]
    if decision.journalnummer:
        parts.append(f"j.nr. {decision.journalnummer}")
    if decision.erstatter:
        parts.append(f"erstatter beslutningen af {numeric_date(decision.erstatter.dato)}")
    text = ", ".join(parts) + "."
    if decision.bevilget_beloeb is not None:
        text += f" Bevilget: {kroner(decision.bevilget_beloeb)} kr."
    if decision.afvigelse_begrundelse:
        text += f"\nBegrundelse for afvigelse fra budgettet: {decision.afvigelse_begrundelse}"
    for condition in conditions:
        text += f"\nBetingelse (frist {numeric_date(condition.frist)}): {condition.tekst}"
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
    _check_conditions(udfald, conditions, decided=data["dato"])


def _check_conditions(udfald, conditions, *, decided) -> None:
    """Conditions belong to an approval with conditions (of the plan or of a change to it), each with a due
    date no earlier than the decision (`decided`) and a staff member to follow up."""
    if udfald == Beslutning.Udfald.GODKENDT_MED_BETINGELSER and not conditions:
        raise Refused("Skriv betingelserne: mindst én, med frist og hvem der følger op.")
    if conditions and udfald != Beslutning.Udfald.GODKENDT_MED_BETINGELSER:
        raise Refused("Betingelser hører til udfaldet «godkendt med betingelser».")
    for condition in conditions:
        if not condition.get("tekst", "").strip() or not condition.get("frist"):
            raise Refused("Hver betingelse skal have en tekst og en frist.")
        if condition["frist"] < decided:
            raise Refused(
                f"En betingelses frist kan ikke ligge før beslutningens dato ({numeric_date(decided)})."
            )
        follower = condition.get("ansvarlig")
        if follower is None or not roles.is_medarbejder(follower):
            raise Refused("Hver betingelse skal følges op af en af fsb's medarbejdere.")


def _save_decision(decision, document, conditions, *, plan, acting_user) -> list[Betingelse]:
    """Store a checked decision (a Beslutning or an Aendringsbeslutning) with its letter (an already
    validated upload or None) and its conditions; returns the conditions stored."""
    if document:
        decision.dokument_navn = original_name(document)
        decision.dokument.save(decision.dokument_navn, document, save=False)
    decision._history_user = acting_user
    decision.save()
    field = "beslutning" if isinstance(decision, Beslutning) else "aendringsbeslutning"
    stored = [
        Betingelse(
            plan=plan,
            tekst=condition["tekst"].strip(),
            frist=condition["frist"],
            ansvarlig=condition["ansvarlig"],
            **{field: decision},
        )
        for condition in conditions
    ]
    bulk_create_with_history(stored, Betingelse, default_user=acting_user)
    return stored


def record_decision(plan, data, *, acting_user, expected_fase_nr=None, notify=True) -> Beslutning:
    """Record a decision from cleaned form data: organ, dato, udfald, journalnummer, bevilget_beloeb,
    afvigelse_begrundelse, bemaerkning, dokument (an already validated upload or None) and betingelser (a
    list of dicts with tekst, frist and ansvarlig: the decision's conditions)."""
    organ = data["organ"]
    if organ == Organ.AFDELINGSMOEDE:
        raise Refused("Afdelingsmødernes resultater registreres under Afdelingsmøder.")
    if not lifecycle.may_record_decision(acting_user, organ):
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
            registreret_af=acting_user,
            # The organ has decided in this phase already: this one is a correction and replaces it.
            erstatter=lifecycle.current_decisions(locked).get(organ),
        )
        _validate(decision)
        stored = _save_decision(
            decision, data.get("dokument"), conditions, plan=locked, acting_user=acting_user
        )
        event = locked.haendelser.create(
            art=Haendelse.Art.BESLUTNING,
            bruger=acting_user,
            beslutning=decision,
            tekst=_decision_text(decision, stored),
        )
        if notify:
            notifications.queue(Besked.Art.BESLUTNING, event.pk)
    return decision


def save_meeting(meeting, *, acting_user, referat=None, notify=True) -> Afdelingsmoede:
    """Save a validated meeting (from MeetingForm) and, once it has a result, the decision it makes."""
    if not lifecycle.may_record_decision(acting_user, Organ.AFDELINGSMOEDE):
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
        meeting.registreret_af = acting_user
        if referat:
            meeting.referat_navn = original_name(referat)
            meeting.referat.save(meeting.referat_navn, referat, save=False)
        meeting._history_user = acting_user
        meeting.save()
        decision = _sync_decision(locked, meeting, acting_user)
        text = (
            f"Afdelingsmøde i {meeting.afdeling} den {numeric_date(meeting.dato)}: "
            f"{meeting.resultat_tekst()}."
        )
        if meeting.kort_varsel:
            text += f" Indkaldt med kun {meeting.varsel_dage} dages varsel."
        event = locked.haendelser.create(
            art=Haendelse.Art.AFDELINGSMOEDE,
            bruger=acting_user,
            afdelingsmoede=meeting,
            beslutning=decision,
            tekst=text,
        )
        if notify and decision is not None:
            notifications.queue(Besked.Art.BESLUTNING, event.pk)
    return meeting


def _sync_decision(plan, meeting, acting_user):
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
        "registreret_af": acting_user,
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


def _save_correction(record, acting_user, what):
    """Check and save an administrator's correction of a decision or meeting (in the caller's transaction),
    by the same rules as when it was recorded. Returns the plan, locked."""
    if ADMINISTRATOR not in user_roles(acting_user):
        raise Forbidden(f"Kun en administrator kan rette registrerede {what}.")
    locked = lifecycle.lock(record.plan)
    _validate(record)
    record._history_user = acting_user
    record.save()
    return locked


OUTCOME_SETTLED = (
    "Planen er gået videre fra den fase, beslutningen blev truffet i, så udfaldet kan ikke rettes. "
    "Registrér en ny beslutning i planens nuværende fase."
)


def correct_decision(decision, changed, *, acting_user) -> Beslutning:
    """An administrator's correction of a recorded decision (the admin's form, fields `changed`), written
    on the plan's timeline. The outcome stays as it was once the plan has moved on from its phase. An
    afdelingsmøde's decision is its meeting's result: it is corrected through the meeting."""
    if decision.organ == Organ.AFDELINGSMOEDE:
        raise Refused("Et afdelingsmødes beslutning er mødets resultat og rettes under afdelingsmødet.")
    if "udfald" in changed and queries.outcome_settled(decision):
        raise Refused(OUTCOME_SETTLED)
    with transaction.atomic():
        locked = _save_correction(decision, acting_user, "beslutninger")
        locked.haendelser.create(
            art=Haendelse.Art.BESLUTNING,
            bruger=acting_user,
            beslutning=decision,
            tekst=_correction_text(decision, changed)
            + "\n"
            + _decision_text(decision, decision.betingelser.all()),
        )
    return decision


def check_meeting_correction(meeting) -> None:
    """Refuse a correction that changes a meeting's outcome (adopted, rejected, not held) once the plan has
    left the phase its result was recorded in: the lifecycle has acted on it (an afdeling that voted no
    left the plan, the funders approved the others). `meeting` holds the corrected values."""
    decision = Beslutning.objects.filter(afdelingsmoede_id=meeting.pk).first()
    if decision is None or not queries.outcome_settled(decision):
        return
    stored = Afdelingsmoede.objects.get(pk=meeting.pk)
    if _outcome(meeting) != _outcome(stored):
        raise Refused(OUTCOME_SETTLED)


def _outcome(meeting) -> bool | None:
    return meeting.vedtaget if meeting.har_resultat else None


def correct_meeting(meeting, changed, *, acting_user) -> Afdelingsmoede:
    """An administrator's correction of a recorded afdelingsmøde (the admin's form, fields `changed`), its
    decision kept in step, written on the plan's timeline. The outcome stays as it was once the plan has
    moved on from the meetings' phase."""
    check_meeting_correction(meeting)
    with transaction.atomic():
        locked = _save_correction(meeting, acting_user, "afdelingsmøder")
        decision = _sync_decision(locked, meeting, acting_user)
        locked.haendelser.create(
            art=Haendelse.Art.AFDELINGSMOEDE,
            bruger=acting_user,
            afdelingsmoede=meeting,
            beslutning=decision,
            tekst=f"{_correction_text(meeting, changed)}\n"
            f"Afdelingsmøde i {meeting.afdeling} den {numeric_date(meeting.dato)}: "
            f"{meeting.resultat_tekst()}.",
        )
    return meeting


def mark_condition_met(condition, *, acting_user, note="", dokument=None) -> Betingelse:
    """Staff record that a condition is met, with a note or a document (an already validated upload) that
    shows it; the timeline says who did and when. A condition met stays met."""
    if not roles.is_medarbejder(acting_user):
        raise Forbidden("Kun fsb's medarbejdere kan markere en betingelse som opfyldt.")
    note = note.strip()
    if not note and not dokument:
        raise Refused("Skriv en note eller vedhæft et dokument, der viser, at betingelsen er opfyldt.")
    with transaction.atomic():
        locked_plan = lifecycle.lock(condition.plan)
        if ramme.is_closed(locked_plan.indsats):
            raise Refused(ramme.CLOSED_MESSAGE)
        locked = Betingelse.objects.select_for_update().get(pk=condition.pk, plan=locked_plan)
        if not locked.aaben:
            raise Conflict("Betingelsen er allerede markeret som opfyldt.")
        locked.status = Betingelse.Status.OPFYLDT
        locked.opfyldt_note = note
        locked.opfyldt_tidspunkt = timezone.now()
        locked.opfyldt_af = acting_user
        if dokument:
            locked.dokument_navn = original_name(dokument)
            locked.dokument.save(locked.dokument_navn, dokument, save=False)
        locked._history_user = acting_user
        locked.save()
        text = f"Betingelse opfyldt: {locked.tekst}"
        if note:
            text += f"\n{note}"
        if locked.dokument_navn:
            text += f"\nDokumentation: {locked.dokument_navn}"
        locked_plan.haendelser.create(
            art=Haendelse.Art.BETINGELSE, bruger=acting_user, beslutning_id=locked.beslutning_id, tekst=text
        )
    return locked


# --- Ændring af godkendt plan: the only way the frame of an approved plan changes ---------------------------
# Staff write a change request with a reason and the proposed frame: afdelinger, period, the
# fordelingsnøgle's percentages, and a budget version (a draft copy of the approved one, edited on the
# budget pages). They send it. It touches the funders' promise when the afdelinger, the period or the
# percentages change, or when money moves between years or indsatsområder (a year's and an område's
# totals differ from the approved budget): then LBF and the kommune decide it, recorded by the roles that
# record their other decisions (lifecycle.DECISION_RECORDERS). Anything else (money moved between cost
# types within a year and område) staff approve alone. Approved, it is applied in one transaction: the
# frame changes, the proposed version becomes the approved budget, and the timeline says what changed.


Status = Aendringsanmodning.Status
Udfald = Aendringsbeslutning.Udfald


def _require_change_staff(acting_user):
    if not queries.may_edit_change_requests(acting_user):
        raise Forbidden("Din rolle kan ikke ændre en godkendt plan.")


def _check_proposal(indsats, data) -> None:
    problems = []
    if too_short(data["begrundelse"]):  # what the funders read first: "." is no reason
        problems.append(f"Begrundelsen er for kort: skriv mindst {MIN_WORDS} ord om, hvorfor rammen ændres.")
    if not data["afdelinger"]:
        problems.append("Vælg mindst én afdeling.")
    if data["slutdato"] < data["startdato"]:
        problems.append("Slutdatoen ligger før startdatoen.")
    parts = {str(part.pk) for part in queries.parts_of(indsats)}
    procenter = data["procenter"]
    if set(procenter) != parts:
        problems.append("Angiv en procentsats for hver part i fordelingsnøglen.")
    elif sum((Decimal(v) for v in procenter.values()), Decimal(0)) != 100:
        problems.append("Fordelingsnøglens andele skal give præcis 100 %.")
    if problems:
        raise Refused(problems)


def _lock_change_request(anmodning) -> Aendringsanmodning:
    """The change request and its plan, both locked until the transaction ends. Nothing of a closed plan
    changes (indsatser/ramme.py), its change requests included."""
    plan = lifecycle.lock(anmodning.plan)
    if ramme.is_closed(plan.indsats):
        raise Refused(ramme.CLOSED_MESSAGE)
    return Aendringsanmodning.objects.select_for_update().select_related("plan__indsats").get(pk=anmodning.pk)


def create_change_request(plan, data, *, acting_user) -> Aendringsanmodning:
    """A new change request in kladde, with a draft copy of the approved budget to edit.

    data: begrundelse, afdelinger, startdato, slutdato, procenter ({part pk: percentage})."""
    _require_change_staff(acting_user)
    with transaction.atomic():
        locked = lifecycle.lock(plan)
        if locked.tilstand not in queries.OPEN_STATES:
            raise Refused(
                f"En ændring af godkendt plan kan kun laves, mens planen er aktiv eller i afslutning; "
                f"planen er i fasen «{locked.state.label}»."
            )
        if locked.aendringsanmodninger.filter(status__in=(Status.KLADDE, Status.SENDT)).exists():
            raise Refused("Planen har allerede en åben ændring. Afslut eller træk den tilbage først.")
        indsats = locked.indsats
        _check_proposal(indsats, data)
        approved = budget_queries.approved_version(indsats)
        if approved is None:
            raise Refused("Planen har intet godkendt budget at ændre.")
        nummer = (locked.aendringsanmodninger.aggregate(m=Max("nummer"))["m"] or 0) + 1
        version = budget_actions.create_version(
            indsats,
            approved.Fase.ANSOEGNING,
            f"Ændring {nummer} af godkendt plan: {data['begrundelse'].strip()}",
            kilde=approved,
            ramme_aendring=True,
            acting_user=acting_user,
        )
        anmodning = Aendringsanmodning(
            plan=locked,
            nummer=nummer,
            begrundelse=data["begrundelse"].strip(),
            startdato=data["startdato"],
            slutdato=data["slutdato"],
            procenter=data["procenter"],
            budgetversion=version,
            oprettet_af=acting_user,
        )
        anmodning._history_user = acting_user
        anmodning.save()
        anmodning.afdelinger.set(data["afdelinger"])
        locked.haendelser.create(
            art=Haendelse.Art.AENDRING,
            bruger=acting_user,
            tekst=f"Ændring {nummer} af godkendt plan oprettet: {anmodning.begrundelse}",
        )
    return anmodning


def update_change_request(anmodning, data, *, acting_user) -> Aendringsanmodning:
    """Change the proposal while it is a kladde."""
    _require_change_staff(acting_user)
    with transaction.atomic():
        locked = _lock_change_request(anmodning)
        if locked.status != Status.KLADDE:
            raise Conflict(f"Ændringen er {locked.get_status_display().lower()} og kan ikke længere rettes.")
        _check_proposal(locked.plan.indsats, data)
        locked.begrundelse = data["begrundelse"].strip()
        locked.startdato, locked.slutdato = data["startdato"], data["slutdato"]
        locked.procenter = data["procenter"]
        locked._history_user = acting_user
        locked.save()
        locked.afdelinger.set(data["afdelinger"])
    return locked


def send_change_request(anmodning, *, acting_user) -> Aendringsanmodning:
    _require_change_staff(acting_user)
    with transaction.atomic():
        locked = _lock_change_request(anmodning)
        if locked.status != Status.KLADDE:
            raise Conflict(f"Ændringen er allerede {locked.get_status_display().lower()}.")
        if locked.budgetversion is None or not locked.budgetversion.linjer.exists():
            raise Refused("Det foreslåede budget er tomt.")
        years = range(locked.startdato.year, locked.slutdato.year + 1)
        outside = sorted({line.aar for line in locked.budgetversion.linjer.all() if line.aar not in years})
        if outside:
            raise Refused(
                "Det foreslåede budget har beløb uden for den foreslåede periode "
                f"({', '.join(map(str, outside))}). Ret budgettet, før ændringen sendes."
            )
        _refuse_new_overlaps(locked)
        try:
            # Sent, the proposed budget is what the decision is about: locked until it is decided.
            budget_actions.submit_budget(
                locked.budgetversion, afdelinger=locked.afdelinger.all(), acting_user=acting_user
            )
        except budget_actions.BudgetError as problem:
            raise Refused(str(problem)) from problem
        locked.status = Status.SENDT
        locked.sendt = timezone.now()
        locked._history_user = acting_user
        locked.save()
        who = (
            "Landsbyggefonden og kommunen"
            if queries.needs_funders(locked)
            else "fsb (ingen ændring af rammen)"
        )
        locked.plan.haendelser.create(
            art=Haendelse.Art.AENDRING,
            bruger=acting_user,
            tekst=f"Ændring {locked.nummer} af godkendt plan sendt til afgørelse hos {who}.",
        )
    return locked


def _refuse_new_overlaps(anmodning) -> None:
    """Checked when the change is sent and again when it is applied: another plan may have taken the
    afdeling in between."""
    added = _new_overlaps(anmodning)
    if added:
        raise Refused(
            [
                *(str(found) for found in added),
                "En ændring kan ikke føre en afdeling ind i en anden helhedsplans periode. "
                "Afklar det med den anden plan først.",
            ]
        )


def _new_overlaps(anmodning) -> list[overlap.Overlap]:
    """The other live helhedsplaner the proposed frame would share an afdeling with that the current frame
    does not already share (an overlap confirmed when the plan was approved stays as it was)."""
    indsats = anmodning.plan.indsats
    current = overlap.overlaps(indsats.afdelinger.all(), indsats.startdato, indsats.slutdato, exclude=indsats)
    shared = {(found.indsats.pk, afdeling.pk) for found in current for afdeling in found.afdelinger}
    proposed = overlap.overlaps(
        anmodning.afdelinger.all(), anmodning.startdato, anmodning.slutdato, exclude=indsats
    )
    return [
        found
        for found in proposed
        if any((found.indsats.pk, afdeling.pk) not in shared for afdeling in found.afdelinger)
    ]


def withdraw_change_request(anmodning, *, acting_user) -> Aendringsanmodning:
    _require_change_staff(acting_user)
    with transaction.atomic():
        locked = _lock_change_request(anmodning)
        if not locked.is_open:
            raise Conflict(f"Ændringen er allerede {locked.get_status_display().lower()}.")
        _close_change_request(
            locked, acting_user, Status.TRUKKET_TILBAGE, f"Ændring {locked.nummer} er trukket tilbage."
        )
        if locked.budgetversion is not None:
            budget_actions.set_aside_budget(locked.budgetversion, acting_user=acting_user)
    return locked


def approve_change_request_by_staff(anmodning, *, acting_user) -> Aendringsanmodning:
    """Staff approve a sent change that does not touch the funders' promise; it is applied at once."""
    _require_change_staff(acting_user)
    with transaction.atomic():
        locked = _lock_change_request(anmodning)
        if locked.status != Status.SENDT:
            raise Conflict("Kun en sendt ændring kan godkendes.")
        if queries.needs_funders(locked):
            raise Refused(
                "Ændringen rører ved afdelinger, periode, fordelingsnøgle eller flytter penge mellem år "
                "eller indsatsområder: Landsbyggefonden og kommunen skal godkende den."
            )
        _apply_change_request(locked, acting_user)
    return locked


def record_change_decision(anmodning, data, *, acting_user) -> Aendringsbeslutning:
    """LBF's or the kommune's decision (data: organ, dato, udfald, journalnummer, bevilget_beloeb,
    afvigelse_begrundelse, bemaerkning, dokument and betingelser, as record_decision takes them). A refusal
    refuses the change; when both have approved, the change is applied. A funder approving a change of its
    share grants the new share (_check_change_grant). A second decision by the same funder on the change
    is a correction: it replaces the first, and the latest counts."""
    organ = data["organ"]
    if data["udfald"] not in Aendringsbeslutning.OUTCOMES:
        raise Refused("En ændring godkendes, godkendes med betingelser eller afvises.")
    conditions = list(data.get("betingelser") or [])
    if organ not in lifecycle.FUNDERS:
        raise Refused("Kun Landsbyggefondens og kommunens beslutninger registreres her.")
    if not lifecycle.may_record_decision(acting_user, organ):
        raise Forbidden(f"Din rolle kan ikke registrere beslutninger fra {lifecycle.Organ(organ).label}.")
    if data["dato"] > timezone.localdate():
        raise Refused("Beslutningens dato ligger i fremtiden.")
    with transaction.atomic():
        locked = _lock_change_request(anmodning)
        if locked.status != Status.SENDT:
            raise Conflict(
                f"Ændringen er {locked.get_status_display().lower()}: den venter ikke på en beslutning."
            )
        review = queries.review(locked)
        if not review.needs_funders:
            raise Refused("Ændringen rører ikke ved rammen og godkendes af fsb.")
        sent = timezone.localdate(locked.sendt)
        if data["dato"] < sent:
            raise Refused(f"Beslutningen kan ikke ligge før ændringen blev sendt ({numeric_date(sent)}).")
        _check_change_grant(data, review)
        _check_conditions(data["udfald"], conditions, decided=data["dato"])
        decision = Aendringsbeslutning(
            anmodning=locked,
            organ=organ,
            dato=data["dato"],
            udfald=data["udfald"],
            journalnummer=data.get("journalnummer", ""),
            bevilget_beloeb=data.get("bevilget_beloeb"),
            afvigelse_begrundelse=(data.get("afvigelse_begrundelse") or "").strip(),
            bemaerkning=data.get("bemaerkning", ""),
            registreret_af=acting_user,
            erstatter=locked.beslutninger.filter(organ=organ).order_by("registreret", "id").last(),
        )
        stored = _save_decision(
            decision, data.get("dokument"), conditions, plan=locked.plan, acting_user=acting_user
        )
        text = f"Ændring {locked.nummer} af godkendt plan. {_decision_text(decision, stored)}"
        locked.plan.haendelser.create(art=Haendelse.Art.AENDRING, bruger=acting_user, tekst=text)
        label = lifecycle.Organ(organ).label
        if decision.udfald == Udfald.AFVIST:
            _close_change_request(
                locked, acting_user, Status.AFVIST, f"Ændring {locked.nummer} er afvist af {label}."
            )
            budget_actions.set_aside_budget(locked.budgetversion, acting_user=acting_user)
        elif _funders_approved(locked):
            _apply_change_request(locked, acting_user)
    return decision


def _check_change_grant(data, review) -> None:
    """A funder that approves a change of its share of the money grants the new share: its tilsagn, as when
    it approved the plan (_check_tilsagn). The amount is then required, and may differ from the share only
    with a reason; a change that leaves the share as it was keeps the tilsagn recorded before."""
    label = lifecycle.Organ(data["organ"]).label
    amount = data.get("bevilget_beloeb")
    reason = (data.get("afvigelse_begrundelse") or "").strip()
    if data["udfald"] not in Aendringsbeslutning.POSITIVE:
        if amount is not None or reason:
            raise Refused(f"Et bevilget beløb registreres kun, når {label} godkender ændringen.")
        return
    if amount is None and reason:
        raise Refused("En begrundelse for afvigelse hører til et bevilget beløb.")
    if amount is not None and amount < 0:
        raise Refused("Det bevilgede beløb kan ikke være negativt.")
    now, proposed = review.shares()[data["organ"]]
    if amount is None and proposed != now:
        raise Refused(
            f"Ændringen flytter {label}s andel fra {kroner(now)} kr. til {kroner(proposed)} kr.: skriv det "
            f"beløb, {label} nu bevilger (tilsagnet)."
        )
    if amount is not None and amount != proposed and too_short(reason):
        raise Refused(
            f"{label} bevilger {kroner(amount)} kr., men dens andel af det foreslåede budget er "
            f"{kroner(proposed)} kr.: skriv en begrundelse for afvigelsen på mindst {MIN_WORDS} ord."
        )


def _funders_approved(anmodning) -> bool:
    latest = {}
    for decision in anmodning.beslutninger.order_by("registreret", "id"):
        latest[decision.organ] = decision.udfald
    return all(latest.get(organ) in Aendringsbeslutning.POSITIVE for organ in lifecycle.FUNDERS)


def _close_change_request(anmodning, acting_user, status, text) -> None:
    anmodning.status = status
    anmodning.afgjort, anmodning.afgjort_af = timezone.now(), acting_user
    anmodning._history_user = acting_user
    anmodning.save()
    anmodning.plan.haendelser.create(art=Haendelse.Art.AENDRING, bruger=acting_user, tekst=text)


def approve_proposed_budget(anmodning, *, acting_user):
    """The funders (or staff, for a change within the frame) approved the change and its budget version:
    the version goes through the budget's own states, submitted and then approved, and the version approved
    before it is superseded."""
    version = budget_actions.submit_budget(anmodning.budgetversion, acting_user=acting_user)
    return budget_actions.approve_budget(
        version, grounds=f"Ændring {anmodning.nummer} af godkendt plan", acting_user=acting_user
    )


def _apply_change_request(anmodning, acting_user) -> None:
    """Write the proposed frame to the plan (inside the caller's transaction, the rows locked)."""
    _refuse_new_overlaps(anmodning)
    changes = [
        f"{row.label}: {row.current} → {row.proposed}" for row in queries.comparison(anmodning) if row.changed
    ]
    indsats = Indsats.objects.select_for_update(of=("self",)).get(pk=anmodning.plan.indsats_id)
    indsats.startdato, indsats.slutdato = anmodning.startdato, anmodning.slutdato
    indsats._history_user = acting_user
    indsats._change_reason = f"Ændring {anmodning.nummer} af godkendt plan"
    indsats.save(update_fields=["startdato", "slutdato", "aendret"])
    indsats.afdelinger.set(anmodning.afdelinger.all())
    for part in queries.parts_of(indsats):
        proposed = Decimal(anmodning.procenter.get(str(part.pk), part.procent))
        if proposed != part.procent:
            part.procent = proposed
            part._history_user = acting_user
            part.save(update_fields=["procent"])
    approve_proposed_budget(anmodning, acting_user=acting_user)
    anmodning.plan.indsats = indsats
    if deadlines_moved := aarscyklus.sync_obligations(anmodning.plan, acting_user=acting_user):
        changes.append(deadlines_moved)
    text = f"Ændring {anmodning.nummer} af godkendt plan er godkendt og gennemført."
    anmodning.aendringer = "\n".join(changes or ["Budgettet er ændret inden for rammen."])
    _close_change_request(anmodning, acting_user, Status.GODKENDT, f"{text}\n{anmodning.aendringer}")


# --- The active years: the reports owed to the funders and the yearly status ------------------------------
# Staff fill each year's status (goal figures with their assessment, milestones, explanations of the
# accounts' variances, the reguleringskonto, the auditor's statement) and mark each report ready; the
# secretariat, which sends the reports to the funders, marks them sent with the date. All of it only while
# the plan runs (lifecycle.RUNNING).


def _lock_running_plan(plan) -> Helhedsplan:
    locked = lifecycle.lock(plan)
    if not locked.koerer:
        raise Refused(
            f"Årsstatus føres kun for en plan, der kører; planen er i fasen «{locked.state.label}»."
        )
    return locked


def _check_year_in_period(plan, aar) -> None:
    indsats = plan.indsats
    if not (
        indsats.startdato and indsats.slutdato and indsats.startdato.year <= aar <= indsats.slutdato.year
    ):
        raise Refused(f"{aar} ligger uden for planens periode.")


def _lock_obligation(obligation, acting_user, may, refusal) -> tuple[Helhedsplan, Rapporteringsforpligtelse]:
    if not may(acting_user):
        raise Forbidden(refusal)
    plan = _lock_running_plan(obligation.plan)
    locked = (
        Rapporteringsforpligtelse.objects.select_for_update()
        .select_related("type")
        .get(pk=obligation.pk, plan=plan)
    )
    return plan, locked


def mark_obligation_ready(obligation, *, acting_user, today=None) -> Rapporteringsforpligtelse:
    """Staff say that a report is ready for the secretariat to send; not before what it reports on can be
    reported (Rapporteringsforpligtelse.klar_fra), so none is sent ahead of its period."""
    today = today or timezone.localdate()
    with transaction.atomic():
        plan, locked = _lock_obligation(
            obligation, acting_user, roles.is_medarbejder, "Kun fsb kan markere en rapportering som klar."
        )
        if locked.status != Rapporteringsforpligtelse.Status.AABEN:
            raise Conflict(f"{locked.type} {locked.aar} er allerede {locked.get_status_display().lower()}.")
        if not locked.kan_markeres_klar_pr(today):
            raise Refused(
                f"{locked.type} {locked.aar} kan først markeres klar fra {numeric_date(locked.klar_fra())}."
            )
        locked.status = Rapporteringsforpligtelse.Status.KLAR
        locked.klar_tidspunkt, locked.klar_af = timezone.now(), acting_user
        locked._history_user = acting_user
        locked.save()
        plan.haendelser.create(
            art=Haendelse.Art.AARSSTATUS, bruger=acting_user, tekst=f"{locked.type} {locked.aar} er klar."
        )
    return locked


def unmark_obligation_ready(obligation, *, acting_user) -> Rapporteringsforpligtelse:
    """Staff take back "klar" (a mistake, or more to add) as long as the secretariat has not sent it."""
    with transaction.atomic():
        plan, locked = _lock_obligation(
            obligation, acting_user, roles.is_medarbejder, "Kun fsb kan fortryde, at en rapportering er klar."
        )
        if locked.status != Rapporteringsforpligtelse.Status.KLAR:
            raise Conflict(f"{locked.type} {locked.aar} er {locked.get_status_display().lower()}, ikke klar.")
        locked.status = Rapporteringsforpligtelse.Status.AABEN
        locked.klar_tidspunkt = locked.klar_af = None
        locked._history_user = acting_user
        locked.save()
        plan.haendelser.create(
            art=Haendelse.Art.AARSSTATUS,
            bruger=acting_user,
            tekst=f"{locked.type} {locked.aar} er ikke længere klar.",
        )
    return locked


def _may_send(user) -> bool:
    return roles.is_sekretariat(user) or roles.is_administrator(user)


def mark_obligation_sent(obligation, *, dato, acting_user) -> Rapporteringsforpligtelse:
    """The secretariat records the day a ready report went to the funders (not a day to come)."""
    with transaction.atomic():
        plan, locked = _lock_obligation(
            obligation, acting_user, _may_send, "Kun sekretariatet kan markere en rapportering som sendt."
        )
        if locked.sendt:
            raise Conflict(f"{locked.type} {locked.aar} er allerede sendt.")
        if locked.status != Rapporteringsforpligtelse.Status.KLAR:
            raise Refused(f"{locked.type} {locked.aar} er ikke markeret klar af fsb endnu.")
        if error := not_in_future(dato, "Afsendelsesdatoen"):
            raise Refused(error)
        # A report is sent after it is ready: an earlier day would make an overdue report look on time.
        ready = timezone.localtime(locked.klar_tidspunkt).date()
        if dato < ready:
            raise Refused(
                f"Afsendelsesdatoen kan ikke ligge før {numeric_date(ready)}, "
                "hvor rapporten blev markeret klar."
            )
        locked.status = Rapporteringsforpligtelse.Status.SENDT
        locked.sendt_dato, locked.sendt_af = dato, acting_user
        locked._history_user = acting_user
        locked.save()
        plan.haendelser.create(
            art=Haendelse.Art.AARSSTATUS,
            bruger=acting_user,
            tekst=f"{locked.type} {locked.aar} er sendt {numeric_date(dato)}.",
        )
    return locked


def unmark_obligation_sent(obligation, *, begrundelse, acting_user) -> Rapporteringsforpligtelse:
    """The secretariat takes back "sendt" (recorded by mistake, or the funders sent the report back): the
    report is ready again, and the reason stays on the plan's timeline. Instalments it held back are held
    again if its deadline has passed."""
    with transaction.atomic():
        plan, locked = _lock_obligation(
            obligation, acting_user, _may_send, "Kun sekretariatet kan fortryde, at en rapportering er sendt."
        )
        if locked.status != Rapporteringsforpligtelse.Status.SENDT:
            raise Conflict(f"{locked.type} {locked.aar} er ikke markeret sendt.")
        if too_short(begrundelse):
            raise Refused(f"Begrundelsen er for kort: skriv mindst {MIN_WORDS} ord.")
        sent = locked.sendt_dato
        locked.status = Rapporteringsforpligtelse.Status.KLAR
        locked.sendt_dato = locked.sendt_af = None
        locked._history_user = acting_user
        locked.save()
        plan.haendelser.create(
            art=Haendelse.Art.AARSSTATUS,
            bruger=acting_user,
            tekst=f"{locked.type} {locked.aar} er ikke længere sendt "
            f"(var markeret sendt {numeric_date(sent)}).\nBegrundelse: {begrundelse.strip()}",
        )
    return locked


# The milestones of a year are reported with the year's goal report (målopfyldelse): the milepælsplan is sent
# before the year starts and its milestones are brought up to date through the year, so once the goal report
# is sent they are on record and no longer change.
MILESTONES_REPORTED_IN = Rapporteringstype.Art.MAALOPFOELGNING


def check_milestone_years_open(plan, *years) -> None:
    """Refused once a year's goal report is sent: its milestones are on record."""
    sent = (
        plan.forpligtelser.filter(
            type__art=MILESTONES_REPORTED_IN, aar__in=years, status=Rapporteringsforpligtelse.Status.SENDT
        )
        .select_related("type")
        .order_by("aar")
        .first()
    )
    if sent is not None:
        raise Refused(
            f"{sent.type} {sent.aar} er sendt til Landsbyggefonden og kommunen: "
            f"årets milepæle kan ikke længere tilføjes, ændres eller slettes."
        )


def check_goal_year_open(plan, aar) -> None:
    _check_report_open(
        plan, Rapporteringstype.Art.MAALOPFOELGNING, aar, "årets målopfølgning kan ikke længere ændres"
    )


def check_year_status_open(plan, aar) -> None:
    _check_report_open(
        plan,
        Rapporteringstype.Art.REGNSKAB,
        aar,
        "årets forklaringer, reguleringskonto og revisorerklæring kan ikke længere ændres",
    )


def _check_report_open(plan, art, aar, what) -> None:
    """Once the year's report of this art is sent, what it reported (`what`) is on record and stays."""
    sent = (
        plan.forpligtelser.filter(type__art=art, aar=aar, status=Rapporteringsforpligtelse.Status.SENDT)
        .select_related("type")
        .first()
    )
    if sent is not None:
        raise Refused(f"{sent.type} {sent.aar} er sendt til Landsbyggefonden og kommunen: {what}.")


def save_milestone(plan, data, *, acting_user, milestone=None) -> Milepael:
    """A new milestone, or changes to one (`data`: hvad, dato, hvem, status, aktivitet); its date lies in
    the plan's period (Milepael.clean). A milestone of a year whose goal report is sent stays as it was, and
    none is added to or moved into such a year."""
    _require_staff(acting_user)
    with transaction.atomic():
        locked = _lock_running_plan(plan)
        if milestone is not None:
            milestone = Milepael.objects.select_for_update().get(pk=milestone.pk, plan=locked)
            check_milestone_years_open(locked, milestone.dato.year, data.get("dato", milestone.dato).year)
        elif data.get("dato"):
            check_milestone_years_open(locked, data["dato"].year)
        record = milestone or Milepael(plan=locked)
        for name in ("hvad", "dato", "hvem", "status", "aktivitet"):
            setattr(record, name, data.get(name, getattr(record, name)))
        record.plan = locked
        _validate(record)
        record._history_user = acting_user
        record.save()
        locked.haendelser.create(
            art=Haendelse.Art.AARSSTATUS,
            bruger=acting_user,
            tekst=f"Milepæl {'ændret' if milestone else 'tilføjet'}: {record.hvad} "
            f"({numeric_date(record.dato)}).",
        )
    return record


def delete_milestone(milestone, *, acting_user) -> None:
    """Remove a milestone, unless its year's goal report is sent; the timeline keeps what it said."""
    _require_staff(acting_user)
    with transaction.atomic():
        locked = _lock_running_plan(milestone.plan)
        record = Milepael.objects.select_for_update().get(pk=milestone.pk, plan=locked)
        check_milestone_years_open(locked, record.dato.year)
        record._history_user = acting_user
        record.delete()
        locked.haendelser.create(
            art=Haendelse.Art.AARSSTATUS,
            bruger=acting_user,
            tekst=f"Milepæl slettet: {record.hvad} ({numeric_date(record.dato)}).",
        )


def save_goal_year(plan, aar, rows, *, acting_user) -> None:
    """The year's goal figures: for each of the plan's goals (`rows`: maalsaetning, maalt, vurdering,
    kommentar), the value measured and staff's assessment of it; no longer once the goal report is sent."""
    _require_staff(acting_user)
    with transaction.atomic():
        locked = _lock_running_plan(plan)
        _check_year_in_period(locked, aar)
        check_goal_year_open(locked, aar)
        changed = 0
        for row in rows:
            if row["maalsaetning"].indsats_id != locked.indsats_id:
                raise Refused("Målsætningen hører ikke til planen.")
            figure = Maaltal.objects.filter(maalsaetning=row["maalsaetning"], aar=aar).first()
            figure = figure or Maaltal(maalsaetning=row["maalsaetning"], aar=aar)
            values = {name: row[name] for name in ("maalt", "vurdering", "kommentar")}
            if figure.pk and all(getattr(figure, name) == value for name, value in values.items()):
                continue
            for name, value in values.items():
                setattr(figure, name, value)
            figure._history_user = acting_user
            figure.save()
            changed += 1
        if changed:
            locked.haendelser.create(
                art=Haendelse.Art.AARSSTATUS, bruger=acting_user, tekst=f"Målopfølgning for {aar} opdateret."
            )


def save_year_status(
    plan, aar, *, acting_user, bemaerkning="", forklaringer=None, reguleringer=None, revisorerklaering=None
) -> Aarsstatus:
    """The rest of the year's status: a comment, the explanations of the accounts' variances per budget line
    ({(indsatsområde id, omkostningstype id): text}, an empty text removes one), what is done with each
    party's unspent or overspent money ({part id: (behandling, bemærkning)}, behandling "" for not decided)
    and the auditor's statement (an upload already checked by uploads.validate). No longer once the year's
    accounts are sent."""
    _require_staff(acting_user)
    with transaction.atomic():
        locked = _lock_running_plan(plan)
        _check_year_in_period(locked, aar)
        check_year_status_open(locked, aar)
        status, _ = Aarsstatus.objects.select_for_update().get_or_create(plan=locked, aar=aar)
        status.bemaerkning = bemaerkning
        if revisorerklaering:
            status.revisorerklaering_navn = original_name(revisorerklaering)
            status.revisorerklaering.save(status.revisorerklaering_navn, revisorerklaering, save=False)
        status._history_user = acting_user
        status.save()
        for (omraade_id, type_id), tekst in (forklaringer or {}).items():
            key = {"aarsstatus": status, "indsatsomraade_id": omraade_id, "omkostningstype_id": type_id}
            if tekst.strip():
                Afvigelsesforklaring.objects.update_or_create(**key, defaults={"tekst": tekst.strip()})
            else:
                Afvigelsesforklaring.objects.filter(**key).delete()
        parts = {part.pk for part in queries.parts_of(locked.indsats)}
        for part_id, (behandling, note) in (reguleringer or {}).items():
            if part_id not in parts:
                raise Refused("Finansieringsparten hører ikke til planen.")
            if not behandling:
                Reguleringspost.objects.filter(aarsstatus=status, part_id=part_id).delete()
                continue
            Reguleringspost.objects.update_or_create(
                aarsstatus=status, part_id=part_id, defaults={"behandling": behandling, "bemaerkning": note}
            )
        text = f"Årsstatus for {aar} gemt."
        if revisorerklaering:
            text += f"\nRevisorerklæring: {status.revisorerklaering_navn}"
        locked.haendelser.create(art=Haendelse.Art.AARSSTATUS, bruger=acting_user, tekst=text)
    return status


# --- The funders' payments ---------------------------------------------------------------------------------


def save_plan_payment(plan, row, *, forpligtelse=None, acting_user):
    """A new or changed instalment or payment received of the plan (finansiering's checks, against the
    part's tilsagn), and for a payment received the report it was paid for (`forpligtelse`: one of the
    plan's reports, or None)."""
    _require_staff(acting_user)
    tilsagn = payments.tilsagn_by_part(plan).get(row.part)
    with transaction.atomic():
        budget_actions.save_payment_row(row, tilsagn=tilsagn, acting_user=acting_user)
        if not isinstance(row, ModtagetUdbetaling):
            return row
        if forpligtelse is not None and forpligtelse.plan_id != plan.pk:
            raise Refused("Rapporten hører ikke til planen.")
        link = RapportUdbetaling.objects.filter(udbetaling=row).first()
        if forpligtelse is None and link is not None:
            link._history_user = acting_user
            link.delete()
        elif forpligtelse is not None and (link is None or link.forpligtelse_id != forpligtelse.pk):
            link = link or RapportUdbetaling(udbetaling=row)
            link.forpligtelse = forpligtelse
            link._history_user = acting_user
            link.save()
    return row


def delete_plan_payment(row, *, acting_user) -> None:
    _require_staff(acting_user)
    budget_actions.delete_payment_row(row, acting_user=acting_user)


# --- board members ---------------------------------------------------------------------------------------


def _invite(seat) -> bool:
    """Queue the invitation of a member who has not chosen a password yet; False for one who has."""
    if seat.user.has_usable_password():
        return False
    notifications.queue(Besked.Art.INVITATION, seat.pk)
    return True


def add_board_member(afdeling, cleaned, *, acting_user):
    """A new seat on the afdeling's board (screening.actions.add_board_member), and an invitation for a
    member without a password. Returns the seat and whether an invitation was sent."""
    with transaction.atomic():
        seat = register_actions.add_board_member(afdeling, cleaned, acting_user=acting_user)
        return seat, _invite(seat)


def change_board_member(seat, cleaned, *, acting_user):
    """Change a board member; a new address of someone who has not chosen a password yet gets the invitation
    again (the first may have gone to a mistyped address). Returns the seat and whether it was sent."""
    with transaction.atomic():
        address = seat.user.email
        seat = register_actions.change_board_member(seat, cleaned, acting_user=acting_user)
        return seat, seat.user.email != address and _invite(seat)


def invite_board_member(seat, *, acting_user):
    """Send the invitation again (it ran out, or went astray)."""
    if not roles.is_medarbejder(acting_user):
        raise Forbidden("Kun fsb's medarbejdere kan invitere bestyrelsesmedlemmer.")
    if seat.fratraadt is not None:
        raise Refused("Medlemmet er fratrådt.")
    if not seat.user.email:
        raise Refused("Medlemmet har ingen e-mailadresse.")
    with transaction.atomic():
        if not _invite(seat):
            raise Refused(
                f"{seat.user.get_full_name() or seat.user.get_username()} har allerede valgt en adgangskode. "
                "En glemt adgangskode nulstilles med «Glemt adgangskode?» på login-siden."
            )


@transaction.atomic
def save_notification_choices(choices: dict[str, str], *, acting_user) -> None:
    """Store how the acting user wants each kind of notification by e-mail (kind -> delivery). Reminders
    already written keep the delivery they were written with."""
    for art, levering in choices.items():
        Notifikationsvalg.objects.update_or_create(
            bruger=acting_user, art=art, defaults={"levering": levering}
        )
