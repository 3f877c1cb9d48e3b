"""The anonymiser: what the daily task does to personal data past its retention, and what an erasure does to
one person at once.

A name becomes "Anonymiseret person #<the row's number>", an e-mail address and a telephone number become
empty, in the row and in every row of its history (django-simple-history): the history keeps its rows, dates
and changes, only without the person. An account is renamed the same way, so every history row and timeline
line it acted in now says "Anonymiseret person #<number>" instead of the name. Every function here is
idempotent: what is anonymised already is not due again.
"""

from collections import Counter
from datetime import date

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, Replace
from django_otp import devices_for_user

PLACEHOLDER_PREFIX = "Anonymiseret person #"
USERNAME_PREFIX = "anonymiseret-"


def placeholder(number: int) -> str:
    return f"{PLACEHOLDER_PREFIX}{number}"


def model(label: str):
    """A domain model by its label ("indsatser.Kontaktperson"), looked up when used (see the package's
    docstring)."""
    return apps.get_model(label)


def anonymise_named_rows(model_class, ids, *, blank_fields=()) -> int:
    """The rows' names (navn) replaced by the placeholder with their number and `blank_fields` emptied, in the
    rows and in all their history rows (also those of rows deleted since). Returns how many (by number)."""
    ids = set(ids)
    if not ids:
        return 0
    values = {
        "navn": Concat(Value(PLACEHOLDER_PREFIX), Cast("id", output_field=CharField())),
        **dict.fromkeys(blank_fields, ""),
    }
    model_class.objects.filter(id__in=ids).update(**values)
    model_class.history.filter(id__in=ids).update(**values)
    return len(ids)


def anonymise_contact_persons(ids) -> int:
    """Contact persons (kontaktpersonordningen): name, phone and e-mail, in the rows, their history, and the
    notes on the indsatser's timelines that name them when they started or ended ("01-52 Tingbjerg: <navn>
    fra 1.3.2024, efter <navn>.")."""
    Kontaktperson = model("indsatser.Kontaktperson")
    named = ("id", "navn", "afdeling__nummer", "afdeling__navn")
    found = {
        *Kontaktperson.objects.filter(id__in=ids).values_list(*named),
        *Kontaktperson.history.filter(id__in=ids).values_list(*named),
    }
    notes = model("indsatser.IndsatsHaendelse").objects.filter(overgang__startswith="kontaktperson_")
    for number, name, afdeling_nummer, afdeling_navn in found:
        if name.startswith(PLACEHOLDER_PREFIX):
            continue
        afdeling = f"{afdeling_nummer} {afdeling_navn}: "
        for before, after in (
            (f"{afdeling}{name} ", f"{afdeling}{placeholder(number)} "),
            (f", efter {name}.", f", efter {placeholder(number)}."),
        ):
            notes.filter(kommentar__startswith=afdeling, kommentar__contains=before).update(
                kommentar=Replace("kommentar", Value(before), Value(after))
            )
    return anonymise_named_rows(Kontaktperson, ids, blank_fields=("telefon", "email"))


def anonymise_organisation_members(ids) -> int:
    """Members of plans' organisations (styregruppe, følgegruppe, partners): the name, in the rows, their
    history, and the lines on the plans' timelines that name them when they were added or removed ("Tilføjet
    til styregruppe: <navn>.")."""
    Organisationsmedlem = model("helhedsplaner.Organisationsmedlem")
    named = ("id", "plan_id", "navn")
    found = {
        *Organisationsmedlem.objects.filter(id__in=ids).values_list(*named),
        *Organisationsmedlem.history.filter(id__in=ids).values_list(*named),
    }
    Haendelse = model("helhedsplaner.Haendelse")
    for number, plan_id, name in found:
        if name.startswith(PLACEHOLDER_PREFIX):
            continue
        Haendelse.objects.filter(
            plan_id=plan_id, art=Haendelse.Art.ORGANISATION, tekst__endswith=f": {name}."
        ).update(tekst=Replace("tekst", Value(f": {name}."), Value(f": {placeholder(number)}.")))
    return anonymise_named_rows(Organisationsmedlem, ids)


def strip_comment_authors(comment_ids) -> int:
    """The comments keep their text, their plan's record; who wrote them and who marked their thread solved is
    removed, from the comments and from the timeline lines about them."""
    comment_ids = set(comment_ids)
    if not comment_ids:
        return 0
    model("helhedsplaner.Kommentar").objects.filter(id__in=comment_ids).update(forfatter=None, loest_af=None)
    model("helhedsplaner.Haendelse").objects.filter(kommentar_id__in=comment_ids).update(bruger=None)
    return len(comment_ids)


def contact_person_ids(email: str) -> set[int]:
    """The contact-person entries with this e-mail address now. An entry that had it once and names someone
    else today is that other person's (forget_old_contact_address)."""
    if not email:
        return set()
    entries = model("indsatser.Kontaktperson").objects.filter(email__iexact=email)
    return set(entries.values_list("id", flat=True))


def forget_old_contact_address(email: str) -> int:
    """The address blanked in the history of contact-person entries that have moved on to someone else."""
    if not email:
        return 0
    return model("indsatser.Kontaktperson").history.filter(email__iexact=email).update(email="")


def is_anonymised(user) -> bool:
    return user.username.startswith(USERNAME_PREFIX)


def anonymise_account(user, *, today: date, acting_user=None) -> Counter:
    """The account renamed to the placeholder, without e-mail, password, roles or the right to log in; its
    board seats ended today; its authenticator apps, API tokens, choices of e-mails and failed logins deleted;
    its address removed from the e-mail notices. The rows that record what the person did stay and now point
    at the anonymous account. Returns how many of each kind were changed."""
    counts = Counter(brugerkonti=1)
    seats = model("screening.Bestyrelsesmedlem").objects.filter(user=user, fratraadt__isnull=True)
    for seat in seats:
        seat.fratraadt = today
        seat._history_user = acting_user
        seat.save(update_fields=["fratraadt"])
        counts["bestyrelsesposter"] += 1
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        counts["totrinslogin"] += 1
    counts["api_noegler"] = model("api.ApiToken").objects.filter(user=user).delete()[0]
    model("helhedsplaner.Notifikationsvalg").objects.filter(bruger=user).delete()
    if user.email:
        counts["beskeder"] = remove_address_from_notices(user.email, placeholder(user.pk))
    for attempts in (AccessAttempt, AccessFailureLog, AccessLog):
        attempts.objects.filter(username=user.username).delete()

    user.username = f"{USERNAME_PREFIX}{user.pk}"
    user.first_name, user.last_name = PLACEHOLDER_PREFIX.removesuffix(" #"), f"#{user.pk}"
    user.email = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    return +counts


def remove_address_from_notices(address: str, replacement: str) -> int:
    """A notice records the addresses it was sent to (so none is mailed twice) and a password reset the
    address typed: the person's address is replaced in both. Returns how many notices were changed."""
    Besked = model("helhedsplaner.Besked")
    changed = Besked.objects.filter(adresse__iexact=address).update(adresse="")
    for besked in Besked.objects.filter(sendt_til__icontains=address).only("pk", "sendt_til"):
        kept = [sent if sent.lower() != address.lower() else replacement for sent in besked.sendt_til]
        if kept != besked.sendt_til:
            Besked.objects.filter(pk=besked.pk).update(sendt_til=kept)
            changed += 1
    return changed


def active_superusers():
    return get_user_model().objects.filter(is_superuser=True, is_active=True)
