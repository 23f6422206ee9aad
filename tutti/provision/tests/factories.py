import factory
from django.utils import timezone

from tutti.core.years import academic_year_for as academic_year
from tutti.provision.models import Network, SchoolAudit
from tutti.provision.tokens import audit_token


def this_year() -> int:
    return academic_year(timezone.localdate())


def audit_path(hub, school, year: int | None = None) -> str:
    """The school's signed audit link, as the hub's staff page gives it."""
    year = this_year() if year is None else year
    token = audit_token(hub_id=hub.pk, school_id=school.pk, year=year)
    return f"/{hub.slug}/provision/audit/{school.pk}/{token}/"


class SchoolAuditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolAudit

    year = factory.LazyFunction(this_year)


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Music for SEND network {n}")
    slug = factory.Sequence(lambda n: f"send-network-{n}")

    @factory.post_generation
    def hubs(self, create, extracted, **kwargs):
        if create and extracted:
            self.hubs.set(extracted)


def network_for(*hubs) -> Network:
    """A network of exactly these hubs, made once."""
    slug = "-".join(h.slug for h in hubs) + "-network"
    return Network.objects.filter(slug=slug).first() or NetworkFactory(slug=slug, hubs=hubs)
