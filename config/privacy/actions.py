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
    is_anonymised,
    placeholder,
    remove_address_from_notices,
    serialise_erasures,
)
from config.privacy.models import Anonymisering
from config.privacy.without_account import Known, PersonWithoutAccount, entry_model
from config.web import roles

NOTHING_LEFT = "Der er ikke længere noget om personen at slette: det er allerede anonymiseret eller slettet."


def erase_person(user, begrundelse: str, *, acting_user) -> Anonymisering:
    """The account anonymised and closed (anonymiser.anonymise_account), and the contact persons known by
    the account's e-mail address anonymised too: the entries with it now and the versions with it in the
    history, also of entries that name someone else now. Refused: an account anonymised already, and the last
    active superuser (nobody could administer the application afterwards)."""
    _require_administrator(acting_user)
    with transaction.atomic():
        # One erasure at a time: another one's account (the last superuser but one) or contact persons are as
        # it left them.
        serialise_erasures()
        user = type(user).objects.get(pk=user.pk)
        if is_anonymised(user):
            raise ValidationError("Personen er allerede anonymiseret.")
        if user.is_superuser and user.is_active and not active_superusers().exclude(pk=user.pk).exists():
            raise ValidationError("Den sidste aktive superbruger kan ikke slettes.")
        address = Known(navn="", email=user.email)
        counts = anonymise_account(user, today=timezone.localdate(), acting_user=acting_user)
        counts["kontaktpersoner"], counts["tidligere_kontaktpersoner"] = anonymise_contact_persons(
            address.contact_persons(), address.contact_versions()
        )
        return _record_erasure(counts, begrundelse, acting_user=acting_user, person_id=user.pk)


def erase_person_without_account(
    person: PersonWithoutAccount, begrundelse: str, *, acting_user
) -> Anonymisering:
    """The person's entries as they are now and their versions in the history (also of entries that name
    someone else now or were deleted) anonymised, with the timeline lines and admin log entries written about
    those versions; their e-mail address (if they are known by one) replaced in the notices. Refused when
    nothing about them is left."""
    _require_administrator(acting_user)
    with transaction.atomic():
        # An erasure of the same person started at the same time (from this entry or another of theirs) is
        # done when this one goes on, and has left nothing of theirs.
        serialise_erasures()
        entry = entry_model(person.kind).objects.filter(pk=person.pk).first()
        if entry is None:
            raise ValidationError(NOTHING_LEFT)
        person = PersonWithoutAccount.of(person.kind, entry)
        counts = Counter()
        counts["kontaktpersoner"], counts["tidligere_kontaktpersoner"] = anonymise_contact_persons(
            person.contact_persons(), person.contact_versions()
        )
        counts["planens_organisation"], counts["tidligere_organisationsmedlemmer"] = (
            anonymise_organisation_members(person.members(), person.member_versions())
        )
        if not +counts:
            raise ValidationError(NOTHING_LEFT)
        if person.email:
            counts["beskeder"] = remove_address_from_notices(person.email, placeholder(person.number))
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
