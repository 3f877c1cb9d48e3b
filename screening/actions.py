"""Every change the screening pages make, in one place: the afdeling register and its board members, a staff
decision on a screening's suggestion, a round made final or reopened, and a screening import sent to the
background.

Each runs in one transaction and records who acted in the rows' history (django-simple-history is
screening's record); the import's task is sent only after its job row is committed. The imports
themselves (afdeling_import, screening_import) check a whole file first and write it in one transaction.
"""

from itertools import chain, count

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from config.web import jobs, roles
from screening.models import Afdeling, Bestyrelsesmedlem, Screeningsimport, Screeningsrunde, Vurdering

User = get_user_model()


def save_afdeling(form, *, acting_user) -> Afdeling:
    """Create or change an afdeling from the validated AfdelingForm."""
    with transaction.atomic():
        afdeling = form.save(commit=False)
        afdeling._history_user = acting_user
        afdeling.save()
        form.save_m2m()
    return afdeling


def decide_vurdering(runde, afdeling, suggestion, risk, cleaned, *, acting_user) -> Vurdering:
    """Staff confirm or overrule the round's suggested type of indsats for the afdeling, with a reason."""
    confirmed = cleaned["beslutning"] == Vurdering.Beslutning.BEKRAEFTET
    with transaction.atomic():
        vurdering = Vurdering.objects.select_for_update().filter(runde=runde, afdeling=afdeling).first()
        vurdering = vurdering or Vurdering(runde=runde, afdeling=afdeling)
        vurdering.foreslaaet_type = suggestion.kode
        vurdering.risikoscore = risk.score if risk else None
        vurdering.beslutning = cleaned["beslutning"]
        vurdering.valgt_type = suggestion.kode if confirmed else cleaned["valgt_type"]
        vurdering.begrundelse = cleaned["begrundelse"].strip()
        vurdering.besluttet_af = acting_user
        vurdering.besluttet = timezone.now()
        vurdering._history_user = acting_user
        vurdering.save()
    return vurdering


def finalize_round(runde: Screeningsrunde, *, acting_user) -> bool:
    """Make the round final: its figures no longer change. False when it already was."""
    with transaction.atomic():
        runde = Screeningsrunde.objects.select_for_update().get(pk=runde.pk)
        if runde.is_final:
            return False
        runde.status = Screeningsrunde.Status.ENDELIG
        runde.afsluttet = timezone.now()
        runde.afsluttet_af = acting_user
        runde._history_user = acting_user
        runde.save(update_fields=["status", "afsluttet", "afsluttet_af"])
    return True


def reopen_round(runde: Screeningsrunde, reason: str, *, acting_user) -> bool:
    """Make a final round a draft again, so its figures can be corrected; the reason is kept on the round and
    in its history. False when it was a draft already."""
    with transaction.atomic():
        runde = Screeningsrunde.objects.select_for_update().get(pk=runde.pk)
        if not runde.is_final:
            return False
        runde.status = Screeningsrunde.Status.KLADDE
        runde.afsluttet = None
        runde.afsluttet_af = None
        runde.genaabnet = timezone.now()
        runde.genaabnet_af = acting_user
        runde.genaabnet_begrundelse = reason
        runde._history_user = acting_user
        runde._change_reason = reason[:100]
        runde.save(
            update_fields=[
                "status",
                "afsluttet",
                "afsluttet_af",
                "genaabnet",
                "genaabnet_af",
                "genaabnet_begrundelse",
            ]
        )
    return True


def start_screening_import(upload, aar, national, *, region_income=None, acting_user) -> Screeningsimport:
    """The job row is committed before the task is sent, so a worker always finds it."""
    with transaction.atomic():
        job = Screeningsimport.objects.create(
            aar=aar,
            landsgennemsnit_domfaeldte_pct=national,
            region_gennemsnitsindkomst=region_income,
            filnavn=upload.name[:200],
            indhold=upload.read(),
            oprettet_af=acting_user,
        )
        jobs.send_on_commit(job)
    return job


# --- board members -------------------------------------------------------------------------------------


def _require_staff(acting_user):
    if not roles.is_medarbejder(acting_user):
        raise PermissionDenied("Kun fsb's medarbejdere kan ændre afdelingsbestyrelserne.")


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _account_with_address(email, *, other_than=None):
    """The one user with this e-mail address (any case), or None. Refused: an address two accounts share, and
    one of a user with another role (staff, secretariat, administrator), who is not given a board seat."""
    users = User.objects.filter(email__iexact=email)
    if other_than is not None:
        users = users.exclude(pk=other_than.pk)
    found = list(users[:2])
    if len(found) > 1:
        raise ValidationError(
            {"email": "Flere brugere har den adresse. En administrator må rette det først."}
        )
    if not found:
        return None
    user = found[0]
    if _has_another_role(user):
        role = roles.role_label(user)
        raise ValidationError(
            {"email": f"Adressen hører til {_name(user)} ({role}), ikke et bestyrelsesmedlem."}
        )
    return user


def _has_another_role(user) -> bool:
    return user.is_superuser or bool(roles.group_names(user) - {roles.AFDELINGSBESTYRELSE})


def _free_username(email) -> str:
    """The address as user name, or with -2, -3 … after it if a user already has that name."""
    base = email.lower()[:140]
    taken = set(User.objects.filter(username__startswith=base).values_list("username", flat=True))
    candidates = chain([base], (f"{base}-{n}" for n in count(2)))
    return next(name for name in candidates if name not in taken)


def _seat_fields(seat, cleaned):
    seat.rolle = cleaned["rolle"]
    seat.valgt_dato = cleaned.get("valgt_dato")
    seat.valgt_til = cleaned.get("valgt_til")


def add_board_member(afdeling, cleaned, *, acting_user) -> Bestyrelsesmedlem:
    """Put a person on the afdeling's board (cleaned: BestyrelsesmedlemForm's data).

    A person is known by their e-mail address: someone with an account (on another afdeling's board, or on
    this one before) gets the seat on that account, which is opened again if it was closed; anyone else gets
    a new account with the board members' role and no password, to choose one from the invitation. Refused
    (ValidationError) for someone already on this board.
    """
    _require_staff(acting_user)
    with transaction.atomic():
        user = _account_with_address(cleaned["email"])
        if user is None:
            user = User(
                username=_free_username(cleaned["email"]),
                email=cleaned["email"],
                first_name=cleaned["fornavn"].strip(),
                last_name=cleaned["efternavn"].strip(),
            )
            user.set_unusable_password()
            user.save()
        elif not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
        user.groups.add(Group.objects.get(name=roles.AFDELINGSBESTYRELSE))
        seat = Bestyrelsesmedlem.objects.select_for_update().filter(user=user, afdeling=afdeling).first()
        if seat is not None and seat.fratraadt is None:
            raise ValidationError({"email": f"{_name(user)} sidder allerede i afdelingsbestyrelsen."})
        seat = seat or Bestyrelsesmedlem(user=user, afdeling=afdeling)
        _seat_fields(seat, cleaned)
        seat.fratraadt = None
        seat._history_user = acting_user
        seat.save()
    return seat


def change_board_member(seat, cleaned, *, acting_user) -> Bestyrelsesmedlem:
    """Change a board member's name, address, role or term. The name and address are the person's, on every
    board they sit on; a user name that was the old address follows the new one. Those of a user with another
    role are left to an administrator: the address decides where that user's password reset goes."""
    _require_staff(acting_user)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=seat.user_id)
        email = cleaned["email"]
        names = (cleaned["fornavn"].strip(), cleaned["efternavn"].strip())
        person_changed = email != user.email.lower() or names != (user.first_name, user.last_name)
        if person_changed and _has_another_role(user):
            raise ValidationError(
                {
                    "email": f"{_name(user)} har også rollen {roles.role_label(user)}: navn og adresse "
                    "retter en administrator."
                }
            )
        if email != user.email.lower() and _account_with_address(email, other_than=user) is not None:
            raise ValidationError({"email": "En anden bruger har allerede den adresse."})
        if user.username == user.email.lower() and email != user.username:
            user.username = _free_username(email)
        user.email = email
        user.first_name, user.last_name = names
        user.save()
        _seat_fields(seat, cleaned)
        seat.user = user
        seat._history_user = acting_user
        seat.save()
    return seat


def end_board_seat(seat, fratraadt, *, acting_user) -> Bestyrelsesmedlem:
    """The member leaves the board: the seat stays as a record and no longer lets them see the afdeling.
    Their last seat closes an account without another role: it can no longer log in nor get a password."""
    _require_staff(acting_user)
    return _close_seat(seat.pk, fratraadt, history_user=acting_user)


def end_board_seats_past_term() -> int:
    """The daily task's work: every seat whose term (valgt_til) ran out before today is ended on its last day,
    with no user in its history (the system did it). Access already ended with the term (held_seat); this
    records it and closes the accounts left without a seat. Returns how many seats were ended."""
    ended = 0
    for seat in Bestyrelsesmedlem.objects.past_term().only("pk", "valgt_til"):
        _close_seat(seat.pk, seat.valgt_til, history_user=None)
        ended += 1
    return ended


def _close_seat(seat_pk, fratraadt, *, history_user) -> Bestyrelsesmedlem:
    with transaction.atomic():
        seat = Bestyrelsesmedlem.objects.select_for_update().select_related("user").get(pk=seat_pk)
        if seat.fratraadt is not None:
            return seat
        seat.fratraadt = fratraadt
        seat._history_user = history_user
        seat.save(update_fields=["fratraadt"])
        user = seat.user
        last_seat = not Bestyrelsesmedlem.objects.held().filter(user=user).exists()
        if last_seat and not _has_another_role(user):
            user.is_active = False
            user.save(update_fields=["is_active"])
    return seat
