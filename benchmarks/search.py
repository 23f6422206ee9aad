"""How much SQL time directory and What's On text search take at national scale.

    .venv/bin/python benchmarks/search.py --postgres-url URL [--database-url URL] [--repeat N]

The database holds every school in England (data/england_schools_2026-06.csv, imported as
benchmarks/import_schools.py does), the demo hubs, a hub covering every local authority
("england", the worst case: its directory is the whole register) and 50,000 events built as
benchmarks/whats_on.py builds them. With ``--postgres-url`` (or BENCH_DATABASE_URL) a throwaway
database is made on that server and dropped afterwards; ``--database-url`` uses (and fills, if
empty) a database you keep, to measure again quickly. Without either, a temporary SQLite file.

For each search it takes the SQL Django sends (the page's count and its first page of 20) and
times it with EXPLAIN ANALYZE, best of ``--repeat``, as the planner's execution plus planning
time, beside a ``SELECT 1`` floor. "before" is the search as it was (every word matched with
LIKE over the punctuation-stripped name and town, worked out row by row), "after" is today's
selectors with the search indexes (tutti.core.search).
"""

import argparse
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db.models import Q

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
NATIONAL_FILE = ROOT / "data" / "england_schools_2026-06.csv"
PAGE_SIZE = 20

DIRECTORY_SEARCHES = [
    ("primary", {"q": "primary"}),
    ("st josephs", {"q": "st josephs"}),
    ("jospeh (a typo)", {"q": "jospeh"}),
    ("a town: swindon", {"q": "swindon"}),
    ("two words: devizes school", {"q": "devizes school"}),
    ("postcode prefix: SN10", {"postcode": "SN10"}),
    ("a URN", {"q": "URN"}),  # a Wiltshire school's, found when measuring
]
EVENT_SEARCHES = ["concert", "devizes", "primary cpd", "jospeh"]


def main() -> None:
    from import_schools import throwaway_postgres_database

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--database-url", help="a database to keep: filled once, then reused")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--events", type=int, default=50_000)
    args = parser.parse_args()
    if args.database_url:
        run(args.database_url, args)
    elif args.postgres_url:
        with throwaway_postgres_database(args.postgres_url) as url:
            run(url, args)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            run(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", args)


def run(url: str, args: argparse.Namespace) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    print(f"{connection.vendor}: {url.split('@')[-1]}", flush=True)
    fill(args.events)
    measure(args.repeat)


def fill(events: int) -> None:
    import random
    import warnings

    from django.core.management import call_command
    from django.db import connection

    from tutti.directory.models import Hub, LocalAuthority, Organisation
    from tutti.directory.register import register_import
    from tutti.events.models import Event

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not Hub.objects.filter(slug="england").exists():
        from whats_on import fill as fill_events

        from tutti.demo.loader import load_demo

        warnings.filterwarnings("ignore", message="No directory at")
        report = register_import(data=NATIONAL_FILE.read_bytes())
        assert report.ok, report.errors[:5]
        load_demo(echo=lambda line: None)
        if Event.objects.count() < events:
            fill_events(events, 0, random.Random(2026))
        england = Hub.objects.create(slug="england", name="Every school in England")
        england.local_authorities.set(LocalAuthority.objects.all())
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    print(
        f"  {Organisation.objects.count():,} organisations, {Event.objects.count():,} events "
        f"(ready in {time.perf_counter() - started:.1f} s)",
        flush=True,
    )


def explain_ms(sql: str, repeat: int) -> float:
    """Best planning + execution time of the statement, in milliseconds."""
    from django.db import connection

    best = float("inf")
    with connection.cursor() as cursor:
        for _ in range(repeat):
            if connection.vendor == "postgresql":
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT TEXT) {sql}")
                text = "\n".join(row[0] for row in cursor.fetchall())
                times = re.findall(r"(?:Planning|Execution) Time: ([\d.]+) ms", text)
                best = min(best, sum(float(t) for t in times))
            else:
                started = time.perf_counter()
                cursor.execute(sql)
                cursor.fetchall()
                best = min(best, (time.perf_counter() - started) * 1000)
    return best


def search_ms(search: Any, repeat: int) -> tuple[int, float]:
    """Rows found, and the SQL time of every statement the search page sends for them: the
    search's own (a typo check), the count and the first page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        queryset = search()
        found = queryset.count()
        list(queryset[:PAGE_SIZE])
    return found, sum(explain_ms(q["sql"], repeat) for q in queries.captured_queries)


@contextmanager
def as_before() -> Iterator[None]:
    """The search as it was: no search indexes (dropped in a transaction rolled back after),
    ``plain`` as a REPLACE per character, no typo search."""
    from unittest import mock

    from django.db import connection, transaction

    from tutti.core import search
    from tutti.directory.selectors import ORGANISATION_SEARCH
    from tutti.events.selectors import EVENT_SEARCH

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for statement in ORGANISATION_SEARCH.postgres_drop() + EVENT_SEARCH.postgres_drop():
                    cursor.execute(statement)
        with (
            mock.patch.object(search.Plain, "as_postgresql", search.Plain.as_sql),
            mock.patch.object(search.TextIndex, "prefilter", lambda *args: Q()),
            mock.patch("tutti.directory.selectors.fuzzy", lambda qs, *args: qs.none()),
        ):
            yield
        transaction.set_rollback(True)


def measure(repeat: int) -> None:
    from tutti.directory.models import Hub
    from tutti.directory.selectors import DirectoryFilters, directory_search
    from tutti.events.selectors import EventFilters, public_events

    floor = explain_ms("SELECT 1", repeat)
    print(f"  floor: SELECT 1 takes {floor:.3f} ms (SQL times below: best of {repeat})")
    header = f"  {'search':30} {'found':>7} {'before':>10} {'after':>9} {'after/floor':>12}"

    def line(label: str, search: Any) -> None:
        with as_before():
            _, before = search_ms(search, repeat)
        found, after = search_ms(search, repeat)
        print(
            f"  {label:30} {found:>7,} {before:8.2f}ms {after:7.2f}ms {after / floor:12.0f}",
            flush=True,
        )

    urn = directory_search(hub=Hub.objects.get(slug="wiltshire"), filters=DirectoryFilters())[0].urn
    for slug in ("wiltshire", "england"):
        hub = Hub.objects.get(slug=slug)
        print(f"\n  Directory of {slug}\n{header}", flush=True)
        for label, params in DIRECTORY_SEARCHES:
            if params.get("q") == "URN":
                params = {"q": str(urn)}
            filters = DirectoryFilters(**params)
            line(label, lambda hub=hub, f=filters: directory_search(hub=hub, filters=f))
    hub = Hub.objects.get(slug="wiltshire")
    print(f"\n  What's On of wiltshire (upcoming events)\n{header}", flush=True)
    for q in EVENT_SEARCHES:
        filters = EventFilters(q=q)
        line(q, lambda f=filters: public_events(hub=hub, filters=f))


if __name__ == "__main__":
    main()
