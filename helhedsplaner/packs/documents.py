"""Application packs: what each pack shows, ordering one (reusing an unchanged one) and rendering it.

The HTML is rendered with a placeholder for the date: its hash (with the checksums of the uploaded PDF
appendices) is the pack's data version, so a pack is made again only when something it shows has
changed (or its layout has). The plan packs are made for a plan; the screening report for a round.
"""

import hashlib
import logging
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from operator import attrgetter

from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation

from finansiering.financing import indsats_finansiering
from helhedsplaner import job_claims, screening_report
from helhedsplaner.models import Helhedsplan, Pakke
from helhedsplaner.packs.pdf import MAX_APPENDIX_PAGES, Appendix, RenderedPdf, read_appendix, render_pdf
from helhedsplaner.screening_figures import latest_figures
from indsatser.models import Afslutningsvurdering
from screening.models import Screeningsrunde

logger = logging.getLogger(__name__)

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


def danish_date(value: date) -> str:
    """26. november 2026."""
    with translation.override("da"):
        return dateformat.format(value, "j. F Y")


@dataclass(frozen=True)
class BudgetTable:
    years: list[int]
    rows: list[tuple[str, list, object]]  # (område, amounts per year, total)
    totals: list
    total: object


def budget_table(version, years) -> BudgetTable:
    """The budget per område × year, in one aggregate query."""
    cells, names = {}, {}
    if version is not None:
        lines = version.linjer.values("indsatsomraade_id", "indsatsomraade__navn", "aar").annotate(
            total=Sum("beloeb")
        )
        for line in lines:
            key = line["indsatsomraade_id"]
            names[key] = line["indsatsomraade__navn"] or "Øvrigt"
            cells[(key, line["aar"])] = line["total"]
    zero = Decimal("0.00")
    rows = []
    for key, name in sorted(names.items(), key=lambda item: item[1]):
        amounts = [cells.get((key, year), zero) for year in years]
        rows.append((name, amounts, sum(amounts, zero)))
    totals = [sum((cells.get((key, year), zero) for key in names), zero) for year in years]
    return BudgetTable(years, rows, totals, sum(totals, zero))


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


def pack_context(plan: Helhedsplan, pakketype: str, afdeling=None, appendices=()) -> dict:
    indsats = plan.indsats
    afdelinger = list(indsats.afdelinger.select_related("organisation").order_by("nummer"))
    financing = indsats_finansiering(indsats)
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
        "aktiviteter": list(
            indsats.aktiviteter.select_related(
                "aktivitetstype", "indsatsomraade", "ansvarlig_partner"
            ).order_by("indsatsomraade__navn", "id")
        ),
        "maalsaetninger": list(
            indsats.maalsaetninger.select_related("indikator", "indsatsomraade")
            .prefetch_related("maaltal")
            .order_by("id")
        ),
        "moeder": list(plan.afdelingsmoeder.select_related("afdeling", "beslutning").order_by("dato")),
        "beslutninger": list(
            plan.beslutninger.select_related("afdeling")
            .prefetch_related("betingelser")
            .order_by("dato", "id")
        ),
        "figures": figures,
        "figure_tables": figures.split(FIGURE_COLUMNS) if figures else [],
        "appendices": appendices,
    }
    if pakketype in WITH_APPENDICES and figures:
        context["omraader"] = screening_report.plan_area_rows(figures.runde, afdelinger)
    if pakketype == Pakke.Type.AFSLUTNING:
        context["afslutningskriterier"] = closing_criteria(indsats)
    if pakketype == Pakke.Type.AFDELINGSMOEDE:
        context["afdeling"] = afdeling
        context["afdelingsandel"] = next((a for a in financing.afdelinger if a.afdeling == afdeling), None)
        context["document_title"] = f"{indsats.titel}: {afdeling.navn}"
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


def plan_source(plan, pakketype, afdeling=None) -> PackSource:
    appendices = plan_appendices(plan) if pakketype in WITH_APPENDICES else []
    context = pack_context(plan, pakketype, afdeling, appendices)
    return _source(
        TEMPLATES[pakketype], context, f"{pakketype}:{afdeling.pk if afdeling else ''}", appendices
    )


def screening_source(runde: Screeningsrunde) -> PackSource:
    context = screening_report.report_context(runde)
    context["dato"] = DATE_PLACEHOLDER
    return _source(TEMPLATES[Pakke.Type.SCREENINGSRAPPORT], context, f"screening:{runde.aar}", [])


def pack_html(plan, pakketype, afdeling=None) -> tuple[str, str]:
    """The pack's HTML (with the date placeholder) and its data version."""
    source = plan_source(plan, pakketype, afdeling)
    return source.html, source.version


def _render(source: PackSource, today) -> RenderedPdf:
    html = source.html.replace(DATE_PLACEHOLDER, danish_date(today or timezone.localdate()))
    return render_pdf(html, source.appendices)


def render(plan, pakketype, afdeling=None, today=None):
    """Render a plan's pack synchronously: (RenderedPdf, data version)."""
    source = plan_source(plan, pakketype, afdeling)
    return _render(source, today), source.version


def render_screening(runde, today=None):
    """Render a round's screening report synchronously: (RenderedPdf, data version)."""
    source = screening_source(runde)
    return _render(source, today), source.version


def default_afdeling(plan):
    return plan.indsats.afdelinger.order_by("nummer").first()


@dataclass(frozen=True)
class Bestilling:
    pakke: Pakke
    genbrugt: bool


def bestil_pakke(plan, pakketype, user, afdeling=None) -> Bestilling:
    """Order a pack: reuse the latest finished one if nothing changed, else queue a job on commit.

    If the task cannot be sent (Redis down), the job stays queued; the page says it is queued.
    """
    if pakketype == Pakke.Type.AFDELINGSMOEDE:
        afdeling = afdeling or default_afdeling(plan)
    else:
        afdeling = None
    version = plan_source(plan, pakketype, afdeling).version
    return _order(user, version, plan=plan, pakketype=pakketype, afdeling=afdeling)


def bestil_screeningsrapport(runde, user) -> Bestilling:
    """Order the round's screening report, like bestil_pakke."""
    version = screening_source(runde).version
    return _order(user, version, runde=runde, pakketype=Pakke.Type.SCREENINGSRAPPORT)


def _order(user, version, **what) -> Bestilling:
    active = Pakke.objects.filter(status__in=Pakke.ACTIVE, **what).first()
    if active is not None:
        return Bestilling(active, genbrugt=False)
    pakke, created = pack_for_version(user, version, **what)
    if created:
        transaction.on_commit(lambda: send_render(pakke.pk))
    elif pakke.status == Pakke.Status.FAERDIG and pakke.fil and pakke.fil.storage.exists(pakke.fil.name):
        return Bestilling(pakke, genbrugt=True)
    elif not pakke.active:  # failed, or its file is lost: made again in the same row
        retry(pakke)
    return Bestilling(pakke, genbrugt=False)


def pack_for_version(user, version, **what) -> tuple[Pakke, bool]:
    """The one pack of these data (plan or round, type, afdeling) and version, created if there is none.

    The database holds one row per version (Pakke.Meta.constraints): of orders placed at the same moment
    one creates it and the others, waiting on its insert, get it.
    """
    return Pakke.objects.get_or_create(data_version=version, **what, defaults={"oprettet_af": user})


def send_render(pakke_id):
    from helhedsplaner.tasks import render_pack

    try:
        render_pack.delay(pakke_id)
    except Exception:  # broker unreachable: the job stays queued and is sent again later
        logger.warning(
            "Pakke %s kunne ikke sendes til køen; den bliver liggende i kø", pakke_id, exc_info=True
        )


def set_progress(pakke, status, fremdrift):
    pakke.status, pakke.fremdrift, pakke.opdateret = status, fremdrift, timezone.now()
    Pakke.objects.filter(pk=pakke.pk).update(status=status, fremdrift=fremdrift, opdateret=pakke.opdateret)


def generate(pakke: Pakke) -> Pakke:
    """Render a queued pack and store it privately; the task's body, run holding the job
    (job_claims.claimed), so one pack is rendered once however often it is delivered."""
    set_progress(pakke, Pakke.Status.GENERERES, 10)
    if pakke.runde_id:
        rendered, version = render_screening(pakke.runde)
    else:
        rendered, version = render(pakke.plan, pakke.pakketype, pakke.afdeling)
    set_progress(pakke, Pakke.Status.GENERERES, 90)
    if version != pakke.data_version and not _move_to_version(pakke, version):
        pakke.status = Pakke.Status.FEJLET
        pakke.fejl = "Planen blev ændret, mens pakken blev lavet, og den nye udgave findes allerede."
        mark_failed(pakke.pk, pakke.fejl)
        return pakke
    pakke.fil.save(f"{pakke.pakketype}.pdf", ContentFile(rendered.content), save=False)
    pakke.sha256 = rendered.sha256
    pakke.stoerrelse = len(rendered.content)
    pakke.sider = rendered.pages
    pakke.status, pakke.fremdrift, pakke.fejl = Pakke.Status.FAERDIG, 100, ""
    pakke.faerdig = pakke.opdateret = timezone.now()
    pakke.save()
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


def mark_failed(pakke_id, reason: str):
    Pakke.objects.filter(pk=pakke_id).update(
        status=Pakke.Status.FEJLET, fejl=reason, opdateret=timezone.now()
    )


def retry(pakke: Pakke):
    """Queue a failed or stalled job again. Sending a job that a worker still has is harmless: the worker
    that takes it second finds it finished."""
    pakke.status, pakke.fremdrift, pakke.fejl, pakke.opdateret = Pakke.Status.I_KOE, 0, "", timezone.now()
    Pakke.objects.filter(pk=pakke.pk).update(
        status=pakke.status, fremdrift=0, fejl="", opdateret=pakke.opdateret
    )
    transaction.on_commit(lambda: send_render(pakke.pk))


# A queued job not taken for this long since it was sent was probably never delivered (the broker was down
# or lost it). A job being made is stalled as soon as no worker holds it (job_claims), or, without
# PostgreSQL, after the task's hard time limit.
STALE_QUEUED = timedelta(minutes=2)
STALE_RUNNING = timedelta(minutes=10)
PATIENCE = job_claims.Patience(
    job_claims.PAKKE, STALE_QUEUED, STALE_RUNNING, attrgetter("opdateret"), attrgetter("opdateret")
)


def send_again(pakke: Pakke) -> bool:
    """The user's retry: queue the job again if it failed or stalled; False if it is being made."""
    if not PATIENCE.retryable(pakke):
        return False
    with transaction.atomic():
        retry(pakke)
    return True


def section_context(request, plan) -> dict:
    """The plan page's "Ansøgningspakker" section: the versions, and what the user may order."""
    return {
        "plan": plan,
        "pakker": PATIENCE.mark_stalled(list(plan.pakker.select_related("afdeling", "oprettet_af")[:30])),
        "pakketyper": [(t.value, t.label) for t in Pakke.PLAN_TYPES],
        "kan_bestille": request.user.has_perm("helhedsplaner.add_pakke"),
        "pakke_afdelinger": list(plan.indsats.afdelinger.order_by("nummer")),
    }


def resend_stale(now=None) -> int:
    """Send stalled jobs to the queue again (beat task); the task itself skips jobs already finished."""
    now = now or timezone.now()
    stale = PATIENCE.stalled_ids(
        list(Pakke.objects.filter(status__in=Pakke.ACTIVE).only("status", "opdateret")), now
    )
    Pakke.objects.filter(pk__in=stale).update(status=Pakke.Status.I_KOE, fremdrift=0, opdateret=now)
    for pakke_id in sorted(stale):
        send_render(pakke_id)
    return len(stale)


def screening_section_context(runde) -> dict:
    """The screening overview's "Screeningsrapport" section: the round's versions."""
    return {
        "runde": runde,
        "pakker": PATIENCE.mark_stalled(
            list(Pakke.objects.filter(runde=runde).select_related("runde", "oprettet_af")[:30])
        ),
    }
