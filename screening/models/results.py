"""The screening's results per round, stored so that the overview of thousands of afdelinger can filter, sort
and page in SQL. They are computed by screening.criteria (see screening.results) and hold nothing of their
own: the figures, rules and risk model they come from stay the truth, and a change to those marks the round's
results stale (Screeningsrunde.resultater_beregnet) until they are computed again."""

from django.db import models
from django.db.models import F

from screening import criteria
from screening.models.indicators import Regelsaet, Screeningsrunde
from screening.models.register import Afdeling, Boligomraade

SUGGESTION_CHOICES = [(code, criteria.SUGGESTION_LABELS[code]) for code in criteria.SUGGESTIONS]
SIGNAL_CHOICES = [(level, label) for level, label in criteria.LIGHT_LABELS.items()]
METHOD_CHOICES = list(criteria.METHOD_LABELS.items())


class Omraaderesultat(models.Model):
    """An area's official class in one round (only areas that could be classified have one)."""

    runde = models.ForeignKey(Screeningsrunde, on_delete=models.CASCADE, related_name="omraaderesultater")
    boligomraade = models.ForeignKey(Boligomraade, on_delete=models.CASCADE, related_name="resultater")
    klassifikation = models.CharField("klassifikation", max_length=40)
    label = models.CharField("klasse", max_length=60)
    severity = models.PositiveSmallIntegerField("alvor")
    kriterier = models.CharField("opfyldte kriterier", max_length=10, blank=True)  # e.g. "A,C"
    # skaerpet, lempet or uaendret against the round before; empty when there is nothing to compare with
    aendring = models.CharField("ændring", max_length=10, blank=True)
    # How the area's criteria were found (criteria.area_method): its own figures, exactly from its
    # afdelinger's counts, or approximately from their shares weighted by residents.
    metode = models.CharField("beregning", max_length=12, choices=METHOD_CHOICES, blank=True)
    # The early warning (screening.forecast): the class the trend gives at the next list, and why the area is
    # watched, one reason a line (empty: not watched).
    prognose_klassifikation = models.CharField("klassifikation efter prognosen", max_length=40, blank=True)
    prognose_label = models.CharField("klasse efter prognosen", max_length=60, blank=True)
    prognose_kriterier = models.CharField("kriterier efter prognosen", max_length=10, blank=True)
    advarsler = models.TextField("advarsler", blank=True)

    class Meta:
        verbose_name = "områderesultat"
        verbose_name_plural = "områderesultater"
        constraints = [
            models.UniqueConstraint(fields=["runde", "boligomraade"], name="et_omraaderesultat_pr_runde")
        ]

    def __str__(self):
        return f"{self.boligomraade_id} {self.runde_id}: {self.klassifikation}"

    @property
    def warnings(self) -> list[str]:
        return self.advarsler.splitlines()


class Scenarieresultat(models.Model):
    """An area's class in a round computed under another rule set than the round's own (a scenario), kept
    beside its official result so the overview can show and filter the areas that would change class."""

    omraade = models.ForeignKey(Omraaderesultat, on_delete=models.CASCADE, related_name="scenarier")
    regelsaet = models.ForeignKey(Regelsaet, on_delete=models.CASCADE, related_name="+")
    klassifikation = models.CharField("klassifikation", max_length=40)
    label = models.CharField("klasse", max_length=60)
    severity = models.PositiveSmallIntegerField("alvor")
    kriterier = models.CharField("opfyldte kriterier", max_length=10, blank=True)
    aendret = models.BooleanField("anden klasse end efter rundens regelsæt")

    class Meta:
        verbose_name = "scenarieresultat"
        verbose_name_plural = "scenarieresultater"
        constraints = [
            models.UniqueConstraint(fields=["omraade", "regelsaet"], name="et_scenarieresultat_pr_regelsaet")
        ]

    def __str__(self):
        return f"{self.omraade_id} {self.regelsaet_id}: {self.klassifikation}"


class Afdelingsresultat(models.Model):
    """One afdeling's risk assessment and suggestion in one round. Every afdeling has one in every computed
    round, so the overview lists afdelinger without figures too."""

    runde = models.ForeignKey(Screeningsrunde, on_delete=models.CASCADE, related_name="afdelingsresultater")
    afdeling = models.ForeignKey(Afdeling, on_delete=models.CASCADE, related_name="resultater")
    omraade = models.ForeignKey(
        Omraaderesultat, on_delete=models.CASCADE, null=True, related_name="afdelingsresultater"
    )
    # The risk fields are empty when no risk was assessed: no figures in the round, or no risk model.
    risikoscore = models.PositiveSmallIntegerField("risikoscore", null=True)
    signal = models.CharField("signal", max_length=10, choices=SIGNAL_CHOICES, blank=True)
    roede = models.PositiveSmallIntegerField("røde signaler", null=True)
    gule = models.PositiveSmallIntegerField("gule signaler", null=True)
    risiko_aendring = models.SmallIntegerField("ændring i risikoscore", null=True)
    forslag = models.CharField("foreslået indsats", max_length=30, choices=SUGGESTION_CHOICES, blank=True)

    class Meta:
        verbose_name = "afdelingsresultat"
        verbose_name_plural = "afdelingsresultater"
        constraints = [
            models.UniqueConstraint(fields=["runde", "afdeling"], name="et_afdelingsresultat_pr_runde")
        ]
        # The overview's pages in its default order (highest risk first) read off an index: without it
        # the database sorts all of the round's results (7.500 nationally) for every page.
        indexes = [
            models.Index(
                F("runde"),
                F("risikoscore").desc(nulls_last=True),
                F("afdeling"),
                name="resultat_runde_risiko",
            )
        ]

    def __str__(self):
        return f"{self.afdeling_id} {self.runde_id}: {self.risikoscore}"

    @property
    def assessed(self) -> bool:
        return self.signal != ""
