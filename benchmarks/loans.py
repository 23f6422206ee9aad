"""How fast the instrument library's staff pages are at 10,000 instruments and 30,000 loans.

    .venv/bin/python benchmarks/loans.py [--postgres-url URL] [--instruments N] [--repeat N]

A fresh database (a temporary SQLite file; with ``--postgres-url`` or BENCH_DATABASE_URL also a
throwaway PostgreSQL database) gets one hub with N instruments, three loans for each over three
years (the last one still open for two in three), and a waiting list. Through Django's test
client, signed in as hub staff, it times /healthz (the trivial floor), the store's list, a
search by a whole tag (which answers with a redirect to the instrument), a search by the start
of a tag, and the dashboard, and prints the median and 95th percentile of the wall clock, the
ratio to the floor, and the queries. The target is each page under 100 ms of server time.
"""

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _postgres import throwaway_postgres_database

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instruments", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--run", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        run(args.run, args.instruments, args.repeat)
        return
    with tempfile.TemporaryDirectory() as tmp:
        child("SQLite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", args)
    if args.postgres_url:
        with throwaway_postgres_database(args.postgres_url) as url:
            child("PostgreSQL", url, args)


def child(label: str, url: str, args: argparse.Namespace) -> None:
    print(f"{label}:", flush=True)
    command = [sys.executable, __file__, "--run", url, "--instruments", str(args.instruments)]
    subprocess.run([*command, "--repeat", str(args.repeat)], check=True, cwd=ROOT)


def build(instruments: int) -> tuple[object, str]:
    from django.utils import timezone

    from tutti.accounts.models import Membership, Role, User
    from tutti.directory.models import Hub, Organisation, OrganisationKind
    from tutti.loans.models import Instrument, InstrumentRequest, Loan, Status

    hub = Hub.objects.create(name="Bench Hub", slug="bench")
    owner = Organisation.objects.create(
        name="Bench Music Service", kind=OrganisationKind.MUSIC_SERVICE
    )
    school = Organisation.objects.create(name="Bench Primary", kind=OrganisationKind.SCHOOL)
    user = User.objects.create_user(username="bench", email="bench@example.org")
    Membership.objects.create(hub=hub, user=user, role=Role.HUB_STAFF)
    kinds = [
        ("violin", "1/2"),
        ("violin", "3/4"),
        ("cello", "1/2"),
        ("trumpet", ""),
        ("flute", "curved head"),
    ]
    store = Instrument.objects.bulk_create(
        [
            Instrument(
                hub=hub,
                kind=kinds[n % 5][0],
                size=kinds[n % 5][1],
                asset_tag=f"BEN-{n:06d}",
                serial=f"S{n}",
                owner=owner,
                value=Decimal(100 + n % 400),
                funding_source=["Capital grant", "Hub grant", "Charity"][n % 3],
                status=Status.ON_LOAN if n % 3 else Status.AVAILABLE,
            )
            for n in range(instruments)
        ],
        batch_size=2000,
    )
    today = timezone.localdate()
    loans = []
    for n, instrument in enumerate(store):
        for back in range(3):
            start = today - dt.timedelta(days=365 * (3 - back))
            still_out = back == 2 and n % 3
            loans.append(
                Loan(
                    hub=hub,
                    instrument=instrument,
                    school=school,
                    starts_on=start,
                    due_on=start + dt.timedelta(days=300),
                    returned_on=None if still_out else start + dt.timedelta(days=300),
                )
            )
    Loan.objects.bulk_create(loans, batch_size=5000)
    InstrumentRequest.objects.bulk_create(
        [
            InstrumentRequest(
                hub=hub,
                kind=kinds[n % 5][0],
                size=kinds[n % 5][1],
                first_name="Pupil",
                last_name=str(n),
                school=school,
                year_group="Year 5",
                contact_name="Parent",
                contact_email=f"p{n}@example.org",
            )
            for n in range(300)
        ]
    )
    return user, store[instruments // 2].asset_tag


def timed(client, path: str, repeat: int) -> tuple[float, float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    return statistics.median(times), p95, len(queries), response.status_code


def run(url: str, instruments: int, repeat: int) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    began = time.perf_counter()
    user, tag = build(instruments)
    print(
        f"  built {instruments:,} instruments and {3 * instruments:,} loans in "
        f"{time.perf_counter() - began:.1f} s"
    )
    client = Client()
    client.force_login(user)
    rows = [
        ("floor: /healthz", "/healthz"),
        ("store list", "/bench/manage/loans/instruments/"),
        ("search by whole tag", f"/bench/manage/loans/instruments/?q={tag}"),
        ("search by start of tag", f"/bench/manage/loans/instruments/?q={tag[:-2]}"),
        ("dashboard", "/bench/manage/loans/"),
    ]
    floor = None
    for label, path in rows:
        client.get(path)  # warm
        median, p95, queries, status = timed(client, path, repeat)
        floor = floor or median
        verdict = "" if label.startswith("floor") else (" ok" if p95 < TARGET_MS else " SLOW")
        print(
            f"  {label:24} {status} median {median:6.1f} ms  p95 {p95:6.1f} ms  "
            f"x{median / floor:5.1f} floor  {queries:2d} queries{verdict}"
        )


if __name__ == "__main__":
    main()
