"""An afdeling's board members, kept by staff from the afdeling's page: add one (a new member is invited by
e-mail to choose a password), change one, register that one has left, send an invitation again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from config.web.audit import logs_access
from config.web.forms import posted
from helhedsplaner import actions
from indsatser.transitions import Refused
from screening import actions as register_actions
from screening.forms import BestyrelsesmedlemForm, FratraedForm
from screening.models import Bestyrelsesmedlem
from screening.queries import get_afdeling_for_user


def _afdeling_to_manage(request, pk):
    """The afdeling, if the user may see it (404 otherwise) and keep its board (403 otherwise)."""
    afdeling = get_afdeling_for_user(request.user, pk)
    if not request.user.has_perm("screening.manage_bestyrelse", afdeling):
        raise PermissionDenied
    return afdeling


def _held_seat(afdeling, seat_pk) -> Bestyrelsesmedlem:
    """A seat on this afdeling's board that has not ended; 404 for any other."""
    seats = Bestyrelsesmedlem.objects.held().select_related("user")
    return get_object_or_404(seats, afdeling=afdeling, pk=seat_pk)


def _back(afdeling) -> str:
    return reverse("afdeling_detail", args=[afdeling.pk]) + "#bestyrelse"


def _name(seat) -> str:
    return seat.user.get_full_name() or seat.user.get_username()


def _invitation_note(seat, invited) -> str:
    if invited:
        return f" En invitation til at vælge adgangskode sendes til {seat.user.email}."
    return ""


def _form_page(request, afdeling, form, title, *, submit, seat=None, ending=False):
    status = 400 if request.method == "POST" else 200
    context = {
        "afdeling": afdeling,
        "form": form,
        "title": title,
        "submit": submit,
        "seat": seat,
        "ending": ending,  # the page that registers a member's leaving says what it means
    }
    return render(request, "helhedsplaner/bestyrelse_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def bestyrelse_add(request, pk):
    afdeling = _afdeling_to_manage(request, pk)
    form = BestyrelsesmedlemForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            seat, invited = actions.add_board_member(afdeling, form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"{_name(seat)} er tilføjet afdelingsbestyrelsen.{_invitation_note(seat, invited)}"
            )
            return redirect(_back(afdeling))
    return _form_page(request, afdeling, form, "Tilføj medlem af afdelingsbestyrelsen", submit="Tilføj")


@login_required
@logs_access("Bestyrelsesmedlem")
@require_http_methods(["GET", "POST"])
def bestyrelse_edit(request, pk, seat_pk):
    afdeling = _afdeling_to_manage(request, pk)
    seat = _held_seat(afdeling, seat_pk)
    form = BestyrelsesmedlemForm(posted(request), seat=seat)
    if request.method == "POST" and form.is_valid():
        try:
            seat, invited = actions.change_board_member(seat, form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"Ændringerne til {_name(seat)} er gemt.{_invitation_note(seat, invited)}"
            )
            return redirect(_back(afdeling))
    return _form_page(request, afdeling, form, f"Redigér {_name(seat)}", submit="Gem", seat=seat)


@login_required
@require_http_methods(["GET", "POST"])
def bestyrelse_end(request, pk, seat_pk):
    afdeling = _afdeling_to_manage(request, pk)
    seat = _held_seat(afdeling, seat_pk)
    form = FratraedForm(posted(request), seat=seat, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        register_actions.end_board_seat(seat, form.cleaned_data["fratraadt"], acting_user=request.user)
        messages.success(request, f"{_name(seat)} er registreret som fratrådt afdelingsbestyrelsen.")
        return redirect(_back(afdeling))
    title = f"{_name(seat)} fratræder afdelingsbestyrelsen"
    return _form_page(request, afdeling, form, title, submit="Registrér", seat=seat, ending=True)


@login_required
@require_POST
def bestyrelse_invite(request, pk, seat_pk):
    afdeling = _afdeling_to_manage(request, pk)
    seat = _held_seat(afdeling, seat_pk)
    try:
        actions.invite_board_member(seat, acting_user=request.user)
    except Refused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Invitationen sendes igen til {seat.user.email}.")
    return redirect(_back(afdeling))
