"""How fast the national school register imports, on SQLite and (optionally) PostgreSQL.

    .venv/bin/python benchmarks/import_schools.py [--postgres-url URL]

Each database is fresh: a temporary SQLite file, and a throwaway database created on the
PostgreSQL server (URL, or the environment variable BENCH_DATABASE_URL) and dropped afterwards.
Three passes: the first creates every school, the second finds nothing to change (the import is
idempotent), the third changes every school's name (the worst case for updates).

On PostgreSQL it also times the floor: COPY of the same file into a scratch table of text
columns, which is as fast as the rows can reach the database; each pass is given as a multiple
of it. The server runs on this machine, so its CPU time for our connection is read from /proc
and shown beside ours: on a busy machine, CPU time says more than the clock.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _postgres import throwaway_postgres_database

ROOT = Path(__file__).resolve().parent.parent
NATIONAL_FILE = ROOT / "data" / "england_schools_2026-06.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="A PostgreSQL server to try too, e.g. postgres://postgres@127.0.0.1:5432/postgres",
    )
    parser.add_argument("--run", help=argparse.SUPPRESS)  # internal: benchmark one database
    args = parser.parse_args()
    if args.run:
        run(args.run)
        return

    with tempfile.TemporaryDirectory() as tmp:
        benchmark_in_child("SQLite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
    if args.postgres_url:
        with throwaway_postgres_database(args.postgres_url) as url:
            benchmark_in_child("PostgreSQL", url)


def benchmark_in_child(label: str, url: str) -> None:
    # Django is set up once per process, so each database gets its own.
    print(f"{label}:", flush=True)
    subprocess.run([sys.executable, __file__, "--run", url], check=True, cwd=ROOT)


def run(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tutti.directory.models import Organisation
    from tutti.directory.register import register_import

    call_command("migrate", verbosity=0)
    data = NATIONAL_FILE.read_bytes()
    renamed = rename_every_school(data)
    floor = copy_floor(data) if connection.vendor == "postgresql" else None
    if floor is not None:
        print(f"  {'COPY of the file (the floor)':34} {floor:5.2f} s", flush=True)
    for label, payload in (
        ("first pass (all new)", data),
        ("second pass (nothing changes)", data),
        ("third pass (every name changed)", renamed),
    ):
        server_started = server_cpu()
        started, cpu_started = time.perf_counter(), time.process_time()
        report = register_import(data=payload)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        server = server_cpu()
        assert report.ok, report.errors[:5]
        print(
            f"  {label:34} {report.rows:,} rows in {seconds:5.2f} s = "
            f"{report.rows / seconds:8,.0f} rows/s (CPU {cpu:5.2f} s"
            + (f" + server {server - server_started:5.2f} s" if server is not None else "")
            + ")"
            + (f" {seconds / floor:5.1f}x COPY" if floor else "")
            + f"   (created {report.created:,}, updated {report.updated:,}, "
            f"unchanged {report.unchanged:,})",
            flush=True,
        )
    print(f"  schools in the database: {Organisation.objects.count():,}")


def copy_floor(data: bytes) -> float:
    """Seconds to COPY the CSV into a scratch table of text columns (dropped afterwards)."""
    import csv
    import io

    from django.db import connection

    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    columns = ", ".join(f"c{i} text" for i in range(len(header)))
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_copy_floor ({columns})")
        started = time.perf_counter()
        with cursor.copy("COPY bench_copy_floor FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            copy.write(data)
        seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_copy_floor")
    return seconds


def server_cpu() -> float | None:
    """CPU seconds the PostgreSQL backend of our connection has used, if it runs here."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # utime and stime, the 14th and 15th fields of the line (11th and 12th after the name).
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rename_every_school(data: bytes) -> bytes:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    column = rows[0].index("EstablishmentName")
    for row in rows[1:]:
        row[column] += " (renamed)"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


if __name__ == "__main__":
    main()
