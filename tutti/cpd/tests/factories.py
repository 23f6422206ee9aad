"""A hub's CPD network for tests: members, a day past and a day to come, attendance."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from tutti.cpd.models import MemberRole, MemberStatus, NetworkDay, NetworkMember, Term, Thread
from tutti.events.models import Attendance, AttendanceStatus, Booking, BookingStatus
from tutti.events.tests.factories import EventFactory
from tutti.provision.models import Network


def network_of(hub, *, slug: str = "primary-music", name: str = "Primary music CPD network"):
    return Network.objects.filter(slug=slug).first() or Network.objects.create(
        hub=hub,
        slug=slug,
        name=name,
        vision="Confident music teaching in every primary classroom.",
        supply_cover_rate=Decimal("110.00"),
    )


def member_of(network, user, *, school=None, role=MemberRole.MEMBER, status=MemberStatus.ACTIVE):
    return NetworkMember.objects.get_or_create(
        network=network,
        email=user.email.lower(),
        defaults={
            "user": user,
            "name": user.get_full_name() or user.email,
            "school": school,
            "role": role,
            "status": status,
        },
    )[0]


def day_of(network, *, days_from_now: int, term=Term.AUTUMN, year: int = 2025) -> NetworkDay:
    existing = NetworkDay.objects.filter(network=network, term=term, year=year).first()
    if existing:
        return existing
    starts = (timezone.now() + timedelta(days=days_from_now)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    event = EventFactory(
        hub=network.hub,
        title=f"{network.name}: {term} day",
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        is_online=False,
        venue_name="The Minster School",
    )
    return NetworkDay.objects.create(network=network, event=event, year=year, term=term)


def attend(day, member, status=AttendanceStatus.ATTENDED) -> Booking:
    booking = Booking.objects.filter(event=day.event, email=member.email).first() or (
        Booking.objects.create(
            event=day.event,
            user=member.user,
            name=member.name,
            email=member.email,
            status=BookingStatus.CONFIRMED,
        )
    )
    Attendance.objects.update_or_create(
        booking=booking, session=day.event.sessions.first(), defaults={"status": status}
    )
    return booking


@dataclass
class CpdWorld:
    network: Network
    other_network: Network
    member: NetworkMember
    facilitator: NetworkMember
    past_day: NetworkDay
    next_day: NetworkDay
    thread: Thread


def cpd_world(w) -> CpdWorld:
    """Wiltshire's primary network: ``plain`` a member of Devizes Primary who attended the
    past day, ``coordinator`` its facilitator; a secondary network with nobody of theirs."""
    network = network_of(w.hub)
    other = network_of(w.hub, slug="secondary-music", name="Secondary music CPD network")
    member = member_of(network, w.users["plain"], school=w.school)
    facilitator = member_of(
        network, w.users["coordinator"], school=w.school, role=MemberRole.FACILITATOR
    )
    past = day_of(network, days_from_now=-7)
    upcoming = day_of(network, days_from_now=30, term=Term.SPRING)
    attend(past, member)
    thread = Thread.objects.filter(network=network).first() or Thread.objects.create(
        network=network,
        title="Songs for Year 3",
        body="What are you singing this term?",
        author=member,
        last_post_at=timezone.now(),
    )
    return CpdWorld(network, other, member, facilitator, past, upcoming, thread)
