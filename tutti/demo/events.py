"""The demo's What's On: a term of events drawn from the hubs' own announcements (shared/sources).

Dates are set from today, so the events are always coming up. Where a source gives no time,
price or capacity, we chose plausible ones. Devizes area's meeting has one place left, to try
booking the last place and then joining the waiting list.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from tutti.clusters.models import Cluster
from tutti.directory.models import Hub, Organisation
from tutti.events.models import Booking, BookingStatus, Event, EventSession, EventStatus

TUESDAY, WEDNESDAY, THURSDAY, SATURDAY, SUNDAY = 1, 2, 3, 5, 6
TERM = timedelta(weeks=13)


def _on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _in_school_holidays(day: date) -> bool:
    # Roughly: Christmas, and the summer from late July to the end of August.
    return (
        (day.month == 12 and day.day >= 19)
        or (day.month == 1 and day.day <= 4)
        or (day.month == 7 and day.day >= 24)
        or day.month == 8
    )


def _term_weekday(start: date, weekday: int) -> date:
    """The first such weekday on or after ``start`` that is in term time."""
    day = _on_or_after(start, weekday)
    while _in_school_holidays(day):
        day += timedelta(weeks=1)
    return day


def _school_days(start: date):
    """Weekdays in term time, from ``start`` on."""
    day = start
    while True:
        if day.weekday() < SATURDAY and not _in_school_holidays(day):
            yield day
        day += timedelta(days=1)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def _event(
    hub: Hub,
    *,
    title: str,
    summary: str,
    category: str,
    sessions: list[tuple[datetime, datetime, str]],
    **fields: object,
) -> Event:
    event = Event.objects.create(
        hub=hub,
        title=title,
        summary=summary,
        category=hub.event_categories.get(slug=category),
        starts_at=sessions[0][0],
        ends_at=sessions[-1][1],
        status=EventStatus.PUBLISHED,
        published_at=timezone.now(),
        **fields,
    )
    EventSession.objects.bulk_create(
        EventSession(event=event, starts_at=start, ends_at=end, title=name)
        for start, end, name in sessions
    )
    return event


def _day(start: datetime, end_hour: int, end_minute: int = 0, name: str = ""):
    return (start, _at(start.date(), end_hour, end_minute), name)


def load_events(hubs: dict[str, Hub]) -> None:
    today = timezone.localdate()
    _wiltshire(hubs["wiltshire"], today)
    _the_music_partnership(hubs["the-music-partnership"], today)
    _cambridgeshire(hubs["cambridgeshire"], today)


def _wiltshire(hub: Hub, today: date) -> None:
    """Each cluster's termly meeting, after school at one of its schools, every other school day
    from next week."""
    clusters = list(Cluster.objects.filter(hub=hub).order_by("name"))
    school_days = _school_days(today + timedelta(days=3))
    for cluster in clusters:
        day = next(school_days)
        next(school_days)
        venue = (
            cluster.members.filter(latitude__isnull=False, kind="school").order_by("name").first()
        )
        devizes = cluster.name == "Devizes area"
        event = _event(
            hub,
            title=f"{cluster.name} Musical Cluster meeting",
            summary=(
                f"This term's meeting of the {cluster.name} Musical Cluster: share resources, tips "
                "and plans with the area's schools, tutors and providers."
            ),
            description=(
                "Whether you are an experienced music coordinator or not, you are not alone. "
                "Hear about other providers' offers, projects and opportunities, and shape the "
                "CPD and collective projects the cluster takes on next."
            ),
            category="cluster-meetings",
            sessions=[_day(_at(day, 15, 45), 17, 15)],
            cluster=cluster,
            venue=venue,
            is_online=venue is None,
            for_schools=True,
            for_providers=True,
            capacity=10 if devizes else 25,
        )
        if devizes:
            schools = list(cluster.members.order_by("name")[:9])
            Booking.objects.bulk_create(
                Booking(
                    event=event,
                    name=f"Teacher {i}",
                    email=f"devizes.teacher{i}@example.org",
                    organisation_name=school.name,
                    status=BookingStatus.CONFIRMED,
                    confirmed_at=timezone.now(),
                )
                for i, school in enumerate(schools, start=1)
            )


def _the_music_partnership(hub: Hub, today: date) -> None:
    entrust = Organisation.objects.get(name="Entrust Music Service Staffordshire")
    stoke = Organisation.objects.get(name="Stoke-on-Trent Music Service")
    conference = _on_or_after(today + timedelta(weeks=4), SATURDAY)
    _event(
        hub,
        title="Soundpots Conference: Putting Music at the Heart of Early Years Education",
        summary=(
            "Join the Soundpots team and special guest speakers Nicola Burke and Harriet "
            "Atherton to explore best practice and develop key skills for leading music in "
            "Early Years."
        ),
        description=(
            "Guest speaker and workshop leader Harriet Atherton on The Role of Music in the "
            "Communication Triangle: how musical play can support speech and language "
            "development in your Early Years setting.\n\n"
            "Workshops from the Soundpots team through the day."
        ),
        category="conferences",
        sessions=[_day(_at(conference, 9, 30), 15, 30)],
        organiser=entrust,
        venue=entrust,
        for_providers=True,
        for_schools=True,
        capacity=80,
        price=Decimal("35.00"),
        payment_instructions=(
            "We send an invoice to your setting after you book. Pay by bank transfer within "
            "30 days, quoting your booking name."
        ),
    )
    cpd_day = _term_weekday(today + timedelta(weeks=3), TUESDAY)
    _event(
        hub,
        title="Termly CPD Day for music in schools",
        summary=(
            "Expert-led sessions on inclusive songwriting, composition, and hip hop, rap & "
            "grime. Book yourself and your staff: one booking covers the whole day."
        ),
        description="Funded through the Culture Recovery Fund, so free for schools.",
        category="training-and-development-for-schools-and-providers",
        sessions=[
            _day(_at(cpd_day, 9, 30), 11, 0, "Inclusive songwriting"),
            _day(_at(cpd_day, 11, 15), 12, 45, "Composition in the classroom"),
            _day(_at(cpd_day, 13, 30), 15, 0, "Hip hop, rap & grime"),
        ],
        organiser=stoke,
        venue=stoke,
        for_schools=True,
        for_providers=True,
        capacity=40,
    )
    final = _on_or_after(today + timedelta(weeks=7), SUNDAY)
    _event(
        hub,
        title="Staffordshire Young Musician: the live final",
        summary=(
            "Our adjudicators chose the finalists from 108 video entries. Come and hear them "
            "compete for this year's title."
        ),
        category="competitions",
        sessions=[_day(_at(final, 14, 0), 17, 0)],
        organiser=entrust,
        venue=entrust,
        for_young_people=True,
        for_families=True,
        capacity=200,
    )


def _cambridgeshire(hub: Hub, today: date) -> None:
    """A primary and a secondary CPD network: three full days each, one a term."""
    service = Organisation.objects.get(name="Cambridgeshire Music")
    for phase, weekday, weeks in (("Primary", WEDNESDAY, 3), ("Secondary", THURSDAY, 4)):
        first = _term_weekday(today + timedelta(weeks=weeks), weekday)
        days = [_term_weekday(first + TERM * n, weekday) for n in range(3)]
        _event(
            hub,
            title=f"{phase} music CPD network",
            summary=(
                f"A network for {phase.lower()} music teachers, specialist or not: three full "
                "days a year, one a term, led by teachers with outside speakers."
            ),
            description=(
                "Innovation and creativity in the classroom; planning for progression and "
                "transition between key stages; leading and supporting other teachers. "
                "Members keep in touch between meetings and visit each other's schools. "
                "One booking is for all three days; a contribution to supply cover is "
                "available."
            ),
            category="training-and-development-for-schools-and-providers",
            sessions=[
                _day(_at(d, 9, 30), 15, 30, f"Network day {i}") for i, d in enumerate(days, start=1)
            ],
            organiser=service,
            venue=service,
            for_schools=True,
            capacity=30,
        )
