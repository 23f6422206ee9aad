"""Reads of a hub's CPD networks, always through the hub or the network."""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from tutti.core.personal_data import ErasurePlan, iso, plural
from tutti.cpd.models import (
    DaySession,
    MemberStatus,
    NetworkDay,
    NetworkMember,
    PeerVisit,
    QuestionKind,
    Reply,
    SupplyClaim,
    Survey,
    SurveyResponse,
    Thread,
    VisitStatus,
)
from tutti.directory.models import Hub, Organisation
from tutti.events.models import Attendance, AttendanceStatus, Booking, BookingStatus
from tutti.provision.models import CpdTopic, Network, SchoolAudit


def hub_networks(*, hub: Hub) -> QuerySet[Network]:
    """The hub's own CPD networks (not the networks of hubs it belongs to)."""
    return Network.objects.filter(hub=hub).select_related("lead_organisation")


def network_hub(network: Network) -> Hub:
    """The hub that runs a CPD network (every network of this app has one)."""
    hub = network.hub
    if hub is None:
        raise Http404("This network is not run by a hub.")
    return hub


def network_get(*, hub: Hub, slug: str) -> Network | None:
    return hub_networks(hub=hub).filter(slug=slug).first()


def member_for(*, network: Network, user: Any) -> NetworkMember | None:
    """The person's place in the network: by account, or an invitation to their address."""
    if not user.is_authenticated:
        return None
    return (
        NetworkMember.objects.filter(network=network)
        .filter(Q(user=user) | Q(email__iexact=user.email))
        .select_related("school")
        .first()
    )


def members(*, network: Network, status: str = MemberStatus.ACTIVE) -> QuerySet[NetworkMember]:
    return NetworkMember.objects.filter(network=network, status=status).select_related("school")


def facilitators(*, network: Network) -> QuerySet[NetworkMember]:
    return members(network=network).filter(role="facilitator")


def network_days(*, network: Network) -> QuerySet[NetworkDay]:
    return (
        NetworkDay.objects.filter(network=network)
        .select_related("event", "network")
        .prefetch_related("programme__presenter_member")
        .order_by("event__starts_at")
    )


def day_get(*, network: Network, pk: int) -> NetworkDay | None:
    return network_days(network=network).filter(pk=pk).first()


def member_booking(*, day: NetworkDay, member: NetworkMember) -> Booking | None:
    return (
        Booking.objects.filter(event_id=day.event_id, email__iexact=member.email)
        .exclude(status=BookingStatus.CANCELLED)
        .first()
    )


@dataclass
class RegisterRow:
    booking: Booking
    status: str


def day_register(*, day: NetworkDay) -> list[RegisterRow]:
    """Everyone with a confirmed place on the day, with their mark so far ("" before any)."""
    session = day.event.sessions.first()
    marks = (
        dict(Attendance.objects.filter(session=session).values_list("booking_id", "status"))
        if session
        else {}
    )
    bookings = Booking.objects.filter(event_id=day.event_id, status=BookingStatus.CONFIRMED)
    return [RegisterRow(b, marks.get(b.pk, "")) for b in bookings.order_by("name")]


def claimable_members(*, day: NetworkDay, school: Organisation) -> list[NetworkMember]:
    """The school's members who attended the day and have no claim for it yet."""
    came = Booking.objects.filter(
        event_id=day.event_id,
        status=BookingStatus.CONFIRMED,
        email__iexact=OuterRef("email"),
        attendances__status=AttendanceStatus.ATTENDED,
    )
    claimed = SupplyClaim.objects.filter(day=day, member=OuterRef("pk"))
    return list(
        NetworkMember.objects.filter(network_id=day.network_id, school=school)
        .filter(Exists(came))
        .exclude(Exists(claimed))
    )


def school_claims(*, network: Network, school: Organisation) -> QuerySet[SupplyClaim]:
    return SupplyClaim.objects.filter(day__network=network, school=school).select_related(
        "day__event", "member"
    )


def hub_claims(*, hub: Hub, status: str | None = None) -> QuerySet[SupplyClaim]:
    claims = SupplyClaim.objects.filter(day__network__hub=hub).select_related(
        "day__event", "day__network", "member", "school"
    )
    return claims.filter(status=status) if status else claims


def hub_claim_get(*, hub: Hub, pk: int) -> SupplyClaim | None:
    return hub_claims(hub=hub).filter(pk=pk).first()


@dataclass
class SchoolTotal:
    school: Organisation
    claims: int
    amount: Decimal


def claim_totals(*, claims: QuerySet[SupplyClaim]) -> list[SchoolTotal]:
    """The total of the given claims for each school, by school name."""
    rows = claims.values("school").annotate(total=Sum("amount")).order_by()
    schools = {s.pk: s for s in Organisation.objects.filter(pk__in=[r["school"] for r in rows])}
    counts = Counter(claims.values_list("school", flat=True))
    totals = [
        SchoolTotal(schools[r["school"]], counts[r["school"]], r["total"] or Decimal(0))
        for r in rows
    ]
    return sorted(totals, key=lambda t: t.school.name)


# The space


def threads(*, network: Network, show_hidden: bool = False) -> QuerySet[Thread]:
    qs = Thread.objects.filter(network=network).select_related("author")
    return qs if show_hidden else qs.filter(hidden=False)


def thread_get(*, network: Network, pk: int, show_hidden: bool = False) -> Thread | None:
    return threads(network=network, show_hidden=show_hidden).filter(pk=pk).first()


def thread_replies(*, thread: Thread, show_hidden: bool = False) -> QuerySet[Reply]:
    qs = thread.replies.select_related("author")
    return qs if show_hidden else qs.filter(hidden=False)


# A member's CPD record


@dataclass
class DayRecord:
    day: NetworkDay
    hours: float
    sessions: list[str]


@dataclass
class CpdRecord:
    days: list[DayRecord] = field(default_factory=list)
    visits: list[PeerVisit] = field(default_factory=list)

    @property
    def hours(self) -> float:
        return round(sum(d.hours for d in self.days) + sum(float(v.hours) for v in self.visits), 2)


def day_hours(day: NetworkDay) -> float:
    return round(sum(s.hours for s in day.event.sessions.all()), 2)


def member_record(*, member: NetworkMember, year: int | None = None) -> CpdRecord:
    """The days the member attended (with their hours and programme) and their agreed visits."""
    attended = Attendance.objects.filter(
        booking__email__iexact=member.email,
        booking__status=BookingStatus.CONFIRMED,
        status=AttendanceStatus.ATTENDED,
    ).values("booking__event_id")
    days = (
        network_days(network=member.network)
        .filter(event_id__in=attended)
        .prefetch_related(Prefetch("event__sessions"))
    )
    if year is not None:
        days = days.filter(year=year)
    record = CpdRecord()
    for day in days:
        record.days.append(
            DayRecord(day, day_hours(day), [item.title for item in day.programme.all()])
        )
    visits = PeerVisit.objects.filter(
        Q(host=member) | Q(visitor=member), status=VisitStatus.ACCEPTED, date__isnull=False
    )
    record.visits = list(visits.select_related("host", "visitor"))
    return record


def member_visits(*, member: NetworkMember) -> QuerySet[PeerVisit]:
    return PeerVisit.objects.filter(
        Q(host=member) | Q(visitor=member) | Q(network=member.network, status="offered")
    ).select_related("host__school", "visitor__school")


# Needs surveys and planning


@dataclass
class QuestionResult:
    text: str
    kind: str
    answered: int
    counts: list[tuple[str, int]]
    texts: list[str]


def survey_results(*, survey: Survey) -> list[QuestionResult]:
    """Each question's answers counted (choices, 1 to 5) or listed (text)."""
    responses = [r.answers for r in survey.responses.all()]
    results = []
    for q in survey.questions.all():
        given = [a[str(q.pk)] for a in responses if str(q.pk) in a]
        counter: Counter[str] = Counter()
        texts: list[str] = []
        if q.kind == QuestionKind.SEVERAL:
            for values in given:
                counter.update(values)
        elif q.kind == QuestionKind.TEXT:
            texts = [str(v) for v in given]
        else:
            counter.update(str(v) for v in given)
        labels = (
            q.choices
            if q.kind in (QuestionKind.ONE, QuestionKind.SEVERAL)
            else ["1", "2", "3", "4", "5"]
        )
        results.append(
            QuestionResult(
                q.text,
                q.kind,
                len(given),
                [(c, counter[c]) for c in labels] if not texts else [],
                texts,
            )
        )
    return results


def audit_cpd_wanted(*, hub: Hub) -> tuple[int | None, int, list[tuple[str, int]]]:
    """The provision audit's "training the staff would like", for the latest year audited:
    (year, schools that answered, [(topic, schools)])."""
    latest = SchoolAudit.objects.filter(hub=hub).order_by("-year").values_list("year", flat=True)
    year = latest.first()
    if year is None:
        return None, 0, []
    counter: Counter[str] = Counter()
    audits = SchoolAudit.objects.filter(hub=hub, year=year).values_list("cpd_wanted", flat=True)
    answered = 0
    for wanted in audits:
        answered += 1
        counter.update(w for w in wanted if w in CpdTopic.values)
    return year, answered, [(str(t.label), counter[t.value]) for t in CpdTopic]


@dataclass
class CpdFigures:
    teachers: int
    schools: int
    hours: float


def cpd_figures(*, hub: Hub, year: int) -> CpdFigures:
    """The hub's CPD networks in a school year, from recorded attendance: teachers who attended
    at least one day, the schools those members teach at, and hours of CPD delivered (each
    attendee's hours, added up)."""
    attended = Attendance.objects.filter(
        status=AttendanceStatus.ATTENDED,
        booking__status=BookingStatus.CONFIRMED,
        booking__event__network_day__network__hub=hub,
        booking__event__network_day__year=year,
    ).values_list("booking__email", "session__starts_at", "session__ends_at", "booking__places")
    emails: set[str] = set()
    seconds = 0.0
    for email, starts_at, ends_at, places in attended:
        emails.add(email.lower())
        seconds += (ends_at - starts_at).total_seconds() * places
    schools = (
        NetworkMember.objects.filter(network__hub=hub, email__in=emails, school__isnull=False)
        .values("school")
        .distinct()
        .count()
    )
    return CpdFigures(teachers=len(emails), schools=schools, hours=round(seconds / 3600, 1))


def person_places(*, hub: Hub | None, email: str) -> QuerySet[NetworkMember]:
    """A person's places in the hub's networks: by the address an invitation or request was
    made with, or by the account that holds the place."""
    places = NetworkMember.objects.filter(Q(email__iexact=email) | Q(user__email__iexact=email))
    if hub is not None:
        places = places.filter(network__hub=hub)
    return places


def person_data(*, hub: Hub | None, email: str) -> list[dict[str, Any]]:
    """What the hub's CPD networks hold about a person (every hub's, when ``hub`` is None: the
    person's own request): each place, with the posts they wrote, their peer visits, survey
    answers, sessions led and supply-cover claims. A fixed number of queries."""
    places = list(
        person_places(hub=hub, email=email)
        .select_related("network__hub", "school")
        .prefetch_related(
            Prefetch("threads", queryset=Thread.objects.order_by("created_at", "pk")),
            Prefetch(
                "replies", queryset=Reply.objects.select_related("thread").order_by("created_at")
            ),
            Prefetch("visits_hosted", queryset=PeerVisit.objects.order_by("created_at", "pk")),
            Prefetch("visits_made", queryset=PeerVisit.objects.order_by("created_at", "pk")),
            Prefetch("claims", queryset=SupplyClaim.objects.select_related("day", "school")),
            Prefetch("sessions_led", queryset=DaySession.objects.select_related("day")),
        )
        .order_by("network__name", "pk")
    )
    responses: dict[int, list[SurveyResponse]] = {}
    for response in (
        SurveyResponse.objects.filter(member__in=[p.pk for p in places])
        .select_related("survey")
        .prefetch_related("survey__questions")
        .order_by("created_at", "pk")
    ):
        if response.member_id is not None:
            responses.setdefault(response.member_id, []).append(response)
    return [_place_data(place, responses.get(place.pk, [])) for place in places]


def _place_data(place: NetworkMember, responses: list[SurveyResponse]) -> dict[str, Any]:
    network = place.network
    return {
        "hub": network.hub.name if network.hub else "",
        "network": network.name,
        "email": place.email,
        "name": place.name,
        "school": place.school.name if place.school else None,
        "role": place.get_role_display(),
        "status": place.get_status_display(),
        "message": place.message,
        "email_me_about_posts": place.notify_posts,
        "since": iso(place.created_at),
        "decided_at": iso(place.decided_at),
        "posts": [
            {"at": iso(t.created_at), "thread": t.title, "text": t.body}
            for t in place.threads.all()
        ]
        + [
            {"at": iso(r.created_at), "thread": r.thread.title, "text": r.body}
            for r in place.replies.all()
        ],
        "peer_visits": [
            {
                "as": "host" if visit.host_id == place.pk else "visitor",
                "focus": visit.focus,
                "status": visit.get_status_display(),
                "date": iso(visit.date),
                "hours": str(visit.hours),
                "reflection": (
                    visit.host_reflection if visit.host_id == place.pk else visit.visitor_reflection
                ),
            }
            for visit in [*place.visits_hosted.all(), *place.visits_made.all()]
        ],
        "sessions_led": [{"day": str(s.day), "session": s.title} for s in place.sessions_led.all()],
        "supply_claims": [
            {
                "day": str(c.day),
                "school": c.school.name,
                "amount": str(c.amount),
                "status": c.get_status_display(),
            }
            for c in place.claims.all()
        ],
        "survey_answers": [
            {
                "survey": r.survey.title,
                "answers": {
                    q.text: r.answers.get(str(q.pk))
                    for q in r.survey.questions.all()
                    if str(q.pk) in r.answers
                },
            }
            for r in responses
        ],
    }


def person_erase_plan(*, hub: Hub, email: str) -> ErasurePlan:
    """What erasing the person from the hub's CPD networks will do, for privacy's erase page."""
    places = list(
        person_places(hub=hub, email=email)
        .select_related("network")
        .annotate(
            posts=Count("threads", distinct=True) + Count("replies", distinct=True),
            claim_count=Count("claims", distinct=True),
        )
    )
    if not places:
        return ErasurePlan()
    posts = sum(p.posts for p in places)
    claims = sum(p.claim_count for p in places)
    networks = ", ".join(sorted({p.network.name for p in places}))
    changes = [
        f"Their {plural(len(places), 'place')} in {networks} lose{'s' if len(places) == 1 else ''}"
        " their name, email, account and message and become a former member's: they leave the"
        " network. Peer visits stay (the other member's record and hours) without their"
        " reflections, and survey answers stay with no name."
    ]
    if posts:
        changes.append(f"Their {plural(posts, 'post')} stay, signed \u201ca former member\u201d.")
    if claims:
        changes.append(
            f"The {plural(claims, 'supply-cover claim')} for them stay{'s' if claims == 1 else ''}"
            " as a record of payment, naming no one."
        )
    return ErasurePlan(changes=changes)
