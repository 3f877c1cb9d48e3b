"""People the application names who have no account: contact persons (kontaktpersonordningen) and members of
plans' organisations (styregruppe, følgegruppe, partners).

Such a person is found by one entry of theirs, named by its kind and number ("kontaktperson nr. 12": in the
URL and in the record of an erasure, never their name or address). From it they are known by the entry's
e-mail address when it has one, otherwise by its name (letter case aside):
- by e-mail: every contact-person entry with that address now, the versions in the contact persons' history
  with it of entries that name someone else now (or were deleted: former_contact_versions), and the e-mail
  notices that name the address;
- by name: every contact-person entry without an address, and every organisation member, with that name now.
So every entry belongs to exactly one such person, who is the same from any of their entries. One human being
can be two of them (an address on a contact-person entry, only the name in a styregruppe): the search shows
both, and the administrator decides. A person known only from the history ("tidligere kontaktperson") is found
by one such version, by its number in the history.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from config.privacy.anonymiser import (
    PLACEHOLDER_PREFIX,
    contact_persons_with_address,
    former_contact_versions,
    model,
)

# The kinds of entry, as the URLs name them.
KINDS = {
    "kontaktperson": "indsatser.Kontaktperson",
    "organisationsmedlem": "helhedsplaner.Organisationsmedlem",
    # A version in a contact person's history (by its history number) with an address the entry has no more.
    "tidligere-kontaktperson": "indsatser.HistoricalKontaktperson",
}


@dataclass(frozen=True)
class PersonWithoutAccount:
    kind: str
    pk: int
    number: int  # the entry's number: the person's placeholder where their address is replaced
    navn: str
    email: str  # empty: known by the name

    @classmethod
    def of(cls, kind: str, entry) -> "PersonWithoutAccount":
        return cls(
            kind=kind, pk=entry.pk, number=entry.id, navn=entry.navn, email=getattr(entry, "email", "")
        )

    @property
    def label(self) -> str:
        return f"{self.kind.replace('-', ' ')} nr. {self.pk}"

    @property
    def key(self) -> tuple[str, str]:
        return ("email", self.email.lower()) if self.email else ("navn", self.navn.lower())

    @property
    def anonymised(self) -> bool:
        """Found by an entry anonymised already: nothing is known about them any more."""
        return self.navn.startswith(PLACEHOLDER_PREFIX)

    def contact_persons(self):
        Kontaktperson = model("indsatser.Kontaktperson")
        if self.anonymised:
            return Kontaktperson.objects.none()
        if self.email:
            return contact_persons_with_address(self.email)
        return Kontaktperson.objects.filter(email="", navn__iexact=self.navn)

    def members(self):
        Organisationsmedlem = model("helhedsplaner.Organisationsmedlem")
        if self.anonymised or self.email:
            return Organisationsmedlem.objects.none()
        return Organisationsmedlem.objects.filter(navn__iexact=self.navn)

    def former_contact_versions(self):
        return former_contact_versions("" if self.anonymised else self.email)


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


def search(query: str, limit: int) -> list[Found]:
    """The people without an account with an entry whose name or e-mail address contains `query`, or with a
    version in a contact person's history whose address contains it, by name: at most `limit`, each found by
    the first of their entries."""
    not_anonymised = ~Q(navn__startswith=PLACEHOLDER_PREFIX)
    Kontaktperson = entry_model("kontaktperson")
    contact_persons = (
        Kontaktperson.objects.filter(Q(navn__icontains=query) | Q(email__icontains=query), not_anonymised)
        .select_related("afdeling")
        .order_by("navn", "pk")[:limit]
    )
    members = (
        entry_model("organisationsmedlem")
        .objects.filter(not_anonymised, navn__icontains=query)
        .select_related("plan__indsats")
        .order_by("navn", "pk")[:limit]
    )
    # As former_contact_versions, for every address that contains the query.
    address_still_on_entry = Kontaktperson.objects.filter(pk=OuterRef("id"), email__iexact=OuterRef("email"))
    former_versions = (
        Kontaktperson.history.filter(not_anonymised, email__icontains=query)
        .exclude(Exists(address_still_on_entry))
        .select_related("afdeling")
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
            for entry in former_versions
        ),
    ]
    found = {}
    for kind, entry, where in entries:
        person = PersonWithoutAccount.of(kind, entry)
        found.setdefault(person.key, Found(person)).add(entry.navn, where)
    by_name = sorted(found.values(), key=lambda each: (each.person.navn.lower(), each.person.email.lower()))
    return by_name[:limit]
