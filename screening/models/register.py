from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from config.web.roles import sees_all_afdelinger


def held_seat(path: str = "") -> Q:
    """A seat that lets its user see the afdeling today: not ended (fratraadt), its term (valgt_til) not over.

    path leads from the model queried to the seat, e.g. "bestyrelsesmedlemmer__". Use it in one filter() call,
    so that every condition is on the same seat.
    """
    return Q(**{f"{path}fratraadt__isnull": True}) & (
        Q(**{f"{path}valgt_til__isnull": True}) | Q(**{f"{path}valgt_til__gte": timezone.localdate()})
    )


def other_digits(text: str) -> bool:
    """Whether the text holds digits of another script ("٩٩٥", "９９５"): an afdeling number written so
    would be another afdeling than the same number in 0-9."""
    return any(character.isdigit() and not character.isascii() for character in text)


class AfdelingQuerySet(models.QuerySet):
    def visible_to(self, user):
        if sees_all_afdelinger(user):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(bestyrelsesmedlemmer__user=user) & held_seat("bestyrelsesmedlemmer__"))


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if sees_all_afdelinger(user):
            return self
        return self.filter(afdelinger__in=Afdeling.objects.visible_to(user)).distinct()


class Boligorganisation(models.Model):
    navn = models.CharField("navn", max_length=120, unique=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "boligorganisation"
        verbose_name_plural = "boligorganisationer"
        ordering = ["navn"]

    def __str__(self):
        return self.navn


class BoligomraadeQuerySet(models.QuerySet):
    def visible_to(self, user):
        if sees_all_afdelinger(user):
            return self
        return self.filter(afdelinger__in=Afdeling.objects.visible_to(user)).distinct()


class Boligomraade(models.Model):
    """Physically connected afdelinger, possibly of several organisations (the unit of the official lists)."""

    navn = models.CharField("navn", max_length=120, unique=True)
    beskrivelse = models.TextField("beskrivelse", blank=True)

    objects = BoligomraadeQuerySet.as_manager()

    class Meta:
        verbose_name = "boligområde"
        verbose_name_plural = "boligområder"
        ordering = ["navn"]

    def __str__(self):
        return self.navn


class Afdeling(models.Model):
    organisation = models.ForeignKey(
        Boligorganisation,
        on_delete=models.PROTECT,
        related_name="afdelinger",
        verbose_name="boligorganisation",
    )
    nummer = models.CharField("afdelingsnummer", max_length=20)
    navn = models.CharField("navn", max_length=120)
    adresse = models.CharField("adresse", max_length=200)
    postnr = models.CharField(
        "postnummer",
        max_length=4,
        validators=[RegexValidator(r"^[0-9]{4}$", "Postnummeret skal være fire cifre.")],
    )
    bydel = models.CharField("bydel", max_length=80, db_index=True)
    boligomraade = models.ForeignKey(
        Boligomraade,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="afdelinger",
        verbose_name="boligområde",
    )
    lejemaal = models.PositiveIntegerField("lejemål")
    areal_m2 = models.DecimalField(
        "areal (m²)", max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    beboere = models.PositiveIntegerField("beboere")
    oprettet = models.DateTimeField(auto_now_add=True)
    aendret = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = AfdelingQuerySet.as_manager()

    class Meta:
        verbose_name = "afdeling"
        verbose_name_plural = "afdelinger"
        ordering = ["organisation__navn", "nummer"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "nummer"],
                name="afdeling_nummer_unik_i_organisation",
                violation_error_message="Afdelingsnummeret findes allerede i denne boligorganisation.",
            )
        ]
        indexes = [models.Index(fields=["navn"])]

    def __str__(self):
        return f"{self.nummer} {self.navn}"


class BestyrelsesmedlemQuerySet(models.QuerySet):
    def visible_to(self, user):
        if sees_all_afdelinger(user):
            return self
        return self.filter(afdeling__in=Afdeling.objects.visible_to(user))

    def held(self):
        """The seats not ended and within their term: only they let a board member see the afdeling."""
        return self.filter(held_seat())

    def past_term(self):
        """Seats not ended whose term (valgt_til) ran out before today: the daily task ends them."""
        return self.filter(fratraadt__isnull=True, valgt_til__lt=timezone.localdate())


class Bestyrelsesmedlem(models.Model):
    """A user's seat on an afdelingsbestyrelse: what links a board member to the afdelinger they may see.

    A person on several boards is one user with a seat on each. A seat that ends stays as a record of who sat
    on the board (fratraadt set) and no longer lets its user see the afdeling. So does a seat whose term has
    run out (valgt_til before today): access ends with the term, and a daily task records the seat as ended.
    """

    class Rolle(models.TextChoices):
        FORMAND = "formand", "Formand"
        NAESTFORMAND = "naestformand", "Næstformand"
        MEDLEM = "medlem", "Medlem"
        SUPPLEANT = "suppleant", "Suppleant"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="bestyrelsesposter",
        verbose_name="bruger",
    )
    afdeling = models.ForeignKey(
        Afdeling, on_delete=models.CASCADE, related_name="bestyrelsesmedlemmer", verbose_name="afdeling"
    )
    rolle = models.CharField("rolle", max_length=20, choices=Rolle.choices, default=Rolle.MEDLEM)
    valgt_dato = models.DateField("valgt", null=True, blank=True)
    valgt_til = models.DateField("valgt til", null=True, blank=True)
    fratraadt = models.DateField("fratrådt", null=True, blank=True)

    history = HistoricalRecords()
    objects = BestyrelsesmedlemQuerySet.as_manager()

    class Meta:
        verbose_name = "bestyrelsesmedlem"
        verbose_name_plural = "bestyrelsesmedlemmer"
        ordering = ["afdeling", "rolle", "user__last_name"]
        constraints = [models.UniqueConstraint(fields=["user", "afdeling"], name="en_post_pr_afdeling")]

    def __str__(self):
        return (
            f"{self.user.get_full_name() or self.user.username} ({self.get_rolle_display()}, {self.afdeling})"
        )


def board_afdeling_ids(user) -> set[int]:
    """Ids of the afdelinger whose board this user sits on now, cached on the user object for the request."""
    cached = getattr(user, "_board_afdeling_ids", None)
    if cached is None:
        cached = set(Bestyrelsesmedlem.objects.held().filter(user=user).values_list("afdeling_id", flat=True))
        user._board_afdeling_ids = cached
    return cached
