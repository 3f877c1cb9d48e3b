"""What is due across plans: the reports not sent whose deadline is near or past, their Excel export, and
each user's choice of how to get the reminders of them by e-mail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from config.web.forms import posted
from config.web.htmx import page_template
from config.web.lists import PAGE_SIZE
from config.web.roles import sees_all_afdelinger
from config.web.tabular import xlsx_response
from helhedsplaner import actions, queries
from helhedsplaner.filters import DueFilter
from helhedsplaner.forms import NotificationChoicesForm
from helhedsplaner.models import Notifikationsart, Notifikationsvalg


def _filtered(request) -> DueFilter:
    queryset = queries.due_obligations(timezone.localdate())
    due_filter = DueFilter(request.GET, queryset=queryset, request=request)
    if not due_filter.form.is_valid():
        # A stale or hand-edited link shows everything rather than an error page.
        due_filter = DueFilter({}, queryset=queryset, request=request)
    return due_filter


@login_required
@permission_required("helhedsplaner.view_frister", raise_exception=True)
@vary_on_headers("HX-Request")
def due_list(request):
    due_filter = _filtered(request)
    page = Paginator(due_filter.qs, PAGE_SIZE).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    context = {"filter": due_filter, "page": page, "query": query.urlencode(), "idag": timezone.localdate()}
    return render(request, page_template(request, "helhedsplaner/due_list.html", "results"), context)


EXPORT_HEADER = ["Helhedsplan", "Rapport", "År", "Frist", "Overskredet", "Status", "Ansvarlig"]


@login_required
@permission_required("helhedsplaner.view_frister", raise_exception=True)
def due_export(request):
    """The list as it is filtered, as an Excel workbook."""
    today = timezone.localdate()
    rows = (
        (
            obligation.plan.indsats.titel,
            obligation.type.navn,
            obligation.aar,
            obligation.frist,
            "Ja" if obligation.overskredet_pr(today) else "Nej",
            obligation.get_status_display(),
            (obligation.ansvarlig.get_full_name() or obligation.ansvarlig.username)
            if obligation.ansvarlig
            else "",
        )
        for obligation in _filtered(request).qs
    )
    return xlsx_response("rapporteringsfrister.xlsx", "Rapporteringsfrister", EXPORT_HEADER, rows)


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """The user's own choice, per kind of notification, of e-mails at once or one a week."""
    current = dict(Notifikationsvalg.objects.filter(bruger=request.user).values_list("art", "levering"))
    # Report-deadline reminders go to fsb's staff and the secretariat only: a board member has no choice.
    kinds = list(Notifikationsart) if sees_all_afdelinger(request.user) else []
    if request.method == "POST" and not kinds:
        raise PermissionDenied
    form = NotificationChoicesForm(posted(request), current=current, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        actions.save_notification_choices(form.cleaned_data, acting_user=request.user)
        messages.success(request, "Dine valg er gemt.")
        return redirect("notification_settings")
    status = 400 if request.method == "POST" else 200
    return render(request, "helhedsplaner/notification_settings.html", {"form": form}, status=status)
