"""Reads for competitions, each given the hub (or an object already found within it)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from statistics import mean

from django.db.models import Count, Prefetch, Q, QuerySet

from tutti.competitions.access import entries_to_judge
from tutti.competitions.models import Adjudicator, Category, Competition, Entry, Score
from tutti.competitions.services import age_on, person_entries
from tutti.core.personal_data import ErasurePlan, iso, plural
from tutti.directory.models import Hub, Organisation

# A count about fewer pupils than this is shown as "fewer than 10", never as a number.
SMALL_COUNT = 10


def competitions_public(*, hub: Hub) -> QuerySet[Competition]:
    return Competition.objects.filter(hub=hub, published=True).order_by("-closes_on", "name")


def competitions_all(*, hub: Hub) -> QuerySet[Competition]:
    return Competition.objects.filter(hub=hub).annotate(
        entry_count=Count("entries", filter=Q(entries__withdrawn_at=None))
    )


def competition_get(*, hub: Hub, slug: str, public: bool = True) -> Competition | None:
    found = Competition.objects.filter(hub=hub, slug=slug)
    if public:
        found = found.filter(published=True)
    return found.select_related("hub", "final_event").first()


def competition_by_pk(*, hub: Hub, pk: int) -> Competition | None:
    return Competition.objects.filter(hub=hub, pk=pk).select_related("hub", "final_event").first()


def entry_get(*, hub: Hub, pk: int) -> Entry | None:
    return (
        Entry.objects.filter(competition__hub=hub, pk=pk)
        .select_related("competition__hub", "category", "school")
        .first()
    )


def entries_of(*, competition: Competition) -> QuerySet[Entry]:
    return (
        Entry.objects.filter(competition=competition)
        .select_related("category", "school")
        .prefetch_related("pieces")
        .order_by("number")
    )


def adjudicators_of(*, competition: Competition) -> QuerySet[Adjudicator]:
    return competition.adjudicators.prefetch_related("categories").order_by("name")


def judging_list(*, adjudicator: Adjudicator) -> list[tuple[Entry, Score | None]]:
    entries = (
        entries_to_judge(adjudicator)
        .select_related("category")
        .prefetch_related("pieces")
        .order_by("category__position", "category__min_age", "number")
    )
    scores = {s.entry_id: s for s in Score.objects.filter(adjudicator=adjudicator)}
    return [(e, scores.get(e.pk)) for e in entries]


def public_name(entry: Entry) -> str:
    """The entrant's name if the family consented to public showing; otherwise words that
    name no one: "a young musician from a primary school in Stafford"."""
    if entry.consent_public_at is not None:
        return entry.entrant_name
    school = entry.school
    if entry.home_educated or school is None:
        return "a young musician educated at home"
    phase = (school.phase or "").lower()
    phase = {"not applicable": "", "all-through": "an all-through"}.get(phase, phase)
    where = school.town or (school.local_authority.name if school.local_authority else "")
    kind = f"a {phase} school" if phase and not phase.startswith("an ") else phase or "a school"
    kind = kind.replace("a 16 plus", "a sixth-form").replace("a middle deemed", "a middle")
    return f"a young musician from {kind}{f' in {where}' if where else ''}"


def finalists(*, competition: Competition) -> list[Entry]:
    return list(
        Entry.objects.filter(competition=competition, withdrawn_at=None)
        .exclude(result="")
        .select_related("category", "school__local_authority")
        .order_by("running_order", "number")
    )


@dataclass
class Row:
    entry: Entry
    scores: list[Score | None]
    average: float | None
    spread: float | None
    flagged: bool
    tie: bool = False
    rank: int | None = None


@dataclass
class CategoryRanking:
    category: Category
    rows: list[Row] = field(default_factory=list)


def rankings(*, competition: Competition) -> tuple[list[Adjudicator], list[CategoryRanking]]:
    """Each category's entries ranked by the average of their (moderated) scores, with every
    adjudicator's score side by side, the spread flagged and ties marked."""
    adjudicators = list(competition.adjudicators.order_by("name"))
    scores: dict[tuple[int, int], Score] = {
        (s.entry_id, s.adjudicator_id): s
        for s in Score.objects.filter(entry__competition=competition)
    }
    categories: dict[int, CategoryRanking] = {
        c.pk: CategoryRanking(category=c) for c in competition.categories.all()
    }
    entries = (
        Entry.objects.filter(competition=competition, withdrawn_at=None)
        .select_related("category")
        .order_by("number")
    )
    for entry in entries:
        row_scores = [scores.get((entry.pk, a.pk)) for a in adjudicators]
        counted = [s.counted for s in row_scores if s is not None]
        spread = max(counted) - min(counted) if len(counted) > 1 else None
        categories[entry.category_id].rows.append(
            Row(
                entry=entry,
                scores=row_scores,
                average=round(mean(counted), 1) if counted else None,
                spread=round(spread, 1) if spread is not None else None,
                flagged=spread is not None and spread > competition.spread_flag,
            )
        )
    for ranking in categories.values():
        ranking.rows.sort(key=lambda r: (r.average is None, -(r.average or 0), r.entry.number))
        averages = Counter(r.average for r in ranking.rows if r.average is not None)
        previous: float | None = None
        rank = 0
        for n, row in enumerate(ranking.rows, 1):
            if row.average is None:
                continue
            if row.average != previous:
                rank = n
                previous = row.average
            row.rank = rank
            row.tie = averages[row.average] > 1
    return adjudicators, list(categories.values())


@dataclass
class Progress:
    adjudicator: Adjudicator
    to_judge: int
    judged: int
    conflicts: int

    @property
    def percent(self) -> int:
        return round(100 * self.judged / self.to_judge) if self.to_judge else 100


def progress(*, competition: Competition) -> list[Progress]:
    rows = []
    for adjudicator in competition.adjudicators.order_by("name"):
        entries = entries_to_judge(adjudicator)
        rows.append(
            Progress(
                adjudicator=adjudicator,
                to_judge=entries.count(),
                judged=Score.objects.filter(adjudicator=adjudicator, entry__in=entries).count(),
                conflicts=adjudicator.conflicts.count(),
            )
        )
    return rows


@dataclass
class CategoryProgress:
    category: Category
    entries: int
    scores: int
    scores_due: int

    @property
    def percent(self) -> int:
        return round(100 * self.scores / self.scores_due) if self.scores_due else 100


def progress_by_category(*, competition: Competition) -> list[CategoryProgress]:
    """Per category: entries, the scores given and the scores due (one per adjudicator who
    may judge each entry)."""
    due: Counter[int] = Counter()
    for adjudicator in competition.adjudicators.all():
        for category_id in entries_to_judge(adjudicator).values_list("category_id", flat=True):
            due[category_id] += 1
    entries = Counter(
        Entry.objects.filter(competition=competition, withdrawn_at=None).values_list(
            "category_id", flat=True
        )
    )
    given = Counter(
        Score.objects.filter(entry__competition=competition, entry__withdrawn_at=None).values_list(
            "entry__category_id", flat=True
        )
    )
    return [
        CategoryProgress(
            category=c, entries=entries[c.pk], scores=given[c.pk], scores_due=due[c.pk]
        )
        for c in competition.categories.all()
    ]


def unjudged_after_conflicts(*, competition: Competition) -> QuerySet[Entry]:
    """Entries that nobody can judge: every adjudicator of theirs declared a conflict."""
    entries = Entry.objects.filter(competition=competition, withdrawn_at=None)
    judged_by_someone: list[int] = []
    for adjudicator in competition.adjudicators.all():
        judged_by_someone.extend(entries_to_judge(adjudicator).values_list("pk", flat=True))
    return entries.exclude(pk__in=judged_by_someone).select_related("category")


def shown(count: int) -> str:
    """A count of pupils as it may be shown: never a number below SMALL_COUNT."""
    return f"fewer than {SMALL_COUNT}" if 0 < count < SMALL_COUNT else str(count)


@dataclass
class Figures:
    total: str
    by_category: list[tuple[str, str]]
    by_band: list[tuple[str, str]]
    by_area: list[tuple[str, str]]
    schools: int
    area_schools_reached: int
    area_schools: int
    judging_percent: int


def figures(*, competition: Competition, today: date | None = None) -> Figures:
    """Entries by category, age band and area, schools reached and judging done."""
    entries = list(
        Entry.objects.filter(competition=competition, withdrawn_at=None).select_related(
            "category", "school__local_authority"
        )
    )
    by_category: Counter[str] = Counter(e.category.name for e in entries)
    by_band: Counter[str] = Counter()
    for e in entries:
        age = age_on(e.date_of_birth, competition.age_on)
        low = max(0, (age // 3) * 3)
        by_band[f"{low} to {low + 2}"] += 1
    by_area: Counter[str] = Counter()
    schools: set[int] = set()
    area_schools_reached: set[int] = set()
    hub = competition.hub
    area_ids = set(hub.local_authorities.values_list("pk", flat=True))
    for e in entries:
        if e.school is None:
            by_area["Home-educated"] += 1
            continue
        schools.add(e.school.pk)
        la = e.school.local_authority
        by_area[la.name if la else "Unknown"] += 1
        if la is not None and la.pk in area_ids:
            area_schools_reached.add(e.school.pk)
    area_schools = Organisation.objects.filter(
        kind="school", local_authority__in=area_ids, is_open=True
    ).count()
    progress_rows = progress(competition=competition)
    to_judge = sum(p.to_judge for p in progress_rows)
    judged = sum(p.judged for p in progress_rows)
    by_school_area = defaultdict(int)
    for name, count in by_area.items():
        by_school_area[name] = count
    return Figures(
        total=shown(len(entries)),
        by_category=[(k, shown(v)) for k, v in sorted(by_category.items())],
        by_band=[
            (k, shown(v)) for k, v in sorted(by_band.items(), key=lambda i: int(i[0].split()[0]))
        ],
        by_area=[(k, shown(v)) for k, v in sorted(by_school_area.items())],
        schools=len(schools),
        area_schools_reached=len(area_schools_reached),
        area_schools=area_schools,
        judging_percent=round(100 * judged / to_judge) if to_judge else 0,
    )


def category_choices(*, competition: Competition) -> QuerySet[Category]:
    return competition.categories.all()


def feedback_for(*, entry: Entry) -> list[Score]:
    return list(
        entry.scores.order_by("adjudicator__name").prefetch_related(
            Prefetch("marks", to_attr="mark_list")
        )
    )


def person_data(*, hub: Hub | None, email: str) -> list[dict[str, object]]:
    """What the hub's competitions hold about a family (every hub's, when ``hub`` is None: the
    person's own request): each entry they made, with the entrant they entered (a parent may
    ask for their child's data). A fixed number of queries."""
    return [
        {
            "hub": entry.competition.hub.name,
            "competition": entry.competition.name,
            "category": entry.category.name,
            "entry": entry.code,
            "entered_at": iso(entry.created_at),
            "entrant": entry.entrant_name,
            "date_of_birth": iso(entry.date_of_birth),
            "school": entry.school.name if entry.school else None,
            "home_educated": entry.home_educated,
            "teacher": entry.teacher,
            "accompanist": entry.accompanist,
            "pieces": [str(piece) for piece in entry.pieces.all()],
            "your_name": entry.contact_name,
            "your_email": entry.contact_email,
            "consent_to_judging": iso(entry.consent_judged_at),
            "consent_to_public_showing": iso(entry.consent_public_at),
            "consent_to_filming": iso(entry.consent_filming_at),
            "video": "kept" if entry.video or entry.video_link else "none or deleted",
            "withdrawn_at": iso(entry.withdrawn_at),
            "result": entry.get_result_display() if entry.result else None,
        }
        for entry in person_entries(hub=hub, email=email)
        .select_related("competition__hub", "category", "school")
        .prefetch_related("pieces")
        .order_by("created_at", "pk")
    ]


def person_erase_plan(*, hub: Hub, email: str) -> ErasurePlan:
    """What erasing a family from the hub's competitions will do, for privacy's erase page."""
    entries = list(person_entries(hub=hub, email=email).select_related("competition"))
    if not entries:
        return ErasurePlan()
    changes = [
        f"Their {plural(len(entries), 'competition entry', 'competition entries')} lose the"
        " entrant's and their names, contact details, the day and month of birth, the consents"
        " and any video, as at the end of retention. The entries' numbers, categories and"
        " results stay, so the competitions' counts stay."
    ]
    running = sorted(
        {
            e.competition.name
            for e in entries
            if e.withdrawn_at is None and e.competition.results_published_at is None
        }
    )
    if running:
        changes.append(
            f"The results of {', '.join(running)} are not out yet: their entries there are"
            " withdrawn and leave judging."
        )
    return ErasurePlan(changes=changes)
