"""People the application names who have no account: contact persons (kontaktpersonordningen) and members of
plans' organisations (styregruppe, følgegruppe, partners).

Such a person is found by one entry of theirs, named by its kind and number ("kontaktperson nr. 12": in the
URL and in the record of an erasure, never their name or address), and from it is known (Known) by the entry's
e-mail address when it has one, otherwise by its name:
- by e-mail: the contact-person entries with that address now, and the versions in the contact persons'
  history with it;
- by name: the contact-person entries without an address and the organisation members with that name now, and
  the versions in their histories with that name (a contact person's without an address).
An entry edited from one person to another has versions of each, and each person's versions are theirs. A
person's versions of entries that name someone else now, or were deleted, are found as a former one
(tidligere kontaktperson, tidligere organisationsmedlem), by such a version's number in the history. So every
entry and version belongs to exactly one such person, who is the same from any of their entries. One human
being can be two of them (an address on a contact-person entry, only the name in a styregruppe): the search
shows both, and the administrator decides. Names are compared letter case aside and in Unicode's composed form
(NFC).
"""

import unicodedata
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Exists, Func, OuterRef, Q, Value, When
from django.db.models.functions import Concat, Upper

from config.privacy.anonymiser import PLACEHOLDER_PREFIX, model

# The kinds of entry, as the URLs name them.
KINDS = {
    "kontaktperson": "indsatser.Kontaktperson",
    "organisationsmedlem": "helhedsplaner.Organisationsmedlem",
    # A version in an entry's history (by its history number) of an entry that names someone else now, or was
    # deleted.
    "tidligere-kontaktperson": "indsatser.HistoricalKontaktperson",
    "tidligere-organisationsmedlem": "helhedsplaner.HistoricalOrganisationsmedlem",
}


class NFC(Func):
    """A text in Unicode's composed form: "Å" stored as an A and a combining ring (as some systems and
    keyboards write it) is then the one letter "Å". SQLite (development) has no such function: there the text
    is compared as stored."""

    function = "NORMALIZE"
    template = "%(function)s(%(expressions)s, NFC)"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def named(rows, navn: str):
    """The rows (entries or versions) with this name, letter case and Unicode composition aside."""
    return rows.alias(navn_nfc=NFC("navn")).filter(navn_nfc__iexact=nfc(navn))


@dataclass(frozen=True)
class Known:
    """How a person without an account is known: by an e-mail address, or without one by a name. An account's
    address names the contact persons with it the same way (Known(navn="", email=<the address>))."""

    navn: str
    email: str  # empty: known by the name

    @property
    def key(self) -> tuple[str, str]:
        return ("email", self.email.lower()) if self.email else ("navn", nfc(self.navn).lower())

    @property
    def anonymised(self) -> bool:
        """Found by an entry anonymised already: nothing is known about them any more."""
        return self.navn.startswith(PLACEHOLDER_PREFIX)

    def _contact_rows(self, rows):
        """The contact-person entries or versions (`rows`: the entries or their history) that are the
        person's."""
        if self.anonymised:
            return rows.none()
        if self.email:
            return rows.filter(email__iexact=self.email)
        return named(rows.filter(email=""), self.navn) if self.navn else rows.none()

    def _member_rows(self, rows):
        if self.anonymised or self.email or not self.navn:
            return rows.none()
        return named(rows, self.navn)

    def contact_persons(self):
        return self._contact_rows(model("indsatser.Kontaktperson").objects.all())

    def contact_versions(self):
        """Every version of the person in the contact persons' history: of their entries, of entries that name
        someone else now, and of entries deleted since."""
        return self._contact_rows(model("indsatser.Kontaktperson").history.all())

    def former_contact_versions(self):
        """The person's versions of entries that are not theirs now (named by someone else, or deleted)."""
        return self.contact_versions().exclude(id__in=self.contact_persons().values("id"))

    def members(self):
        return self._member_rows(model("helhedsplaner.Organisationsmedlem").objects.all())

    def member_versions(self):
        return self._member_rows(model("helhedsplaner.Organisationsmedlem").history.all())

    def former_member_versions(self):
        return self.member_versions().exclude(id__in=self.members().values("id"))


@dataclass(frozen=True)
class PersonWithoutAccount(Known):
    kind: str
    pk: int
    number: int  # the entry's number: the person's placeholder where their address is replaced

    @classmethod
    def of(cls, kind: str, entry) -> "PersonWithoutAccount":
        return cls(
            kind=kind, pk=entry.pk, number=entry.id, navn=entry.navn, email=getattr(entry, "email", "")
        )

    @property
    def label(self) -> str:
        return f"{self.kind.replace('-', ' ')} nr. {self.pk}"


def entry_model(kind: str):
    return model(KINDS[kind])


@dataclass
class Found:
    person: PersonWithoutAccount
    names: list[str] = field(default_factory=list)  # every name of the person's entries found
    where: list[str] = field(default_factory=list)  # the entries found: "Kontaktperson for 01-52 Tingbjerg"

    def add(self, name: str, where: str) -> None:
        for seen, new in ((self.names, name), (self.where, where)):
            if new not in seen:
                seen.append(new)


def _contact_key():
    """Whom a contact-person entry or version names, as one text: its address (letter case aside), or without
    one its name (letter case and composition aside)."""
    return Case(
        When(email="", then=Concat(Value("navn "), Upper(NFC("navn")))),
        default=Concat(Value("email "), Upper("email")),
        output_field=CharField(),
    )


def _not_theirs_now(versions, rows, key):
    """The versions whose entry names someone else now (by `key`, on the version and the entry) or was
    deleted."""
    theirs_now = rows.alias(key=key).filter(pk=OuterRef("id"), key=OuterRef("key"))
    return versions.alias(key=key).exclude(Exists(theirs_now))


def search(query: str, limit: int) -> list[Found]:
    """The people without an account with an entry whose name or e-mail address contains `query`, or with a
    version of an entry that names someone else now (or was deleted) whose name or address contains it, by
    name: at most `limit`, each found by the first of their entries."""
    not_anonymised = ~Q(navn__startswith=PLACEHOLDER_PREFIX)
    name_contains = Q(navn_nfc__icontains=nfc(query))
    Kontaktperson = entry_model("kontaktperson")
    Organisationsmedlem = entry_model("organisationsmedlem")
    contact_persons = (
        Kontaktperson.objects.alias(navn_nfc=NFC("navn"))
        .filter(name_contains | Q(email__icontains=query), not_anonymised)
        .select_related("afdeling")
        .order_by("navn", "pk")[:limit]
    )
    members = (
        Organisationsmedlem.objects.alias(navn_nfc=NFC("navn"))
        .filter(name_contains, not_anonymised)
        .select_related("plan__indsats")
        .order_by("navn", "pk")[:limit]
    )
    former_contact_versions = (
        _not_theirs_now(Kontaktperson.history.all(), Kontaktperson.objects.all(), _contact_key())
        .alias(navn_nfc=NFC("navn"))
        .filter(Q(email__icontains=query) | Q(name_contains, email=""), not_anonymised)
        .select_related("afdeling")
        .order_by("navn", "history_id")[:limit]
    )
    former_member_versions = (
        _not_theirs_now(
            Organisationsmedlem.history.all(), Organisationsmedlem.objects.all(), Upper(NFC("navn"))
        )
        .alias(navn_nfc=NFC("navn"))
        .filter(name_contains, not_anonymised)
        .select_related("plan__indsats")
        .order_by("navn", "history_id")[:limit]
    )
    entries = [
        *(("kontaktperson", entry, f"Kontaktperson for {entry.afdeling}") for entry in contact_persons),
        *(
            ("organisationsmedlem", entry, f"{entry.get_gruppe_display()} i {entry.plan.indsats.titel}")
            for entry in members
        ),
        *(
            ("tidligere-kontaktperson", entry, f"Tidligere kontaktperson for {entry.afdeling}")
            for entry in former_contact_versions
        ),
        *(
            (
                "tidligere-organisationsmedlem",
                entry,
                f"Tidligere: {entry.get_gruppe_display()} i {entry.plan.indsats.titel}",
            )
            for entry in former_member_versions
        ),
    ]
    found = {}
    for kind, entry, where in entries:
        person = PersonWithoutAccount.of(kind, entry)
        found.setdefault(person.key, Found(person)).add(entry.navn, where)
    by_name = sorted(found.values(), key=lambda each: (each.person.navn.lower(), each.person.email.lower()))
    return by_name[:limit]
