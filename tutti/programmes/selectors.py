"""Reads: a programme's sites, groups and sessions, and its figures with small numbers
suppressed.

**Small numbers are never shown.** Every figure says how many pupils it is about; a figure
about fewer than ``MIN_PUPILS`` is replaced by ``None`` (and its count of pupils too) before it
leaves this module, so pages, exports and the API cannot show it by mistake.
"""

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from tutti.core.personal_data import ErasurePlan, iso, plural
from tutti.directory.models import Hub
from tutti.programmes.models import (
    Attendance,
    MeasureKind,
    OutcomeMeasure,
    Point,
    Programme,
    ProgrammeInvitation,
    Pupil,
    ReflectionEntry,
    Resource,
    ResourceVisit,
    Score,
    Session,
    Site,
    SitePerson,
)

MIN_PUPILS = 10
SUPPRESSED = "Not shown: fewer than 10 pupils"


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    # The figure as shown, or None when it is about fewer than MIN_PUPILS pupils.
    value: str | None
    # How many pupils it is about (None when not about pupils, or suppressed).
    pupils: int | None
    about_pupils: bool = True

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _pupil_figure(key: str, label: str, value: str, pupils: int) -> Figure:
    if pupils < MIN_PUPILS:
        return Figure(key=key, label=label, value=None, pupils=None)
    return Figure(key=key, label=label, value=value, pupils=pupils)


def _plain_figure(key: str, label: str, value: int) -> Figure:
    return Figure(key=key, label=label, value=str(value), pupils=None, about_pupils=False)


def _mean(values: list[int]) -> float:
    return sum(values) / len(values)


def _scores_by_measure(programme: Programme) -> dict[int, dict[int, dict[str, int]]]:
    """measure id -> pupil id -> point -> value."""
    table: dict[int, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    rows = Score.objects.filter(pupil__site__programme=programme).values_list(
        "measure_id", "pupil_id", "point", "value"
    )
    for measure_id, pupil_id, point, value in rows:
        table[measure_id][pupil_id][point] = value
    return table


def _measure_figure(measure: OutcomeMeasure, by_pupil: dict[int, dict[str, int]]) -> Figure:
    pairs = [
        (points[Point.START], points[Point.END])
        for points in by_pupil.values()
        if Point.START in points and Point.END in points
    ]
    n = len(pairs)
    if not pairs:
        return _pupil_figure(f"measure-{measure.pk}", measure.name, "", 0)
    starts = [s for s, _ in pairs]
    ends = [e for _, e in pairs]
    if measure.kind == MeasureKind.COUNT:
        label = f"{measure.name}: total in the term before and the term after"
        value = f"{sum(starts)} before, {sum(ends)} after"
    else:
        label = f"{measure.name} ({measure.low} to {measure.high}): average at the start and end"
        change = _mean(ends) - _mean(starts)
        value = f"{_mean(starts):.1f} at the start, {_mean(ends):.1f} at the end ({change:+.1f})"
    return _pupil_figure(f"measure-{measure.pk}", label, value, n)


def programme_figures(*, programme: Programme) -> list[Figure]:
    """The programme's figures from its live data, each about 10 pupils or more or suppressed.

    Once pupils' data has been erased, the figures kept at that moment."""
    if programme.pupils_erased_at is not None and programme.kept_figures:
        return figures_from_json(programme.kept_figures)
    today = timezone.localdate()
    sessions = Session.objects.filter(site__programme=programme).aggregate(
        planned=Count("pk"),
        delivered=Count("pk", filter=Q(attendance_taken_at__isnull=False)),
        due=Count("pk", filter=Q(date__lte=today)),
    )
    pupils = Pupil.objects.filter(site__programme=programme).count()
    marks = Attendance.objects.filter(session__site__programme=programme).aggregate(
        marks=Count("pk"),
        present=Count("pk", filter=Q(present=True)),
        pupils=Count("pupil", distinct=True),
    )
    figures = [
        _plain_figure("sites", "Sites (schools)", programme.sites.count()),
        _plain_figure("sessions-planned", "Sessions planned", sessions["planned"]),
        _plain_figure("sessions-delivered", "Sessions delivered", sessions["delivered"]),
        _pupil_figure("pupils", "Pupils in the groups", str(pupils), pupils),
    ]
    rate = round(100 * marks["present"] / marks["marks"]) if marks["marks"] else 0
    figures.append(_pupil_figure("attendance", "Attendance rate", f"{rate}%", marks["pupils"]))
    scores = _scores_by_measure(programme)
    for measure in programme.measures.all():
        figures.append(_measure_figure(measure, scores.get(measure.pk, {})))
    return figures


def figures_as_json(figures: list[Figure]) -> dict[str, Any]:
    return {"figures": [f.as_dict() for f in figures]}


def figures_from_json(data: dict[str, Any]) -> list[Figure]:
    return [Figure(**row) for row in data.get("figures", [])]


def published_figures(*, programme: Programme) -> list[Figure]:
    """The figures as published, or [] before the lead publishes."""
    if programme.outcomes_published_at is None:
        return []
    return figures_from_json(programme.outcomes_figures)


@dataclass(frozen=True)
class SiteRow:
    site: Site
    planned: int
    delivered: int
    missed: int
    pupils: str


def site_rows(*, programme: Programme) -> list[SiteRow]:
    """Each site's sessions (planned, delivered, missed weeks) and its group's size, which is
    shown only as "fewer than 10" when it is."""
    today = timezone.localdate()
    sites = (
        programme.sites.select_related("organisation", "school", "hub")
        .annotate(
            planned=Count("sessions", distinct=True),
            delivered=Count(
                "sessions", filter=Q(sessions__attendance_taken_at__isnull=False), distinct=True
            ),
            missed=Count(
                "sessions",
                filter=Q(sessions__attendance_taken_at__isnull=True, sessions__date__lt=today),
                distinct=True,
            ),
            n_pupils=Count("pupils", distinct=True),
        )
        .order_by("organisation__name")
    )
    return [
        SiteRow(
            site=s,
            planned=s.planned,
            delivered=s.delivered,
            missed=s.missed,
            pupils=str(s.n_pupils) if s.n_pupils >= MIN_PUPILS else "Fewer than 10",
        )
        for s in sites
    ]


def site_pupils(*, site: Site) -> QuerySet[Pupil]:
    return site.pupils.order_by("name", "pk")


def site_sessions(*, site: Site) -> list[Session]:
    return list(site.sessions.order_by("date"))


@dataclass(frozen=True)
class Week:
    starts_on: date
    session: Session | None
    missed: bool


def site_weeks(*, site: Site, programme: Programme) -> list[Week]:
    """Every week of the programme's span with its session, so missed weeks show at a glance.

    A week is missed when it is over and has no session with its register taken."""
    today = timezone.localdate()
    sessions = site_sessions(site=site)
    start = programme.starts_on - timedelta(days=programme.starts_on.weekday())
    weeks = []
    monday = start
    while monday <= programme.ends_on:
        sunday = monday + timedelta(days=6)
        session = next((s for s in sessions if monday <= s.date <= sunday), None)
        over = sunday < today
        missed = over and (session is None or session.attendance_taken_at is None)
        weeks.append(Week(starts_on=monday, session=session, missed=missed))
        monday += timedelta(days=7)
    return weeks


def pupil_scores(*, pupil: Pupil) -> dict[tuple[int, str], int]:
    return {(s.measure_id, s.point): s.value for s in pupil.scores.all()}


def session_marks(*, session: Session) -> dict[int, bool]:
    return dict(session.attendance.values_list("pupil_id", "present"))


def resources_with_news(*, programme: Programme, user: Any) -> tuple[list[Resource], Any]:
    """The resources, and when the person last looked (None the first time): each newer one
    is new to them."""
    visit = ResourceVisit.objects.filter(programme=programme, user=user).first()
    return list(programme.resources.all()), visit.seen_at if visit else None


def public_programmes() -> QuerySet[Programme]:
    return Programme.objects.select_related("lead_organisation").order_by("-starts_on", "name")


# A person in a programme's team, for privacy's person page, download and erasure. A programme
# spans hubs: a hub holds the programmes it leads and those with a site in its area.


def held_programmes(*, hub: Hub | None) -> QuerySet[Programme]:
    """The programmes a hub holds (every programme for None: the person's own request)."""
    if hub is None:
        return Programme.objects.all()
    return Programme.objects.filter(Q(lead_hub=hub) | Q(sites__hub=hub)).distinct()


@dataclass(frozen=True)
class PersonInProgrammes:
    led: list[Programme]
    places: list[SitePerson]
    invitations: list[ProgrammeInvitation]
    senco_sites: list[Site]
    reflections: list[ReflectionEntry]

    def __bool__(self) -> bool:
        return bool(
            self.led or self.places or self.invitations or self.senco_sites or self.reflections
        )


def person_in_programmes(*, hub: Hub | None, email: str) -> PersonInProgrammes:
    """Everything the hub's programmes hold about the person with this email, in five queries
    whatever they hold: the programmes they lead, their places at sites, the invitations sent
    to them, the sites where they are the SENCo and their reflections."""
    held = held_programmes(hub=hub).values("pk")
    account = {"user__email__iexact": email}
    return PersonInProgrammes(
        # How many leads each has, counted before the filter's own join to its leads.
        led=list(
            Programme.objects.filter(pk__in=held)
            .annotate(lead_count=Count("leads"))
            .filter(leads__email__iexact=email)
            .order_by("name")
        ),
        places=list(
            SitePerson.objects.filter(site__programme__in=held, **account)
            .select_related("site__programme", "site__school", "site__organisation")
            .order_by("site__programme__name", "pk")
        ),
        invitations=list(
            ProgrammeInvitation.objects.filter(programme__in=held, email__iexact=email)
            .select_related("programme", "site__school")
            .order_by("created_at", "pk")
        ),
        senco_sites=list(
            Site.objects.filter(programme__in=held, senco_email__iexact=email)
            .select_related("programme", "school")
            .order_by("programme__name", "pk")
        ),
        reflections=list(
            ReflectionEntry.objects.filter(programme__in=held, author__email__iexact=email)
            .select_related("programme")
            .order_by("date", "pk")
        ),
    )


def person_data(*, hub: Hub | None, email: str) -> list[dict[str, object]]:
    """The person's part in the hub's programmes, as plain data (one row each)."""
    found = person_in_programmes(hub=hub, email=email)
    rows: list[dict[str, object]] = [
        {"programme": p.name, "role": "Programme lead"} for p in found.led
    ]
    rows += [
        {
            "programme": place.site.programme.name,
            "role": place.get_role_display(),
            "site": str(place.site),
            "since": iso(place.created_at),
        }
        for place in found.places
    ]
    rows += [
        {
            "programme": invitation.programme.name,
            "role": f"Invited as {invitation.get_role_display().lower()}",
            "site": str(invitation.site.school) if invitation.site else None,
            "name_given": f"{invitation.first_name} {invitation.last_name}".strip() or None,
            "invited_at": iso(invitation.created_at),
            "accepted_at": iso(invitation.accepted_at),
        }
        for invitation in found.invitations
    ]
    rows += [
        {
            "programme": site.programme.name,
            "role": "SENCo",
            "site": str(site.school),
            "name": site.senco_name,
        }
        for site in found.senco_sites
    ]
    rows += [
        {
            "programme": entry.programme.name,
            "role": "Reflection",
            "date": iso(entry.date),
            "text": entry.text,
        }
        for entry in found.reflections
    ]
    return rows


def person_erase_plan(*, hub: Hub, email: str) -> ErasurePlan:
    """What erasing the person from the hub's programmes will do, for privacy's erase page."""
    found = person_in_programmes(hub=hub, email=email)
    changes, hub_must = [], []
    if found.places:
        changes.append(f"{plural(len(found.places), 'place')} in a programme's team removed.")
    if found.invitations:
        changes.append(f"{plural(len(found.invitations), 'programme invitation')} deleted.")
    if found.reflections:
        changes.append(f"{plural(len(found.reflections), 'reflection')} they wrote deleted.")
    if found.senco_sites:
        changes.append(
            f"Their name and email removed as the SENCo of {plural(len(found.senco_sites), 'site')}"
            ", and the SENCo's link stopped."
        )
        hub_must.append("Give each of those sites its new SENCo, who gets a new link.")
    sole = [p for p in found.led if p.lead_count == 1]  # type: ignore[attr-defined]
    shared = len(found.led) - len(sole)
    if shared:
        changes.append(f"Removed as a lead of {plural(shared, 'programme')}.")
    for programme in sole:
        hub_must.append(
            f"Add another lead to {programme.name} first: they are its only lead, and stay so"
            " until then."
        )
    return ErasurePlan(changes=changes, hub_must=hub_must)
