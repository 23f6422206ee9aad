"""How fast the gap map page is for the largest hub at national scale, cold and warm.

    .venv/bin/python benchmarks/gap_map.py [--postgres-url URL] [--rows N] [--repeat N]

The database is fresh: a temporary SQLite file, and with ``--postgres-url`` (or the
environment variable BENCH_DATABASE_URL) a throwaway database on that PostgreSQL server too,
dropped afterwards. It is built as benchmarks/impact_figures.py builds its own (every school of
the national register, 43 hubs sharing out the local authorities, --rows participation records,
100,000 by default), then the largest hub gets an audit for two schools in three (answers drawn
at random) and a cluster for each of its authorities.

Through Django's test client, as an anonymous visitor with the public page cache off (so the
view runs every time), it asks for /healthz (the floor), then the gap map: "cold" with an empty
cache before each request (as just after someone saved an audit), "warm" with the drawn map in
the cache, and a later page of the gap list. It prints the median and 95th percentile of the
wall clock and of this process's CPU time, the HTML size and the queries. The target is a warm
page under 30 ms.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _postgres import throwaway_postgres_database
from import_schools import ROOT

TARGET_MS = 30


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="Participation records.")
    parser.add_argument("--repeat", type=int, default=30, help="Requests timed for each row.")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="A PostgreSQL server to try too, e.g. postgres://postgres@127.0.0.1:5432/postgres",
    )
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only.")
    parser.add_argument("--run", help=argparse.SUPPRESS)  # internal: benchmark one database
    args = parser.parse_args()
    if args.run:
        run(args.run, args.rows, args.repeat)
        return
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            in_child("SQLite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", args)
    if args.postgres_url:
        with throwaway_postgres_database(args.postgres_url) as url:
            in_child("PostgreSQL", url, args)


def in_child(label: str, url: str, args: argparse.Namespace) -> None:
    # Django is set up once per process, so each database gets its own.
    print(f"{label}:", flush=True)
    command = [sys.executable, __file__, "--run", url, "--rows", str(args.rows)]
    subprocess.run([*command, "--repeat", str(args.repeat)], check=True, cwd=ROOT)


def run(url: str, rows: int, repeat: int) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    # The test client's host. Not setup_test_environment(): it would copy every template
    # rendered, which is not what a server does.
    os.environ["ALLOWED_HOSTS"] = "testserver"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import impact_figures
    from django.core.management import call_command

    from tutti.core.years import current_academic_year

    call_command("migrate", verbosity=0)
    # The records of this academic year, which the gap map counts as provision.
    impact_figures.YEAR = current_academic_year()
    hubs = impact_figures.build(rows)
    hub = add_audits_and_clusters(hubs)
    measure(hub, repeat)


def add_audits_and_clusters(hubs):  # type: ignore[no-untyped-def]
    from django.db import transaction

    from tutti.clusters.models import Cluster, ClusterMember
    from tutti.core import page_cache
    from tutti.core.years import current_academic_year
    from tutti.directory.models import Organisation, OrganisationKind
    from tutti.provision.models import Answer, SchoolAudit

    year = current_academic_year()
    schools = {
        h.pk: list(
            Organisation.objects.filter(
                kind=OrganisationKind.SCHOOL, is_open=True, local_authority__hubs=h
            ).select_related("local_authority")
        )
        for h in hubs
    }
    hub = max(hubs, key=lambda h: len(schools[h.pk]))
    rng = random.Random(12)
    answers = [Answer.YES, Answer.PARTLY, Answer.NO, ""]
    fields = ["wcet", "singing", "choir", "ensembles", "tuition", "send", "mdp"]
    with transaction.atomic():
        SchoolAudit.objects.bulk_create(
            [
                SchoolAudit(
                    hub=hub, school=school, year=year, **{f: rng.choice(answers) for f in fields}
                )
                for school in schools[hub.pk]
                if rng.random() < 2 / 3
            ]
        )
        by_la: dict[int, list] = {}
        for school in schools[hub.pk]:
            by_la.setdefault(school.local_authority_id, []).append(school)
        for la_id, members in by_la.items():
            name = f"{members[0].local_authority.name} schools"
            cluster = Cluster.objects.create(hub=hub, name=name, slug=f"cluster-{la_id}")
            ClusterMember.objects.bulk_create(
                [ClusterMember(cluster=cluster, organisation=s) for s in members]
            )
    page_cache.bump_hub(hub.pk)
    print(
        f"  largest hub: {hub.name}, {len(schools[hub.pk])} open schools in {len(by_la)} "
        f"authorities, {SchoolAudit.objects.filter(hub=hub).count()} audits",
        flush=True,
    )
    return hub


def timed(client, path: str, repeat: int, before=None) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    """Wall-clock and CPU milliseconds of each request. On a shared machine the CPU time is the
    steadier figure: the wall clock also counts the time other processes had the CPU."""
    wall, cpu = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return wall, cpu


def p95(values: list[float]) -> float:
    return sorted(values)[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def counted(client, path: str) -> tuple[int, bytes]:  # type: ignore[no-untyped-def]
    """The number of queries the request makes, and its HTML."""
    from django.db import connection

    made = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        made.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(made), response.content


def measure(hub, repeat: int) -> None:  # type: ignore[no-untyped-def]
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    path = f"/{hub.slug}/provision/"
    later = f"{path}?role=wcet&page=3"
    for _ in range(3):  # warm the connection, the templates and the boundaries
        client.get("/healthz")
        client.get(path)
    # Cold: an empty cache, as after a write (a new version) and for the first visitor.
    cache.clear()
    cold_queries, html = counted(client, path)
    warm_queries, warm_html = counted(client, path)
    assert warm_html == html  # the cached drawing changes nothing
    rows = [
        ("floor: /healthz", timed(client, "/healthz", repeat), b"", ""),
        ("gap map, cold", timed(client, path, repeat, cache.clear), html, cold_queries),
        ("gap map, warm", timed(client, path, repeat), html, warm_queries),
        ("gap map, page 3, warm", timed(client, later, repeat), counted(client, later)[1], ""),
    ]
    print(
        f"\n  {'request':24} {'median':>8} {'p95':>8} {'cpu':>8} {'html':>8} {'queries':>8}"
        f"\n  {'-' * 24} {'-' * 8} {'-' * 8} {'-' * 8} {'-' * 8} {'-' * 8}"
    )
    for label, (wall, cpu), body, queries in rows:
        size = f"{len(body) / 1000:.0f} KB" if body else ""
        print(
            f"  {label:24} {statistics.median(wall):>6.1f}ms {p95(wall):>6.1f}ms "
            f"{statistics.median(cpu):>6.1f}ms {size:>8} {queries!s:>8}"
        )
    warm = statistics.median(rows[2][1][0])
    floor = statistics.median(rows[0][1][0])
    verdict = "under" if warm - floor < TARGET_MS else "OVER"
    print(
        f"\n  warm gap map less the floor: {warm - floor:.1f} ms, {verdict} the {TARGET_MS} ms "
        "target",
        flush=True,
    )


if __name__ == "__main__":
    main()
