"""How fast the impact figures are at national scale, beside one hand-written SQL aggregate.

    .venv/bin/python benchmarks/impact_figures.py [--rows N] [--postgres-url URL]

Each database is fresh (benchmarks/import_schools.py): every school of
data/england_schools_2026-06.csv through the register import, 43 hubs sharing out the local
authorities (balanced by number of schools), 30 delivering partners per hub, and --rows
participation records (1,000,000 by default) in one academic year, spread over the sections
as in the demo's proportions and made with bulk_create, then ANALYZEd. Then it times:

- one hub's figures: ``compute_figures(load_year(...))``;
- one hub's impact page: ``impact_page(...)``, the figures of five years for the trend and the
  schools reached (the rows are all in the latest year);
- all 43 hubs' figures, one after the other;
- one hub's data return: its rows (``return_rows``, the per-school aggregate and the WCET
  programmes), and the XLSX workbook a hub downloads (``return_workbook``);
- one hand-written SQL query over the same rows giving every hub's schools engaged, WCET pupils,
  pupils taught, ensembles and members, and instruments on loan (GROUP BY hub).

It prints each time's ratio to the hand-written SQL, and checks that the SQL, the figures and
every hub's impact page give the same numbers, and that the data return adds up to them.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _postgres import throwaway_postgres_database
from import_schools import NATIONAL_FILE, ROOT

HUBS = 43
PARTNERS_PER_HUB = 30
YEAR = 2025
# Share of the rows in each section; instrument loans are one row per partner.
SHARES = {"wcet": 0.2, "tuition": 0.35, "ensembles": 0.1, "singing": 0.1, "school-support": 0.25}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="Participation records.")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="A PostgreSQL server to try too, e.g. postgres://postgres@127.0.0.1:5432/postgres",
    )
    parser.add_argument(
        "--skip-sqlite", action="store_true", help="Only PostgreSQL (needs --postgres-url)."
    )
    parser.add_argument("--run", help=argparse.SUPPRESS)  # internal: benchmark one database
    args = parser.parse_args()
    if args.run:
        run(args.run, args.rows)
        return
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            in_child("SQLite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", args.rows)
    if args.postgres_url:
        with throwaway_postgres_database(args.postgres_url) as url:
            in_child("PostgreSQL", url, args.rows)


def in_child(label: str, url: str, rows: int) -> None:
    # Django is set up once per process, so each database gets its own.
    print(f"{label}:", flush=True)
    command = [sys.executable, __file__, "--run", url, "--rows", str(rows)]
    subprocess.run(command, check=True, cwd=ROOT)


@dataclass
class Timing:
    value: Any
    median: float


def timed(label: str, work, repeat: int = 5, warm: bool = True) -> Timing:  # type: ignore[no-untyped-def]
    # One run untimed first: the connection's and Django's first-use costs are not the work's.
    if warm:
        work()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    print(
        f"  {label:58} median {median:7.3f} s  (best {min(times):.3f} s, {repeat} runs)",
        flush=True,
    )
    return Timing(result, median)


def run(url: str, rows: int) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    hubs = build(rows)
    from django.db import connection

    # Statistics, as autovacuum would gather soon after a bulk load: without them the planner
    # guesses, and the times measure its guesses.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    measure(hubs)


def measure(hubs) -> None:  # type: ignore[no-untyped-def]
    """Time the figures, the page and the data return against the hand-written SQL, and check
    they agree, on a database already built."""
    from tutti.participation.figures import compute_figures, load_year
    from tutti.participation.impact import impact_page
    from tutti.participation.returns import SCHOOL_COLUMNS, return_rows, return_workbook

    def figures(hub):  # type: ignore[no-untyped-def]
        return {f.figure.key: f.value for f in compute_figures(load_year(hub=hub, year=YEAR))}

    def page(hub):  # type: ignore[no-untyped-def]
        shown = impact_page(hub=hub, year=YEAR, publications={}, public=False)
        return {row.figure.key: row.value for row in shown.rows}

    def data_return(hub):  # type: ignore[no-untyped-def]
        data = load_year(hub=hub, year=YEAR)
        return return_rows(data, compute_figures(data))

    def data_return_xlsx(hub):  # type: ignore[no-untyped-def]
        data = load_year(hub=hub, year=YEAR)
        return return_workbook(data, compute_figures(data))

    one = hubs[len(hubs) // 2]
    mine = timed(f"one hub's figures ({one.name})", lambda: figures(one))
    one_page = timed("one hub's impact page (five-year trend, reach)", lambda: page(one))
    every = timed(
        f"all {len(hubs)} hubs' figures", lambda: [figures(h) for h in hubs], repeat=1, warm=False
    )
    workbook = timed("one hub's data return (its rows: Schools and WCET)", lambda: data_return(one))
    xlsx = timed("one hub's data return as XLSX (openpyxl writing)", lambda: data_return_xlsx(one))
    sql_one = timed("hand-written SQL aggregate, one hub", lambda: aggregate(one.pk))
    sql_all = timed(f"hand-written SQL aggregate, all {len(hubs)} hubs", aggregate, repeat=3)
    ratios = [
        ("one hub's figures", mine, sql_one, 2),
        (f"all {len(hubs)} hubs' figures", every, sql_all, 3),
        ("one hub's data return", workbook, sql_one, None),
        ("one hub's data return as XLSX", xlsx, sql_one, None),
    ]
    for label, ours, sql, target in ratios:
        aim = f"  (target: within {target}x)" if target else ""
        print(f"  ratio, {label} / hand-written SQL: {ours.median / sql.median:6.1f}x{aim}")
    aim = "met" if workbook.median < 0.2 else "not met"
    print(f"  data return for one hub: {workbook.median:.3f} s (target under 0.2 s: {aim})")
    print(f"  ... and as XLSX: {xlsx.median:.3f} s")

    # The same numbers both ways, or the comparison means nothing: the SQL, the figures and
    # the impact page, for every hub.
    by_hub = {row[0]: row[1:] for row in sql_all.value}
    for hub, values in zip(hubs, every.value, strict=True):
        expected = tuple(values[k] for k in AGGREGATED)
        assert by_hub[hub.pk] == expected, (hub.name, by_hub[hub.pk], expected)
        shown = page(hub)
        assert tuple(shown[k] for k in AGGREGATED) == expected, (hub.name, shown, expected)
        assert shown == values, (hub.name, shown, values)
    assert sql_one.value[0][1:] == tuple(mine.value[k] for k in AGGREGATED)
    assert one_page.value == mine.value
    print(
        f"  checked: the SQL, the figures and the impact page give the same "
        f"{len(AGGREGATED)} figures for every hub"
    )
    # The data return's Schools sheet adds up to the figures.
    schools = workbook.value.schools
    for column, key in (
        ("WCET pupils", "wcet-pupils"),
        ("Tuition pupils", "pupils-taught"),
        ("Ensemble members", "ensemble-members"),
    ):
        total = sum(row[SCHOOL_COLUMNS.index(column)] for row in schools)
        assert total == mine.value[key], (column, total, mine.value[key])
    engaged = sum(
        1 for row in schools if row[SCHOOL_COLUMNS.index("Engaged on a core role")] == "Yes"
    )
    assert engaged == mine.value["schools-engaged"], (engaged, mine.value["schools-engaged"])
    print(f"  checked: {one.name}'s data return adds up to its figures")


def build(rows: int, hub_count: int = HUBS, register: bytes | None = None):  # type: ignore[no-untyped-def]
    """The register's schools (the national file unless ``register`` is given), hub_count
    hubs sharing out the local authorities, their partners and ``rows`` participation records.
    benchmarks/load.py builds its database with this too."""
    from django.db import transaction

    from tutti.directory.models import (
        Hub,
        LocalAuthority,
        Organisation,
        OrganisationKind,
        Partnership,
        PartnershipStatus,
    )
    from tutti.directory.register import register_import
    from tutti.participation import models as m

    started = time.perf_counter()
    report = register_import(data=register or NATIONAL_FILE.read_bytes())
    assert report.ok, report.errors[:5]
    print(f"  register import: {report.rows:,} schools in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    rng = random.Random(2026)
    schools_by_la: dict[int, list[int]] = {}
    for pk, la in Organisation.objects.filter(
        kind=OrganisationKind.SCHOOL, is_open=True
    ).values_list("pk", "local_authority_id"):
        schools_by_la.setdefault(la, []).append(pk)
    with transaction.atomic():
        hubs = [
            Hub.objects.create(name=f"Hub {i + 1:02d}", slug=f"hub-{i + 1:02d}")
            for i in range(hub_count)
        ]
        # Largest authority first, each to the hub with the fewest schools so far.
        size = dict.fromkeys(range(hub_count), 0)
        schools: dict[int, list[int]] = {i: [] for i in range(hub_count)}
        las = LocalAuthority.objects.in_bulk()
        for la in sorted(schools_by_la, key=lambda la: -len(schools_by_la[la])):
            i = min(size, key=size.__getitem__)
            hubs[i].local_authorities.add(las[la])
            size[i] += len(schools_by_la[la])
            schools[i] += schools_by_la[la]
        partners: dict[int, list[int]] = {}
        for i, hub in enumerate(hubs):
            made = Organisation.objects.bulk_create(
                [
                    Organisation(
                        name=f"{hub.name} partner {p + 1}", kind=OrganisationKind.MUSIC_SERVICE
                    )
                    for p in range(PARTNERS_PER_HUB)
                ]
            )
            Partnership.objects.bulk_create(
                [
                    Partnership(hub=hub, organisation=o, status=PartnershipStatus.ACTIVE)
                    for o in made
                ]
            )
            partners[i] = [o.pk for o in made]

        loans = [
            m.InstrumentLoans(
                hub=hub,
                year=YEAR,
                partner_id=p,
                to_pupils=rng.randint(0, 400),
                to_schools=rng.randint(0, 50),
            )
            for i, hub in enumerate(hubs)
            for p in partners[i]
        ]
        m.InstrumentLoans.objects.bulk_create(loans, batch_size=5000)
        left = rows - len(loans)
        total = 0
        for section, share in SHARES.items():
            count = round(left * share) if section != "school-support" else left - total
            total += count
            per_hub = [
                count // hub_count + (1 if i < count % hub_count else 0) for i in range(hub_count)
            ]
            model = {
                "wcet": m.WcetProgramme,
                "tuition": m.TuitionRecord,
                "ensembles": m.Ensemble,
                "singing": m.SingingSupport,
                "school-support": m.SchoolSupport,
            }[section]
            batch = []
            for i, hub in enumerate(hubs):
                n, ps = len(schools[i]), partners[i]
                for k in range(per_hub[i]):
                    # Walk (school, partner, kind) in order: the unique constraints hold.
                    school, partner = schools[i][k % n], ps[(k // n) % len(ps)]
                    batch.append(record(m, section, hub, school, partner, k, n, rng))
                    if len(batch) == 20_000:
                        model.objects.bulk_create(batch)
                        batch = []
            model.objects.bulk_create(batch)
    print(
        f"  {hub_count} hubs, {hub_count * PARTNERS_PER_HUB:,} partners, "
        f"{rows:,} participation rows built in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return hubs


def record(m, section, hub, school, partner, k, n, rng):  # type: ignore[no-untyped-def]
    common = {"hub": hub, "year": YEAR, "partner_id": partner}
    if section == "wcet":
        pupils = rng.randint(15, 60)
        return m.WcetProgramme(
            **common,
            school_id=school,
            year_groups="Year 4",
            instruments="Ukulele",
            pupils=pupils,
            weeks=30,
            lesson_minutes=45,
            continued=rng.randint(0, pupils),
        )
    if section == "tuition":
        pupils = rng.randint(1, 20)
        return m.TuitionRecord(
            **common,
            school_id=school if k % 10 else None,
            centre="" if k % 10 else "Centre",
            family=rng.choice(m.InstrumentFamily.values),
            lesson_type=rng.choice(m.LessonType.values),
            pupils=pupils,
            fsm=rng.randint(0, pupils),
            send=0,
            looked_after=0,
        )
    if section == "ensembles":
        members = rng.randint(8, 80)
        return m.Ensemble(
            **common,
            name=f"Ensemble {k}",
            kind=rng.choice(m.EnsembleKind.values),
            level=rng.choice(m.EnsembleLevel.values),
            school_id=school if k % 3 else None,
            members=members,
            fsm=0,
            send=0,
            looked_after=0,
            rehearsals=30,
        )
    if section == "singing":
        kinds = m.SingingKind.values
        return m.SingingSupport(
            **common, school_id=school, kind=kinds[(k // (n * 30)) % len(kinds)]
        )
    return m.SchoolSupport(
        **common,
        school_id=school,
        wcet=rng.random() < 0.5,
        ensembles=rng.random() < 0.3,
        progression=rng.random() < 0.2,
        singing=rng.random() < 0.4,
        cpd=rng.random() < 0.3,
    )


# The figures the SQL computes, in the order of its columns after the hub.
AGGREGATED = (
    "schools-engaged",
    "wcet-pupils",
    "pupils-taught",
    "ensembles",
    "ensemble-members",
    "instruments-on-loan",
)


def aggregate(hub_id: int | None = None) -> list[tuple]:
    from django.db import connection

    from tutti.participation import models as m

    t = {
        name: model._meta.db_table
        for name, model in {
            "wcet": m.WcetProgramme,
            "tuition": m.TuitionRecord,
            "ensembles": m.Ensemble,
            "singing": m.SingingSupport,
            "support": m.SchoolSupport,
            "loans": m.InstrumentLoans,
        }.items()
    }
    where = "year = %s" + (" AND hub_id = %s" if hub_id else "")
    params = [YEAR, hub_id] if hub_id else [YEAR]

    def sums(table: str, expr: str) -> str:
        # Table names from the models and a fixed WHERE: nothing comes from outside.
        return f"SELECT hub_id, {expr} AS v FROM {table} WHERE {where} GROUP BY hub_id"  # noqa: S608

    sql = f"""
    WITH engaged AS (
        SELECT hub_id, COUNT(DISTINCT school_id) AS v FROM (
            SELECT hub_id, school_id FROM {t["wcet"]} WHERE {where}
            UNION ALL SELECT hub_id, school_id FROM {t["tuition"]} WHERE {where}
            UNION ALL SELECT hub_id, school_id FROM {t["ensembles"]} WHERE {where}
            UNION ALL SELECT hub_id, school_id FROM {t["singing"]} WHERE {where}
            UNION ALL SELECT hub_id, school_id FROM {t["support"]}
                WHERE {where} AND (wcet OR ensembles OR progression OR singing)
        ) s WHERE school_id IS NOT NULL GROUP BY hub_id
    ),
    wcet AS ({sums(t["wcet"], "SUM(pupils)")}),
    taught AS ({sums(t["tuition"], "SUM(pupils)")}),
    ens AS ({sums(t["ensembles"], "COUNT(*)")}),
    members AS ({sums(t["ensembles"], "SUM(members)")}),
    loans AS ({sums(t["loans"], "SUM(to_pupils + to_schools)")})
    SELECT engaged.hub_id, engaged.v, wcet.v, taught.v, ens.v, members.v, loans.v
    FROM engaged
    JOIN wcet ON wcet.hub_id = engaged.hub_id
    JOIN taught ON taught.hub_id = engaged.hub_id
    JOIN ens ON ens.hub_id = engaged.hub_id
    JOIN members ON members.hub_id = engaged.hub_id
    JOIN loans ON loans.hub_id = engaged.hub_id
    ORDER BY engaged.hub_id
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params * 10)
        return [tuple(int(v) for v in row) for row in cursor.fetchall()]


if __name__ == "__main__":
    main()
