"""The demo's CPD networks: Wiltshire runs a primary and a secondary network, in the style of
Nottinghamshire's (three days a year, one a term, coordinated by a school, members presenting
to each other, a contribution to supply cover for each day attended).

THE PEOPLE ARE MADE UP FOR THE DEMO, at example.org addresses, and so are their posts, claims,
visits and survey answers. The schools are real schools of Wiltshire from the national
register; none of them takes part in such a network on Tutti.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.text import slugify

from tutti.accounts.models import User
from tutti.core.years import academic_year_for
from tutti.cpd.models import (
    ClaimStatus,
    DaySession,
    MemberRole,
    MemberStatus,
    NetworkDay,
    NetworkMember,
    PeerVisit,
    Question,
    Reply,
    Resource,
    SupplyClaim,
    Survey,
    SurveyResponse,
    Term,
    Thread,
    VisitStatus,
)
from tutti.directory.models import Hub, Organisation, OrganisationKind
from tutti.events.models import (
    Attendance,
    AttendanceStatus,
    Booking,
    BookingStatus,
    Event,
    EventSession,
    EventStatus,
)
from tutti.provision.models import Network

DEMO_PASSWORD = "tutti-demo"  # noqa: S105 - printed for people trying the demo
PEOPLE = {
    "primary": [
        ("Amira", "Khan"),
        ("Tom", "Ellery"),
        ("Grace", "Oduya"),
        ("Rhys", "Pritchard"),
        ("Hannah", "Boyce"),
        ("Priya", "Natarajan"),
        ("Owen", "Lacey"),
    ],
    "secondary": [
        ("Sophie", "Marsh"),
        ("Daniel", "Osei"),
        ("Leah", "Fairbairn"),
        ("Marcus", "Webb"),
        ("Nia", "Holloway"),
    ],
}
PROGRAMME = {
    "primary": [
        [
            (9, 30, 10, 45, "Singing games for Key Stage 1", None),
            (11, 0, 12, 15, "Whole-class ukulele: the first six weeks", 0),
            (13, 15, 14, 30, "Model Music Curriculum: planning a year", None),
            (14, 45, 15, 30, "Sharing what worked this term", 1),
        ],
        [
            (9, 30, 10, 45, "Composing with percussion in Years 3 and 4", 2),
            (11, 0, 12, 15, "Assessing progress without a test", None),
            (13, 15, 15, 0, "Music for pupils with SEND: adaptive instruments", None),
        ],
        [
            (9, 30, 11, 0, "Leading a school choir", None),
            (11, 15, 12, 30, "Music technology on a tablet", 3),
            (13, 30, 15, 0, "Writing your Music Development Plan", None),
        ],
    ],
    "secondary": [
        [
            (9, 30, 11, 0, "GCSE composition: feedback that moves work on", 0),
            (11, 15, 12, 30, "Key Stage 3 keyboard skills", None),
            (13, 30, 15, 0, "Recruiting and keeping instrumental pupils", 1),
        ],
        [
            (9, 30, 11, 0, "Music technology: DAWs in the classroom", None),
            (11, 15, 12, 30, "A-level analysis: set works", 2),
            (13, 30, 15, 0, "Ensembles across a trust", None),
        ],
        [
            (9, 30, 11, 0, "Inclusive ensembles", None),
            (11, 15, 12, 30, "Working with the hub's tutors", None),
            (13, 30, 15, 0, "Planning next year together", 3),
        ],
    ],
}
SPEAKERS = [
    "Wiltshire Music Connect's curriculum lead",
    "A visiting speaker from a national music education charity",
    "The hub's SEND adviser",
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def _schools(hub: Hub, phase: str) -> list[Organisation]:
    schools = Organisation.objects.filter(
        kind=OrganisationKind.SCHOOL, local_authority__hubs=hub, phase__icontains=phase
    ).order_by("name")
    return list(schools[:8])


def _members(network: Network, key: str, schools: list[Organisation]) -> list[NetworkMember]:
    password = make_password(DEMO_PASSWORD)
    members = []
    for n, (first, last) in enumerate(PEOPLE[key]):
        email = f"{first}.{last}@example.org".lower()
        user, _ = User.objects.get_or_create(
            email=email,
            defaults={
                "username": email,
                "first_name": first,
                "last_name": last,
                "password": password,
            },
        )
        status = MemberStatus.ACTIVE
        if n == len(PEOPLE[key]) - 1:
            status = MemberStatus.REQUESTED
        member, _ = NetworkMember.objects.update_or_create(
            network=network,
            email=email,
            defaults={
                "user": user,
                "name": f"{first} {last}",
                "school": schools[n % len(schools)] if schools else None,
                "role": MemberRole.FACILITATOR if n < 2 else MemberRole.MEMBER,
                "status": status,
                "message": "I would like to share ideas with other schools." if n else "",
            },
        )
        members.append(member)
    NetworkMember.objects.get_or_create(
        network=network,
        email=f"invited.{key}@example.org",
        defaults={"name": "A teacher invited by the hub", "status": MemberStatus.INVITED},
    )
    return members


def _day(
    network: Network, key: str, term: str, number: int, day: date, year: int, members
) -> NetworkDay:
    hub = network.hub
    assert hub is not None  # noqa: S101 - the demo's networks are the hub's own
    event = Event.objects.create(
        hub=hub,
        title=f"{network.name}: {Term(term).label.lower()} term day",
        summary=network.vision[:200],
        description=network.vision,
        category=hub.event_categories.get(slug=slugify(TRAINING)),
        for_schools=True,
        venue=network.lead_organisation,
        organiser=network.lead_organisation,
        starts_at=_at(day, 9, 15),
        ends_at=_at(day, 15, 30),
        capacity=30,
        booking_opens_at=_at(day, 9, 15),
        status=EventStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    EventSession.objects.create(
        event=event, starts_at=event.starts_at, ends_at=event.ends_at, title=event.title
    )
    network_day = NetworkDay.objects.create(network=network, event=event, year=year, term=term)
    DaySession.objects.bulk_create(
        DaySession(
            day=network_day,
            starts_at=time(h1, m1),
            ends_at=time(h2, m2),
            title=title,
            presenters=str(members[who]) if who is not None else SPEAKERS[i % len(SPEAKERS)],
            presenter_member=members[who] if who is not None else None,
        )
        for i, (h1, m1, h2, m2, title, who) in enumerate(PROGRAMME[key][number])
    )
    return network_day


TRAINING = "Training and Development for Schools and Providers"


def _attend(day: NetworkDay, members: list[NetworkMember]) -> None:
    session = day.event.sessions.get()
    active = [m for m in members if m.status == MemberStatus.ACTIVE]
    bookings = Booking.objects.bulk_create(
        Booking(
            event=day.event,
            user=m.user,
            name=m.name,
            email=m.email,
            organisation_name=m.school.name if m.school else "",
            status=BookingStatus.CONFIRMED,
            confirmed_at=timezone.now(),
        )
        for m in active
    )
    if day.event.starts_at > timezone.now():
        return
    Attendance.objects.bulk_create(
        Attendance(
            booking=b,
            session=session,
            # One member could not come to each day.
            status=AttendanceStatus.ABSENT if n == len(bookings) - 1 else AttendanceStatus.ATTENDED,
        )
        for n, b in enumerate(bookings)
    )


def _claims(days: list[NetworkDay], members: list[NetworkMember], rate: Decimal) -> None:
    """Claims in each state: the first day's decided, the second's waiting."""
    claims = []
    for d, day in enumerate(days):
        attended = Attendance.objects.filter(
            booking__event=day.event, status=AttendanceStatus.ATTENDED
        ).values_list("booking__email", flat=True)
        for n, member in enumerate(m for m in members if m.email in set(attended)):
            if member.school is None:
                continue
            status = ClaimStatus.PENDING
            reason = ""
            if d == 0:
                status = ClaimStatus.REJECTED if n == 1 else ClaimStatus.APPROVED
                reason = "The school told us it needed no cover that day." if n == 1 else ""
            claims.append(
                SupplyClaim(
                    day=day,
                    member=member,
                    school=member.school,
                    amount=rate,
                    status=status,
                    reason=reason,
                    decided_at=timezone.now() if status != ClaimStatus.PENDING else None,
                )
            )
    SupplyClaim.objects.bulk_create(claims)


def _space(network: Network, members: list[NetworkMember]) -> None:
    now = timezone.now()
    Resource.objects.bulk_create(
        [
            Resource(
                network=network,
                title="Model Music Curriculum (Department for Education)",
                description="The non-statutory curriculum the network plans its days around.",
                tags="curriculum, planning",
                link="https://www.gov.uk/government/publications/teaching-music-in-schools",
                added_by=members[0],
            ),
            Resource(
                network=network,
                title="Warm-ups that work with a whole class",
                description="Five vocal warm-ups shared at the autumn day.",
                tags="singing, warm-ups",
                link="https://example.org/warm-ups",
                added_by=members[2],
            ),
        ]
    )
    thread = Thread.objects.create(
        network=network,
        title="What are you singing this term?",
        body="We are learning **three rounds** for the carol service. Any favourites?",
        author=members[1],
        pinned=True,
        last_post_at=now,
    )
    Reply.objects.bulk_create(
        [
            Reply(
                thread=thread, body="*London's Burning* never fails with Year 3.", author=members[2]
            ),
            Reply(
                thread=thread, body="We used the hub's song bank: see Resources.", author=members[3]
            ),
        ]
    )
    Thread.objects.create(
        network=network,
        title="Visiting each other's lessons next term",
        body="Who could host a visit in February? I would love to see a ukulele lesson.",
        author=members[3],
        last_post_at=now - timedelta(days=3),
    )
    PeerVisit.objects.bulk_create(
        [
            PeerVisit(
                network=network,
                host=members[0],
                visitor=members[2],
                focus="Whole-class ukulele in Year 4",
                status=VisitStatus.ACCEPTED,
                date=timezone.localdate() - timedelta(days=10),
                host_reflection="Good to talk through how I group the class.",
                visitor_reflection="I will try the call-and-response start next week.",
            ),
            PeerVisit(
                network=network,
                host=members[1],
                focus="Singing assembly with the whole school",
                status=VisitStatus.OFFERED,
            ),
        ]
    )


SURVEY = [
    (
        "several",
        "What would help your teaching most?",
        ["Singing", "Instruments", "Composing", "Technology", "Assessment"],
    ),
    ("scale", "How confident are you teaching music?", []),
    ("one", "Which day suits you best?", ["Monday", "Wednesday", "Friday"]),
    ("text", "Anything else the network should plan for?", []),
]
ANSWERS = [
    (["Singing", "Composing"], 2, "Wednesday", "More on composing, please."),
    (["Technology"], 4, "Friday", ""),
    (["Singing", "Assessment"], 3, "Wednesday", "Assessment ideas for Key Stage 2."),
    (["Instruments", "Singing"], 2, "Monday", ""),
    (["Composing"], 3, "Wednesday", "Time to plan with other schools."),
    (["Singing"], 1, "Friday", ""),
]


def _survey(network: Network, members: list[NetworkMember]) -> None:
    survey = Survey.objects.create(
        network=network,
        title="What should next year's days cover?",
        intro="Five minutes: it shapes next year's three days.",
        is_open=True,
    )
    questions = Question.objects.bulk_create(
        Question(survey=survey, position=n, kind=kind, text=text, choices=choices)
        for n, (kind, text, choices) in enumerate(SURVEY)
    )
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            survey=survey,
            member=members[n % len(members)],
            school=members[n % len(members)].school,
            answers={
                str(q.pk): value
                for q, value in zip(questions, answer, strict=True)
                if value not in ("", [])
            },
        )
        for n, answer in enumerate(ANSWERS)
    )


def _network(hub: Hub, key: str, today: date) -> None:
    schools = _schools(hub, key)
    if not schools:
        return
    lead = _schools(hub, "secondary")[:1] or schools[:1]
    network, created = Network.objects.get_or_create(
        slug=f"{hub.slug}-{key}-cpd",
        defaults={
            "hub": hub,
            "name": f"{key.capitalize()} music CPD network",
            "vision": (
                f"Every {key} teacher in Wiltshire confident to teach music: three days a year, "
                "led by schools and teachers, shaped by what schools tell us they need."
            ),
            "description": (
                "Members deliver sessions to each other, share resources between meetings and "
                "visit each other's classrooms. Made up for the demo."
            ),
            "lead_organisation": lead[0],
            "supply_cover_rate": Decimal("110.00"),
        },
    )
    if not created:
        return
    members = _members(network, key, schools)
    year = academic_year_for(today)
    days = [
        _day(network, key, Term.AUTUMN, 0, today - timedelta(days=56), year, members),
        _day(network, key, Term.SPRING, 1, today - timedelta(days=4), year, members),
        _day(network, key, Term.SUMMER, 2, today + timedelta(days=45), year, members),
    ]
    for day in days:
        _attend(day, members)
    _claims(days[:2], members, network.supply_cover_rate)
    _space(network, members)
    _survey(network, members)


def load_cpd(hubs: dict[str, Hub], today: date) -> None:
    hub = hubs["wiltshire"]
    _network(hub, "primary", today)
    _network(hub, "secondary", today)
