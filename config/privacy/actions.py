"""The administrator's erasure of one person, with an account or without one (without_account.py): everything
about them anonymised at once, as the daily task does when their time is up, and a record that it happened
(without what was erased)."""

from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from config.privacy.anonymiser import (
    active_superusers,
    anonymise_account,
    anonymise_contact_persons,
    anonymise_former_contact_versions,
    anonymise_organisation_members,
    contact_persons_with_address,
    former_contact_versions,
    is_anonymised,
    placeholder,
    remove_address_from_notices,
)
from config.privacy.models import Anonymisering
from config.privacy.without_account import PersonWithoutAccount, entry_model
from config.web import roles

NOTHING_LEFT = "Der er ikke længere noget om personen at slette: det er allerede anonymiseret eller slettet."


def erase_person(user, begrundelse: str, *, acting_user) -> Anonymisering:
    """The account anonymised and closed (anonymiser.anonymise_account), and the contact-person entries with
    the account's e-mail address anonymised too, also where they are only in the history of entries that name
    someone else now. Refused: an account anonymised already, and the last active superuser (nobody could
    administer the application afterwards)."""
    _require_administrator(acting_user)
    with transaction.atomic():
        # Every active superuser locked, in one order: two erasures at once cannot each leave the other as the
        # last one.
        list(active_superusers().select_for_update().order_by("pk"))
        user = type(user).objects.select_for_update().get(pk=user.pk)
        if is_anonymised(user):
            raise ValidationError("Personen er allerede anonymiseret.")
        if user.is_superuser and user.is_active and not active_superusers().exclude(pk=user.pk).exists():
            raise ValidationError("Den sidste aktive superbruger kan ikke slettes.")
        email = user.email
        contact_persons, _, former_versions = lock_rows(
            contact_persons_with_address(email), former_versions=former_contact_versions(email)
        )
        counts = anonymise_account(user, today=timezone.localdate(), acting_user=acting_user)
        counts["kontaktpersoner"] = anonymise_contact_persons(contact_persons)
        counts["tidligere_kontaktpersoner"] = anonymise_former_contact_versions(former_versions)
        return _record_erasure(counts, begrundelse, acting_user=acting_user, person_id=user.pk)


def erase_person_without_account(
    person: PersonWithoutAccount, begrundelse: str, *, acting_user
) -> Anonymisering:
    """The person's contact-person entries, the versions in the history with their address of entries that
    name someone else now, and their organisation memberships anonymised, with the timeline lines about them;
    their e-mail address (if they are known by one) replaced in the notices. Refused when nothing about them
    is left."""
    _require_administrator(acting_user)
    with transaction.atomic():
        entry = entry_model(person.kind).objects.filter(pk=person.pk).first()
        if entry is None:
            raise ValidationError(NOTHING_LEFT)
        person = PersonWithoutAccount.of(person.kind, entry)
        # An erasure of the same person started at the same time (from this entry or another of theirs) waits
        # here, and then finds their rows anonymised: no longer theirs.
        contact_persons, members, former_versions = lock_rows(
            person.contact_persons(), person.members(), person.former_contact_versions()
        )
        if not (contact_persons or members or former_versions):
            raise ValidationError(NOTHING_LEFT)
        counts = Counter(
            kontaktpersoner=anonymise_contact_persons(contact_persons),
            planens_organisation=anonymise_organisation_members(members),
            tidligere_kontaktpersoner=anonymise_former_contact_versions(former_versions),
        )
        if person.email:
            counts["beskeder"] = remove_address_from_notices(person.email, placeholder(person.number))
        return _record_erasure(counts, begrundelse, acting_user=acting_user, person_uden_konto=person.label)


def lock_rows(contact_persons, members=None, former_versions=None) -> tuple[list[int], list[int], list[int]]:
    """The person's rows locked before anything about them changes, always in this order: contact persons,
    organisation members, versions in the contact persons' history, each by number. Two erasures that meet on
    the same rows (of one person started from two of their entries, or of an account and the same address)
    then wait for each other instead of each holding what the other needs. Returns the numbers locked."""
    return tuple(
        list(rows.select_for_update().order_by("pk").values_list("pk", flat=True)) if rows is not None else []
        for rows in (contact_persons, members, former_versions)
    )


def _require_administrator(acting_user):
    if not roles.is_administrator(acting_user):
        raise PermissionDenied("Kun en administrator kan slette en person.")


def _record_erasure(counts: Counter, begrundelse: str, *, acting_user, **person) -> Anonymisering:
    return Anonymisering.objects.create(
        art=Anonymisering.Art.SLETNING,
        udfoert_af=acting_user,
        udfoert_af_navn=acting_user.get_username(),
        begrundelse=begrundelse,
        antal=dict(+counts),
        **person,
    )
