"""The changes to an indsats that the frame lock and the closing rules govern, in one place.

Views, the admin and the tests call these; each reads the indsats row again under a lock, so a form
opened before the plan was sent to the funders (or closed) cannot write past the rule.
"""

from django.db import transaction

from indsatser import ramme
from indsatser.models import Aktivitet, Indsats, IndsatsHaendelse, Maalsaetning

# The states in which an activity has run: from then on it ends with a forankring, it is not deleted.
RUNNING = (Indsats.Status.AKTIV, Indsats.Status.AFSLUTTET)
# Set only by the lifecycles: a form that was opened earlier never writes its stale copy back.
LIFECYCLE_FIELDS = ("status", "ramme_laast", "afsluttet_af", "afsluttet_tidspunkt")

DELETE_RUNNING_MESSAGE = (
    "En aktivitet i en indsats, der er gået i gang, slettes ikke: den afsluttes med en "
    "forankringsbeslutning under Afslutning, så det står i sagen, hvad der blev af den."
)


def lock(indsats) -> Indsats:
    return Indsats.objects.select_for_update(of=("self",)).get(pk=indsats.pk)


def save_indsats(form, user) -> Indsats:
    """Save the register's IndsatsForm: refused for a closed indsats, and for a change to a locked frame."""
    with transaction.atomic():
        if form.instance.pk:
            locked = lock(form.instance)
            ramme.check_frame(locked, form.changed_data)
            for name in LIFECYCLE_FIELDS:
                setattr(form.instance, name, getattr(locked, name))
        indsats = form.save(commit=False)
        indsats._history_user = user
        indsats.save()
        form.save_m2m()
    return indsats


def delete_aktivitet(aktivitet: Aktivitet, user) -> None:
    """Delete an activity that never ran: a planned one of an indsats not yet started."""
    with transaction.atomic():
        indsats = lock(aktivitet.indsats)
        ramme.check_open(indsats)
        if indsats.status in RUNNING:
            raise ramme.Locked(DELETE_RUNNING_MESSAGE)
        aktivitet._history_user = user
        aktivitet.delete()


def delete_maalsaetning(maalsaetning: Maalsaetning, user) -> None:
    with transaction.atomic():
        ramme.check_open(lock(maalsaetning.indsats))
        maalsaetning._history_user = user
        maalsaetning.delete()


def record_correction(indsats: Indsats, user, reason: str) -> None:
    """The timeline entry of an administrator's correction of a closed indsats: who, when and why."""
    IndsatsHaendelse.objects.create(
        indsats=indsats,
        bruger=user,
        overgang="rettelse",
        fra_status=indsats.status,
        til_status=indsats.status,
        kommentar=f"Rettelse af en afsluttet indsats: {reason}",
    )
