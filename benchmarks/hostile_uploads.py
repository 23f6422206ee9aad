"""Hostile uploads: the time each takes to be answered, and how much a worker grows meanwhile.

    .venv/bin/python benchmarks/hostile_uploads.py [CASE ...]

Each file (``tutti/core/tests/hostile.py``) is sent the way a person would send it, through the
real views: the cluster CSV and the register by hub staff, the return spreadsheet through its
signed link without an account. Every case runs in a fresh process on a fresh SQLite database,
so its memory is its own; growth is the process's peak resident memory during the request
(VmHWM, reset just before it) less its resident memory just before. The target is an answer
within 5 s and growth under 100 MB, whatever the file.
"""

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECONDS, MEGABYTES = 5.0, 100.0

CASES = [
    "cluster CSV: random bytes",
    "cluster CSV: stray 0x81/0x8D",
    "cluster CSV: UTF-16",
    "cluster CSV: huge field",
    "cluster CSV: xlsx as CSV",
    "cluster CSV: 2 MB of tiny rows",
    "cluster CSV: 20 MB of tiny rows",
    "register: 20 MB of tiny rows",
    "register: 14.9 MB of tiny rows",
    "return link: xlsx with entities",
    "return link: xlsx with an undeclared entity",
    "return link: 8 KB xlsx, a cell at row 1,048,576 in each sheet",
    "return link: 60 KB xlsx that unpacks to 45 MB",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", help="run only these cases (default: all)")
    parser.add_argument("--run", help=argparse.SUPPRESS)  # internal: one case, in a child
    args = parser.parse_args()
    if args.run:
        print(json.dumps(run(args.run)))
        return
    results = []
    print(f"{'case':66} {'status':>6} {'seconds':>8} {'+MB':>7}  file")
    for case in args.cases or CASES:
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"}
            out = subprocess.run(
                [sys.executable, __file__, "--run", case],
                check=True,
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            ).stdout
        result = json.loads(out.strip().splitlines()[-1])
        results.append(result)
        print(
            f"{case:66} {result['status']:>6} {result['seconds']:8.2f} "
            f"{result['megabytes']:7.1f}  {result['size']:,} bytes",
            flush=True,
        )
    slowest = max(results, key=lambda r: r["seconds"])
    largest = max(results, key=lambda r: r["megabytes"])
    print(f"\nslowest: {slowest['case']}: {slowest['seconds']:.2f} s")
    print(f"most memory: {largest['case']}: +{largest['megabytes']:.1f} MB")
    ok = all(
        r["seconds"] < SECONDS and r["megabytes"] < MEGABYTES and r["status"] == 400
        for r in results
    )
    print("every upload answered with 400 within 5 s and under +100 MB:", "yes" if ok else "NO")
    if not ok:
        sys.exit(1)


def _memory(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    raise RuntimeError(field)


def run(case: str) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.test import Client
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)

    from tutti.accounts.models import Role
    from tutti.accounts.tests.factories import MembershipFactory
    from tutti.clusters.tests.factories import ClusterFactory
    from tutti.core.tests import hostile
    from tutti.core.years import current_academic_year
    from tutti.directory.tests.factories import HubFactory, OrganisationFactory
    from tutti.participation.spreadsheet import SHEETS, template_workbook
    from tutti.participation.tests.factories import SubmissionFactory
    from tutti.participation.tokens import return_link_path

    hub = HubFactory(slug="wiltshire")
    ClusterFactory(hub=hub, name="Devizes area")
    admin = MembershipFactory(hub=hub, role=Role.HUB_ADMIN).user
    partner = OrganisationFactory(hub=hub)
    year = current_academic_year() - 1
    submission = SubmissionFactory(collection__hub=hub, collection__year=year, partner=partner)
    link = return_link_path(hub=hub, submission_id=submission.pk)
    headers = {s.title: [c.header for c in s.columns] for s in SHEETS}

    def template() -> bytes:
        return template_workbook(hub=hub, partner=partner, year=year)

    files = {
        "cluster CSV: random bytes": hostile.random_bytes,
        "cluster CSV: stray 0x81/0x8D": hostile.stray_bytes,
        "cluster CSV: UTF-16": hostile.utf16,
        "cluster CSV: huge field": hostile.huge_field,
        "cluster CSV: xlsx as CSV": lambda: hostile.workbook({"Sheet": [["URN", "Cluster"]]}),
        "cluster CSV: 2 MB of tiny rows": lambda: hostile.tiny_rows_csv(2 * 1024 * 1024 - 10),
        "cluster CSV: 20 MB of tiny rows": lambda: hostile.tiny_rows_csv(20 * 1024 * 1024),
        "register: 20 MB of tiny rows": lambda: hostile.tiny_rows_csv(
            20 * 1024 * 1024, header=b"URN,EstablishmentName\n"
        ),
        "register: 14.9 MB of tiny rows": lambda: hostile.tiny_rows_csv(
            15 * 1024 * 1024 - 100_000, header=b"URN,EstablishmentName\n"
        ),
        "return link: xlsx with entities": lambda: hostile.with_entities(template()),
        "return link: xlsx with an undeclared entity": lambda: hostile.with_entities(
            template(), declare=False
        ),
        "return link: 8 KB xlsx, a cell at row 1,048,576 in each sheet": lambda: (
            hostile.far_cell_xlsx(["Read me", *headers], headers)
        ),
        "return link: 60 KB xlsx that unpacks to 45 MB": lambda: hostile.workbook(
            {"Read me": [["x" * 30_000] for _ in range(1500)]}
        ),
    }
    url = (
        link
        if case.startswith("return link")
        else "/wiltshire/manage/clusters/assign/"
        if case.startswith("cluster")
        else "/wiltshire/manage/directory/import/"
    )
    data = files[case]()
    client = Client()
    if not case.startswith("return link"):
        client.force_login(admin)
    client.get(url)  # imports and caches warm, as in a running worker; sets the CSRF cookie

    # The request as a browser sends it, built before measuring: the worker reads it from
    # its input stream, as from a socket.
    token = client.cookies["csrftoken"].value
    file = SimpleUploadedFile("upload.xlsx" if "link" in case else "upload.csv", data)
    body = encode_multipart(BOUNDARY, {"csrfmiddlewaretoken": token, "file": file})
    size = len(data)
    del data, file
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": url,
        "QUERY_STRING": "",
        "CONTENT_TYPE": MULTIPART_CONTENT,
        "CONTENT_LENGTH": str(len(body)),
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_COOKIE": "; ".join(f"{k}={v.value}" for k, v in client.cookies.items()),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    handler = WSGIHandler()
    statuses = []
    # Reset the peak so that it measures this request only.
    Path("/proc/self/clear_refs").write_text("5")
    before = _memory("VmRSS:")
    started = time.perf_counter()
    chunks = handler(environ, lambda status, headers: statuses.append(status))
    b"".join(chunks)
    seconds = time.perf_counter() - started
    peak = _memory("VmHWM:")
    status = int(statuses[0].split()[0])
    return {
        "case": case,
        "status": status,
        "seconds": seconds,
        "megabytes": peak - before,
        "size": size,
    }


if __name__ == "__main__":
    main()
