"""Creating a plan and changing its content: text, organisation and attachments.

The content may change only while the plan is being drafted (the lifecycle's editable states). The text
is saved with optimistic concurrency: a save based on an older version is refused, never silently lost.
"""

from django.db import transaction
from django.utils import timezone

from config.web import roles
from helhedsplaner import lifecycle
from helhedsplaner.models import TEXT_SECTIONS, Bilag, Haendelse, Helhedsplan, Organisationsmedlem
from helhedsplaner.uploads import original_name
from indsatser import ramme
from indsatser.models import Indsats, Indsatstype
from indsatser.overlap import confirmed_overlap
from indsatser.transitions import Conflict, Forbidden, Refused

TEXT_FIELDS = [name for name, _ in TEXT_SECTIONS]
PLAN_FIELDS = ["planlagt_start", "varighed_aar", *TEXT_FIELDS]
INDSATS_FIELDS = ["titel", "ansvarlig"]


def _require_staff(user):
    if not roles.is_medarbejder(user):
        raise Forbidden("Kun fsb's medarbejdere kan ændre planen.")


def _require_editable(plan):
    if not plan.state.editable:
        raise Refused(f"Planens indhold er låst, mens den er i fasen «{plan.state.label}».")


def create_plan(
    user,
    *,
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
    _require_staff(user)
    with transaction.atomic():
        plan = Helhedsplan(planlagt_start=planlagt_start, varighed_aar=varighed_aar, resume=resume)
        note = confirmed_overlap(afdelinger, plan.planlagt_start, plan.planlagt_slut, overlap_begrundelse)
        indsats = Indsats(
            titel=titel,
            type=Indsatstype.objects.get(kode=Indsatstype.HELHEDSPLAN),
            ansvarlig=ansvarlig,
            status=lifecycle.STATE[lifecycle.IDE].indsats_status,
            startdato=plan.planlagt_start,
            slutdato=plan.planlagt_slut,
        )
        indsats._history_user = user
        indsats.save()
        indsats.afdelinger.set(afdelinger)
        plan.indsats = indsats
        plan._history_user = user
        plan.save()
        plan.haendelser.create(
            art=Haendelse.Art.OPRETTET, bruger=user, til_tilstand=plan.tilstand, tekst=note
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


def save_text(plan, user, data, *, version, overlap_begrundelse="") -> Helhedsplan:
    """Save the plan's text and facts from `data` (cleaned form data) if `version` is still current.

    Raises Conflict when someone saved after `version` was read: the caller shows the user their own
    text again next to the saved one, so nothing typed is lost. New afdelinger or a new planned period
    that share afdelinger with another helhedsplan in the period are refused
    (indsatser.overlap.OverlapNotConfirmed) unless `overlap_begrundelse` confirms it.
    """
    _require_staff(user)
    with transaction.atomic():
        locked = lifecycle.lock(plan)
        _require_editable(locked)
        if locked.version != version:
            who = locked.tekst_aendret_af.get_full_name() if locked.tekst_aendret_af else "en anden"
            when = (
                timezone.localtime(locked.tekst_aendret).strftime("%d.%m.%Y kl. %H:%M")
                if locked.tekst_aendret
                else ""
            )
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
        locked.tekst_aendret, locked.tekst_aendret_af = timezone.now(), user
        locked._history_user = user
        locked.save()
        if indsats_changed:
            indsats._history_user = user
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
            art=Haendelse.Art.TEKST, bruger=user, tekst=f"{text}\n{note}" if note else text
        )
    return locked


def add_member(plan, user, *, gruppe, navn, rolle="") -> Organisationsmedlem:
    _require_staff(user)
    with transaction.atomic():
        locked = lifecycle.lock(plan)
        _require_editable(locked)
        member = Organisationsmedlem(plan=locked, gruppe=gruppe, navn=navn, rolle=rolle)
        member._history_user = user
        member.save()
        locked.haendelser.create(
            art=Haendelse.Art.ORGANISATION,
            bruger=user,
            tekst=f"Tilføjet til {member.get_gruppe_display().lower()}: {navn}.",
        )
    return member


def remove_member(member, user):
    _require_staff(user)
    with transaction.atomic():
        locked = lifecycle.lock(member.plan)
        _require_editable(locked)
        member._history_user = user
        member.delete()
        locked.haendelser.create(
            art=Haendelse.Art.ORGANISATION,
            bruger=user,
            tekst=f"Fjernet fra {member.get_gruppe_display().lower()}: {member.navn}.",
        )


def add_attachment(plan, user, *, titel, fil) -> Bilag:
    """Store a validated upload (see uploads.validate) as an attachment to the plan."""
    _require_staff(user)
    with transaction.atomic():
        locked = lifecycle.lock(plan)
        _require_editable(locked)
        attachment = Bilag(
            plan=locked, titel=titel, filnavn=original_name(fil), stoerrelse=fil.size, uploadet_af=user
        )
        attachment.fil.save(attachment.filnavn, fil, save=False)
        attachment.save()
        locked.haendelser.create(
            art=Haendelse.Art.BILAG, bruger=user, bilag=attachment, tekst=attachment.titel
        )
    return attachment


def remove_attachment(attachment, user):
    """Remove an attachment and its file, in any phase of the plan until it is closed (afsluttet).

    Unlike adding one, removing is not locked with the text: an attachment uploaded by mistake, or one the
    packs cannot include, must be removable also while the plan is with the funders. The packs made before
    keep their copy; the upload's entry stays on the timeline beside the removal.
    """
    _require_staff(user)
    with transaction.atomic():
        locked = lifecycle.lock(attachment.plan)
        if ramme.is_closed(locked.indsats):
            raise Refused(ramme.CLOSED_MESSAGE)
        stored = attachment.fil
        attachment.delete()
        locked.haendelser.create(
            art=Haendelse.Art.BILAG,
            bruger=user,
            tekst=f"Fjernet: {attachment.titel} ({attachment.filnavn}).",
        )
        transaction.on_commit(lambda: stored.storage.delete(stored.name))
