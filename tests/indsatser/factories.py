"""Factories and shared set-up functions for the indsats register's tests."""

from datetime import date
from decimal import Decimal

import factory

from indsatser.models import (
    Afslutningsvurdering,
    Aktivitet,
    Aktivitetstype,
    Indikator,
    Indsats,
    Indsatstype,
    Kontaktperson,
    Maalsaetning,
    Maaltal,
    Partner,
    Partnertype,
)
from tests.factories import AfdelingFactory, IndsatsFactory


def indsatstype(kode: str) -> Indsatstype:
    return Indsatstype.objects.get(kode=kode)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ("navn",)

    navn = factory.Sequence(lambda n: f"Partner {n}")
    partnertype = factory.LazyFunction(lambda: Partnertype.objects.order_by("sortering").first())


class AktivitetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Aktivitet

    indsats = factory.SubFactory(IndsatsFactory)
    aktivitetstype = factory.LazyFunction(lambda: Aktivitetstype.objects.get(navn="Lektiecafé"))
    status = Aktivitet.Status.I_GANG


class MaalsaetningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Maalsaetning

    indsats = factory.SubFactory(IndsatsFactory)
    indikator = factory.LazyFunction(lambda: Indikator.objects.filter(bymaal__nummer=1).get())
    baseline = Decimal("20")
    baseline_aar = 2023


class KontaktpersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kontaktperson

    afdeling = factory.SubFactory(AfdelingFactory)
    navn = factory.Sequence(lambda n: f"Kontakt {n}")
    rolle = "Socialrådgiver"
    fra_dato = date(2024, 1, 1)


def active_indsats(**kwargs) -> Indsats:
    """An udviklingsprojekt that is running, with one afdeling and a start date."""
    afdelinger = kwargs.pop("afdelinger", None) or [AfdelingFactory()]
    defaults = {"status": Indsats.Status.AKTIV, "startdato": date(2024, 1, 1), "slutdato": date(2026, 12, 31)}
    return IndsatsFactory(afdelinger=afdelinger, **{**defaults, **kwargs})


def complete_checklist(indsats: Indsats) -> None:
    """Assess all five criteria with a justification (some met, one not: a case-by-case judgement)."""
    for index, kriterium in enumerate(Afslutningsvurdering.Kriterium):
        Afslutningsvurdering.objects.update_or_create(
            indsats=indsats,
            kriterium=kriterium.value,
            defaults={
                "opfyldt": index != 3,
                "begrundelse": f"Styregruppens begrundelse for kriteriet {kriterium.value}.",
            },
        )


def anchor(aktivitet: Aktivitet) -> None:
    aktivitet.forankring = Aktivitet.Forankring.KOMMUNE
    aktivitet.forankring_hvem = "Socialforvaltningen"
    aktivitet.forankring_fra = date(2026, 12, 31)
    aktivitet.save()


def goal_with_values(indsats, values: dict[int, tuple[str | None, str | None]], **kwargs) -> Maalsaetning:
    maalsaetning = MaalsaetningFactory(indsats=indsats, **kwargs)
    for year, (maal, maalt) in values.items():
        Maaltal.objects.create(
            maalsaetning=maalsaetning,
            aar=year,
            maal=Decimal(maal) if maal is not None else None,
            maalt=Decimal(maalt) if maalt is not None else None,
        )
    return maalsaetning
