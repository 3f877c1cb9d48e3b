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
    anonymise_organisation_members,
    contact_person_ids,
    forget_old_contact_address,
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
    the account's e-mail address anonymised too. Refused: an account anonymised already, and the last active
    superuser (nobody could administer the application afterwards)."""
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
        contact_persons = contact_person_ids(email)
        counts = anonymise_account(user, today=timezone.localdate(), acting_user=acting_user)
        counts["kontaktpersoner"] = anonymise_contact_persons(contact_persons)
        counts["tidligere_kontaktadresser"] = forget_old_contact_address(email)
        return _record_erasure(counts, begrundelse, acting_user=acting_user, person_id=user.pk)


def erase_person_without_account(
    person: PersonWithoutAccount, begrundelse: str, *, acting_user
) -> Anonymisering:
    """The person's contact-person entries and organisation memberships anonymised, in their history and on
    the timelines too; their e-mail address (if they are known by one) removed from the notices and from the
    history of entries that name someone else now. Refused when nothing about them is left."""
    _require_administrator(acting_user)
    with transaction.atomic():
        # The entry they were found by locked: an erasure started from it at the same time waits, and then
        # finds it anonymised.
        entry = entry_model(person.kind).objects.select_for_update().filter(pk=person.pk).first()
        if entry is None:
            raise ValidationError(NOTHING_LEFT)
        person = PersonWithoutAccount.of(person.kind, entry)
        contact_persons, members = person.contact_person_ids(), person.member_ids()
        if not contact_persons and not members:
            raise ValidationError(NOTHING_LEFT)
        counts = Counter(
            kontaktpersoner=anonymise_contact_persons(contact_persons),
            planens_organisation=anonymise_organisation_members(members),
        )
        if person.email:
            counts["tidligere_kontaktadresser"] = forget_old_contact_address(person.email)
            counts["beskeder"] = remove_address_from_notices(person.email, placeholder(person.pk))
        return _record_erasure(counts, begrundelse, acting_user=acting_user, person_uden_konto=person.label)


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
