"""People the application names who have no account: contact persons (kontaktpersonordningen) and members of
plans' organisations (styregruppe, følgegruppe, partners).

Such a person is found by one entry of theirs, named by its kind and number ("kontaktperson nr. 12": in the
URL and in the record of an erasure, never their name or address). From it they are known by the entry's
e-mail address when it has one, otherwise by its name (letter case aside):
- by e-mail: every contact-person entry with that address now, and the e-mail notices to the address;
- by name: every contact-person entry without an address, and every organisation member, with that name now.
So every entry belongs to exactly one such person, who is the same from any of their entries. One human being
can be two of them (an address on a contact-person entry, only the name in a styregruppe): the search shows
both, and the administrator decides.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from config.privacy.anonymiser import PLACEHOLDER_PREFIX, contact_person_ids, model

# The kinds of entry, as the URLs name them.
KINDS = {
    "kontaktperson": "indsatser.Kontaktperson",
    "organisationsmedlem": "helhedsplaner.Organisationsmedlem",
}


@dataclass(frozen=True)
class PersonWithoutAccount:
    kind: str
    pk: int
    navn: str
    email: str  # empty: known by the name

    @classmethod
    def of(cls, kind: str, entry) -> "PersonWithoutAccount":
        return cls(kind=kind, pk=entry.pk, navn=entry.navn, email=getattr(entry, "email", ""))

    @property
    def label(self) -> str:
        return f"{self.kind} nr. {self.pk}"

    @property
    def key(self) -> tuple[str, str]:
        return ("email", self.email.lower()) if self.email else ("navn", self.navn.lower())

    @property
    def anonymised(self) -> bool:
        """Found by an entry anonymised already: nothing is known about them any more."""
        return self.navn.startswith(PLACEHOLDER_PREFIX)

    def contact_person_ids(self) -> set[int]:
        if self.anonymised:
            return set()
        if self.email:
            return contact_person_ids(self.email)
        entries = model("indsatser.Kontaktperson").objects.filter(email="", navn__iexact=self.navn)
        return set(entries.values_list("id", flat=True))

    def member_ids(self) -> set[int]:
        if self.anonymised or self.email:
            return set()
        members = model("helhedsplaner.Organisationsmedlem").objects.filter(navn__iexact=self.navn)
        return set(members.values_list("id", flat=True))


def entry_model(kind: str):
    return model(KINDS[kind])


@dataclass
class Found:
    person: PersonWithoutAccount
    where: list[str] = field(default_factory=list)  # the entries found: "Kontaktperson for 01-52 Tingbjerg"


def search(query: str, limit: int) -> list[Found]:
    """The people without an account with an entry whose name or e-mail address contains `query`, by name: at
    most `limit`, each found by the first of their entries."""
    not_anonymised = ~Q(navn__startswith=PLACEHOLDER_PREFIX)
    contact_persons = (
        entry_model("kontaktperson")
        .objects.filter(Q(navn__icontains=query) | Q(email__icontains=query), not_anonymised)
        .select_related("afdeling")
        .order_by("navn", "pk")[:limit]
    )
    members = (
        entry_model("organisationsmedlem")
        .objects.filter(not_anonymised, navn__icontains=query)
        .select_related("plan__indsats")
        .order_by("navn", "pk")[:limit]
    )
    entries = [
        *(("kontaktperson", entry, f"Kontaktperson for {entry.afdeling}") for entry in contact_persons),
        *(
            ("organisationsmedlem", entry, f"{entry.get_gruppe_display()} i {entry.plan.indsats.titel}")
            for entry in members
        ),
    ]
    found = {}
    for kind, entry, where in entries:
        person = PersonWithoutAccount.of(kind, entry)
        found.setdefault(person.key, Found(person)).where.append(where)
    by_name = sorted(found.values(), key=lambda each: (each.person.navn.lower(), each.person.email.lower()))
    return by_name[:limit]
