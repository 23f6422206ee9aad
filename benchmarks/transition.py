"""How fast a secondary school's transition picture is at national scale, with 20 feeders.

    .venv/bin/python benchmarks/transition.py [--postgres-url URL] [--rows N] [--repeat N]

The database is fresh: a temporary SQLite file, and with ``--postgres-url`` (or the
environment variable BENCH_DATABASE_URL) a throwaway database on that PostgreSQL server too,
dropped afterwards. It is built as benchmarks/impact_figures.py builds its own (every school of
the national register, 43 hubs sharing out the local authorities, --rows participation records,
100,000 by default). Then, in the largest hub, the secondary school whose local authority has the
most schools gets its 20 nearest primaries confirmed as feeders, and each feeder five years of
whole-class teaching, lessons, singing and an ensemble, plus an audit.

Through Django's test client, signed in as the hub's staff, it asks for /healthz (the floor),
the transition picture and the feeders page (which works out the suggestion across the whole
local authority), and times the picture's selector on its own. It prints the median and 95th
percentile of the wall clock and of this process's CPU time, and the queries. The target: the
picture under 100 ms of server time, with the same number of queries whatever the feeders.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _postgres import throwaway_postgres_database
from gap_map import counted, p95, timed
from import_schools import ROOT

TARGET_MS = 100
FEEDERS = 20
YEARS = 5


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
    os.environ["ALLOWED_HOSTS"] = "testserver"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import impact_figures
    from django.core.management import call_command

    from tutti.core.years import current_academic_year

    call_command("migrate", verbosity=0)
    impact_figures.YEAR = current_academic_year()
    hubs = impact_figures.build(rows)
    hub, secondary = add_feeders(hubs)
    measure(hub, secondary, repeat)


def add_feeders(hubs):  # type: ignore[no-untyped-def]
    from django.db import transaction

    from tutti.core.years import current_academic_year
    from tutti.directory.models import Organisation, OrganisationKind
    from tutti.participation import models as m
    from tutti.provision.models import Answer, SchoolAudit
    from tutti.transition.models import (
        PRIMARY_PHASES,
        RECEIVING_PHASES,
        FeederDecision,
        FeederState,
    )
    from tutti.transition.selectors import distance_km

    schools = {
        h.pk: list(
            Organisation.objects.filter(
                kind=OrganisationKind.SCHOOL,
                is_open=True,
                local_authority__hubs=h,
                latitude__isnull=False,
            )
        )
        for h in hubs
    }
    hub = max(hubs, key=lambda h: len(schools[h.pk]))
    by_la: dict[int, list[Organisation]] = {}
    for school in schools[hub.pk]:
        by_la.setdefault(school.local_authority_id, []).append(school)
    biggest = max(by_la.values(), key=len)
    secondary = next(s for s in biggest if s.phase in RECEIVING_PHASES)
    primaries = sorted(
        (s for s in biggest if s.phase in PRIMARY_PHASES),
        key=lambda p: distance_km(p, secondary) or 0.0,
    )[:FEEDERS]
    partner = m.WcetProgramme.objects.filter(hub=hub).values_list("partner_id", flat=True)[:1]
    partner_id = (
        partner[0] if partner else hub.partnerships.values_list("organisation", flat=True)[0]
    )
    year = current_academic_year()
    with transaction.atomic():
        FeederDecision.objects.bulk_create(
            FeederDecision(hub=hub, secondary=secondary, primary=p, state=FeederState.CONFIRMED)
            for p in primaries
        )
        common = {"hub": hub, "partner_id": partner_id}
        for y in range(year - YEARS + 1, year + 1):
            m.WcetProgramme.objects.bulk_create(
                m.WcetProgramme(
                    **common,
                    year=y,
                    school=p,
                    year_groups="Year 4",
                    instruments=("Ukulele", "Cornet", "Violin")[n % 3],
                    pupils=30,
                    weeks=30,
                    lesson_minutes=45,
                    continued=12,
                )
                for n, p in enumerate(primaries)
            )
            m.TuitionRecord.objects.bulk_create(
                m.TuitionRecord(
                    **common,
                    year=y,
                    school=p,
                    family=m.InstrumentFamily.values[n % 8],
                    lesson_type=m.LessonType.SMALL_GROUP,
                    pupils=12,
                    fsm=3,
                    send=1,
                    looked_after=0,
                )
                for n, p in enumerate(primaries)
            )
            m.SingingSupport.objects.bulk_create(
                m.SingingSupport(**common, year=y, school=p, kind=m.SingingKind.WHOLE_SCHOOL)
                for p in primaries
            )
            m.Ensemble.objects.bulk_create(
                m.Ensemble(
                    **common,
                    year=y,
                    school=p,
                    name=f"Feeder choir {n} {y}",
                    kind=m.EnsembleKind.CHOIR,
                    level=m.EnsembleLevel.MIXED,
                    members=20,
                    fsm=2,
                    send=1,
                    looked_after=0,
                    rehearsals=30,
                )
                for n, p in enumerate(primaries)
            )
        SchoolAudit.objects.bulk_create(
            SchoolAudit(hub=hub, school=p, year=year, mdp=Answer.YES) for p in primaries
        )
    print(
        f"  largest hub: {hub.name}; {secondary.name} in an authority of {len(biggest)} "
        f"schools, {len(primaries)} feeders with {YEARS} years of records each",
        flush=True,
    )
    return hub, secondary


def measure(hub, secondary, repeat: int) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    from tutti.accounts.models import Membership, Role
    from tutti.accounts.tests.factories import UserFactory
    from tutti.core.years import current_academic_year
    from tutti.transition import selectors

    staff = UserFactory()
    Membership.objects.create(hub=hub, user=staff, role=Role.HUB_STAFF)
    client = Client()
    client.force_login(staff)
    picture = f"/{hub.slug}/manage/transition/{secondary.urn}/"
    feeders = f"{picture}feeders/"
    for _ in range(3):  # warm the connection and the templates
        client.get("/healthz")
        client.get(picture)
        client.get(feeders)
    year = current_academic_year()
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        shown = selectors.picture(hub=hub, secondary=secondary, year=year)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    assert len(shown.feeders) >= FEEDERS, len(shown.feeders)
    rows = [
        ("floor: /healthz", timed(client, "/healthz", repeat), b"", ""),
        ("picture (selector)", (wall, cpu), b"", ""),
        ("picture page", timed(client, picture, repeat), *counted(client, picture)[::-1]),
        ("feeders page", timed(client, feeders, repeat), *counted(client, feeders)[::-1]),
    ]
    print(
        f"\n  {'request':24} {'median':>8} {'p95':>8} {'cpu':>8} {'html':>8} {'queries':>8}"
        f"\n  {'-' * 24} {'-' * 8} {'-' * 8} {'-' * 8} {'-' * 8} {'-' * 8}"
    )
    for label, (w, c), body, queries in rows:
        size = f"{len(body) / 1000:.0f} KB" if body else ""
        print(
            f"  {label:24} {statistics.median(w):>6.1f}ms {p95(w):>6.1f}ms "
            f"{statistics.median(c):>6.1f}ms {size:>8} {queries!s:>8}"
        )
    slowest(hub, secondary, year)
    page = statistics.median(rows[2][1][0])
    floor = statistics.median(rows[0][1][0])
    verdict = "under" if page - floor < TARGET_MS else "OVER"
    print(
        f"\n  picture page less the floor: {page - floor:.1f} ms, {verdict} the {TARGET_MS} ms "
        "target",
        flush=True,
    )


def slowest(hub, secondary, year: int) -> None:  # type: ignore[no-untyped-def]
    """The picture's queries, slowest first, to show where its time goes."""
    from django.db import connection

    from tutti.transition import selectors

    made: list[tuple[float, str]] = []

    def timed_query(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            made.append(((time.perf_counter() - started) * 1000, sql))

    with connection.execute_wrapper(timed_query):
        selectors.picture(hub=hub, secondary=secondary, year=year)
    print("\n  the picture's queries, slowest first:")
    for ms, sql in sorted(made, reverse=True)[:5]:
        print(f"  {ms:>6.1f}ms  {sql[:110]}")


if __name__ == "__main__":
    main()
