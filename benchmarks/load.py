"""Tutti under load: gunicorn with production settings on a national-scale PostgreSQL database.

    .venv/bin/python benchmarks/load.py [--quick] [--rebuild] [--seconds S] [--postgres-url URL]

The database: every school in England through the register import, 43 hubs sharing out the
local authorities, 1,000,000 participation records (benchmarks/impact_figures.py), 50,000
events and 500,000 bookings (benchmarks/whats_on.py), a hub staff user with bookings of their
own, and every hub's figures published. It is built once (10 minutes or more) on a PostgreSQL
server of our own whose data folder is kept (.bench/pg), so the next run starts at once;
``--rebuild`` starts over. A row in the table ``load_benchmark`` records the scale it was built
with. ``--postgres-url`` uses another server instead (the database is kept there too).
``--quick``: 2,000 schools, 2 hubs, 2,000 events, 20,000 bookings and 20,000 records.

Then it serves Tutti under gunicorn (config.settings.production, the README's command) on a
free port, twice: with the public page cache, for anonymous visitors' warm pages ("cached"),
and without it, for the same pages rendered each time ("anonymous") and for signed-in staff.
The shared cache is a Redis server started here (``--cache database`` for the table). For each
page, at 8 and 32 concurrent clients, sends requests for --seconds
from Python asyncio clients (HTTP/1.1, reconnecting when the server closes, accepting gzip
as browsers and calendar clients do). It prints each
page's throughput, also as a share of /healthz measured the same way in the same run, the
50th and 95th percentile latency, the number of queries (counted once in-process with the test
client) and the server time (the median of a few in-process renders), for anonymous visitors
and for the hub's staff user signed in. Last, in-process: one hub's figures and all hubs'
figures beside a hand-written SQL aggregate, the data return workbook of one hub, and the
register import beside PostgreSQL's COPY of the same file.

The load clients share the machine's cores with gunicorn and PostgreSQL, as /healthz does:
compare the shares, not the absolute numbers, between machines.
"""

import argparse
import asyncio
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import impact_figures
import whats_on
from import_schools import NATIONAL_FILE, ROOT

# What each scale builds. "schools" is how many rows of the national register (None: all).
SCALES = {
    "national": {
        "schools": None,
        "hubs": 43,
        "events": 50_000,
        "bookings": 500_000,
        "rows": 1_000_000,
    },
    "quick": {"schools": 2_000, "hubs": 2, "events": 2_000, "bookings": 20_000, "rows": 20_000},
}
CONCURRENCY = (8, 32)
STAFF_EMAIL = "load.staff@example.org"
STAFF_BOOKINGS = 40
MARKER = "load_benchmark"
INITDB = ["-E", "UTF8", "--no-locale"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small database, short runs")
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="use this PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/postgres) "
        "instead of starting one in --data-dir",
    )
    parser.add_argument("--data-dir", default=str(ROOT / ".bench" / "pg"), type=Path)
    parser.add_argument("--seconds", type=float, help="load per page and concurrency (5; 1 quick)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument(
        "--cache",
        choices=["redis", "database"],
        default="redis" if shutil.which("redis-server") else "database",
        help="the shared cache: a Redis server started here (the README's setting at scale; "
        "the default when redis-server is installed) or the database table",
    )
    parser.add_argument(
        "--clients", default=",".join(map(str, CONCURRENCY)), help="concurrencies (8,32)"
    )
    parser.add_argument("--import-into", help=argparse.SUPPRESS)  # internal: the import timing
    args = parser.parse_args()
    scale_name = "quick" if args.quick else "national"
    scale = SCALES[scale_name]
    if args.import_into:
        time_register_import(args.import_into, register_bytes(scale))
        return
    seconds = args.seconds or (1.0 if args.quick else 5.0)
    clients = [int(c) for c in args.clients.split(",")]

    # A signal ends the run through the finally blocks, so no server outlives it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with (
        postgres_server(args.postgres_url, args.data_dir) as server_url,
        redis_server(args.cache == "redis"),
    ):
        database = "tutti_load" if scale_name == "national" else "tutti_load_quick"
        build = prepare_database(server_url, database, scale, rebuild=args.rebuild)
        url = with_database(server_url, database)
        setup_django(url)
        if build:
            build_database(server_url, database, scale)
        else:
            print_marker()
            # A database built by an older Tutti gets the migrations since (new indexes).
            from django.core.management import call_command

            call_command("migrate", interactive=False, verbosity=0)
        run(server_url, database, scale, seconds, clients, args.workers)


# Redis -------------------------------------------------------------------------------------


@contextmanager
def redis_server(wanted: bool) -> Iterator[None]:
    """A Redis server of our own on a free port, named to gunicorn by CACHE_URL (README)."""
    if not wanted:
        os.environ.pop("CACHE_URL", None)
        yield
        return
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    os.environ["CACHE_URL"] = f"redis://127.0.0.1:{port}/0"
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


# PostgreSQL --------------------------------------------------------------------------------


@contextmanager
def postgres_server(url: str | None, folder: Path) -> Iterator[str]:
    """The server at ``url``, or one of our own on a free port whose data folder is kept."""
    if url:
        yield url
        return
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts[-3])
    if not found:
        sys.exit("PostgreSQL is not installed (apt-get install postgresql), or use --postgres-url.")
    bindir = found[-1].parent
    # PostgreSQL refuses to run as root, so as root the server runs as the postgres user.
    as_owner = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    data = folder / "data"
    folder.mkdir(parents=True, exist_ok=True)
    if as_owner:
        shutil.chown(folder, "postgres")
    if not (data / "PG_VERSION").exists():
        print(f"New PostgreSQL data folder: {data}", flush=True)
        subprocess.run(
            [*as_owner, bindir / "initdb", "-D", data, "-U", "postgres", "-A", "trust", *INITDB],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    pg_ctl = [*as_owner, str(bindir / "pg_ctl"), "-D", str(data)]
    # A server left running by an interrupted run: stop it, we do not know its port.
    if subprocess.run([*pg_ctl, "status"], capture_output=True).returncode == 0:
        subprocess.run([*pg_ctl, "-m", "fast", "-w", "stop"], check=True, capture_output=True)
    port = free_port()
    # fsync off: a benchmark's data, rebuilt if a crash ever spoilt it; it makes the build faster
    # and changes nothing for reading.
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    log = folder / "server.log"
    subprocess.run(
        [*pg_ctl, "-l", str(log), "-w", "-o", options, "start"], check=True, capture_output=True
    )
    # The third word of its answer, e.g. 15.18 from "postgres (PostgreSQL) 15.18 (Debian ...)".
    version = subprocess.run(
        [bindir / "postgres", "--version"], capture_output=True, text=True
    ).stdout.split()[2]
    print(f"PostgreSQL {version} on 127.0.0.1:{port}, data in {data}", flush=True)
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        from django.conf import settings

        if settings.configured:
            from django.db import connections

            connections.close_all()
        subprocess.run([*pg_ctl, "-m", "fast", "-w", "stop"], capture_output=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def with_database(server_url: str, name: str) -> str:
    return urlsplit(server_url)._replace(path=f"/{name}").geturl()


def admin_sql(server_url: str, *statements: str) -> list[Any]:
    """Run statements on the server's maintenance database; the rows of the last one."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        rows: list[Any] = []
        for statement in statements:
            cursor = connection.execute(statement)
            rows = cursor.fetchall() if cursor.description else []
        return rows


def prepare_database(server_url: str, name: str, scale: dict, *, rebuild: bool) -> bool:
    """True when the database must be built: asked to, missing, half built or of another
    scale. Then it is made new and empty."""
    import psycopg

    # The names are ours (tutti_load, tutti_load_quick), never from outside.
    exists = admin_sql(server_url, f"SELECT 1 FROM pg_database WHERE datname = '{name}'")  # noqa: S608
    built = None
    if exists and not rebuild:
        with psycopg.connect(with_database(server_url, name)) as connection:
            has_marker = connection.execute("SELECT to_regclass(%s)", [MARKER]).fetchone()[0]
            if has_marker:
                built = connection.execute(f"SELECT scale FROM {MARKER}").fetchone()  # noqa: S608
        if built and built[0] == scale:
            return False
        print(
            f"Database {name} is "
            + (f"of another scale ({built[0]})" if built else "half built")
            + ": building it again.",
            flush=True,
        )
    admin_sql(
        server_url,
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        f'DROP DATABASE IF EXISTS "{name}_schema" WITH (FORCE)',
        f'CREATE DATABASE "{name}"',
    )
    return True


# Django ------------------------------------------------------------------------------------


def setup_django(url: str) -> None:
    """Production settings, as gunicorn will have them: the children inherit this environment."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=url,
        # A new key each run: the signed-in session is made in this run.
        SECRET_KEY=secrets.token_urlsafe(50),
        SITE_URL="https://tutti.example.org",
        # The test client's host, for the in-process counts.
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("DJANGO_SECRET_KEY", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build_database(server_url: str, name: str, scale: dict) -> None:
    from django.core.management import call_command
    from django.db import connection, connections

    print(f"Building {name}: {json.dumps(scale)}", flush=True)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    print(f"  migrated in {time.perf_counter() - started:.1f} s", flush=True)
    # The empty schema, kept as a template for timing the register import in a fresh database.
    connections.close_all()
    admin_sql(server_url, f'CREATE DATABASE "{name}_schema" TEMPLATE "{name}"')

    hubs = impact_figures.build(scale["rows"], scale["hubs"], register_bytes(scale))
    step = time.perf_counter()
    events, bookings = whats_on.fill(scale["events"], scale["bookings"], random.Random(2026))
    print(
        f"  added {events:,} events and {bookings:,} bookings in "
        f"{time.perf_counter() - step:.1f} s",
        flush=True,
    )
    staff_and_publications(hubs[len(hubs) // 2], hubs)
    whats_on.analyse()
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {MARKER} (scale jsonb, built_at timestamptz, seconds real)")
        cursor.execute(
            f"INSERT INTO {MARKER} VALUES (%s, now(), %s)",  # noqa: S608
            [json.dumps(scale), seconds],
        )
    print(f"  built in {seconds / 60:.1f} min", flush=True)


def print_marker() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT scale, built_at, seconds FROM {MARKER}")  # noqa: S608
        scale, built_at, seconds = cursor.fetchone()
    if isinstance(scale, str):  # Django's cursor leaves jsonb as text
        scale = json.loads(scale)
    print(
        f"Reusing the database built {built_at:%Y-%m-%d %H:%M} in {seconds / 60:.1f} min: "
        f"{json.dumps(scale)} (--rebuild to start over)",
        flush=True,
    )


def register_bytes(scale: dict) -> bytes:
    """The national register file, or its first rows for a quick run."""
    data = NATIONAL_FILE.read_bytes()
    if scale["schools"] is None:
        return data
    return b"\n".join(data.split(b"\n")[: scale["schools"] + 1]) + b"\n"


def staff_and_publications(hub: Any, hubs: list[Any]) -> None:
    """A hub staff user with bookings of their own; every hub's figures published, so that the
    public impact page and API have figures to show."""
    from django.db import transaction

    from tutti.accounts.models import Membership, Role, User
    from tutti.events.models import Booking, BookingStatus, Event, EventStatus
    from tutti.participation import publishing
    from tutti.participation.figures import FIGURES

    with transaction.atomic():
        user = User.objects.create_user(
            username="load-staff", email=STAFF_EMAIL, first_name="Load", last_name="Staff"
        )
        Membership.objects.create(hub=hub, user=user, role=Role.HUB_STAFF)
        events = list(
            Event.objects.filter(hub=hub, status=EventStatus.PUBLISHED).order_by("?")[
                :STAFF_BOOKINGS
            ]
        )
        Booking.objects.bulk_create(
            Booking(
                event=event,
                name="Load Staff",
                email=STAFF_EMAIL,
                organisation_name="A school",
                status=BookingStatus.CONFIRMED,
                confirmed_at=event.published_at,
            )
            for event in events
        )
        for each in hubs:
            publishing.publish(
                hub=each,
                year=impact_figures.YEAR,
                figures=[f.key for f in FIGURES],
                show_reach=True,
                by=user,
            )


# The run -----------------------------------------------------------------------------------


@dataclass
class Page:
    label: str
    path: str
    signed_in: bool = False
    # Anonymous pages are measured twice: from the shared cache (warm), and with it turned off.
    cached: bool = False
    queries: int = 0
    server_ms: float = 0.0
    results: dict[int, "Result"] = field(default_factory=dict)


@dataclass
class Result:
    requests: int
    seconds: float
    latencies: list[float]
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def pages(hub: Any) -> list[Page]:
    from django.db.models import Count
    from django.utils import timezone

    from tutti.events.models import Event, EventStatus

    # An upcoming event, the most booked: its page counts the places left.
    event = (
        Event.objects.filter(hub=hub, status=EventStatus.PUBLISHED, starts_at__gte=timezone.now())
        .annotate(n=Count("bookings"))
        .order_by("-n", "pk")
        .first()
    )
    h = hub.slug
    public = [
        ("/healthz", "/healthz"),
        ("What's On, page 1", f"/{h}/whats-on/"),
        ("an event", f"/{h}/whats-on/{event.pk}/"),
        ('directory search "primary"', f"/{h}/directory/?q=primary"),
        ("impact page", f"/{h}/impact/"),
        ("gap map", f"/{h}/provision/"),
        ("calendar feed", f"/{h}/whats-on/feed.ics"),
        ("API impact", f"/api/hubs/{h}/impact"),
    ]
    staff = [
        ("manage events", f"/{h}/manage/events/"),
        ("my bookings", f"/{h}/whats-on/my-bookings/"),
    ]
    return (
        [Page(label, path, cached=True) for label, path in public]
        + [Page(label, path) for label, path in public]
        + [Page(label, path, signed_in=True) for label, path in public[1:]]
        + [Page(label, path, signed_in=True) for label, path in staff]
    )


def who(page: Page) -> str:
    return "staff" if page.signed_in else "cached" if page.cached else "anonymous"


def run(
    server_url: str, database: str, scale: dict, seconds: float, clients: list[int], workers: int
) -> None:
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    from tutti.accounts.models import Membership

    # The manifest WhiteNoise serves from, as a release builds it (README, "Deploying"). It
    # compresses every file, which takes a while, so only when ours changed since.
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    ours = [p.stat().st_mtime for p in (ROOT / "static").rglob("*") if p.is_file()]
    if not manifest.exists() or max(ours, default=0) > manifest.stat().st_mtime:
        print("collectstatic...", flush=True)
        call_command("collectstatic", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)  # the cache when CACHE_URL is not set
    membership = Membership.objects.select_related("hub", "user").get(user__email=STAFF_EMAIL)
    hub, user = membership.hub, membership.user
    anonymous, staff = (
        Client(HTTP_X_FORWARDED_PROTO="https"),
        Client(HTTP_X_FORWARDED_PROTO="https"),
    )
    staff.force_login(user)
    cookie = f"sessionid={staff.cookies['sessionid'].value}"
    measured = pages(hub)
    print(f"\nIn-process, {hub.name} ({hub.slug}): queries and server time", flush=True)
    for page in measured:
        with override_settings(PUBLIC_PAGE_CACHE=page.cached):
            client = staff if page.signed_in else anonymous
            page.queries, page.server_ms = in_process(client, page.path)
        print(
            f"  {page.label:28} {who(page):9} {page.queries:>3} queries {page.server_ms:8.1f} ms",
            flush=True,
        )
    ratios = extras(hub, staff, server_url, database)

    # Two servers one after the other: with the public page cache (the warm anonymous rows),
    # and without it (anonymous pages rendered each time, and signed-in people, who never use
    # it). Each has its own /healthz row, the floor its pages are shared against.
    for cached in (True, False):
        port = free_port()
        with gunicorn(port, workers, page_cache=cached):
            print(
                f"\ngunicorn, {workers} workers, config.settings.production, public page cache "
                f"{'on' if cached else 'off'}, cache {os.environ.get('CACHE_URL') or 'database'}; "
                f"{seconds:g} s per page and concurrency, {os.cpu_count()} cores shared with "
                "the clients and PostgreSQL",
                flush=True,
            )
            for n in clients:
                for page in measured:
                    if page.cached != cached:
                        continue
                    who_cookie = cookie if page.signed_in else None
                    # Warm: every worker's first render (maps, templates) and the shared cache's
                    # first copy of the page are not what a busy site serves.
                    asyncio.run(load(port, page.path, who_cookie, n, min(seconds, 1.0)))
                    page.results[n] = asyncio.run(load(port, page.path, who_cookie, n, seconds))
                    rate = page.results[n].rate
                    print(f"  {n:>3} clients  {page.label:28} {who(page):9} {rate:8.1f} req/s")
    table(measured, clients)
    if 8 in clients:
        targets(measured, ratios)


def in_process(client: Any, path: str, repeat: int = 15) -> tuple[int, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Warm the caches, the connection and PostgreSQL's buffers: a few renders, as a worker
    # has made before it serves the load.
    for _ in range(3):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    # Counted now: the captured list is read lazily from a log later requests clear.
    count = len(queries)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    return count, statistics.median(times)


def extras(hub: Any, staff: Any, server_url: str, database: str) -> dict[str, float]:
    """Figures, the data return and the import, printed; the figures' ratios to the SQL
    returned, for ``targets``."""
    from tutti.directory.models import Hub
    from tutti.participation.figures import compute_figures, load_year

    year = impact_figures.YEAR

    def figures(h: Any) -> dict[str, int]:
        return {f.figure.key: f.value for f in compute_figures(load_year(hub=h, year=year))}

    hubs = list(Hub.objects.order_by("slug"))
    # Medians of several runs each, the same for both sides: one run of a few tens of
    # milliseconds on a shared machine swings by a third.
    mine, one = timed(lambda: figures(hub), repeat=15)
    sql_one, one_sql = timed(lambda: impact_figures.aggregate(hub.pk), repeat=15)
    assert sql_one[0][1:] == tuple(mine[k] for k in impact_figures.AGGREGATED)
    every, every_time = timed(lambda: [figures(h) for h in hubs], repeat=3)
    sql_all, all_sql = timed(impact_figures.aggregate, repeat=3)
    by_hub = {row[0]: row[1:] for row in sql_all}
    for h, values in zip(hubs, every, strict=True):
        assert by_hub[h.pk] == tuple(values[k] for k in impact_figures.AGGREGATED), h.slug
    one_label, every_label = "one hub's figures", f"all {len(hubs)} hubs' figures"
    print(
        f"\n  {one_label:28} {one * 1000:8.1f} ms   hand-written SQL "
        f"{one_sql * 1000:7.1f} ms   x{one / one_sql:.1f}"
        f"\n  {every_label:28} {every_time * 1000:8.1f} ms   "
        f"hand-written SQL {all_sql * 1000:7.1f} ms   x{every_time / all_sql:.1f}   "
        "(same figures both ways)",
        flush=True,
    )
    path = f"/{hub.slug}/manage/participation/return.xlsx?year={year}"
    response = staff.get(path)
    assert response.status_code == 200, response.status_code
    _, xlsx = timed(lambda: staff.get(path))
    print(
        f"  {'data return XLSX, one hub':28} {xlsx * 1000:8.1f} ms   "
        f"{len(response.content):,} bytes"
    )

    # The import in a new database from the empty schema, in a child: Django has one default.
    scratch = f"{database}_import"
    admin_sql(
        server_url,
        f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)',
        f'CREATE DATABASE "{scratch}" TEMPLATE "{database}_schema"',
    )
    try:
        command = [sys.executable, __file__, "--import-into", with_database(server_url, scratch)]
        if database.endswith("_quick"):
            command.append("--quick")
        subprocess.run(command, check=True, cwd=ROOT)
    finally:
        admin_sql(server_url, f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
    return {"one hub": one / one_sql, "every hub": every_time / all_sql}


def timed(work: Callable[[], Any], repeat: int = 3) -> tuple[Any, float]:
    """The result and the median time of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return result, statistics.median(times)


def time_register_import(url: str, data: bytes) -> None:
    """The register import of ``data`` into the empty database at ``url``, beside COPY of the
    same file into a table of text columns: the floor for getting those bytes into PostgreSQL."""
    setup_django(url)
    import csv
    import io

    from django.core.management import call_command
    from django.db import connection

    from tutti.directory.register import register_import

    call_command("migrate", verbosity=0)  # nothing to do on the template; it checks
    started = time.perf_counter()
    report = register_import(data=data)
    imported = time.perf_counter() - started
    assert report.ok, report.errors[:5]

    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    columns = ", ".join(f'"c{i}" text' for i in range(len(header)))

    def copy() -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE register_copy")
            with cursor.cursor.copy("COPY register_copy FROM STDIN (FORMAT csv, HEADER)") as c:
                c.write(data)

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE register_copy ({columns})")
    _, copied = timed(copy)
    label = f"register import, {report.rows:,} rows"
    print(
        f"  {label:28} {imported * 1000:8.1f} ms   COPY of the same file "
        f"{copied * 1000:7.1f} ms   x{imported / copied:.0f}",
        flush=True,
    )


# gunicorn and the load ---------------------------------------------------------------------


@contextmanager
def gunicorn(port: int, workers: int, *, page_cache: bool) -> Iterator[None]:
    """The README's command (run from the root, so gunicorn.conf.py applies)."""
    process = subprocess.Popen(
        env={**os.environ, "PUBLIC_PAGE_CACHE": "1" if page_cache else "0"},
        args=[
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi:application",
            *("--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "120"),
            # Its start and stop lines only; the requests are timed here.
            *("--log-level", "warning"),
        ],
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                sys.exit("gunicorn stopped before it served /healthz")
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/healthz", headers={"X-Forwarded-Proto": "https"}
                )
                with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def load(port: int, path: str, cookie: str | None, clients: int, seconds: float) -> Result:
    """``clients`` clients, each sending the next request when its answer has come, until
    ``seconds`` have passed; every latency includes connecting when the server closed."""
    # Accept-Encoding as every browser and calendar client sends it.
    lines = [
        f"GET {path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "X-Forwarded-Proto: https",
        "Accept-Encoding: gzip, deflate",
    ]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()
    latencies: list[float] = []
    errors = 0
    started = time.perf_counter()
    deadline = started + seconds

    async def client() -> None:
        nonlocal errors
        reader = writer = None
        while time.perf_counter() < deadline:
            begun = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(request)
                status, close = await read_response(reader)
            except (ConnectionError, asyncio.IncompleteReadError):
                # A kept connection the server had closed: connect again.
                writer = None
                continue
            latencies.append(time.perf_counter() - begun)
            if status != 200:
                errors += 1
            if close:
                writer.close()
                writer = None
        if writer is not None:
            writer.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    return Result(len(latencies), time.perf_counter() - started, latencies, errors)


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; its status, and whether the server closes the connection after."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    headers = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip().lower()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.read()  # to the end of the connection
        return status, True
    return status, headers.get("connection") == "close"


def table(measured: list[Page], clients: list[int]) -> None:
    header = (
        f"\n  {'page':28} {'user':9} {'clients':>7} {'req/s':>8} {'of /healthz':>11} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'errors':>6} {'queries':>7} {'server ms':>9}"
    )
    print(header + "\n  " + " ".join("-" * w for w in (28, 9, 7, 8, 11, 8, 8, 6, 7, 9)))
    floors = {page.cached: page for page in measured if page.path == "/healthz"}
    for n in clients:
        for page in measured:
            r = page.results[n]
            share = r.rate / floors[page.cached].results[n].rate
            print(
                f"  {page.label:28} {who(page):9} {n:>7} "
                f"{r.rate:>8.1f} {share:>10.1%} "
                f"{percentile(r.latencies, 50) * 1000:>8.1f} "
                f"{percentile(r.latencies, 95) * 1000:>8.1f} {r.errors:>6} "
                f"{page.queries:>7} {page.server_ms:>9.1f}",
                flush=True,
            )


# /healthz's throughput at 8 clients on the machine issue 12's targets were measured on.
REFERENCE_FLOOR = 3800.0


def targets(measured: list[Page], ratios: dict[str, float]) -> None:
    """The run against issue 12's targets. Its latencies were measured on a machine whose
    /healthz served 3,800 req/s; at a fixed number of clients each sending its next request
    when answered, latency is clients / throughput (Little's law), so a p95 here times this
    run's floor / 3,800 is the p95 that machine would show for the same share of its floor."""
    floors = {page.cached: page.results[8].rate for page in measured if page.path == "/healthz"}
    scale = floors[False] / REFERENCE_FLOOR
    by_label = {(page.label, who(page)): page for page in measured}
    warm = [p for p in measured if p.cached and p.path != "/healthz"]
    lowest = min(warm, key=lambda p: p.results[8].rate)
    share = lowest.results[8].rate / floors[True]
    print(
        f"\n  Against the targets, at 8 clients (p95 scaled: as on a machine whose /healthz "
        f"serves {REFERENCE_FLOOR:,.0f} req/s; this one served {floors[False]:,.0f})"
    )
    print(f"  {'warm anonymous pages >= 50% of /healthz':52} lowest {share:.1%} ({lowest.label})")
    for label in ("What's On, page 1", "an event", 'directory search "primary"'):
        p95 = percentile(by_label[(label, "anonymous")].results[8].latencies, 95) * 1000
        print(
            f"  {'uncached ' + label + ' p95 <= 50 ms':52} {p95:6.1f} ms here, "
            f"{p95 * scale:5.1f} ms scaled"
        )
    feed = by_label[("calendar feed", "anonymous")]
    print(f"  {'calendar feed <= 100 ms (server time)':52} {feed.server_ms:6.1f} ms")
    print(
        f"  {'figures within x2 (one hub), x3 (every hub) of SQL':52} "
        f"x{ratios['one hub']:.1f}, x{ratios['every hub']:.1f}"
    )


def percentile(values: list[float], pct: int) -> float:
    if not values:
        return float("nan")
    return whats_on.percentile(values, pct)


if __name__ == "__main__":
    main()
