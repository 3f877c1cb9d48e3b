"""The retention rules: every kind of personal data the application anonymises when its time is up, why it is
held and for how long, in one list. The daily task (tasks.anonymise_due) applies them; the administrator's
page and the README show them. The periods are settings (DJANGO_RETENTION_*).

Each rule's `apply(today)` anonymises what is due on that day and returns how many it changed; the cut-off is
"more than N years ago": something that ended exactly N years before today is due tomorrow.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from config.privacy.anonymiser import (
    PLACEHOLDER_PREFIX,
    USERNAME_PREFIX,
    anonymise_account,
    anonymise_contact_persons,
    anonymise_organisation_members,
    every_version,
    model,
    serialise_erasures,
    strip_comment_authors,
)
from config.privacy.models import Anonymisering
from config.web import roles

logger = logging.getLogger(__name__)

# The plan's end states: afsluttet, opgivet or afvist (helhedsplaner.lifecycle), entered at tilstand_siden.
ENDED_PLAN_STATES = ("afsluttet", "opgivet", "afvist")


@dataclass(frozen=True)
class Rule:
    kind: str  # the key of its count in an Anonymisering
    title: str
    held: str  # what is held
    purpose: str  # why, and the legal basis
    period: str  # how long
    apply: Callable[[date], int]


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def rules() -> list[Rule]:
    closing = settings.RETENTION_YEARS_AFTER_CLOSING
    return [
        Rule(
            kind="kommentarer",
            title="Kommentarer til helhedsplaner",
            held="Hvem der skrev en kommentar til en plan eller løste en tråd (teksten hører til sagen).",
            purpose=(
                "Afdelingsbestyrelsens høring og fsb's svar er en del af planens sag over for "
                "Landsbyggefonden og kommunen (databeskyttelsesforordningens art. 6, stk. 1, litra c og f)."
            ),
            period=f"{closing} år efter at planen er afsluttet, opgivet eller afvist. Teksten bliver.",
            apply=lambda today: _comments_on_ended_plans(years_before(today, closing)),
        ),
        Rule(
            kind="planens_organisation",
            title="Planens organisation",
            held="Navne på medlemmer af styregruppe, følgegruppe og partnere.",
            purpose=(
                "Planens organisering indgår i ansøgning og afrapportering til Landsbyggefonden "
                "(art. 6, stk. 1, litra c og f)."
            ),
            period=f"{closing} år efter at planen er afsluttet, opgivet eller afvist.",
            apply=lambda today: _members_of_ended_plans(years_before(today, closing)),
        ),
        Rule(
            kind="kontaktpersoner",
            title="Kontaktpersoner",
            held="Navn, telefon og e-mail på kommunens kontaktperson for en afdeling.",
            purpose=(
                "Kontaktpersonordningen i samarbejdsaftalen med kommunen (art. 6, stk. 1, litra f: "
                "at medarbejderne kan få fat i den rette person)."
            ),
            period=f"{closing} år efter kontaktpersonens periode sluttede (til dato).",
            apply=lambda today: _ended_contact_persons(years_before(today, closing)),
        ),
        Rule(
            kind="bestyrelsesmedlemmer",
            title="Bestyrelsesmedlemmer",
            held="Bestyrelsesmedlemmets konto: navn, e-mail, brugernavn og poster i afdelingsbestyrelser.",
            purpose=(
                "Beboerdemokratiet: hvem der sidder i afdelingsbestyrelsen og derfor må læse og kommentere "
                "afdelingens planer (almenboligloven; art. 6, stk. 1, litra c og f)."
            ),
            period=f"{settings.RETENTION_YEARS_AFTER_SEAT} år efter personens sidste post sluttede.",
            apply=lambda today: _former_board_members(
                years_before(today, settings.RETENTION_YEARS_AFTER_SEAT), today
            ),
        ),
        Rule(
            kind="brugerkonti",
            title="Lukkede brugerkonti",
            held="Navn, e-mail og brugernavn på en lukket (deaktiveret) konto uden bestyrelsesposter.",
            purpose="Login og adgangsstyring, og at se hvem der gjorde hvad (art. 6, stk. 1, litra f).",
            period=f"{settings.RETENTION_YEARS_INACTIVE_ACCOUNT} år efter sidste login (eller oprettelse).",
            apply=lambda today: _closed_accounts(
                years_before(today, settings.RETENTION_YEARS_INACTIVE_ACCOUNT), today
            ),
        ),
        Rule(
            kind="beskeder",
            title="E-mailbeskeder",
            held="De udsendte e-mails: adresserne de blev sendt til, og adressen i en nulstilling af kode.",
            purpose="At sende besked om sagerne og ikke sende den samme to gange (art. 6, stk. 1, litra f).",
            period=f"{settings.RETENTION_DAYS_NOTICES} dage efter at beskeden blev sendt (eller opgivet). "
            "Derefter slettes den.",
            apply=lambda today: _old_notices(today - timedelta(days=settings.RETENTION_DAYS_NOTICES)),
        ),
    ]


def anonymise_due(today: date | None = None) -> dict[str, int]:
    """Every rule applied on `today` (default: today), in one transaction. What was done is recorded as an
    Anonymisering (when anything was) and logged. Returns the count per kind."""
    today = today or timezone.localdate()
    with transaction.atomic():
        serialise_erasures()
        counts = {rule.kind: rule.apply(today) for rule in rules()}
        if any(counts.values()):
            Anonymisering.objects.create(art=Anonymisering.Art.FRIST, antal=counts)
    logger.info("Personoplysninger anonymiseret efter opbevaringsfristen: %s", counts)
    return counts


def _ended_plans(cutoff: date):
    return model("helhedsplaner.Helhedsplan").objects.filter(
        tilstand__in=ENDED_PLAN_STATES, tilstand_siden__lt=start_of(cutoff)
    )


def _comments_on_ended_plans(cutoff: date) -> int:
    comments = model("helhedsplaner.Kommentar").objects.filter(plan__in=_ended_plans(cutoff))
    due = comments.filter(Q(forfatter__isnull=False) | Q(loest_af__isnull=False))
    return strip_comment_authors(due.values_list("id", flat=True))


def _members_of_ended_plans(cutoff: date) -> int:
    Organisationsmedlem = model("helhedsplaner.Organisationsmedlem")
    plans = _ended_plans(cutoff).values("pk")
    # The history too: a member removed from the plan is still named in it.
    named = (
        *Organisationsmedlem.objects.filter(plan__in=plans).values_list("id", "navn"),
        *Organisationsmedlem.history.filter(plan_id__in=plans).values_list("id", "navn"),
    )
    due = {number for number, name in named if not name.startswith(PLACEHOLDER_PREFIX)}
    return sum(anonymise_organisation_members(*every_version(Organisationsmedlem, due)))


def _ended_contact_persons(cutoff: date) -> int:
    Kontaktperson = model("indsatser.Kontaktperson")
    # An entry is due while a version of it names someone: also after an erasure of one person it named, which
    # leaves the others' versions.
    named_versions = Kontaktperson.history.exclude(navn__startswith=PLACEHOLDER_PREFIX)
    live = Kontaktperson.objects.filter(til_dato__lt=cutoff).exclude(
        Q(navn__startswith=PLACEHOLDER_PREFIX), ~Exists(named_versions.filter(id=OuterRef("pk")))
    )
    # A contact person deleted since: their history rows, from when the last one was written.
    deleted = (
        Kontaktperson.history.exclude(id__in=Kontaktperson.objects.values("id"))
        .values("id")
        .annotate(last=Max("history_date"))
        .filter(last__lt=start_of(cutoff), id__in=named_versions.values("id"))
    )
    ids = {*live.values_list("id", flat=True), *(row["id"] for row in deleted)}
    return sum(anonymise_contact_persons(*every_version(Kontaktperson, ids)))


def _not_anonymised():
    return get_user_model().objects.exclude(username__startswith=USERNAME_PREFIX)


def _board_seats():
    return model("screening.Bestyrelsesmedlem").objects.filter(user=OuterRef("pk"))


def _former_board_members(cutoff: date, today: date) -> int:
    seats = _board_seats()
    # Staff's, the secretariat's and administrators' accounts are theirs as employees: the closed accounts'
    # rule keeps them.
    other_roles = [roles.MEDARBEJDER, roles.SEKRETARIAT, roles.ADMINISTRATOR]
    due = (
        _not_anonymised()
        .exclude(is_superuser=True)
        .exclude(groups__name__in=other_roles)
        .filter(Exists(seats))
        .exclude(Exists(seats.filter(Q(fratraadt__isnull=True) | Q(fratraadt__gte=cutoff))))
    )
    return sum(anonymise_account(user, today=today)["brugerkonti"] for user in due)


def _closed_accounts(cutoff: date, today: date) -> int:
    before = start_of(cutoff)
    last_used = Q(last_login__lt=before) | Q(last_login__isnull=True, date_joined__lt=before)
    # A board member's account is kept by the board members' rule, counted from their last seat.
    due = _not_anonymised().filter(last_used, is_active=False).exclude(Exists(_board_seats()))
    return sum(anonymise_account(user, today=today)["brugerkonti"] for user in due)


def _old_notices(cutoff: date) -> int:
    before = start_of(cutoff)
    old = model("helhedsplaner.Besked").objects.filter(Q(sendt__lt=before) | Q(opgivet__lt=before))
    return old.delete()[0]
