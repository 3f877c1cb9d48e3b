"""The stored results of each round (screening.models.results): computed by screening.assessment and the pure
functions of screening.criteria, written once per round, read by the overview.

A round's results depend on its figures, the figures of the rounds before it (a lasting class needs several
in a row, the change in risk compares with last year), the rule sets, the risk model and the register (which
afdelinger make up an area, and their residents). The import computes the results of its round and the rounds
after it in its own transaction; any other change to those inputs marks the rounds it touches stale (the
receivers at the bottom), and the next page that needs a stale round computes it again.
"""

from django.db import transaction
from django.db.models import Min
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from screening import assessment, criteria
from screening.bulk import insert_rows
from screening.models import (
    Afdeling,
    Afdelingsresultat,
    Boligomraade,
    Indikator,
    Maaling,
    Omraaderesultat,
    Regelsaet,
    Risikomodel,
    Risikotaerskel,
    Scenarieresultat,
    Screeningsrunde,
)

BATCH = 2000


def _area_row(runde, area: assessment.AreaResult) -> Omraaderesultat:
    classification = area.classification
    projection, warnings = assessment.area_forecast(area, runde)
    projected = projection.classification if projection else None
    return Omraaderesultat(
        runde=runde,
        boligomraade_id=area.area_id,
        klassifikation=classification.klassifikation,
        label=classification.label,
        severity=classification.severity,
        kriterier=",".join(classification.kriterier),
        aendring=area.change,
        metode=criteria.area_method(area.values),
        prognose_klassifikation=projected.klassifikation if projected else "",
        prognose_label=projected.label if projected else "",
        prognose_kriterier=",".join(projected.kriterier) if projected else "",
        advarsler="\n".join(warnings),
    )


AFDELING_FIELDS = [
    "runde_id",
    "afdeling_id",
    "omraade_id",
    "risikoscore",
    "signal",
    "roede",
    "gule",
    "risiko_aendring",
    "forslag",
]


def _afdeling_row(runde, result: assessment.AfdelingResult, area_row) -> tuple:
    """An Afdelingsresultat as plain values in the order of AFDELING_FIELDS."""
    risk = result.risk
    return (
        runde.pk,
        result.afdeling.pk,
        area_row.pk if area_row else None,
        risk.score if risk else None,
        risk.level if risk else "",
        risk.roede if risk else None,
        risk.gule if risk else None,
        result.risk_change,
        result.suggestion.kode if result.suggestion else "",
    )


def _scenario_rows(data, areas: dict, area_rows: dict, scenarios) -> list[Scenarieresultat]:
    """Each classified area's class under every other rule set (a scenario), beside its own."""
    rows = []
    for area_id, row in area_rows.items():
        for regelsaet, rules in scenarios:
            classification = assessment.scenario_result(data, areas[area_id], rules).classification
            rows.append(
                Scenarieresultat(
                    omraade=row,
                    regelsaet=regelsaet,
                    klassifikation=classification.klassifikation,
                    label=classification.label,
                    severity=classification.severity,
                    kriterier=",".join(classification.kriterier),
                    # A change of level: the 2018 terms sit on the levels of their successors.
                    aendret=classification.severity != row.severity,
                )
            )
    return rows


def compute(runde: Screeningsrunde) -> None:
    """Replace the round's stored results with freshly computed ones. Call inside a transaction that holds
    the round's row lock (see refresh)."""
    rule_sets = list(Regelsaet.objects.order_by("kode"))
    scenarios = [(r, r.to_rule_set()) for r in rule_sets if r.pk != runde.regelsaet_id]
    # Far enough back for the lasting class of every rule set, the scenarios' too.
    data = assessment.load(runde, lookback=max((r.vedvarende_runder for r in rule_sets), default=1))
    afdelinger = list(Afdeling.objects.order_by("pk").only("pk", "boligomraade_id"))
    areas: dict[int, assessment.AreaResult] = {}
    results = assessment.afdeling_results(data, afdelinger, areas)
    area_rows = {
        area_id: _area_row(runde, area) for area_id, area in areas.items() if area.classification is not None
    }
    Afdelingsresultat.objects.filter(runde=runde).delete()
    Scenarieresultat.objects.filter(omraade__runde=runde).delete()
    Omraaderesultat.objects.filter(runde=runde).delete()
    Omraaderesultat.objects.bulk_create(area_rows.values(), batch_size=BATCH)
    Scenarieresultat.objects.bulk_create(_scenario_rows(data, areas, area_rows, scenarios), batch_size=BATCH)
    insert_rows(
        Afdelingsresultat,
        AFDELING_FIELDS,
        (_afdeling_row(runde, r, area_rows.get(r.afdeling.boligomraade_id)) for r in results),
    )
    runde.resultater_beregnet = timezone.now()
    counts = _counts(data)
    for name, value in counts.items():
        setattr(runde, name, value)
    Screeningsrunde.objects.filter(pk=runde.pk).update(
        resultater_beregnet=runde.resultater_beregnet, **counts
    )


def _counts(data: assessment.RoundFigures) -> dict[str, int]:
    """How many afdelinger and areas have figures in the round, and how many figures it holds: the round's
    own figures are all loaded for computing its results, so counting them costs no query."""
    aar = data.runde.aar
    afdelinger = [values for (year, _), values in data.afdeling_values.items() if year == aar]
    areas = [values for (year, _), values in data.area_values.items() if year == aar]
    return {
        "antal_afdelinger": len(afdelinger),
        "antal_omraader": len(areas),
        "antal_maalinger": sum(len(values) for values in afdelinger + areas),
    }


def refresh(runde: Screeningsrunde) -> None:
    """Compute the round's results unless they are fresh. Concurrent callers wait for the first one's
    row lock and then find the results fresh; a change that marks the round stale waits likewise, so it
    can never be overwritten by a computation that did not see it."""
    with transaction.atomic():
        locked = (
            Screeningsrunde.objects.select_for_update(of=("self",))
            .select_related("regelsaet")
            .only("aar", "regelsaet", "landsgennemsnit_domfaeldte_pct", "resultater_beregnet")
            .get(pk=runde.pk)
        )
        if locked.resultater_beregnet is None:
            compute(locked)
        runde.resultater_beregnet = locked.resultater_beregnet


def ensure_fresh(runde: Screeningsrunde) -> None:
    """Before reading a round's stored results: compute them if they are stale (costs nothing if fresh)."""
    if runde.resultater_beregnet is None:
        refresh(runde)


def refresh_from(aar: int) -> int:
    """Compute the results of the year's round and every later round (they look back on it). Returns how
    many rounds were computed."""
    rounds = list(Screeningsrunde.objects.filter(aar__gte=aar).order_by("aar"))
    Screeningsrunde.objects.filter(aar__gte=aar).update(resultater_beregnet=None)
    for runde in rounds:
        runde.resultater_beregnet = None
        refresh(runde)
    return len(rounds)


def forget_counts(rounds) -> None:
    """Figures of these rounds were saved or deleted one by one (an import computes its rounds again): what
    they hold is counted on the rounds page until their results are next computed."""
    rounds.update(antal_afdelinger=None, antal_omraader=None, antal_maalinger=None)


def mark_stale(from_aar=None) -> None:
    """Mark the results of every round (or of the given year's round and later ones) stale.

    Deliberately unconditional (no "where still fresh"): the update must wait for the row lock of a
    computation in progress, and then mark what it computed stale."""
    rounds = Screeningsrunde.objects.all()
    if from_aar is not None:
        rounds = rounds.filter(aar__gte=from_aar)
    rounds.update(resultater_beregnet=None)


# --- what makes stored results stale -----------------------------------------------------------------------
# Saves and deletes through the ORM: admin and the register's pages. Bulk writes send no signals: the
# afdeling import marks the rounds stale itself, and the screening import computes its rounds itself. A
# deleted measurement is handled by MaalingAdmin, because a receiver on Maaling's deletes would make Django
# fetch every measurement of a deleted round.


@receiver(pre_save, sender=Maaling)
def _measurement_saving(sender, instance, raw=False, **kwargs):
    # A figure moved to another round changes the round it leaves as much as the one it joins.
    instance.left_round_id = None
    if instance.pk is not None and not raw:
        stored = Maaling.objects.filter(pk=instance.pk).values_list("runde_id", flat=True).first()
        if stored is not None and stored != instance.runde_id:
            instance.left_round_id = stored


@receiver(post_save, sender=Maaling)
def _measurement_saved(sender, instance, **kwargs):
    left = getattr(instance, "left_round_id", None)
    rounds = Screeningsrunde.objects.filter(pk__in=[instance.runde_id, left])
    mark_stale(from_aar=rounds.aggregate(first=Min("aar"))["first"])
    forget_counts(rounds)


ROUND_INPUTS = {"aar", "regelsaet", "landsgennemsnit_domfaeldte_pct"}


@receiver(pre_save, sender=Screeningsrunde)
def _round_saving(sender, instance, raw=False, **kwargs):
    # A round moved to another year changes the rounds after the year it leaves as much as those after the
    # year it joins.
    instance.left_aar = None
    if instance.pk is not None and not raw:
        stored = Screeningsrunde.objects.filter(pk=instance.pk).values_list("aar", flat=True)
        instance.left_aar = stored.first()


@receiver(post_save, sender=Screeningsrunde)
def _round_saved(sender, instance, update_fields=None, **kwargs):
    # Making a round final leaves its results alone.
    if update_fields is not None and not ROUND_INPUTS & set(update_fields):
        return
    left = getattr(instance, "left_aar", None)
    mark_stale(from_aar=instance.aar if left is None else min(instance.aar, left))


@receiver(post_delete, sender=Screeningsrunde)
def _round_deleted(sender, instance, **kwargs):
    mark_stale(from_aar=instance.aar)


def _all_stale(sender, **kwargs):
    mark_stale()


def _figures_deleted(sender, **kwargs):
    # An afdeling or an area takes its figures with it.
    forget_counts(Screeningsrunde.objects.all())


# The register (an area's afdelinger and their residents), the rules and the risk model apply to every round.
for _model in (Afdeling, Indikator, Regelsaet, Risikomodel, Risikotaerskel):
    post_save.connect(_all_stale, sender=_model, dispatch_uid=f"screening-results-save-{_model.__name__}")
for _model in (Afdeling, Boligomraade, Indikator, Regelsaet, Risikomodel, Risikotaerskel):
    post_delete.connect(_all_stale, sender=_model, dispatch_uid=f"screening-results-delete-{_model.__name__}")
for _model in (Afdeling, Boligomraade):
    post_delete.connect(_figures_deleted, sender=_model, dispatch_uid=f"screening-counts-{_model.__name__}")
