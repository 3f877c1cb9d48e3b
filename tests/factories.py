"""factory_boy factories shared by the whole suite."""

from decimal import Decimal

import factory
from django.contrib.auth.models import Group, User

from indsatser.models import Indsats, Indsatstype
from screening.models import Afdeling, Bestyrelsesmedlem, Boligomraade, Boligorganisation


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"bruger{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.django.Password("demo")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Boligorganisation
        django_get_or_create = ("navn",)

    navn = factory.Sequence(lambda n: f"Organisation {n}")


class OmraadeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Boligomraade
        django_get_or_create = ("navn",)

    navn = factory.Sequence(lambda n: f"Område {n}")


class AfdelingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Afdeling

    organisation = factory.SubFactory(OrganisationFactory)
    nummer = factory.Sequence(lambda n: f"{n // 100:02d}-{n % 100:02d}")
    navn = factory.Sequence(lambda n: f"Afdeling {n}")
    adresse = factory.Sequence(lambda n: f"Testvej {n}")
    postnr = "2400"
    bydel = "Bispebjerg"
    boligomraade = factory.SubFactory(OmraadeFactory)
    lejemaal = 200
    areal_m2 = Decimal("15000.00")
    beboere = 450


class BestyrelsesmedlemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bestyrelsesmedlem

    user = factory.SubFactory(UserFactory, role="afdelingsbestyrelse")
    afdeling = factory.SubFactory(AfdelingFactory)


class IndsatsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indsats
        skip_postgeneration_save = True

    titel = factory.Sequence(lambda n: f"Indsats {n}")
    type = factory.LazyFunction(lambda: Indsatstype.objects.get(kode=Indsatstype.UDVIKLINGSPROJEKT))

    @factory.post_generation
    def afdelinger(self, create, extracted, **kwargs):
        if extracted:
            self.afdelinger.set(extracted)


class HelhedsplanFactory(factory.django.DjangoModelFactory):
    """A helhedsplan in its first state (idé og analyse); move it on with helhedsplaner.lifecycle.fire."""

    class Meta:
        model = "helhedsplaner.Helhedsplan"

    indsats = factory.SubFactory(
        IndsatsFactory,
        type=factory.LazyFunction(lambda: Indsatstype.objects.get(kode=Indsatstype.HELHEDSPLAN)),
    )
    resume = "En helhedsplan for områdets børn, unge og familier."
    analyse = "Mange unge uden uddannelse og job, og utryghed i området om aftenen."
