"""Everything the application holds about one person, with an account or without one (without_account.py),
as plain data for a JSON file: the answer to a request for access (databeskyttelsesforordningens art. 15).
Secrets are never in it: no password hash, no API token nor its digest, no authenticator app's key."""

from django.db.models import Q
from django.utils import timezone
from django_otp import devices_for_user

from config.privacy.anonymiser import address_in_text, model
from config.privacy.without_account import Known
from config.web import audit
from config.web.models import Adgangslog

# The history rows a person made: all of them, as far as any one model goes.
MAX_CHANGES = 100_000


def person_data(user) -> dict:
    address = Known(navn="", email=user.email)
    return {
        "udtrukket": timezone.now(),
        "brugerkonto": {
            "id": user.pk,
            "brugernavn": user.username,
            "fornavn": user.first_name,
            "efternavn": user.last_name,
            "email": user.email,
            "aktiv": user.is_active,
            "superbruger": user.is_superuser,
            "oprettet": user.date_joined,
            "sidste_login": user.last_login,
        },
        "roller": sorted(user.groups.values_list("name", flat=True)),
        "bestyrelsesposter": _board_seats(user),
        "kommentarer": _comments(user),
        "kontaktpersoner": _contact_persons(address.contact_persons()),
        "tidligere_kontaktpersoner": _former_contact_versions(address.former_contact_versions()),
        "beskeder": _notices(user.email),
        "fristpaamindelser": _deadline_reminders(user),
        "valg_af_notifikationer": list(
            model("helhedsplaner.Notifikationsvalg").objects.filter(bruger=user).values("art", "levering")
        ),
        "api_noegler": list(
            model("api.ApiToken")
            .objects.filter(user=user)
            .values("navn", "oprettet", "udloeber", "sidst_brugt", "tilbagekaldt")
        ),
        "totrinslogin": [
            {"navn": device.name, "type": device._meta.verbose_name}
            for device in devices_for_user(user, confirmed=None)
        ],
        "adgangslog": list(
            Adgangslog.objects.filter(user=user).values(
                "tidspunkt", "art", "hvad", "adresse", "klientadresse"
            )
        ),
        "aendringer": [
            {"tid": c.tidspunkt, "art": c.art, "hvad": c.hvad, "model": c.model_label, "id": c.objekt_id}
            for c in audit.changes(user=user, limit=MAX_CHANGES)
        ],
    }


def _board_seats(user) -> list[dict]:
    seats = model("screening.Bestyrelsesmedlem").objects.filter(user=user).select_related("afdeling")
    return [
        {
            "afdeling": str(seat.afdeling),
            "rolle": seat.get_rolle_display(),
            "valgt": seat.valgt_dato,
            "valgt_til": seat.valgt_til,
            "fratraadt": seat.fratraadt,
        }
        for seat in seats.order_by("pk")
    ]


def _comments(user) -> list[dict]:
    comments = model("helhedsplaner.Kommentar").objects.filter(forfatter=user).select_related("plan__indsats")
    return [
        {
            "plan": comment.plan.indsats.titel,
            "afsnit": comment.get_sektion_display(),
            "tekst": comment.tekst,
            "skrevet": comment.oprettet,
            "skrevet_for_afdelingsbestyrelsen_i": comment.bestyrelse_for,
        }
        for comment in comments.order_by("pk")
    ]


def person_without_account_data(person) -> dict:
    return {
        "udtrukket": timezone.now(),
        "person": {
            "kendt_ved": "e-mail" if person.email else "navn",
            "navn": person.navn,
            "email": person.email,
        },
        "kontaktpersoner": _contact_persons(person.contact_persons()),
        "tidligere_kontaktpersoner": _former_contact_versions(person.former_contact_versions()),
        "organisationsmedlemmer": _organisation_members(person.members()),
        "tidligere_organisationsmedlemmer": _former_members(person.former_member_versions()),
        "beskeder": _notices(person.email),
    }


def _contact_person(entry) -> dict:
    """A contact-person entry, or a version of one from its history, as the export writes it."""
    return {
        "afdeling": str(entry.afdeling),
        "navn": entry.navn,
        "rolle": entry.rolle,
        "arbejdssted": entry.organisation,
        "telefon": entry.telefon,
        "email": entry.email,
        "fra": entry.fra_dato,
        "til": entry.til_dato,
    }


def _contact_persons(rows) -> list[dict]:
    return [_contact_person(row) for row in rows.select_related("afdeling").order_by("pk")]


def _former_contact_versions(versions) -> list[dict]:
    """The person's versions in the history of entries that name someone else now, or were deleted: as the
    entry was then, and when it was saved so. A version is the person's by its address, so it can carry
    another name (the entry renamed before its address was changed)."""
    return [
        {**_contact_person(version), "gemt": version.history_date}
        for version in versions.select_related("afdeling").order_by("history_id")
    ]


def _organisation_member(entry) -> dict:
    """A member of a plan's organisation, or a version of one from its history, as the export writes it."""
    return {
        "plan": entry.plan.indsats.titel,
        "gruppe": entry.get_gruppe_display(),
        "navn": entry.navn,
        "rolle": entry.rolle,
    }


def _organisation_members(rows) -> list[dict]:
    return [_organisation_member(row) for row in rows.select_related("plan__indsats").order_by("pk")]


def _former_members(versions) -> list[dict]:
    """The person's versions in the history of members renamed since, or removed from the plan."""
    return [
        {**_organisation_member(version), "gemt": version.history_date}
        for version in versions.select_related("plan__indsats").order_by("history_id")
    ]


def _notices(email: str) -> list[dict]:
    """The notices sent to the address, the password resets asked for with it, and the failed sends whose
    error quotes it."""
    if not email:
        return []
    notices = model("helhedsplaner.Besked").objects.filter(
        Q(sendt_til__icontains=email) | Q(adresse__iexact=email) | Q(fejl__icontains=email)
    )
    quoted = address_in_text(email)
    return [
        {"art": notice.get_art_display(), "oprettet": notice.oprettet, "sendt": notice.sendt}
        for notice in notices.order_by("pk")
        if email.lower() in (address.lower() for address in [*notice.sendt_til, notice.adresse])
        or quoted.search(notice.fejl)
    ]


def _deadline_reminders(user) -> list[dict]:
    reminders = (
        model("helhedsplaner.Fristpaamindelse")
        .objects.filter(modtager=user)
        .select_related("forpligtelse__type", "forpligtelse__plan__indsats")
    )
    return [
        {"om": str(reminder.forpligtelse), "dato": reminder.dato, "mailet": reminder.mailet}
        for reminder in reminders.order_by("pk")
    ]
