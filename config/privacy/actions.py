"""The administrator's erasure of one person: everything about them anonymised at once, as the daily task
does when their time is up, and a record that it happened (without what was erased)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from config.privacy.anonymiser import (
    active_superusers,
    anonymise_account,
    anonymise_contact_persons,
    contact_person_ids,
    forget_old_contact_address,
    is_anonymised,
)
from config.privacy.models import Anonymisering
from config.web import roles


def erase_person(user, begrundelse: str, *, acting_user) -> Anonymisering:
    """The account anonymised and closed (anonymiser.anonymise_account), and the contact-person entries with
    the account's e-mail address anonymised too. Refused: an account anonymised already, and the last active
    superuser (nobody could administer the application afterwards)."""
    if not roles.is_administrator(acting_user):
        raise PermissionDenied("Kun en administrator kan slette en person.")
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
        return Anonymisering.objects.create(
            art=Anonymisering.Art.SLETNING,
            udfoert_af=acting_user,
            udfoert_af_navn=acting_user.get_username(),
            person_id=user.pk,
            begrundelse=begrundelse,
            antal=dict(+counts),
        )
