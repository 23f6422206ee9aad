"""The demo's competition: The Music Partnership's Staffordshire Young Musician (the 004 text).

Entries closed with 108 entries; two adjudicators have scored them all, one declared a conflict
of interest, winners and finalists are chosen and the live final, on a Sunday in July, is on
What's On. Entrants, families and adjudicators are invented (example.org addresses); their
schools are real schools of the register in Staffordshire, Stoke-on-Trent and Telford & Wrekin.
A few entries have a short test video (colour bars and a tone) made here with ffmpeg; without
ffmpeg on the PATH the demo has no videos and says so.
"""

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from tutti.accounts.models import User
from tutti.competitions import services
from tutti.competitions.models import (
    Adjudicator,
    Category,
    Competition,
    Conflict,
    Criterion,
    Entry,
    Mark,
    Piece,
    Result,
    Score,
)
from tutti.competitions.video import make_test_video
from tutti.core import page_cache
from tutti.directory.models import Hub, Organisation, OrganisationKind

ENTRIES = 108
VIDEOS = 6
# Categories as the hub's text lists them; each in a junior and a senior age band.
CATEGORIES = [
    "Strings",
    "Woodwind",
    "Brass",
    "Percussion",
    "Keyboard",
    "Voice",
    "Guitar",
    "Composition",
    "Ensemble",
]
BANDS = [(8, 12), (13, 18)]
CRITERIA = [
    ("Technique", 3, "Secure, controlled playing or singing, even in the hardest passages."),
    ("Musicality", 3, "Phrasing, dynamics and style that bring the music to life."),
    ("Communication", 2, "Holds the listener: presence, character and conviction."),
    ("Programme", 1, "Pieces that suit the performer and show their range."),
]
PIECES = {
    "Strings": ("Meditation from Thaïs", "Jules Massenet"),
    "Woodwind": ("Sonatina, first movement", "Malcolm Arnold"),
    "Brass": ("Trumpet Voluntary", "Jeremiah Clarke"),
    "Percussion": ("Marimba Spiritual (excerpt)", "Minoru Miki"),
    "Keyboard": ("Prelude in E minor, Op. 28 No. 4", "Frédéric Chopin"),
    "Voice": ("Linden Lea", "Ralph Vaughan Williams"),
    "Guitar": ("Lágrima", "Francisco Tárrega"),
    "Composition": ("An original piece", "the entrant"),
    "Ensemble": ("Palladio, first movement", "Karl Jenkins"),
}
FIRST = [
    "Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Arthur", "Freya", "Leo",
    "Poppy", "Harry", "Evie", "Jack", "Ivy", "Theo", "Rosie", "Oscar", "Grace", "Alfie",
    "Sofia", "Jacob", "Lily", "Ibrahim", "Maya", "Zain", "Aisha", "Kai", "Ella", "Reuben",
]  # fmt: skip
LAST = [
    "Ashworth", "Bennett", "Chowdhury", "Dale", "Evans", "Fletcher", "Gill", "Hughes",
    "Iqbal", "Jennings", "Kaur", "Lowe", "Mellor", "Nolan", "Owusu", "Proctor", "Quinn",
    "Rhodes", "Shaw", "Turner", "Underwood", "Vaughan", "Walsh", "Yates",
]  # fmt: skip


def _next_july_sunday(today: date) -> date:
    """The second Sunday of next July (this July if it is still ahead)."""
    year = today.year if today < date(today.year, 7, 1) else today.year + 1
    day = date(year, 7, 1)
    day += timedelta(days=(6 - day.weekday()) % 7)
    return day + timedelta(weeks=1)


def _schools(hub: Hub) -> tuple[list[Organisation], list[Organisation]]:
    schools = Organisation.objects.filter(
        kind=OrganisationKind.SCHOOL, local_authority__hubs=hub, is_open=True
    ).order_by("urn")
    primaries = [s for s in schools if s.phase in {"Primary", "Middle deemed primary"}]
    secondaries = [s for s in schools if s.phase in {"Secondary", "All-through"}]
    return primaries, secondaries


def _user(email: str, first: str, last: str) -> User:
    from tutti.demo.loader import _user as demo_user

    return demo_user(email, first, last)


def load_competitions(hubs: dict[str, Hub], echo: Callable[[str], None] = print) -> None:
    hub = hubs["the-music-partnership"]
    today = timezone.localdate()
    final_day = _next_july_sunday(today)
    competition = Competition.objects.create(
        hub=hub,
        name="Staffordshire Young Musician",
        slug="staffordshire-young-musician",
        summary=(
            "Young musicians of 8 to 18 send a video; adjudicators choose category winners "
            "and finalists for a live final on a Sunday in July. (Demo: every entrant and "
            "adjudicator here is invented.)"
        ),
        rules=(
            "## Who may enter\n\nYoung people aged 8 to 18 on 31 August who live or go to "
            "school in Staffordshire, Stoke-on-Trent or Telford & Wrekin.\n\n"
            "## Your video\n\n- One unedited take, up to 8 minutes.\n"
            "- Film the performer's hands and face.\n- Accompanists may be live or recorded.\n\n"
            "## Judging\n\nTwo adjudicators judge every entry without seeing names or schools."
        ),
        age_on=date(final_day.year - 1, 8, 31),
        opens_on=today - timedelta(days=100),
        closes_on=today - timedelta(days=30),
        entry_fee=Decimal("10.00"),
        fee_remission="Free for pupils eligible for free school meals or the pupil premium.",
        max_video_minutes=8,
        max_video_mb=500,
        published=True,
    )
    categories = Category.objects.bulk_create(
        Category(competition=competition, name=name, min_age=low, max_age=high, position=n)
        for n, name in enumerate(CATEGORIES)
        for low, high in BANDS
    )
    criteria = Criterion.objects.bulk_create(
        Criterion(competition=competition, name=n, weight=w, descriptor=d, position=i)
        for i, (n, w, d) in enumerate(CRITERIA)
    )
    entries = _entries(competition, categories, hub)
    judges = _adjudicators(competition, categories)
    _scores(competition, entries, judges, criteria)
    _shortlist(competition, categories)
    _final(competition, final_day)
    made = _videos(entries[:VIDEOS])
    page_cache.bump_hub(hub.pk)
    echo(
        f"Loaded {competition.name}: {len(entries)} entries, "
        + (f"{made} with a short generated video." if made else "no videos (ffmpeg not found).")
    )


def _entries(competition: Competition, categories: list[Category], hub: Hub) -> list[Entry]:
    primaries, secondaries = _schools(hub)
    now = timezone.now()
    entries = []
    for n in range(ENTRIES):
        category = categories[n % len(categories)]
        age = category.min_age + (n // len(categories)) % (category.max_age - category.min_age + 1)
        birthday = date(competition.age_on.year - age, 1 + n % 12, 1 + n % 28)
        if birthday > competition.age_on.replace(year=birthday.year):
            birthday = birthday.replace(year=birthday.year - 1)
        first, last = FIRST[n % len(FIRST)], LAST[(n * 7) % len(LAST)]
        pool = primaries if age <= 11 else secondaries
        home = n % 27 == 13
        school = None if home or not pool else pool[(n * 37) % len(pool)]
        entries.append(
            Entry(
                competition=competition,
                category=category,
                number=n + 1,
                first_name=first,
                last_name=last,
                date_of_birth=birthday,
                entrant_key=services.entrant_key(first, last, birthday),
                school=school,
                home_educated=school is None,
                lives_in_area=school is None,
                teacher="" if n % 3 else "Invented Teacher",
                contact_name=f"Parent of {first} {last}",
                contact_email=f"family{n + 1}@example.org",
                consent_judged_at=now - timedelta(days=60),
                consent_public_at=None if n % 3 == 2 else now - timedelta(days=60),
                consent_filming_at=None if n % 4 == 3 else now - timedelta(days=60),
            )
        )
    entries = Entry.objects.bulk_create(entries)
    Piece.objects.bulk_create(
        Piece(
            entry=e,
            title=PIECES[e.category.name][0],
            composer=PIECES[e.category.name][1],
            minutes=4,
        )
        for e in entries
    )
    return entries


def _adjudicators(competition: Competition, categories: list[Category]) -> list[Adjudicator]:
    people = [
        ("adjudicator.one@example.org", "Helen", "Marsh"),
        ("adjudicator.two@example.org", "David", "Okafor"),
    ]
    judges = []
    for n, (email, first, last) in enumerate(people):
        judge = Adjudicator.objects.create(
            competition=competition,
            name=f"{first} {last} (invented)",
            email=email,
            user=_user(email, first, last),
            token_hash=services.token_hash(f"demo-adjudicator-{n}"),
            accepted_at=timezone.now() - timedelta(days=40),
        )
        judge.categories.set(categories)
        judges.append(judge)
    return judges


def _scores(
    competition: Competition,
    entries: list[Entry],
    judges: list[Adjudicator],
    criteria: list[Criterion],
) -> None:
    # Helen Marsh teaches entry 5: declared, so only David Okafor judges it.
    conflicted = entries[4]
    Conflict.objects.create(adjudicator=judges[0], entry=conflicted, reason="teacher")
    scores, marks = [], []
    for j, judge in enumerate(judges):
        for entry in entries:
            if j == 0 and entry.pk == conflicted.pk:
                continue
            values = [
                4 + (entry.number * (3 + c) + j * 5 + c * 2) % 7 for c in range(len(criteria))
            ]
            # Entry 12 is the one the adjudicators disagree about: it is flagged for moderation.
            if entry.number == 12:
                values = [10, 9, 9, 8] if j == 0 else [5, 4, 5, 4]
            percent = services.score_percent(dict(zip(criteria, values, strict=True)), 10)
            score = Score(
                entry=entry,
                adjudicator=judge,
                percent=percent,
                feedback=(
                    "A confident performance with a lovely sense of line. Work on the "
                    "evenness of quick passages, and let the quieter moments breathe."
                ),
            )
            scores.append(score)
            marks.append(values)
    Score.objects.bulk_create(scores)
    Mark.objects.bulk_create(
        Mark(score=score, criterion=criterion, value=value)
        for score, values in zip(scores, marks, strict=True)
        for criterion, value in zip(criteria, values, strict=True)
    )


def _shortlist(competition: Competition, categories: list[Category]) -> None:
    """Each category's top entry wins; the senior bands' runners-up are finalists too."""
    from tutti.competitions.selectors import rankings

    _, ranked = rankings(competition=competition)
    chosen: list[Entry] = []
    for ranking in ranked:
        rows = [r for r in ranking.rows if r.average is not None]
        if rows:
            rows[0].entry.result = Result.WINNER
            chosen.append(rows[0].entry)
        if len(rows) > 1 and ranking.category.min_age >= 13:
            rows[1].entry.result = Result.FINALIST
            chosen.append(rows[1].entry)
    for n, entry in enumerate(chosen, 1):
        entry.running_order = n
        entry.results_emailed_at = timezone.now() - timedelta(days=5)
    Entry.objects.bulk_update(chosen, ["result", "running_order", "results_emailed_at"])


def _final(competition: Competition, day: date) -> None:
    zone = timezone.get_current_timezone()
    services.final_create(
        competition=competition,
        by=None,
        starts_at=datetime.combine(day, time(14, 0), tzinfo=zone),
        ends_at=datetime.combine(day, time(17, 30), tzinfo=zone),
        venue_name="Victoria Hall",
        venue_address="Bagnall Street, Hanley, Stoke-on-Trent ST1 3AD",
        capacity=600,
    )


def _videos(entries: list[Entry]) -> int:
    """A short test video for each of these entries, made once with ffmpeg."""
    if shutil.which("ffmpeg") is None or not entries:
        return 0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.mp4"
        try:
            make_test_video(str(path), seconds=3)
        except (OSError, subprocess.SubprocessError):
            # A demo without videos is still a demo.
            return 0
        for entry in entries:
            with path.open("rb") as f:
                entry.video = default_storage.save(
                    f"competitions/videos/{entry.competition_id}/demo-{entry.number}.mp4", File(f)
                )
            entry.video_seconds = 3.0
            entry.video_bytes = path.stat().st_size
        Entry.objects.bulk_update(entries, ["video", "video_seconds", "video_bytes"])
    return len(entries)
