import factory
from django.utils import timezone

from tutti.accounts.models import Membership, Role
from tutti.accounts.tests.factories import MembershipFactory
from tutti.clusters.models import ClusterMember
from tutti.core.years import current_academic_year
from tutti.directory.models import Organisation
from tutti.directory.tests.factories import SchoolFactory
from tutti.transition.emails import passport_path
from tutti.transition.models import Passport, PassportStatus

SECONDARY_URN = 126100


def secondary_of(world) -> Organisation:
    """A secondary school in the coordinator's cluster, a kilometre from the world's primary."""
    school = Organisation.objects.filter(urn=SECONDARY_URN).first()
    if school is None:
        school = SchoolFactory(
            name="Devizes School",
            urn=SECONDARY_URN,
            phase="Secondary",
            local_authority=world.la,
            latitude=51.359,
            longitude=-1.99,
        )
        ClusterMember.objects.create(cluster=world.cluster, organisation=school)
    return school


def music_lead_of(hub, school) -> Membership:
    membership = MembershipFactory(hub=hub, role=Role.SCHOOL_MUSIC_LEAD)
    membership.organisations.add(school)
    return membership


class PassportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Passport

    intake_year = factory.LazyFunction(lambda: current_academic_year() + 1)
    family_email = factory.Sequence(lambda n: f"family{n}@example.org")
    child_name = factory.Sequence(lambda n: f"Child {n}")
    instruments = "Cornet"
    level = "Grade 1"
    years_learning = 2


def sent_passport(world, **kwargs) -> Passport:
    return PassportFactory(
        hub=world.hub,
        primary=world.school,
        secondary=secondary_of(world),
        status=PassportStatus.SENT,
        sent_at=timezone.now(),
        **kwargs,
    )


def draft_passport(world, **kwargs) -> Passport:
    existing = Passport.objects.filter(hub=world.hub, status=PassportStatus.DRAFT).first()
    return existing or PassportFactory(hub=world.hub, **kwargs)


def link_of(passport: Passport) -> str:
    passport.hub.refresh_from_db()
    return passport_path(passport)
