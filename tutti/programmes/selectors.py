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

from tutti.programmes.models import (
    Attendance,
    MeasureKind,
    OutcomeMeasure,
    Point,
    Programme,
    Pupil,
    Resource,
    ResourceVisit,
    Score,
    Session,
    Site,
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
