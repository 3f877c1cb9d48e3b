"""The plan's timeline (every event and every report owed to the funders in one list) and "what changed since"
for its text, with field history."""

from datetime import datetime, time

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.vary import vary_on_headers

from config.web.htmx import page_template
from config.web.lists import whole_number
from helhedsplaner import lifecycle
from helhedsplaner.models import TEXT_SECTIONS, Haendelse, Helhedsplan
from helhedsplaner.textdiff import word_diff
from helhedsplaner.views.common import get_plan_for_user, plan_context

TIMELINE_PAGE_SIZE = 50
HISTORY_LIMIT = 200
# The fields whose changes the field history lists (not the bookkeeping that changes with every save).
HISTORY_FIELDS = ["tilstand", "planlagt_start", "varighed_aar", *(name for name, _ in TEXT_SECTIONS)]


# The timeline's filter choice that shows the reports to the funders alone.
OBLIGATIONS = "frister"


def _deadline_moment(obligation) -> datetime:
    """Where a report stands among the events: at the end of its deadline day, when it is due."""
    return timezone.make_aware(datetime.combine(obligation.frist, time.max))


def _entries(page, obligations, next_first) -> list[tuple[str, object]]:
    """The page's events with the reports whose deadline falls in the stretch of time the page covers,
    newest first. A page covers from its first event back to the first event of the next page (not
    included); the first page also everything later, the last page everything earlier."""
    events = list(page.object_list)
    newest = events[0].tid if events and page.has_previous() else None
    shown = [
        obligation
        for obligation in obligations
        if (newest is None or obligation.moment <= newest)
        and (next_first is None or obligation.moment > next_first)
    ]
    entries = [("frist", obligation) for obligation in shown] + [("haendelse", event) for event in events]
    return sorted(
        entries, key=lambda entry: entry[1].moment if entry[0] == "frist" else entry[1].tid, reverse=True
    )


@login_required
@vary_on_headers("HX-Request", "HX-Target")
def timeline(request, pk):
    plan = get_plan_for_user(request.user, pk)
    events = plan.haendelser.select_related(
        "bruger", "beslutning", "afdelingsmoede__afdeling", "kommentar", "bilag"
    ).order_by("-tid", "-id")
    art = request.GET.get("art", "")
    if art == OBLIGATIONS:
        events = events.none()
    elif art in Haendelse.Art.values:
        events = events.filter(art=art)
    else:
        art = ""
    page = Paginator(events, TIMELINE_PAGE_SIZE).get_page(request.GET.get("side"))
    obligations = []
    if art in ("", OBLIGATIONS):
        today = timezone.localdate()
        obligations = list(plan.forpligtelser.select_related("type"))
        for obligation in obligations:
            obligation.moment = _deadline_moment(obligation)
            obligation.tilstand = obligation.tilstand_pr(today)
    next_first = events.values_list("tid", flat=True)[page.end_index()] if page.has_next() else None
    context = {
        "plan": plan,
        "page": page,
        "entries": _entries(page, obligations, next_first),
        "art": art,
        "arts": [*Haendelse.Art.choices, (OBLIGATIONS, "Rapporteringsfrister")],
    }
    if request.htmx and request.htmx.target == "timeline-results":
        return render(request, "helhedsplaner/timeline.html#results", context)
    context.update(plan_context(request, plan))
    return render(request, page_template(request, "helhedsplaner/timeline.html"), context)


def _versions(records):
    """Each saved text version once (newest first), with when and by whom it was saved."""
    seen, versions = set(), []
    for record in records:
        if record.version not in seen:
            seen.add(record.version)
            versions.append(record)
    return versions


def _field_history(records):
    """Who changed which field when, newest first, from consecutive history records."""
    labels = {name: Helhedsplan._meta.get_field(name).verbose_name for name in HISTORY_FIELDS}
    text_fields = {name for name, _ in TEXT_SECTIONS}
    rows = []
    for newer, older in zip(records, records[1:], strict=False):
        changes = []
        for name in HISTORY_FIELDS:
            old, new = getattr(older, name), getattr(newer, name)
            if old == new:
                continue
            if name in text_fields:
                changes.append((labels[name], "", "ændret"))
            elif name == "tilstand":
                changes.append((labels[name], lifecycle.STATE[old].label, lifecycle.STATE[new].label))
            else:
                changes.append((labels[name], old, new))
        if changes:
            rows.append({"record": newer, "changes": changes})
    return rows


@login_required
@vary_on_headers("HX-Request")
def text_changes(request, pk):
    plan = get_plan_for_user(request.user, pk)
    records = list(
        plan.history.select_related("history_user").order_by("-history_date", "-history_id")[:HISTORY_LIMIT]
    )
    versions = _versions(records)
    since = whole_number(request.GET.get("siden", ""))
    if since is None:
        since = versions[1].version if len(versions) > 1 else plan.version
    base = next((record for record in records if record.version == since), records[-1] if records else None)
    diffs = []
    if base is not None:
        for name, label in TEXT_SECTIONS:
            old, new = getattr(base, name), getattr(plan, name)
            diffs.append(
                {"label": label, "changed": old != new, "diff": word_diff(old, new) if old != new else None}
            )
    context = plan_context(request, plan)
    context.update(
        versions=versions,
        since=base.version if base else plan.version,
        base=base,
        diffs=diffs,
        field_history=_field_history(records),
    )
    return render(request, page_template(request, "helhedsplaner/changes.html"), context)
