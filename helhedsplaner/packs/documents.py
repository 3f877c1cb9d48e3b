"""Application packs: what each pack shows, ordering one (reusing an unchanged one) and rendering it.

The HTML is rendered with a placeholder for the date: its hash (with the checksums of the uploaded PDF
appendices) is the pack's data version, so a pack is made again only when something it shows has
changed (or its layout has). The plan packs are made for a plan; the screening report for a round.
"""

import hashlib
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation

from config.web import jobs
from finansiering import queries as budget_queries
from finansiering.financing import indsats_finansiering
from helhedsplaner import lifecycle, screening_report
from helhedsplaner.models import Afdelingsmoede, Helhedsplan, Pakke
from helhedsplaner.packs.aarsrapport import annual_context, default_year
from helhedsplaner.packs.pdf import MAX_APPENDIX_PAGES, Appendix, RenderedPdf, read_appendix, render_pdf
from helhedsplaner.screening_figures import latest_figures
from helhedsplaner.screening_figures import trends as screening_trends
from indsatser.models import Afslutningsvurdering, Deltagertal
from screening.models import Screeningsrunde
from screening.queries import scenario_rule_sets

TEMPLATES = {
    **{t: f"pdf/{t}.html" for t in Pakke.PLAN_TYPES},
    Pakke.Type.SCREENINGSRAPPORT: "pdf/screening.html",
}
# A pack's appendices together (each may have MAX_APPENDIX_PAGES): the layout reserves every page first.
MAX_PACK_APPENDIX_PAGES = 2 * MAX_APPENDIX_PAGES
# The packs the funders get with the plan's uploaded PDFs (the kommune's recommendation and the like).
WITH_APPENDICES = (Pakke.Type.PRAEKVALIFIKATION, Pakke.Type.HELHEDSPLAN)
DATE_PLACEHOLDER = "@@PAKKE-DATO@@"
# Screening figures in a table of their own per this many afdelinger, so it fits the page's width.
FIGURE_COLUMNS = 5
# The phases of the lifecycle each pack belongs to: what it is written for. A pack ordered in another phase
# (an afslutningsrapport of a plan that is still active) is a draft and says so on every page.
PACK_PHASES = {
    Pakke.Type.PRAEKVALIFIKATION: (
        lifecycle.PRAEKVALIFIKATION_UDARBEJDES,
        lifecycle.PRAEKVALIFIKATION_BEHANDLES,
    ),
    Pakke.Type.HELHEDSPLAN: (
        lifecycle.HELHEDSPLAN_UDARBEJDES,
        lifecycle.AFDELINGSMOEDER,
        lifecycle.GODKENDELSE,
    ),
    Pakke.Type.AFDELINGSMOEDE: (lifecycle.HELHEDSPLAN_UDARBEJDES, lifecycle.AFDELINGSMOEDER),
    Pakke.Type.AFSLUTNING: (lifecycle.AFSLUTNING, lifecycle.AFSLUTTET),
    Pakke.Type.AARSRAPPORT: (lifecycle.AKTIV, lifecycle.AFSLUTNING, lifecycle.AFSLUTTET),
}


def danish_date(value: date) -> str:
    """26. november 2026."""
    with translation.override("da"):
        return dateformat.format(value, "j. F Y")


@dataclass(frozen=True)
class BudgetRow:
    navn: str
    amounts: list[Decimal]  # per year
    total: Decimal


@dataclass(frozen=True)
class BudgetGroup:
    """One indsatsområde: its cost types' rows and its own sums."""

    navn: str
    rows: list[BudgetRow]
    amounts: list[Decimal]
    total: Decimal


@dataclass(frozen=True)
class BudgetTable:
    years: list[int]
    groups: list[BudgetGroup]
    totals: list[Decimal]
    total: Decimal


ZERO = Decimal("0.00")


def _row(navn, cells: dict, years) -> BudgetRow:
    amounts = [cells.get(year, ZERO) for year in years]
    return BudgetRow(navn, amounts, sum(amounts, ZERO))


def budget_table(version, years) -> BudgetTable:
    """The budget per indsatsområde × omkostningstype × year, in one aggregate query; every margin summed."""
    cells = {}  # (område, cost type) -> {year: amount}
    if version is not None:
        lines = (
            version.linjer.values(
                "indsatsomraade__sortering",
                "indsatsomraade__navn",
                "omkostningstype__sortering",
                "omkostningstype__navn",
                "aar",
            )
            .annotate(total=Sum("beloeb"))
            .order_by()
        )
        for line in lines:
            omraade = (line["indsatsomraade__sortering"], line["indsatsomraade__navn"])
            kind = (line["omkostningstype__sortering"], line["omkostningstype__navn"])
            cells.setdefault((omraade, kind), {})[line["aar"]] = line["total"]
    groups = []
    for omraade in sorted({omraade for omraade, _kind in cells}):
        rows = [_row(kind[1], cells[(o, kind)], years) for o, kind in sorted(cells) if o == omraade]
        amounts = [sum((row.amounts[i] for row in rows), ZERO) for i in range(len(years))]
        groups.append(BudgetGroup(omraade[1], rows, amounts, sum(amounts, ZERO)))
    totals = [sum((group.amounts[i] for group in groups), ZERO) for i in range(len(years))]
    return BudgetTable(years, groups, totals, sum(totals, ZERO))


@dataclass(frozen=True)
class GoalRow:
    maalsaetning: object
    maaltal: list  # the Maaltal of each year, or None


@dataclass(frozen=True)
class ActivityRow:
    aktivitet: object
    deltagere: list  # the number of participants each year, or None

    @property
    def most(self) -> int | None:
        """The most participants in any year (the residents' material says "op til N om året")."""
        return max((antal for antal in self.deltagere if antal is not None), default=None)


@dataclass(frozen=True)
class Theme:
    """An indsatsområde with its goals and activities (navn "" for those under none)."""

    navn: str
    goals: list[GoalRow]
    activities: list[ActivityRow]


def participants(indsats) -> dict[int, dict[int, int]]:
    """Each activity's participants per year (activity id -> year -> number), in one query whether the plan
    has activities or not."""
    counts = {}
    for aktivitet_id, aar, antal in Deltagertal.objects.filter(aktivitet__indsats=indsats).values_list(
        "aktivitet_id", "aar", "antal"
    ):
        counts.setdefault(aktivitet_id, {})[aar] = antal
    return counts


def plan_years(maalsaetninger, deltagere, period_years) -> list[int]:
    """The years of the goal and activity tables: the plan's period and any year with a target or a count."""
    years = set(period_years)
    years.update(t.aar for m in maalsaetninger for t in m.maaltal.all())
    years.update(aar for by_year in deltagere.values() for aar in by_year)
    return sorted(years)


def themes(maalsaetninger, aktiviteter, deltagere, years) -> list[Theme]:
    """Goals and activities per indsatsområde in LBF's order; those under none last (needs the goals'
    maaltal prefetched; `deltagere` from participants())."""
    goals, activities = {}, {}
    for m in maalsaetninger:
        by_year = {t.aar: t for t in m.maaltal.all()}
        goals.setdefault(m.indsatsomraade, []).append(GoalRow(m, [by_year.get(year) for year in years]))
    for a in aktiviteter:
        by_year = deltagere.get(a.pk, {})
        activities.setdefault(a.indsatsomraade, []).append(
            ActivityRow(a, [by_year.get(year) for year in years])
        )
    omraader = sorted({*goals, *activities}, key=lambda o: (o is None, o.sortering if o else 0, str(o or "")))
    return [Theme(o.navn if o else "", goals.get(o, []), activities.get(o, [])) for o in omraader]


def plan_appendices(plan: Helhedsplan) -> list[Appendix]:
    """The plan's uploaded PDFs, oldest first (a PDF is known by its extension, checked at upload). Those
    that would take the appendices past MAX_PACK_APPENDIX_PAGES are named but left out."""
    bilag = plan.bilag.filter(filnavn__iendswith=".pdf").order_by("uploadet", "id")
    appendices, pages = [], 0
    for b in bilag:
        appendix = read_appendix(b.titel, b.filnavn, b.fil)
        if pages + appendix.pages > MAX_PACK_APPENDIX_PAGES:
            appendix = replace(appendix, pages=0, problem="Bilagene fylder tilsammen for mange sider.")
        pages += appendix.pages
        appendices.append(appendix)
    return appendices


def closing_criteria(indsats) -> list[tuple[str, object]]:
    """The five closing criteria in their fixed order, each with staff's assessment or None."""
    vurderinger = {v.kriterium: v for v in indsats.afslutningsvurderinger.all()}
    return [(label, vurderinger.get(code)) for code, label in Afslutningsvurdering.Kriterium.choices]


def draft_reason(plan: Helhedsplan, pakketype: str) -> str:
    """Why the pack is a draft, in Danish; empty when the plan is in a phase the pack belongs to."""
    phases = PACK_PHASES[pakketype]
    if plan.tilstand in phases:
        return ""
    names = " eller ".join(f"«{lifecycle.STATE[code].label}»" for code in phases)
    return (
        f"{Pakke.Type(pakketype).label} hører til fasen {names}, men planen er i fasen "
        f"«{lifecycle.STATE[plan.tilstand].label}». Dokumentet er et udkast."
    )


def pack_context(plan: Helhedsplan, pakketype: str, afdeling=None, appendices=(), aar=None) -> dict:
    indsats = plan.indsats
    afdelinger = list(indsats.afdelinger.select_related("organisation").order_by("nummer"))
    financing = indsats_finansiering(indsats)
    aktiviteter = list(
        indsats.aktiviteter.select_related(
            "aktivitetstype__maalgruppe", "indsatsomraade", "ansvarlig_partner"
        ).order_by("indsatsomraade__sortering", "indsatsomraade__navn", "id")
    )
    maalsaetninger = list(
        indsats.maalsaetninger.select_related("indikator", "indsatsomraade")
        .prefetch_related("maaltal")
        .order_by("indsatsomraade__sortering", "id")
    )
    deltagere = participants(indsats)
    years = plan_years(maalsaetninger, deltagere, financing.years)
    # Funders and residents read these: small counts are always masked.
    figures = latest_figures(afdelinger, AnonymousUser())
    context = {
        "plan": plan,
        "indsats": indsats,
        "pakketype": pakketype,
        "document_kind": Pakke.Type(pakketype).label,
        "document_title": f"{Pakke.Type(pakketype).label}: {indsats.titel}",
        "document_author": "fsb",
        "dato": DATE_PLACEHOLDER,
        "afdelinger": afdelinger,
        "organisationer": sorted({a.organisation.navn for a in afdelinger}),
        "kontakt": indsats.ansvarlig,
        "financing": financing,
        "budget": budget_table(financing.version, financing.years),
        "aktiviteter": aktiviteter,
        "maalsaetninger": maalsaetninger,
        "years": years,
        "themes": themes(maalsaetninger, aktiviteter, deltagere, years),
        "moeder": list(plan.afdelingsmoeder.select_related("afdeling", "beslutning").order_by("dato")),
        "beslutninger": list(
            plan.beslutninger.select_related("afdeling")
            .prefetch_related("betingelser")
            .order_by("dato", "id")
        ),
        "figures": figures,
        "figure_tables": figures.split(FIGURE_COLUMNS) if figures else [],
        "appendices": appendices,
        "udkast": draft_reason(plan, pakketype),
    }
    if pakketype in WITH_APPENDICES and figures:
        context["omraader"] = screening_report.plan_area_rows(figures.runde, afdelinger)
        context["trends"] = screening_trends(figures.runde, afdelinger)
    if pakketype == Pakke.Type.AFSLUTNING:
        context["afslutningskriterier"] = closing_criteria(indsats)
    if pakketype == Pakke.Type.AFDELINGSMOEDE:
        context["afdeling"] = afdeling
        context["afdelingsandel"] = next((a for a in financing.afdelinger if a.afdeling == afdeling), None)
        context["flertalsregel"] = Afdelingsmoede.MAJORITY_RULE
        context["document_title"] = f"{indsats.titel}: {afdeling.navn}"
    if pakketype == Pakke.Type.AARSRAPPORT:
        context.update(annual_context(plan, aar))
        context["document_kind"] = f"Årsrapport {aar}"
        context["document_title"] = f"Årsrapport {aar}: {indsats.titel}"
    return context


@dataclass(frozen=True)
class PackSource:
    """What a pack is made from: its HTML (with the date placeholder), its appendices and data version."""

    html: str
    appendices: list[Appendix]
    version: str


def _source(template, context, key: str, appendices) -> PackSource:
    with translation.override("da"):
        html = render_to_string(template, context)
    digest = hashlib.sha256(f"{key}:{html}".encode())
    for appendix in appendices:
        digest.update(f":{appendix.sha256}".encode())
    return PackSource(html, appendices, digest.hexdigest())


def plan_source(plan, pakketype, afdeling=None, aar=None) -> PackSource:
    """`aar`: the year of an årsrapport (which needs one; the other packs take none)."""
    appendices = plan_appendices(plan) if pakketype in WITH_APPENDICES else []
    context = pack_context(plan, pakketype, afdeling, appendices, aar)
    key = f"{pakketype}:{afdeling.pk if afdeling else ''}:{aar or ''}"
    return _source(TEMPLATES[pakketype], context, key, appendices)


def screening_source(runde: Screeningsrunde, scenario=None) -> PackSource:
    """`scenario`: a rule set to compute the round under instead of its own (screening.models.Regelsaet)."""
    context = screening_report.report_context(runde, scenario)
    context["dato"] = DATE_PLACEHOLDER
    key = f"screening:{runde.aar}:{scenario.kode if scenario else ''}"
    return _source(TEMPLATES[Pakke.Type.SCREENINGSRAPPORT], context, key, [])


def pack_html(plan, pakketype, afdeling=None) -> tuple[str, str]:
    """The pack's HTML (with the date placeholder) and its data version."""
    source = plan_source(plan, pakketype, afdeling)
    return source.html, source.version


def _render(source: PackSource, today) -> RenderedPdf:
    html = source.html.replace(DATE_PLACEHOLDER, danish_date(today or timezone.localdate()))
    return render_pdf(html, source.appendices)


def render(plan, pakketype, afdeling=None, today=None, aar=None):
    """Render a plan's pack synchronously: (RenderedPdf, data version)."""
    source = plan_source(plan, pakketype, afdeling, aar)
    return _render(source, today), source.version


def render_screening(runde, today=None, scenario=None):
    """Render a round's screening report synchronously: (RenderedPdf, data version)."""
    source = screening_source(runde, scenario)
    return _render(source, today), source.version


def default_afdeling(plan):
    return plan.indsats.afdelinger.order_by("nummer").first()


@dataclass(frozen=True)
class Bestilling:
    pakke: Pakke
    genbrugt: bool


def bestil_pakke(plan, pakketype, user, afdeling=None, aar=None) -> Bestilling:
    """Order a pack: reuse the latest finished one if nothing changed, else queue a job on commit. An
    afdelingsmødemateriale is for one afdeling (by default the first), an årsrapport for one year (by
    default this year within the plan's period).

    If the task cannot be sent (Redis down), the job stays queued; the page says it is queued.
    """
    afdeling = (afdeling or default_afdeling(plan)) if pakketype == Pakke.Type.AFDELINGSMOEDE else None
    aar = (aar or default_year(plan)) if pakketype == Pakke.Type.AARSRAPPORT else None
    version = plan_source(plan, pakketype, afdeling, aar).version
    return _order(user, version, plan=plan, pakketype=pakketype, afdeling=afdeling, aar=aar)


def bestil_screeningsrapport(runde, user, scenario=None) -> Bestilling:
    """Order the round's screening report (under a scenario's rule set, if given), like bestil_pakke."""
    version = screening_source(runde, scenario).version
    return _order(user, version, runde=runde, pakketype=Pakke.Type.SCREENINGSRAPPORT, scenarie=scenario)


def _order(user, version, **what) -> Bestilling:
    active = Pakke.objects.filter(status__in=Pakke.ACTIVE, **what).first()
    if active is not None:
        return Bestilling(active, genbrugt=False)
    pakke, created = pack_for_version(user, version, **what)
    if created:
        jobs.send_on_commit(pakke)
    elif has_file(pakke):
        return Bestilling(pakke, genbrugt=True)
    elif not pakke.active:  # failed, or its file is lost: made again in the same row
        jobs.requeue(pakke)
    return Bestilling(pakke, genbrugt=False)


def has_file(pakke: Pakke) -> bool:
    """Whether the pack is made and its PDF is still kept."""
    return pakke.status == Pakke.Status.DONE and bool(pakke.fil) and pakke.fil.storage.exists(pakke.fil.name)


def pack_for_version(user, version, **what) -> tuple[Pakke, bool]:
    """The one pack of these data (plan or round, type, afdeling) and version, created if there is none.

    The database holds one row per version (Pakke.Meta.constraints): of orders placed at the same moment
    one creates it and the others, waiting on its insert, get it.
    """
    return Pakke.objects.get_or_create(data_version=version, **what, defaults={"oprettet_af": user})


def generate(pakke: Pakke) -> Pakke:
    """Render a pack marked running and store it privately; run holding the job (config.web.jobs), so one
    pack is rendered once however often it is delivered."""
    pakke.set_progress(10)
    if pakke.runde_id:
        rendered, version = render_screening(pakke.runde, scenario=pakke.scenarie)
    else:
        rendered, version = render(pakke.plan, pakke.pakketype, pakke.afdeling, aar=pakke.aar)
    pakke.set_progress(90)
    if version != pakke.data_version and not _move_to_version(pakke, version):
        pakke.mark_failed("Planen blev ændret, mens pakken blev lavet, og den nye udgave findes allerede.")
        return pakke
    pakke.fil.save(f"{pakke.pakketype}.pdf", ContentFile(rendered.content), save=False)
    pakke.mark_done(
        fil=pakke.fil, sha256=rendered.sha256, stoerrelse=len(rendered.content), sider=rendered.pages
    )
    return pakke


def _move_to_version(pakke, version) -> bool:
    """The data changed after the order: the job becomes the pack of the new version, unless another job
    is that pack already."""
    try:
        with transaction.atomic():
            Pakke.objects.filter(pk=pakke.pk).update(data_version=version)
    except IntegrityError:
        return False
    pakke.data_version = version
    return True


def section_context(request, plan) -> dict:
    """The plan page's "Ansøgningspakker" section: the versions, and what the user may order."""
    return {
        "plan": plan,
        "pakker": jobs.mark_stalled(plan.pakker.select_related("afdeling", "oprettet_af")[:30]),
        "pakketyper": [(t.value, t.label) for t in Pakke.PLAN_TYPES],
        "kan_bestille": request.user.has_perm("helhedsplaner.add_pakke"),
        "pakke_afdelinger": list(plan.indsats.afdelinger.order_by("nummer")),
        "pakke_aar": budget_queries.period_years(plan.indsats),
    }


def screening_section_context(runde) -> dict:
    """The screening overview's "Screeningsrapport" section: the round's versions, and the scenarios a report
    can be ordered for (every rule set but the round's own)."""
    return {
        "runde": runde,
        "pakker": jobs.mark_stalled(
            Pakke.objects.filter(runde=runde).select_related("runde", "oprettet_af", "scenarie")[:30]
        ),
        "scenarier": list(scenario_rule_sets(runde)),
    }
