import factory
from django.utils import timezone

from tutti.provision.models import SchoolAudit, academic_year
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
