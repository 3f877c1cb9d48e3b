"""The anonymiser: what the daily task does to personal data past its retention, and what an erasure does to
one person at once.

A name becomes "Anonymiseret person #<the row's number>", an e-mail address and a telephone number become
empty, in the row and in the rows of its history (django-simple-history) that are the person's: all of them
when the entry's time is up, only the person's own versions when one person is erased from an entry that has
named others too. The history keeps its rows, dates and changes, only without the person. An account is
renamed the same way, so every history row and timeline line it acted in now says "Anonymiseret person
#<number>" instead of the name. Every function here is idempotent: what is anonymised already is not due
again.
"""

import re
from collections import Counter
from datetime import date

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django_otp import devices_for_user

PLACEHOLDER_PREFIX = "Anonymiseret person #"
USERNAME_PREFIX = "anonymiseret-"
# The erasures' advisory lock (serialise_erasures), by one int4 key: apart from the jobs' two-int4 keys
# (config.web.jobs).
ERASURE_LOCK = "config.privacy.erasure"


def placeholder(number: int) -> str:
    return f"{PLACEHOLDER_PREFIX}{number}"


def model(label: str):
    """A domain model by its label ("indsatser.Kontaktperson"), looked up when used (see the package's
    docstring)."""
    return apps.get_model(label)


def serialise_erasures() -> None:
    """Called first in the transaction of every erasure and of the daily retention run: waits for any other
    one to end, and holds a transaction-level advisory lock until this transaction ends. Erasures are rare
    and short, so one at a time costs nothing, and it removes every question of lock order between them: an
    account and a contact person with its address, one person from two of their entries, the daily task's
    timeline lines and an erasure's rows can no longer each hold what the other waits for. SQLite
    (development) runs one transaction at a time anyway."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [ERASURE_LOCK])


def every_version(model_class, ids):
    """Whole entries, as the retention rules anonymise them: the rows and every version of their history
    (also of rows deleted since), for anonymise_contact_persons and anonymise_organisation_members."""
    return model_class.objects.filter(id__in=ids), model_class.history.filter(id__in=ids)


def _anonymous(blank_fields) -> dict:
    """An anonymised row's (or history row's) values: the name is the placeholder with the row's number."""
    return {
        "navn": Concat(Value(PLACEHOLDER_PREFIX), Cast("id", output_field=CharField())),
        **dict.fromkeys(blank_fields, ""),
    }


# Where the person's name (NAME) stands in what is written about an entry, as regular expressions of the
# whole text. indsatser.actions writes "<afdeling>: <navn> fra <dato>[, efter <navn>]." when a contact person
# starts (after the one before) and "<afdeling>: <navn> til <dato>." when one stops; helhedsplaner.actions
# writes "Tilføjet til <gruppe>: <navn>." and "Fjernet fra <gruppe>: <navn>."; Django's admin log keeps the
# entry as it was named then (a contact person and a member: "<navn> (<afdeling or gruppe>)").
CONTACT_LINE = r".*?: NAME (?:fra|til) \d{2}\.\d{2}\.\d{4}(?:, efter .*)?\."
PREVIOUS_CONTACT_LINE = r".*, efter NAME\."
MEMBER_LINE = r"(?:Tilføjet til|Fjernet fra) [^:]*: NAME\."
ADMIN_LOG_ENTRY = r"NAME \(.*\)"


def _replace_name(text: str, pattern: str, name: str, replacement: str) -> str:
    """`text` with `name` replaced where `pattern` has NAME, if it stands there; otherwise `text` as it is
    (written otherwise)."""
    # DOTALL: a name or a line may hold a line break (a form keeps one typed into a name).
    match = re.fullmatch(pattern.replace("NAME", f"(?P<name>{re.escape(name)})"), text, re.DOTALL)
    if match is None:
        return text
    return f"{text[: match.start('name')]}{replacement}{text[match.end('name') :]}"


def _version_at(history, reference: str, time_field: str):
    """The version of the entry that `reference` names which was the entry's when the row was written
    (`time_field`): the latest saved by then. A timeline line is written right after the save it is about, in
    the same transaction; the admin logs a change right after saving it (a deletion just before). A row dated
    before the entry's first version (dated back afterwards, as the demo data are) gets that first version."""
    of_entry = history.filter(id=Cast(OuterRef(reference), IntegerField())).values("history_id")
    saved_by_then = of_entry.filter(history_date__lte=OuterRef(time_field))
    return Coalesce(
        Subquery(saved_by_then.order_by("-history_date", "-history_id")[:1]),
        Subquery(of_entry.order_by("history_date", "history_id")[:1]),
    )


def _rewrite_mentions(rows, time_field: str, places, history, versions: dict[int, tuple[int, str]]) -> None:
    """The rows (timeline lines, admin log entries) that name an entry at one of `places` (reference field,
    text field, pattern of the text) get the entry's placeholder there, if the entry's version when the row
    was written is one of `versions` (by history number: the entry's number and the name) and the row has that
    name there. A row written while the entry was someone else's, and a line without a reference (written
    before the lines had them and not matched unambiguously since), are left as they are."""
    if not versions:
        return
    entries = {number for number, name in versions.values()}
    refers = Q()
    for reference, _, _ in places:
        refers |= Q(**{f"{reference}__in": entries})
    at_time = {f"version_{ref}": _version_at(history, ref, time_field) for ref, _, _ in places}
    text_fields = list(dict.fromkeys(text_field for _, text_field, _ in places))
    changed = []
    for row in rows.filter(refers).annotate(**at_time).order_by("pk").only("pk", *text_fields):
        written = [getattr(row, text_field) for text_field in text_fields]
        for reference, text_field, pattern in places:
            if version := versions.get(getattr(row, f"version_{reference}")):
                number, name = version
                text = _replace_name(getattr(row, text_field), pattern, name, placeholder(number))
                setattr(row, text_field, text)
        if [getattr(row, text_field) for text_field in text_fields] != written:
            changed.append(row)
    rows.model.objects.bulk_update(changed, text_fields)


def _anonymise(model_class, rows, versions, *, blank_fields, timeline) -> tuple[int, int]:
    """The entries `rows` as they are now and the versions `versions` in the history get the placeholder for
    the name and `blank_fields` emptied, with a single update each (no history row is written), and what was
    written about those versions (the lines of `timeline`: rows, time field, places; Django's admin log) the
    placeholder where it names them. Returns how many entries as they are now, and how many others only in
    their history (named by someone else now, or deleted)."""
    numbers = set(rows.values_list("id", flat=True))
    named = versions.exclude(navn__startswith=PLACEHOLDER_PREFIX)
    found = {
        history_id: (number, name)
        for history_id, number, name in named.values_list("history_id", "id", "navn")
    }
    admin_log = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model_class))
    for mentions, time_field, places in (
        timeline,
        (admin_log, "action_time", (("object_id", "object_repr", ADMIN_LOG_ENTRY),)),
    ):
        _rewrite_mentions(mentions, time_field, places, model_class.history, found)
    values = _anonymous(blank_fields)
    model_class.objects.filter(id__in=numbers).update(**values)
    model_class.history.filter(history_id__in=found).update(**values)
    return len(numbers), len({number for number, name in found.values()} - numbers)


def anonymise_contact_persons(rows, versions) -> tuple[int, int]:
    """Contact persons (kontaktpersonordningen): name, phone and e-mail, in the entries `rows` as they are now
    and in the versions `versions` of the history (every_version, or a person's: with their address or name),
    and in the lines on the indsatser's timelines ("01-52 Tingbjerg: <navn> fra 01.03.2024, efter <navn>.")
    and the admin log entries written while one of those versions was the entry's. Run after
    serialise_erasures. Returns how many entries as they are now, and how many others only in their
    history."""
    lines = model("indsatser.IndsatsHaendelse").objects
    places = (
        ("kontaktperson_id", "kommentar", CONTACT_LINE),
        ("forrige_kontaktperson_id", "kommentar", PREVIOUS_CONTACT_LINE),
    )
    return _anonymise(
        model("indsatser.Kontaktperson"),
        rows,
        versions,
        blank_fields=("telefon", "email"),
        timeline=(lines, "tidspunkt", places),
    )


def anonymise_organisation_members(rows, versions) -> tuple[int, int]:
    """Members of plans' organisations (styregruppe, følgegruppe, partners): the name, in the entries `rows`
    as they are now and in the versions `versions` of the history, and in the lines on the plans' timelines
    ("Tilføjet til styregruppe: <navn>.") and the admin log entries written while one of those versions was
    the entry's. Run after serialise_erasures. Returns how many entries as they are now, and how many others
    only in their history."""
    lines = model("helhedsplaner.Haendelse").objects
    places = (("organisationsmedlem_id", "tekst", MEMBER_LINE),)
    return _anonymise(
        model("helhedsplaner.Organisationsmedlem"),
        rows,
        versions,
        blank_fields=(),
        timeline=(lines, "tid", places),
    )


def strip_comment_authors(comment_ids) -> int:
    """The comments keep their text, their plan's record; who wrote them and who marked their thread solved is
    removed, from the comments and from the timeline lines about them."""
    comment_ids = set(comment_ids)
    if not comment_ids:
        return 0
    model("helhedsplaner.Kommentar").objects.filter(id__in=comment_ids).update(forfatter=None, loest_af=None)
    model("helhedsplaner.Haendelse").objects.filter(kommentar_id__in=comment_ids).update(bruger=None)
    return len(comment_ids)


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
    # The admin log names the account as it was named when it was changed there (its user name, often the
    # address).
    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(user), object_id=user.pk).update(
        object_repr=str(user)
    )
    user.groups.clear()
    user.user_permissions.clear()
    return +counts


def remove_address_from_notices(address: str, replacement: str) -> int:
    """A notice records the addresses it was sent to (so none is mailed twice), a password reset the address
    typed, and a failed send its error, which can quote the address: the person's address is replaced in all
    three. Returns how many notices were changed."""
    Besked = model("helhedsplaner.Besked")
    changed = Besked.objects.filter(adresse__iexact=address).update(adresse="")
    quoted = address_in_text(address)
    naming = Besked.objects.filter(Q(sendt_til__icontains=address) | Q(fejl__icontains=address))
    for besked in naming.only("pk", "sendt_til", "fejl"):
        sendt_til = [sent if sent.lower() != address.lower() else replacement for sent in besked.sendt_til]
        fejl = quoted.sub(lambda found: replacement, besked.fejl)
        if (sendt_til, fejl) != (besked.sendt_til, besked.fejl):
            Besked.objects.filter(pk=besked.pk).update(sendt_til=sendt_til, fejl=fejl)
            changed += 1
    return changed


def address_in_text(address: str) -> re.Pattern:
    """The address where a text quotes it whole (letter case aside): not inside a longer address."""
    return re.compile(rf"(?<![\w.+-]){re.escape(address)}(?![\w-]|\.\w)", re.IGNORECASE)


def active_superusers():
    return get_user_model().objects.filter(is_superuser=True, is_active=True)
