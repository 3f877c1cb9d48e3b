"""Exporting application packs: the secretariat chooses plans and a pack type and gets one ZIP.

A Celery task makes the ZIP. For each plan it takes the latest finished pack of the type that shows the
plan as it is now; where there is none, it makes one first, the same way the plan page does
(documents.generate), so the new version is kept on the plan too. The ZIP holds the PDFs and index.csv.
"""

import hashlib
import io
import logging
import shutil
import tempfile
import zipfile
from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.auth import get_user_model
from django.core.files import File
from django.db.models import Count, F, OuterRef, Prefetch, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone

from config.web import jobs
from config.web.jobs import JobFailed
from config.web.lists import ValueList
from config.web.tabular import GuardedCsvWriter
from helhedsplaner.models import Helhedsplan, Pakke, Pakkeeksport
from helhedsplaner.packs import documents
from screening.models import Afdeling

logger = logging.getLogger(__name__)

INDEX_COLUMNS = [
    "fil",
    "plan_id",
    "plan",
    "afdelinger",
    "pakketype",
    "pakke_id",
    "data_version",
    "sider",
    "bytes",
    "sha256",
    "genereret",
]

RECENT_EXPORTS = 20
# What ends a run without being a pack's fault: the task retries (database, Redis) or reports (time limit).
INTERRUPTIONS = (*jobs.PASSING_FAULTS, SoftTimeLimitExceeded)


# --- Ordering --------------------------------------------------------------------------------------


def order_export(user, pakketype, planer, aar=None) -> tuple[Pakkeeksport, bool]:
    """Create the job and send it to the queue when the transaction commits (`aar`: årsrapporter's year);
    returns it and True. An export the user has ordered already and that has not ended (a second click, a
    form sent twice) is returned instead, with False."""
    wanted = {plan.pk for plan in planer}
    # One order at a time per user, so two requests at once cannot both miss the other's export.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    ordered = Pakkeeksport.objects.filter(
        oprettet_af=user, pakketype=pakketype, aar=aar, status__in=Pakkeeksport.ACTIVE
    )
    for eksport in ordered:  # a user has a few at most
        if set(eksport.planer.values_list("pk", flat=True)) == wanted:
            return eksport, False
    eksport = Pakkeeksport.objects.create(pakketype=pakketype, aar=aar, oprettet_af=user)
    eksport.planer.set(planer)
    jobs.send_on_commit(eksport)
    return eksport, True


# --- Making the ZIP (the task's body) ------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One PDF in the ZIP."""

    name: str
    plan: Helhedsplan
    afdelinger: list[Afdeling]
    pakke: Pakke


def build(eksport: Pakkeeksport) -> Pakkeeksport:
    """Collect (or make) the packs, then write the ZIP with its index and store it privately."""
    work = wanted_packs(eksport)
    entries, names = [], set()
    for number, (plan, afdeling) in enumerate(work, start=1):
        try:
            pakke = current_pack(plan, eksport.pakketype, afdeling, eksport.oprettet_af, eksport.aar)
        except INTERRUPTIONS:
            raise
        except Exception as error:
            logger.exception("Eksport %s: pakken til plan %s fejlede", eksport.pk, plan.pk)
            raise JobFailed(f"Pakken til «{describe(plan, afdeling)}» kunne ikke laves: {error}") from error
        afdelinger = [afdeling] if afdeling else list(plan.indsats.afdelinger.all())
        name = file_name(plan, afdeling, eksport.pakketype, names, eksport.aar)
        entries.append(Entry(name, plan, afdelinger, pakke))
        eksport.set_progress(95 * number // len(work))
    with tempfile.TemporaryFile() as archive:
        write_zip(entries, archive)
        archive.seek(0)
        sha256 = sha256_of(archive)
        size = archive.seek(0, io.SEEK_END)
        archive.seek(0)
        eksport.fil.save(eksport.filename, File(archive), save=False)
    eksport.mark_done(fil=eksport.fil, sha256=sha256, stoerrelse=size, antal_pakker=len(entries))
    return eksport


def wanted_packs(eksport) -> list[tuple[Helhedsplan, Afdeling | None]]:
    """(plan, afdeling) per PDF, by plan title: afdelingsmødemateriale is one pack per afdeling."""
    planer = (
        eksport.planer.select_related("indsats")
        .prefetch_related(
            Prefetch(
                "indsats__afdelinger",
                queryset=Afdeling.objects.select_related("organisation").order_by("nummer"),
            )
        )
        .order_by("indsats__titel", "pk")
    )
    if eksport.pakketype == Pakke.Type.AFDELINGSMOEDE:
        return [(plan, afdeling) for plan in planer for afdeling in plan.indsats.afdelinger.all()]
    return [(plan, None) for plan in planer]


def current_pack(plan, pakketype, afdeling, user, aar=None) -> Pakke:
    """The finished pack that shows the plan as it is now; made here if there is none."""
    version = documents.plan_source(plan, pakketype, afdeling, aar).version
    pakke, _created = documents.pack_for_version(
        user, version, plan=plan, pakketype=pakketype, afdeling=afdeling, aar=aar
    )
    # A worker may be making this very pack for the plan page: wait for it rather than make it twice.
    with jobs.hold(Pakke, pakke.pk, wait=True):
        pakke.refresh_from_db()
        if documents.has_file(pakke):
            return pakke
        pakke.mark_running()
        try:
            documents.generate(pakke)
        except Exception as error:
            # The export's next run makes it again; it must not look as if it were still being made.
            pakke.mark_failed(f"Pakken kunne ikke laves under en eksport: {error}")
            raise
    if pakke.status != Pakke.Status.DONE:
        raise JobFailed(pakke.error)
    return pakke


def describe(plan, afdeling) -> str:
    return f"{plan.indsats.titel} ({afdeling.nummer} {afdeling.navn})" if afdeling else plan.indsats.titel


def file_name(plan, afdeling, pakketype, taken: set[str], aar=None) -> str:
    """The pack's download name (Pakke.file_name); the plan's id is added if two plans share a title."""
    name = Pakke.file_name(plan.indsats.titel, pakketype, afdeling, aar).removesuffix(".pdf")
    if f"{name}.pdf" in taken:
        name = f"{name}-{plan.pk}"
    taken.add(f"{name}.pdf")
    return f"{name}.pdf"


def write_zip(entries: list[Entry], target) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in entries:
            with entry.pakke.fil.open("rb") as source, archive.open(entry.name, "w") as member:
                shutil.copyfileobj(source, member)
        archive.writestr("index.csv", index_csv(entries))


def index_csv(entries: list[Entry]) -> bytes:
    """The ZIP's table of contents as Danish Excel opens it: UTF-8 with a byte order mark, semicolons."""
    text = io.StringIO()
    writer = GuardedCsvWriter(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(INDEX_COLUMNS)
    for entry in entries:
        pakke = entry.pakke
        writer.writerow(
            [
                entry.name,
                entry.plan.pk,
                entry.plan.indsats.titel,
                ", ".join(f"{a.nummer} {a.navn}" for a in entry.afdelinger),
                pakke.get_pakketype_display(),
                pakke.pk,
                pakke.data_version,
                pakke.sider,
                pakke.stoerrelse,
                pakke.sha256,
                timezone.localtime(pakke.finished).strftime("%Y-%m-%d %H:%M") if pakke.finished else "",
            ]
        )
    return text.getvalue().encode("utf-8-sig")


def sha256_of(stream) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(block)
    return digest.hexdigest()


# --- The export page -------------------------------------------------------------------------------


def matching_plans(user, tilstand="", periode=None, aar=None, rapportaar=None):
    """The plans the user may see that match the page's filters: their phase, financing period and year of
    planned start, and for årsrapporter (`rapportaar`) a period that holds the year, as only such a plan has
    an årsrapport for it. The page lists them (choosable_plans) and «Eksportér alle» exports them all."""
    plans = Helhedsplan.objects.visible_to(user)
    if rapportaar is not None:
        plans = plans.filter(
            indsats__startdato__year__lte=rapportaar, indsats__slutdato__year__gte=rapportaar
        )
    if tilstand:
        plans = plans.filter(tilstand=tilstand)
    if periode is not None:
        plans = plans.filter(indsats__periode=periode)
    if aar:
        plans = plans.filter(planlagt_start__year=aar)
    return plans


def choosable_plans(plans, pakketype, rapportaar=None):
    """The plans of `plans` (matching_plans) in one query, as rows of the plain values the page shows
    (helhedsplaner/templatetags/plan_list_tags.py writes them out): title, state, planned start, the time
    its latest finished pack of the type was made (seneste_pakke) and its afdelinger as {nummer, navn} in
    number order. The page shows a page of them at a time, and no models are built for them.
    `rapportaar`: the year of the årsrapporter (their latest is that year's)."""
    latest = Pakke.objects.filter(
        plan=OuterRef("pk"), pakketype=pakketype, aar=rapportaar, status=Pakke.Status.DONE
    )
    afdelinger = (
        Afdeling.objects.filter(indsatser=OuterRef("indsats"))
        .order_by("nummer", "navn")
        .values(afdeling=JSONObject(nummer="nummer", navn="navn"))
    )
    return (
        plans.annotate(
            titel=F("indsats__titel"),
            seneste_pakke=Subquery(latest.order_by("-finished").values("finished")[:1]),
            afdelinger=ValueList(afdelinger, "afdeling", is_json=True),
        )
        .values("pk", "titel", "tilstand", "planlagt_start", "seneste_pakke", "afdelinger")
        .order_by("indsats__titel", "pk")
    )


def recent_exports() -> list[Pakkeeksport]:
    """The newest exports, each with .stalled set for the status the page shows."""
    eksporter = list(
        Pakkeeksport.objects.select_related("oprettet_af")
        .annotate(antal_planer=Count("planer"))
        .order_by("-created", "-id")[:RECENT_EXPORTS]
    )
    return jobs.mark_stalled(eksporter)
