"""Every change to budgets, the fordelingsnøgle and the regnskab that has rules, in one place.

Views, the regnskab import, the demo data and the helhedsplan lifecycle all call these functions, so the
rules hold whoever makes the change: only a draft version is edited; sending a plan to the funders submits
and locks its latest version, and while it is with them no cell changes and no version is added; only the
funders' approval makes a version approved; a line must lie in the indsats period; a change after
approval is a new version with a reason.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from finansiering.models import (
    AftaltAfdelingsandel,
    Budgetlinje,
    Budgetversion,
    Finansieringspart,
    Fordelingsnoegle,
    Kommuneanvendelse,
    Omkostningstype,
    Regnskabslinje,
)
from indsatser import ramme
from indsatser.models import Finansieringsperiode, Indsats, Indsatsomraade, Indsatstype


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


# The Copenhagen default: 75 % LBF, 12.5 % the kommune (10.6 points for staff, activities and networks,
# 1.9 for facilitating the cooperation), 12.5 % the boligorganisation and its afdelinger.
KOMMUNE_ANVENDELSER = [
    ("Personale, aktiviteter og netværk", Decimal("10.6")),
    ("Facilitering af samarbejdet", Decimal("1.9")),
]
HELHEDSPLAN_PARTER = [
    (Finansieringspart.Art.LBF, "Landsbyggefonden", Decimal(75)),
    (Finansieringspart.Art.KOMMUNE, "Københavns Kommune", Decimal("12.5")),
    (Finansieringspart.Art.AFDELINGER, "Boligorganisation/afdelinger", Decimal("12.5")),
]
# An ejendomsfunktionær is paid by the afdelinger; other types have no usual key to start from.
AFDELINGER_ALENE = [(Finansieringspart.Art.AFDELINGER, "Boligorganisation/afdelinger", Decimal(100))]


@dataclass(frozen=True)
class Standardpart:
    art: str
    navn: str
    procent: Decimal
    anvendelser: tuple[tuple[str, Decimal], ...] = ()


def default_parter(indsats: Indsats) -> list[Standardpart]:
    """The fordelingsnøgle an indsats starts from, by its type."""
    kode = indsats.type.kode
    if kode == Indsatstype.HELHEDSPLAN:
        return [
            Standardpart(
                art, navn, pct, tuple(KOMMUNE_ANVENDELSER) if art == Finansieringspart.Art.KOMMUNE else ()
            )
            for art, navn, pct in HELHEDSPLAN_PARTER
        ]
    if kode == Indsatstype.EJENDOMSFUNKTIONAER:
        return [Standardpart(art, navn, pct) for art, navn, pct in AFDELINGER_ALENE]
    return []


def periode_aar(indsats: Indsats) -> list[int]:
    """The calendar years a budget may have lines for: the start date's year to the end date's year."""
    if not indsats.startdato or not indsats.slutdato or indsats.slutdato < indsats.startdato:
        return []
    return list(range(indsats.startdato.year, indsats.slutdato.year + 1))


def check_aar(indsats: Indsats, aar: int) -> None:
    years = periode_aar(indsats)
    if not years:
        raise BudgetError("Indsatsen skal have en startdato og en slutdato, før der kan budgetteres.")
    if aar not in years:
        raise BudgetError(f"{aar} ligger uden for indsatsens periode ({years[0]}–{years[-1]}).")


def budget_omraader(indsats: Indsats) -> list[Indsatsomraade]:
    """The indsatsområder a budget is laid out by: those chosen for the indsats, else those of its LBF
    period, else those of the period its start year falls in, else the latest period's (a plan prepared
    for a period whose themes are not published yet is budgeted under the current ones)."""
    chosen = list(indsats.indsatsomraader.order_by("periode__startaar", "sortering"))
    if chosen:
        return chosen
    periode = indsats.periode
    if periode is None:
        periods = Finansieringsperiode.objects.order_by("-startaar")
        year = indsats.startdato.year if indsats.startdato else None
        periode = (year and periods.filter(startaar__lte=year, slutaar__gte=year).first()) or periods.first()
    if periode is None:
        return []
    return list(periode.indsatsomraader.order_by("sortering"))


def aktive_omkostningstyper() -> list[Omkostningstype]:
    return list(Omkostningstype.objects.filter(aktiv=True))


def seneste_version(indsats: Indsats) -> Budgetversion | None:
    return indsats.budgetversioner.order_by("-nummer").first()


def godkendt_version(indsats: Indsats) -> Budgetversion | None:
    """The version the funders approved last (the budget in force), if any."""
    return indsats.budgetversioner.filter(status=Budgetversion.Status.GODKENDT).order_by("-nummer").first()


def indsendt_version(indsats: Indsats) -> Budgetversion | None:
    """The version with the funders now: the latest version, when it has been submitted and not decided."""
    latest = seneste_version(indsats)
    return latest if latest is not None and latest.status == Budgetversion.Status.INDSENDT else None


def with_funders_message(nummer: int) -> str:
    return (
        f"Budgettet er sendt til bevillingsgiverne (version {nummer}) og kan ikke ændres, "
        "før de har truffet afgørelse."
    )


def _lock_indsats(indsats) -> None:
    """Serialises every change to an indsats's versions (numbering, submitting, approving)."""
    Indsats.objects.select_for_update().filter(pk=indsats.pk).first()


@transaction.atomic
def opret_version(
    indsats, user, fase, begrundelse="", kilde: Budgetversion | None = None, *, ramme_aendring=False
) -> Budgetversion:
    """A new draft version, numbered after the last, with a copy of the lines of `kilde` (or none).

    Refused while a submitted version is with the funders. After a version has been approved, a new one
    must say why (the funders see the change and the reason). While the frame is locked a new version is
    the proposal of a change request (helhedsplaner's aendringer.py passes `ramme_aendring=True`); nothing
    else adds one.
    """
    locked = Indsats.objects.select_for_update().get(pk=indsats.pk)
    if fase not in Budgetversion.Fase.values:
        raise BudgetError(
            "En ny version er et udkast til et prækvalifikationsestimat eller en ansøgning. "
            "Den bliver godkendt, når bevillingsgiverne godkender den, ikke ved at oprette den."
        )
    submitted = indsendt_version(indsats)
    if submitted is not None:
        raise BudgetError(with_funders_message(submitted.nummer))
    if ramme_aendring:
        check_open(locked)
    else:
        check_frame(locked)
    begrundelse = begrundelse.strip()
    if godkendt_version(indsats) and not begrundelse:
        raise BudgetError("Budgettet er godkendt. En ny version skal have en begrundelse for ændringen.")
    if kilde is not None and kilde.indsats_id != indsats.pk:
        raise BudgetError("Versionen, der kopieres fra, hører til en anden indsats.")
    return _new_draft(indsats, user, fase, begrundelse, kilde)


def _new_draft(indsats, user, fase, begrundelse, kilde) -> Budgetversion:
    nummer = (indsats.budgetversioner.aggregate(m=Max("nummer"))["m"] or 0) + 1
    version = Budgetversion.objects.create(
        indsats=indsats, nummer=nummer, fase=fase, begrundelse=begrundelse, oprettet_af=user
    )
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
        bulk_create_with_history(copies, Budgetlinje, default_user=user)
    if not hasattr(indsats, "fordelingsnoegle"):
        opret_standardnoegle(indsats)
    return version


@transaction.atomic
def indsend_budget(version: Budgetversion, user, afdelinger=None) -> Budgetversion:
    """Submit a draft with the application to the funders: it is locked from now on, and no cell of the
    indsats's budget changes and no version is added until they decide. Calling it again changes nothing.
    """
    _lock_indsats(version.indsats)
    locked = Budgetversion.objects.select_for_update().get(pk=version.pk)
    if locked.status == Budgetversion.Status.INDSENDT:
        return locked
    if locked.status != Budgetversion.Status.UDKAST:
        raise BudgetError(
            f"Version {locked.nummer} er {locked.get_status_display().lower()} og kan ikke indsendes."
        )
    latest = seneste_version(locked.indsats)
    if latest.pk != locked.pk:
        raise BudgetError(f"Kun den seneste version (version {latest.nummer}) kan indsendes.")
    if not locked.linjer.exists():
        raise BudgetError("Budgettet har ingen linjer. Et tomt budget kan ikke indsendes.")
    locked.status = Budgetversion.Status.INDSENDT
    locked.indsendt_tidspunkt = timezone.now()
    locked.indsendt_af = user
    # The afdelinger the version is for: the indsats's own, or those a change request proposes.
    afdelinger = locked.indsats.afdelinger.all() if afdelinger is None else afdelinger
    locked.afdelingstal = {
        str(pk): {"lejemaal": lejemaal, "areal_m2": None if areal is None else str(areal)}
        for pk, lejemaal, areal in afdelinger.values_list("pk", "lejemaal", "areal_m2")
    }
    locked._history_user = user
    locked.save(update_fields=["status", "indsendt_tidspunkt", "indsendt_af", "afdelingstal"])
    return locked


@transaction.atomic
def godkend_budget(version: Budgetversion, user, *, beslutning: str = "") -> Budgetversion:
    """The funders approved this submitted version: it becomes the approved budget, and the version approved
    before it is superseded. `beslutning` says which decisions approved it. Calling it again changes nothing.

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
        earlier._history_user = user
        earlier.save(update_fields=["status"])
    locked.status = Budgetversion.Status.GODKENDT
    locked.godkendt_tidspunkt = timezone.now()
    locked.godkendt_af = user
    locked.godkendt_grundlag = beslutning.strip()
    locked._history_user = user
    locked.save(update_fields=["status", "godkendt_tidspunkt", "godkendt_af", "godkendt_grundlag"])
    if not Fordelingsnoegle.objects.filter(indsats_id=locked.indsats_id).exists():
        opret_standardnoegle(locked.indsats)
    return locked


@transaction.atomic
def gem_fordelingsnoegle(indsats: Indsats, user, form, parts, anvendelser, aftalte) -> Fordelingsnoegle:
    """Save the fordelingsnøgle's validated forms together (finansiering/forms.py: the key, its parties, the
    kommune's sub-uses and the agreed amounts). Refused while the frame is locked."""
    check_frame(Indsats.objects.select_for_update().get(pk=indsats.pk))
    noegle = form.save(commit=False)
    noegle._history_user = user
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
def henlaeg_budget(version: Budgetversion, user) -> Budgetversion:
    """Lay aside a version that will not be approved (the change request it belongs to was refused or
    withdrawn): it stays readable as it was, is marked superseded, and no longer holds the budget locked
    as being with the funders. An approved or already superseded version is left as it is."""
    _lock_indsats(version.indsats)
    locked = Budgetversion.objects.select_for_update().get(pk=version.pk)
    if locked.status in (Budgetversion.Status.UDKAST, Budgetversion.Status.INDSENDT):
        locked.status = Budgetversion.Status.ERSTATTET
        locked._history_user = user
        locked.save(update_fields=["status"])
    return locked


@transaction.atomic
def nyt_udkast_efter_afgoerelse(indsats, user, fase, begrundelse: str) -> Budgetversion | None:
    """After the funders decided on a submitted version without approving the budget (a prækvalifikation,
    or a plan sent back), staff work on in a new draft: a copy of the submitted version, which stays as it
    was sent. Returns None when no version is with the funders."""
    _lock_indsats(indsats)
    submitted = indsendt_version(indsats)
    if submitted is None:
        return None
    return _new_draft(indsats, user, fase, begrundelse.strip(), submitted)


def opret_standardnoegle(indsats: Indsats) -> Fordelingsnoegle:
    noegle, created = Fordelingsnoegle.objects.get_or_create(indsats=indsats)
    if created:
        for order, part in enumerate(default_parter(indsats)):
            stored = Finansieringspart.objects.create(
                noegle=noegle, art=part.art, navn=part.navn, procent=part.procent, sortering=order
            )
            for sub_order, (navn, point) in enumerate(part.anvendelser):
                Kommuneanvendelse.objects.create(
                    part=stored, navn=navn, procentpoint=point, sortering=sub_order
                )
    return noegle


def check_beloeb(beloeb: Decimal) -> None:
    if beloeb < 0:
        raise BudgetError("Beløbet kan ikke være negativt.")
    if beloeb != beloeb.quantize(Decimal("0.01")):
        raise BudgetError("Beløbet må højst have to decimaler (øre).")


def gem_budgetlinje(version, aar, omraade, omkostningstype, beloeb: Decimal, note: str | None = None):
    """Set one cell of a draft budget. An amount of 0 without a note removes the line. `note=None` keeps the
    note. Refused for a version that is not a draft, and for any version while one is with the funders.

    Returns the line, or None when the cell is now empty.
    """
    check_version_editable(version)
    check_open(version.indsats)
    if beloeb != 0 or note != "":  # removing a line is allowed even outside a shortened period
        check_aar(version.indsats, aar)
    check_beloeb(beloeb)
    return _save_cell(
        Budgetlinje.objects.filter(version=version),
        {"version": version},
        aar,
        omraade,
        omkostningstype,
        beloeb,
        note,
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


def gem_regnskabslinje(indsats, aar, omraade, omkostningstype, beloeb: Decimal, note: str | None = None):
    """Set the actual spending for one year, område and cost type; 0 without a note removes the line."""
    check_open(indsats)
    check_aar(indsats, aar)
    check_beloeb(beloeb)
    return _save_cell(
        Regnskabslinje.objects.filter(indsats=indsats),
        {"indsats": indsats},
        aar,
        omraade,
        omkostningstype,
        beloeb,
        note,
    )


def _save_cell(queryset, owner, aar, omraade, omkostningstype, beloeb, note):
    cell = {"aar": aar, "indsatsomraade": omraade, "omkostningstype": omkostningstype}
    line = queryset.filter(**cell).first()
    wanted_note = (line.note if line else "") if note is None else note.strip()
    if beloeb == 0 and not wanted_note:
        if line is not None:
            line.delete()
        return None
    if line is None:
        return queryset.model.objects.create(**owner, **cell, beloeb=beloeb, note=wanted_note)
    if line.beloeb != beloeb or line.note != wanted_note:
        line.beloeb = beloeb
        line.note = wanted_note
        line.save(update_fields=["beloeb", "note"])
    return line
