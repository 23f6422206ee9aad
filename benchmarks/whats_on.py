"""How fast the What's On page is with 50,000 events and 500,000 bookings.

    .venv/bin/python benchmarks/whats_on.py [--postgres-url URL] [--events N] [--bookings N]

The database is fresh: a temporary SQLite file by default, or with ``--postgres-url`` (or the
environment variable BENCH_DATABASE_URL) a throwaway database created on that PostgreSQL server
and dropped afterwards. It loads the demo (hubs, clusters, the real schools as venues), adds the
events and bookings with bulk inserts, then asks for the What's On page through Django's test
client with several filters and pages, many times each, and prints the median and 95th
percentile server time and the number of queries for each page.
"""

import argparse
import math
import os
import random
import re
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from _postgres import throwaway_postgres_database

ROOT = Path(__file__).resolve().parent.parent
BATCH = 5000

# (title, summary, category slug); "{cluster}" and "{town}" are filled in.
TEMPLATES = [
    (
        "{cluster} Musical Cluster meeting",
        "Share plans for the term, hear from the hub and meet colleagues nearby.",
        "cluster-meetings",
    ),
    (
        "Primary music CPD network",
        "Three full days, one a term, for primary music leads: singing, composing, assessment.",
        "training-and-development-for-schools-and-providers",
    ),
    (
        "Inclusive songwriting in the classroom",
        "A practical afternoon on songwriting with every pupil, including those with SEND.",
        "training-and-development-for-schools-and-providers",
    ),
    (
        "Hip hop, rap and grime in the music curriculum",
        "Beats, flow and lyric writing for Key Stage 3, with a visiting artist.",
        "workshops-and-courses",
    ),
    (
        "Spring concert at {town}",
        "The county youth orchestras and choirs in concert. Families welcome.",
        "concerts-and-performances",
    ),
    (
        "Young Musician heats, {town}",
        "Players aged 11 to 18 perform for a panel; the best go through to the live final.",
        "competitions",
    ),
    (
        "Schools singing festival",
        "A day of massed singing for primary schools, ending in a short performance.",
        "festivals",
    ),
    (
        "Early years music conference",
        "Putting music at the heart of early years education, with a guest speaker.",
        "conferences",
    ),
    (
        "Holiday orchestra course",
        "Four days of rehearsals and a concert for young players of grade 3 and above.",
        "holiday-courses",
    ),
]

PAGE_SIZE = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_postgres_argument(parser)
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--bookings", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    on_fresh_database(args.postgres_url, lambda url, label: run(url, args, label))


def add_postgres_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="Benchmark PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/postgres "
        "(a throwaway database is made on that server)",
    )


def on_fresh_database(postgres_url: str | None, run: Callable[[str, str], None]) -> None:
    """Run on a throwaway database on that PostgreSQL server, or on a temporary SQLite file."""
    if postgres_url:
        with throwaway_postgres_database(postgres_url) as url:
            run(url, "PostgreSQL")
    else:
        with tempfile.TemporaryDirectory() as tmp:
            run(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", "SQLite")


def demo_database(url: str, label: str) -> None:
    """Django set up on ``url``, migrated, with the demo loaded."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    # The test client's host. Not setup_test_environment(): it makes every template render
    # copy its context for the client, which would be counted as server time.
    os.environ["ALLOWED_HOSTS"] = "testserver"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from tutti.demo.loader import load_demo

    warnings.filterwarnings("ignore", message="No directory at")  # static files: not collected
    print(f"{label}: {url.split('@')[-1]}", flush=True)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_demo(echo=lambda line: None)
    print(f"  migrated and loaded the demo in {time.perf_counter() - started:.1f} s", flush=True)


def run(url: str, args: argparse.Namespace, label: str) -> None:
    demo_database(url, label)

    started = time.perf_counter()
    events, bookings = fill(args.events, args.bookings, random.Random(args.seed))
    print(
        f"  added {events:,} events and {bookings:,} bookings in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    analyse()
    measure(args.repeat)


def fill(total_events: int, total_bookings: int, rng: random.Random) -> tuple[int, int]:  # noqa: C901 - a benchmark's data made in one readable pass
    """Events across the demo hubs, from a year ago to two years ahead, and their bookings."""
    from django.db import transaction
    from django.utils import timezone

    from tutti.clusters.models import Cluster
    from tutti.directory.models import Hub, OrganisationKind
    from tutti.directory.selectors import hub_organisations
    from tutti.events.models import (
        Booking,
        BookingStatus,
        Event,
        EventSession,
        EventStatus,
    )

    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    hubs = list(Hub.objects.order_by("slug"))
    per_hub = {h.pk: total_events // len(hubs) for h in hubs}
    per_hub[hubs[0].pk] += total_events - sum(per_hub.values())

    events: list[Event] = []
    times: list[list[tuple[datetime, datetime]]] = []
    for hub in hubs:
        categories = {c.slug: c for c in hub.event_categories.all()}
        clusters = list(Cluster.objects.filter(hub=hub))
        places = list(hub_organisations(hub=hub).filter(is_open=True).only("pk", "town"))
        partners = list(hub_organisations(hub=hub).exclude(kind=OrganisationKind.SCHOOL).only("pk"))
        for _ in range(per_hub[hub.pk]):
            title, summary, slug = rng.choice(TEMPLATES)
            venue = rng.choice(places)
            cluster = rng.choice(clusters) if clusters and slug == "cluster-meetings" else None
            starts_at = now + timedelta(
                days=rng.randint(-365, 730), hours=rng.choice([-8, -5, -3, 0, 1])
            )
            length = timedelta(hours=rng.choice([1.5, 2, 3, 6]))
            # One in ten is a series: three sessions, a term apart.
            series = [
                (starts_at + timedelta(weeks=13 * n), starts_at + timedelta(weeks=13 * n) + length)
                for n in range(3 if rng.random() < 0.1 else 1)
            ]
            status = rng.choices(
                [EventStatus.PUBLISHED, EventStatus.DRAFT, EventStatus.CANCELLED],
                weights=[90, 5, 5],
            )[0]
            events.append(
                Event(
                    hub=hub,
                    title=title.format(
                        cluster=cluster.name if cluster else "Devizes", town=venue.town or "County"
                    ),
                    summary=summary,
                    category=categories[slug],
                    for_schools=slug != "holiday-courses",
                    for_providers=rng.random() < 0.5,
                    for_young_people=slug in {"competitions", "holiday-courses", "festivals"},
                    for_families=slug == "concerts-and-performances",
                    cluster=cluster,
                    venue=None if rng.random() < 0.1 else venue,
                    is_online=rng.random() < 0.15,
                    organiser=rng.choice(partners) if partners and rng.random() < 0.3 else None,
                    starts_at=starts_at,
                    ends_at=series[-1][1],
                    capacity=rng.choice([None, 12, 20, 30, 60, 120, 300]),
                    price=rng.choice([Decimal(0)] * 3 + [Decimal(5), Decimal(25), Decimal(90)]),
                    status=status,
                    published_at=None if status == EventStatus.DRAFT else now,
                    cancelled_at=now if status == EventStatus.CANCELLED else None,
                )
            )
            times.append(series)
    with transaction.atomic():
        for start in range(0, len(events), BATCH):
            Event.objects.bulk_create(events[start : start + BATCH])
        sessions = [
            EventSession(event=event, starts_at=begins, ends_at=ends)
            for event, series in zip(events, times, strict=True)
            for begins, ends in series
        ]
        for start in range(0, len(sessions), BATCH):
            EventSession.objects.bulk_create(sessions[start : start + BATCH])

    # Bookings: a few events are very popular, most have a handful.
    bookable = [e for e in events if e.status != EventStatus.DRAFT]
    weights = [rng.paretovariate(1.5) for _ in bookable]
    counts = dict.fromkeys(range(len(bookable)), 0)
    for index in rng.choices(range(len(bookable)), weights=weights, k=total_bookings):
        counts[index] += 1
    made = 0
    batch: list[Booking] = []
    with transaction.atomic():
        for index, count in counts.items():
            event = bookable[index]
            for n in range(count):
                if event.capacity is None or n < event.capacity:
                    status = BookingStatus.CONFIRMED
                else:
                    status = BookingStatus.WAITING
                if rng.random() < 0.05:
                    status = BookingStatus.CANCELLED
                made += 1
                batch.append(
                    Booking(
                        event=event,
                        name=f"Teacher {made}",
                        email=f"teacher{made}@example.org",
                        organisation_name="A school",
                        status=status,
                        confirmed_at=now if status == BookingStatus.CONFIRMED else None,
                    )
                )
                if len(batch) == BATCH:
                    Booking.objects.bulk_create(batch)
                    batch = []
        Booking.objects.bulk_create(batch)
    return len(events), made


def analyse() -> None:
    """Fresh statistics for the query planner, as autovacuum (or ANALYZE) keeps them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def scenarios() -> list[tuple[str, dict[str, str]]]:
    from django.utils import timezone

    from tutti.clusters.models import Cluster

    today = timezone.localdate()
    cluster = Cluster.objects.filter(hub__slug="wiltshire").order_by("name").first()
    return [
        ("everything, page 1", {}),
        ("everything, page 2", {"page": "2"}),
        ("everything, page 50", {"page": "50"}),
        ("everything, last page", {"page": "LAST"}),
        ("category", {"category": "cluster-meetings"}),
        ("category, page 5", {"category": "concerts-and-performances", "page": "5"}),
        ("cluster", {"cluster": cluster.slug if cluster else ""}),
        ("audience + free", {"audience": "families", "price": "free"}),
        (
            "next month",
            {
                "date_from": (today + timedelta(days=30)).isoformat(),
                "date_to": (today + timedelta(days=60)).isoformat(),
            },
        ),
        ("search: concert", {"q": "concert"}),
        ("search: town", {"q": "Devizes"}),
        (
            "category + audience + paid + dates, page 2",
            {
                "category": "training-and-development-for-schools-and-providers",
                "audience": "schools",
                "price": "paid",
                "date_from": today.isoformat(),
                "date_to": (today + timedelta(days=365)).isoformat(),
                "page": "2",
            },
        ),
    ]


def measure(repeat: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    print(
        f"\n  {'page':44} {'results':>8} {'median':>8} {'p95':>8} {'queries':>8}"
        f"\n  {'-' * 44} {'-' * 8} {'-' * 8} {'-' * 8} {'-' * 8}",
        flush=True,
    )
    everything: list[float] = []
    for label, params in scenarios():
        if params.get("page") == "LAST":
            params["page"] = str(math.ceil(results(client.get("/wiltshire/whats-on/")) / PAGE_SIZE))
        url = "/wiltshire/whats-on/" + (f"?{urlencode(params)}" if params else "")
        for _ in range(2):  # warm caches and the connection
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        # Counted now: the captured list is read lazily from a log later requests clear.
        query_count = len(queries)
        count = results(response)
        shown = re.search(r"Page (\d+) of (\d+)", response.content.decode())
        if shown and "last" in label:
            label = f"{label} ({shown[1]})"
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        everything += times
        print(
            f"  {label:44} {count:>8,} {statistics.median(times):>6.1f}ms "
            f"{percentile(times, 95):>6.1f}ms {query_count:>8}",
            flush=True,
        )
    print(
        f"  {'all pages':44} {'':>8} {statistics.median(everything):>6.1f}ms "
        f"{percentile(everything, 95):>6.1f}ms",
        flush=True,
    )


def results(response: Any) -> int:
    found = re.search(r'id="result-count">([\d,]+) event', response.content.decode())
    assert found, "no result count on the page"
    return int(found[1].replace(",", ""))


def percentile(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


if __name__ == "__main__":
    main()
