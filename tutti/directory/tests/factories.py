import factory

from tutti.directory.models import (
    Expertise,
    Hub,
    LocalAuthority,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipStatus,
)


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{(n % 899) + 100}")
    name = factory.Sequence(lambda n: f"Authority {n}")
    gss_code = ""


class HubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hub
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Hub {n}")
    slug = factory.Sequence(lambda n: f"hub-{n}")

    @factory.post_generation
    def local_authorities(self, create, extracted, **kwargs):
        if create:
            self.local_authorities.set(extracted or [LocalAuthorityFactory()])


class ExpertiseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expertise
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Expertise {n}")
    slug = factory.Sequence(lambda n: f"expertise-{n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    """A school from the register. Pass ``local_authority`` to put it in a hub's area."""

    class Meta:
        model = Organisation

    kind = OrganisationKind.SCHOOL
    name = factory.Sequence(lambda n: f"School {n} Primary")
    urn = factory.Sequence(lambda n: 900000 + n)
    phase = "Primary"
    postcode = "SN10 1AA"
    town = "Devizes"
    latitude = 51.35
    longitude = -1.99
    local_authority = factory.SubFactory(LocalAuthorityFactory)


class OrganisationFactory(factory.django.DjangoModelFactory):
    """A non-school organisation. Pass ``hub`` to make it an active partner of that hub."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    kind = OrganisationKind.MUSIC_SERVICE
    name = factory.Sequence(lambda n: f"Music Service {n}")
    town = "Salisbury"
    postcode = "SP1 1AA"
    latitude = 51.07
    longitude = -1.79

    @factory.post_generation
    def hub(self, create, extracted, **kwargs):
        if create and extracted:
            Partnership.objects.create(
                hub=extracted, organisation=self, status=PartnershipStatus.ACTIVE
            )
