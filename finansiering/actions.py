"""Every change to budgets, the fordelingsnøgle, the regnskab and the funders' payments, in one place.

Views, the regnskab import, the admin, the demo data and the helhedsplan lifecycle all call these
functions, so the rules hold whoever makes the change: only a draft version is edited; sending a plan to the
funders submits and locks its latest version, and while it is with them no cell changes and no version is
added; only the funders' approval makes a version approved; a line must lie in the indsats period; a change
after approval is a new version with a reason; a funder's instalments or payments above its tilsagn need a
reason. Each action runs in one transaction and records who acted
in the rows' history (django-simple-history is finansiering's record).
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from config.web.formatting import kroner, numeric_date
from finansiering.models import (
    AftaltAfdelingsandel,
    Budgetlinje,
    Budgetversion,
    Finansieringspart,
    Fordelingsnoegle,
    ForventetUdbetaling,
    Kommuneanvendelse,
    ModtagetUdbetaling,
    Regnskabslinje,
    Udbetalingspart,
)
from finansiering.queries import (
    approved_version,
    default_parties,
    latest_version,
    period_years,
    submitted_version,
)
from indsatser import ramme
from indsatser.afslutning import MIN_WORDS, too_short
from indsatser.models import Indsats


class BudgetError(Exception):
    """A change that the rules refuse; the message is Danish and meant for the user."""


def check_open(indsats: Indsats) -> None:
    """Nothing of a closed indsats's money changes (indsatser.ramme), as a BudgetError."""
    try:
        ramme.check_open(indsats)
    except ramme.Locked as locked:
        raise BudgetError(str(locked)) from locked


def check_frame(indsats: Indsats) -> None:
    """The fordelingsnøgle and the budget versions are the frame: locked with it (indsatser.ramme)."""
    try:
        ramme.check_frame(indsats)
    except ramme.Locked as locked:
        raise BudgetError(str(locked)) from locked


def check_year(indsats: Indsats, aar: int) -> None:
    years = period_years(indsats)
    if not years:
        raise BudgetError("Indsatsen skal have en startdato og en slutdato, før der kan budgetteres.")
    if aar not in years:
        raise BudgetError(f"{aar} ligger uden for indsatsens periode ({years[0]}–{years[-1]}).")


def with_funders_message(nummer: int) -> str:
    return (
        f"Budgettet er sendt til bevillingsgiverne (version {nummer}) og kan ikke ændres, "
        "før de har truffet afgørelse."
    )


def _lock_indsats(indsats) -> None:
    """Serialises every change to an indsats's versions (numbering, submitting, approving)."""
    Indsats.objects.select_for_update().filter(pk=indsats.pk).first()


@transaction.atomic
def create_version(
    indsats, fase, begrundelse="", kilde: Budgetversion | None = None, *, acting_user, ramme_aendring=False
) -> Budgetversion:
    """A new draft version, numbered after the last, with a copy of the lines of `kilde` (or none).

    Refused while a submitted version is with the funders. After a version has been approved, a new one
    must say why (the funders see the change and the reason). While the frame is locked a new version is
    the proposal of a change request (helhedsplaner's actions.py passes `ramme_aendring=True`); nothing
    else adds one.
    """
    locked = Indsats.objects.select_for_update().get(pk=indsats.pk)
    if fase not in Budgetversion.Fase.values:
        raise BudgetError(
            "En ny version er et udkast til et prækvalifikationsestimat eller en ansøgning. "
            "Den bliver godkendt, når bevillingsgiverne godkender den, ikke ved at oprette den."
        )
    submitted = submitted_version(indsats)
    if submitted is not None:
        raise BudgetError(with_funders_message(submitted.nummer))
    if ramme_aendring:
        check_open(locked)
    else:
        check_frame(locked)
    begrundelse = begrundelse.strip()
    if approved_version(indsats) and not begrundelse:
        raise BudgetError("Budgettet er godkendt. En ny version skal have en begrundelse for ændringen.")
    if kilde is not None and kilde.indsats_id != indsats.pk:
        raise BudgetError("Versionen, der kopieres fra, hører til en anden indsats.")
    return _new_draft(indsats, acting_user, fase, begrundelse, kilde)


def _new_draft(indsats, acting_user, fase, begrundelse, kilde) -> Budgetversion:
    nummer = (indsats.budgetversioner.aggregate(m=Max("nummer"))["m"] or 0) + 1
    version = Budgetversion(
        indsats=indsats, nummer=nummer, fase=fase, begrundelse=begrundelse, oprettet_af=acting_user
    )
    _save(version, acting_user)
    if kilde is not None:
        copies = [
            Budgetlinje(
                version=version,
                aar=line.aar,
                indsatsomraade_id=line.indsatsomraade_id,
                omkostningstype_id=line.omkostningstype_id,
                beloeb=line.beloeb,
                note=line.note,
            )
            for line in kilde.linjer.all()
        ]
        bulk_create_with_history(copies, Budgetlinje, default_user=acting_user)
    if not hasattr(indsats, "fordelingsnoegle"):
        create_default_fordelingsnoegle(indsats, acting_user=acting_user)
    return version


@transaction.atomic
def submit_budget(version: Budgetversion, *, acting_user, afdelinger=None) -> Budgetversion:
    """Submit a draft with the application to the funders: it is locked from now on, and no cell of the
    indsats's budget changes and no version is added until they decide. The drafts before it, which can no
    longer be sent, are laid aside (superseded). Calling it again changes nothing.
    """
    _lock_indsats(version.indsats)
    locked = Budgetversion.objects.select_for_update().get(pk=version.pk)
    if locked.status == Budgetversion.Status.INDSENDT:
        return locked
    if locked.status != Budgetversion.Status.UDKAST:
        raise BudgetError(
            f"Version {locked.nummer} er {locked.get_status_display().lower()} og kan ikke indsendes."
        )
    latest = latest_version(locked.indsats)
    if latest.pk != locked.pk:
        raise BudgetError(f"Kun den seneste version (version {latest.nummer}) kan indsendes.")
    if not locked.linjer.exists():
        raise BudgetError("Budgettet har ingen linjer. Et tomt budget kan ikke indsendes.")
    locked.status = Budgetversion.Status.INDSENDT
    locked.indsendt_tidspunkt = timezone.now()
    locked.indsendt_af = acting_user
    # The afdelinger the version is for: the indsats's own, or those a change request proposes.
    afdelinger = locked.indsats.afdelinger.all() if afdelinger is None else afdelinger
    locked.afdelingstal = {
        str(pk): {"lejemaal": lejemaal, "areal_m2": None if areal is None else str(areal)}
        for pk, lejemaal, areal in afdelinger.values_list("pk", "lejemaal", "areal_m2")
    }
    _save(locked, acting_user, update_fields=["status", "indsendt_tidspunkt", "indsendt_af", "afdelingstal"])
    for passed_over in Budgetversion.objects.filter(
        indsats_id=locked.indsats_id, status=Budgetversion.Status.UDKAST, nummer__lt=locked.nummer
    ):
        passed_over.status = Budgetversion.Status.ERSTATTET
        _save(passed_over, acting_user, update_fields=["status"])
    return locked


@transaction.atomic
def approve_budget(version: Budgetversion, *, acting_user, grounds: str = "") -> Budgetversion:
    """The funders approved this submitted version: it becomes the approved budget, and the version approved
    before it is superseded. `grounds` says which decisions approved it. Calling it again changes nothing.

    The only way a version becomes approved: the helhedsplan lifecycle calls it when LBF and the kommune
    have approved the plan, as does an approved change to the plan.
    """
    _lock_indsats(version.indsats)
    locked = Budgetversion.objects.select_for_update().get(pk=version.pk)
    if locked.status == Budgetversion.Status.GODKENDT:
        return locked
    if locked.status != Budgetversion.Status.INDSENDT:
        raise BudgetError(
            "Kun en version, der er indsendt til bevillingsgiverne, kan godkendes, "
            "og kun ved deres afgørelse."
        )
    if not locked.linjer.exists():
        raise BudgetError("Et tomt budget kan ikke godkendes.")
    for earlier in Budgetversion.objects.filter(
        indsats_id=locked.indsats_id, status=Budgetversion.Status.GODKENDT
    ).exclude(pk=locked.pk):
        earlier.status = Budgetversion.Status.ERSTATTET
        earlier._history_user = acting_user
        earlier.save(update_fields=["status"])
    locked.status = Budgetversion.Status.GODKENDT
    locked.godkendt_tidspunkt = timezone.now()
    locked.godkendt_af = acting_user
    locked.godkendt_grundlag = grounds.strip()
    _save(
        locked,
        acting_user,
        update_fields=["status", "godkendt_tidspunkt", "godkendt_af", "godkendt_grundlag"],
    )
    if not Fordelingsnoegle.objects.filter(indsats_id=locked.indsats_id).exists():
        create_default_fordelingsnoegle(locked.indsats, acting_user=acting_user)
    return locked


@transaction.atomic
def save_fordelingsnoegle(
    indsats: Indsats, form, parts, anvendelser, aftalte, *, acting_user
) -> Fordelingsnoegle:
    """Save the fordelingsnøgle's validated forms together (finansiering/forms.py: the key, its parties, the
    kommune's sub-uses and the agreed amounts). Refused while the frame is locked."""
    check_frame(Indsats.objects.select_for_update().get(pk=indsats.pk))
    noegle = form.save(commit=False)
    noegle._history_user = acting_user
    noegle.save()
    parts.instance = noegle
    parts.save()
    kept = [f.instance for f in parts.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
    for order, part in enumerate(kept):
        if part.sortering != order:
            part.sortering = order
            part.save(update_fields=["sortering"])
    kommune = noegle.parter.filter(art=Finansieringspart.Art.KOMMUNE).first()
    if kommune is not None:
        # The kommune party may have been created just now: the sub-uses attach to the saved row.
        anvendelser.instance = kommune
        anvendelser.save()
    for afdeling_pk, amount in aftalte.amounts().items():
        if amount:
            AftaltAfdelingsandel.objects.update_or_create(
                noegle=noegle, afdeling_id=afdeling_pk, defaults={"beloeb": amount}
            )
        else:
            AftaltAfdelingsandel.objects.filter(noegle=noegle, afdeling_id=afdeling_pk).delete()
    return noegle


@transaction.atomic
def set_aside_budget(version: Budgetversion, *, acting_user) -> Budgetversion:
    """Lay aside a version that will not be approved (the change request it belongs to was refused or
    withdrawn): it stays readable as it was, is marked superseded, and no longer holds the budget locked
    as being with the funders. An approved or already superseded version is left as it is."""
    _lock_indsats(version.indsats)
    locked = Budgetversion.objects.select_for_update().get(pk=version.pk)
    if locked.status in (Budgetversion.Status.UDKAST, Budgetversion.Status.INDSENDT):
        locked.status = Budgetversion.Status.ERSTATTET
        locked._history_user = acting_user
        locked.save(update_fields=["status"])
    return locked


@transaction.atomic
def record_budget_decided(indsats, decision: str, *, acting_user) -> Budgetversion | None:
    """The funders decided on the submitted version without approving it as the budget (a prækvalifikation,
    a plan sent back or refused): it is marked decided with their `decision`, stays as it was sent, and no
    longer holds the budget locked. Returns None when no version is with the funders."""
    _lock_indsats(indsats)
    submitted = submitted_version(indsats)
    if submitted is None:
        return None
    locked = Budgetversion.objects.select_for_update().get(pk=submitted.pk)
    locked.status = Budgetversion.Status.BESLUTTET
    locked.godkendt_grundlag = decision.strip()
    _save(locked, acting_user, update_fields=["status", "godkendt_grundlag"])
    return locked


@transaction.atomic
def create_draft_after_decision(
    indsats, fase, begrundelse: str, *, decision: str, acting_user
) -> Budgetversion | None:
    """After the funders decided on a submitted version without approving the budget (record_budget_decided),
    staff work on in a new draft: a copy of the decided version. Returns None when no version is with the
    funders."""
    decided = record_budget_decided(indsats, decision, acting_user=acting_user)
    if decided is None:
        return None
    return _new_draft(indsats, acting_user, fase, begrundelse.strip(), decided)


def create_default_fordelingsnoegle(indsats: Indsats, *, acting_user) -> Fordelingsnoegle:
    """The fordelingsnøgle an indsats starts from (queries.default_parties), unless it has one; called inside
    the actions that add the first budget version."""
    noegle = Fordelingsnoegle.objects.filter(indsats=indsats).first()
    if noegle is None:
        noegle = Fordelingsnoegle(indsats=indsats)
        noegle._history_user = acting_user
        noegle.save()
        for order, part in enumerate(default_parties(indsats)):
            stored = Finansieringspart(
                noegle=noegle, art=part.art, navn=part.navn, procent=part.procent, sortering=order
            )
            _save(stored, acting_user)
            for sub_order, (navn, point) in enumerate(part.anvendelser):
                _save(
                    Kommuneanvendelse(part=stored, navn=navn, procentpoint=point, sortering=sub_order),
                    acting_user,
                )
    return noegle


def _save(row, acting_user, **kwargs) -> None:
    row._history_user = acting_user
    row.save(**kwargs)


def check_amount(beloeb: Decimal) -> None:
    if beloeb < 0:
        raise BudgetError("Beløbet kan ikke være negativt.")
    if beloeb != beloeb.quantize(Decimal("0.01")):
        raise BudgetError("Beløbet må højst have to decimaler (øre).")


@transaction.atomic
def save_budget_line(
    version, aar, omraade, omkostningstype, beloeb: Decimal, note: str | None = None, *, acting_user
):
    """Set one cell of a draft budget. An amount of 0 without a note removes the line. `note=None` keeps the
    note. Refused for a version that is not a draft, and for any version while one is with the funders.

    Returns the line, or None when the cell is now empty.
    """
    check_version_editable(version)
    check_open(version.indsats)
    if beloeb != 0 or note != "":  # removing a line is allowed even outside a shortened period
        check_year(version.indsats, aar)
    check_amount(beloeb)
    return _save_cell(
        Budgetlinje.objects.filter(version=version),
        {"version": version},
        (aar, omraade, omkostningstype),
        beloeb,
        note,
        acting_user,
    )


def check_version_editable(version: Budgetversion) -> None:
    """Reads the stored states (one query), not those of the object in hand, which may be stale."""
    stored = list(
        Budgetversion.objects.filter(indsats_id=version.indsats_id)
        .order_by("-nummer")
        .values_list("pk", "nummer", "status")
    )
    status = next((s for pk, _, s in stored if pk == version.pk), None)
    latest_nummer, latest_status = stored[0][1], stored[0][2]
    if latest_status == Budgetversion.Status.INDSENDT:
        raise BudgetError(with_funders_message(latest_nummer))
    if status != Budgetversion.Status.UDKAST:
        label = Budgetversion.Status(status).label.lower()
        raise BudgetError(f"Versionen er {label} og låst. Opret en ny version for at ændre budgettet.")


@transaction.atomic
def save_regnskab_line(
    indsats, aar, omraade, omkostningstype, beloeb: Decimal, note: str | None = None, *, acting_user
):
    """Set the actual spending for one year, område and cost type; 0 without a note removes the line."""
    check_open(indsats)
    check_year(indsats, aar)
    check_amount(beloeb)
    return _save_cell(
        Regnskabslinje.objects.filter(indsats=indsats),
        {"indsats": indsats},
        (aar, omraade, omkostningstype),
        beloeb,
        note,
        acting_user,
    )


def _save_cell(queryset, owner, cell, beloeb, note, acting_user):
    aar, omraade, omkostningstype = cell
    cell = {"aar": aar, "indsatsomraade": omraade, "omkostningstype": omkostningstype}
    line = queryset.filter(**cell).first()
    wanted_note = (line.note if line else "") if note is None else note.strip()
    if beloeb == 0 and not wanted_note:
        if line is not None:
            line._history_user = acting_user
            line.delete()
        return None
    if line is None:
        line = queryset.model(**owner, **cell, beloeb=beloeb, note=wanted_note)
        _save(line, acting_user)
    elif line.beloeb != beloeb or line.note != wanted_note:
        line.beloeb = beloeb
        line.note = wanted_note
        _save(line, acting_user, update_fields=["beloeb", "note"])
    return line


# --- The funders' payments ----------------------------------------------------------------------------------


def _check_within_tilsagn(row, tilsagn: Decimal | None):
    """Refuse an amount that brings the part's instalments or payments (the rows of `row`'s kind, `row` itself
    counted once, as changed) above its tilsagn, unless a reason is given. A part without a registered
    tilsagn has granted nothing yet."""
    if row.beloeb <= 0:
        raise BudgetError("Beløbet skal være større end 0.")
    check_amount(row.beloeb)
    if row.begrundelse.strip():
        if too_short(row.begrundelse):
            raise BudgetError(f"Begrundelsen er for kort: skriv mindst {MIN_WORDS} ord.")
        return
    others = type(row).objects.filter(indsats=row.indsats, part=row.part).exclude(pk=row.pk)
    total = (others.aggregate(total=Sum("beloeb"))["total"] or Decimal("0")) + row.beloeb
    label = Udbetalingspart(row.part).label
    if tilsagn is None:
        raise BudgetError(
            f"Der er ikke registreret et tilsagn fra {label}. Skriv en begrundelse for beløbet."
        )
    if total > tilsagn:
        raise BudgetError(
            f"Med dette beløb bliver det i alt {kroner(total)} kr. fra {label}, mere end tilsagnet på "
            f"{kroner(tilsagn)} kr. Skriv en begrundelse."
        )


def _check_payment_date(indsats, dato, *, received: bool):
    """Refuse a date no payment of this plan can have: before the plan starts, more than a year after it
    ends (the last instalment follows the final report), or, for a payment received, in the future."""
    if received and dato > timezone.localdate():
        raise BudgetError("Datoen for en modtaget udbetaling kan ikke ligge i fremtiden.")
    if indsats.startdato and indsats.slutdato:
        end = indsats.slutdato
        latest = date(end.year + 1, end.month, 28 if (end.month, end.day) == (2, 29) else end.day)
        if not indsats.startdato <= dato <= latest:
            raise BudgetError(
                f"Datoen skal ligge i planens periode ({numeric_date(indsats.startdato)}–"
                f"{numeric_date(indsats.slutdato)}) eller højst et år efter dens slutning."
            )


@transaction.atomic
def save_payment_row(row, *, tilsagn, acting_user):
    """Save a new or changed instalment (ForventetUdbetaling) or payment received (ModtagetUdbetaling) after
    the same checks either way: the plan is open, the date can be a payment's, the amount is within the
    part's tilsagn (`tilsagn`: its granted amount, or None) or comes with a reason."""
    _lock_indsats(row.indsats)
    check_open(row.indsats)
    received = isinstance(row, ModtagetUdbetaling)
    if received and not row.reference.strip():
        raise BudgetError("Skriv udbetalingens reference.")
    _check_payment_date(row.indsats, row.dato, received=received)
    _check_within_tilsagn(row, tilsagn)
    _save(row, acting_user)
    return row


@transaction.atomic
def delete_payment_row(row, *, acting_user) -> None:
    """Remove an instalment or a payment received (entered by mistake); its history keeps what it said."""
    _lock_indsats(row.indsats)
    check_open(row.indsats)
    row._history_user = acting_user
    row.delete()


def add_expected_payment(
    indsats, *, part, dato, beloeb: Decimal, beskrivelse="", begrundelse="", tilsagn, acting_user
) -> ForventetUdbetaling:
    """An instalment a funder is expected to pay (`tilsagn`: the part's granted amount, or None)."""
    instalment = ForventetUdbetaling(
        indsats=indsats, part=part, dato=dato, beloeb=beloeb, beskrivelse=beskrivelse, begrundelse=begrundelse
    )
    return save_payment_row(instalment, tilsagn=tilsagn, acting_user=acting_user)


def record_payment(
    indsats, *, part, dato, beloeb: Decimal, reference, begrundelse="", tilsagn, acting_user
) -> ModtagetUdbetaling:
    """A payment received from a funder (`tilsagn`: the part's granted amount, or None)."""
    payment = ModtagetUdbetaling(
        indsats=indsats, part=part, dato=dato, beloeb=beloeb, reference=reference, begrundelse=begrundelse
    )
    return save_payment_row(payment, tilsagn=tilsagn, acting_user=acting_user)
