"""The anonymiser: what the daily task does to personal data past its retention, and what an erasure does to
one person at once.

A name becomes "Anonymiseret person #<the row's number>", an e-mail address and a telephone number become
empty, in the row and in every row of its history (django-simple-history): the history keeps its rows, dates
and changes, only without the person. An account is renamed the same way, so every history row and timeline
line it acted in now says "Anonymiseret person #<number>" instead of the name. Every function here is
idempotent: what is anonymised already is not due again.
"""

import re
from collections import Counter, defaultdict
from datetime import date

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
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
    values = _anonymous(blank_fields)
    model_class.objects.filter(id__in=ids).update(**values)
    model_class.history.filter(id__in=ids).update(**values)
    return len(ids)


def _anonymous(blank_fields) -> dict:
    """An anonymised row's (or history row's) values: the name is the placeholder with the row's number."""
    return {
        "navn": Concat(Value(PLACEHOLDER_PREFIX), Cast("id", output_field=CharField())),
        **dict.fromkeys(blank_fields, ""),
    }


# Where the person's name (NAME) stands in the timeline lines written about them, as regular expressions of
# the whole line. indsatser.actions writes "<afdeling>: <navn> fra <dato>[, efter <navn>]." when a contact
# person starts (after the one before) and "<afdeling>: <navn> til <dato>." when one stops;
# helhedsplaner.actions writes "Tilføjet til <gruppe>: <navn>." and "Fjernet fra <gruppe>: <navn>.".
CONTACT_LINE = r".*?: NAME (?:fra|til) \d{2}\.\d{2}\.\d{4}(?:, efter .*)?\."
PREVIOUS_CONTACT_LINE = r".*, efter NAME\."
MEMBER_LINE = r"(?:Tilføjet til|Fjernet fra) [^:]*: NAME\."


def _replace_name(text: str, pattern: str, names, replacement: str) -> str:
    """`text` with the name that stands where `pattern` has NAME replaced, if it is one of `names`; otherwise
    `text` as it is (a line written otherwise, or with a name the entry never had)."""
    for name in names:
        match = re.fullmatch(pattern.replace("NAME", f"(?P<name>{re.escape(name)})"), text)
        if match:
            return f"{text[: match.start('name')]}{replacement}{text[match.end('name') :]}"
    return text


def _names(versions) -> dict[int, set[str]]:
    """The names each entry had, from (number, name) pairs of the entries and their history; names anonymised
    already left out."""
    names = defaultdict(set)
    for number, name in versions:
        if not name.startswith(PLACEHOLDER_PREFIX):
            names[number].add(name)
    return names


def _rewrite_lines(lines, text_field: str, patterns: dict[str, str], names: dict[int, set[str]]) -> None:
    """The timeline lines that refer to an entry in `names` (by a reference field of `patterns`) get the
    entry's placeholder where the pattern has the name, if the line has one of the entry's names there. A line
    without a reference (written before the lines had them and not matched unambiguously since) is left as it
    is. The lines are locked first, by number: two anonymisations rewriting different names in the same line
    (a contact person and the one before) each keep the other's."""
    if not names:
        return
    refers = Q()
    for field in patterns:
        refers |= Q(**{f"{field}__in": names})
    changed = []
    for line in lines.filter(refers).select_for_update().order_by("pk").only("pk", text_field, *patterns):
        text = getattr(line, text_field)
        for field, pattern in patterns.items():
            number = getattr(line, field)
            if number in names:
                text = _replace_name(text, pattern, names[number], placeholder(number))
        if text != getattr(line, text_field):
            setattr(line, text_field, text)
            changed.append(line)
    lines.model.objects.bulk_update(changed, [text_field])


def _rewrite_contact_lines(names: dict[int, set[str]]) -> None:
    _rewrite_lines(
        model("indsatser.IndsatsHaendelse").objects,
        "kommentar",
        {"kontaktperson_id": CONTACT_LINE, "forrige_kontaktperson_id": PREVIOUS_CONTACT_LINE},
        names,
    )


def anonymise_contact_persons(ids) -> int:
    """Contact persons (kontaktpersonordningen): name, phone and e-mail, in the rows, their history, and the
    lines on the indsatser's timelines about them ("01-52 Tingbjerg: <navn> fra 1.3.2024, efter <navn>.").
    Run in a transaction: the lines are locked."""
    Kontaktperson = model("indsatser.Kontaktperson")
    versions = (
        *Kontaktperson.objects.filter(id__in=ids).values_list("id", "navn"),
        *Kontaktperson.history.filter(id__in=ids).values_list("id", "navn"),
    )
    _rewrite_contact_lines(_names(versions))
    return anonymise_named_rows(Kontaktperson, ids, blank_fields=("telefon", "email"))


def anonymise_former_contact_versions(version_ids) -> int:
    """Versions in the history of contact-person entries that name someone else now (or were deleted), found
    by an address the entry no longer has (former_contact_versions): in these versions the name becomes the
    placeholder with the entry's number and phone and e-mail are emptied, and the lines about the entry that
    carry such a version's name are rewritten too. The entry and its other versions stay. Run in a
    transaction. Returns how many entries."""
    versions = model("indsatser.Kontaktperson").history.filter(history_id__in=version_ids)
    found = list(versions.values_list("id", "navn"))
    _rewrite_contact_lines(_names(found))
    versions.update(**_anonymous(("telefon", "email")))
    return len({number for number, name in found})


def anonymise_organisation_members(ids) -> int:
    """Members of plans' organisations (styregruppe, følgegruppe, partners): the name, in the rows, their
    history, and the lines on the plans' timelines about them ("Tilføjet til styregruppe: <navn>."). Run in a
    transaction: the lines are locked."""
    Organisationsmedlem = model("helhedsplaner.Organisationsmedlem")
    versions = (
        *Organisationsmedlem.objects.filter(id__in=ids).values_list("id", "navn"),
        *Organisationsmedlem.history.filter(id__in=ids).values_list("id", "navn"),
    )
    lines = model("helhedsplaner.Haendelse").objects
    _rewrite_lines(lines, "tekst", {"organisationsmedlem_id": MEMBER_LINE}, _names(versions))
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


def contact_persons_with_address(email: str):
    """The contact-person entries with this e-mail address now (letter case aside)."""
    Kontaktperson = model("indsatser.Kontaktperson")
    return Kontaktperson.objects.filter(email__iexact=email) if email else Kontaktperson.objects.none()


def former_contact_versions(email: str):
    """The versions in the contact persons' history with this e-mail address, of entries that do not have it
    now: edited since to name someone else (or to another address), or deleted. The entries are someone
    else's now; these versions are still the person's with the address."""
    history = model("indsatser.Kontaktperson").history
    if not email:
        return history.none()
    return history.filter(email__iexact=email).exclude(
        id__in=contact_persons_with_address(email).values("id")
    )


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
