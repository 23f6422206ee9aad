"""How fast a hub's full calendar feed is with 1,000 events, and its 304 Not Modified answer.

    .venv/bin/python benchmarks/feeds.py [--postgres-url URL] [--events N] [--repeat N]

The database is fresh: a temporary SQLite file by default, or with ``--postgres-url`` (or the
environment variable BENCH_DATABASE_URL) a throwaway database created on that PostgreSQL server
and dropped afterwards. It loads the demo (hubs, clusters, the real schools as venues) and adds
the events to one hub, all in the feed's window (one in ten a series of three sessions), then
asks through Django's test client for /healthz (the floor: a request that does next to
nothing), the full feed, and the feed with its own ETag (304), and prints the median time of
each (wall clock and CPU). The target is a full feed in under 100 ms.
"""

import argparse
import random
import statistics
import time
from datetime import timedelta
from pathlib import Path

from whats_on import (
    TEMPLATES,
    add_postgres_argument,
    analyse,
    demo_database,
    on_fresh_database,
)

ROOT = Path(__file__).resolve().parent.parent
HUB = "wiltshire"
FEED = f"/{HUB}/whats-on/feed.ics"
TARGET_MS = 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_postgres_argument(parser)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=30, help="timed requests of each kind")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    on_fresh_database(args.postgres_url, lambda url, label: run(url, args, label))


def run(url: str, args: argparse.Namespace, label: str) -> None:
    demo_database(url, label)
    sessions = fill(args.events, random.Random(args.seed))
    print(f"  added {args.events:,} events ({sessions:,} sessions) to {HUB}", flush=True)
    analyse()
    measure(args.repeat)


def fill(total: int, rng: random.Random) -> int:
    """Events of one hub from a fortnight ago to a year ahead, every one in the feed."""
    from django.db import transaction
    from django.utils import timezone

    from tutti.clusters.models import Cluster
    from tutti.directory.models import Hub
    from tutti.directory.selectors import hub_organisations
    from tutti.events.models import Event, EventSession, EventStatus

    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    hub = Hub.objects.get(slug=HUB)
    categories = {c.slug: c for c in hub.event_categories.all()}
    clusters = list(Cluster.objects.filter(hub=hub))
    places = list(hub_organisations(hub=hub).filter(is_open=True).only("pk", "town"))
    events, times = [], []
    for _ in range(total):
        title, summary, slug = rng.choice(TEMPLATES)
        venue = rng.choice(places)
        cluster = rng.choice(clusters) if clusters and slug == "cluster-meetings" else None
        starts_at = now + timedelta(days=rng.randint(-14, 365), hours=rng.choice([-8, -3, 0, 1]))
        length = timedelta(hours=rng.choice([1.5, 2, 3, 6]))
        series = [
            (starts_at + timedelta(weeks=4 * n), starts_at + timedelta(weeks=4 * n) + length)
            for n in range(3 if rng.random() < 0.1 else 1)
        ]
        cancelled = rng.random() < 0.05
        events.append(
            Event(
                hub=hub,
                title=title.format(
                    cluster=cluster.name if cluster else "Devizes", town=venue.town or "County"
                ),
                summary=summary,
                category=categories[slug],
                for_schools=True,
                cluster=cluster,
                venue=None if rng.random() < 0.1 else venue,
                is_online=rng.random() < 0.15,
                starts_at=starts_at,
                ends_at=series[-1][1],
                status=EventStatus.CANCELLED if cancelled else EventStatus.PUBLISHED,
                published_at=now,
                cancelled_at=now if cancelled else None,
            )
        )
        times.append(series)
    with transaction.atomic():
        Event.objects.bulk_create(events, batch_size=500)
        made = EventSession.objects.bulk_create(
            [
                EventSession(event=event, starts_at=begins, ends_at=ends)
                for event, series in zip(events, times, strict=True)
                for begins, ends in series
            ],
            batch_size=500,
        )
    return len(made)


def timed(
    client, path: str, repeat: int, status: int, **headers: str
) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each request. On a shared machine the CPU time is the
    steadier figure: the wall clock also counts the time other processes had the CPU."""
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path, **headers)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == status, (path, response.status_code)
    return wall, cpu


def p95(values: list[float]) -> float:
    return sorted(values)[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def measure(repeat: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for _ in range(3):  # warm caches and the connection
        client.get("/healthz")
        response = client.get(FEED)
    assert response.status_code == 200
    etag = response["ETag"]
    with CaptureQueriesContext(connection) as full:
        client.get(FEED)
    full_queries = len(full)
    with CaptureQueriesContext(connection) as unchanged:
        client.get(FEED, HTTP_IF_NONE_MATCH=etag)
    unchanged_queries = len(unchanged)
    rows = [
        ("floor: /healthz", timed(client, "/healthz", repeat, 200), "", ""),
        (
            "full feed (200)",
            timed(client, FEED, repeat, 200),
            f"{len(response.content) / 1e6:.2f} MB",
            full_queries,
        ),
        (
            "unchanged feed (304)",
            timed(client, FEED, repeat, 304, HTTP_IF_NONE_MATCH=etag),
            "0 bytes",
            unchanged_queries,
        ),
    ]
    print(
        f"\n  {'request':24} {'median':>8} {'p95':>8} {'cpu':>8} {'body':>10} {'queries':>8}"
        f"\n  {'-' * 24} {'-' * 8} {'-' * 8} {'-' * 8} {'-' * 10} {'-' * 8}"
    )
    for label, (wall, cpu), body, queries in rows:
        print(
            f"  {label:24} {statistics.median(wall):>6.1f}ms {p95(wall):>6.1f}ms "
            f"{statistics.median(cpu):>6.1f}ms {body:>10} {queries!s:>8}"
        )
    wall, cpu = rows[1][1]
    render = statistics.median(wall)
    verdict = "within" if render < TARGET_MS else "OVER"
    print(
        f"\n  full feed: {render:.1f} ms ({statistics.median(cpu):.1f} ms of CPU), {verdict} "
        f"the {TARGET_MS} ms target",
        flush=True,
    )


if __name__ == "__main__":
    main()
