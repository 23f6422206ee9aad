"""Sending one newsletter issue to 50,000 subscribers: how long queuing it takes, and how many
messages a second one worker renders and hands to a local SMTP sink, with its memory.

    .venv/bin/python benchmarks/newsletters.py [--postgres-url URL] [--subscribers N]

The database is fresh (a temporary SQLite file, or a throwaway PostgreSQL database with
``--postgres-url``) with the demo loaded. It adds N confirmed subscribers to Wiltshire's
newsletter and a draft issue with a What's On digest. Then:

1. **Queue**: the staff request's work, ``issue_send`` with the task stored in the database
   (django-tasks-db's backend, as in production), timed. Target: under a second.
2. **Send**: the task's body, ``deliver_issue``, as a worker runs it: the digest taken, one
   delivery row per address written, then batches rendered and sent over one SMTP connection
   to an aiosmtpd sink on 127.0.0.1 that accepts and drops every message. The hub's rate limit
   is lifted for the measurement (``NEWSLETTERS_MAX_PER_MINUTE=0``). Target: at least 100
   messages a second. The worker's resident memory is sampled every half second.
"""

import argparse
import os
import socket
import threading
import time
from pathlib import Path

from whats_on import add_postgres_argument, demo_database, on_fresh_database

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATE = 100
TARGET_QUEUE_S = 1.0


class Sink:
    def __init__(self, count) -> None:
        self.count = count

    async def handle_DATA(self, server, session, envelope):
        with self.count.get_lock():
            self.count.value += 1
        return "250 OK"


def serve_sink(port: int, count, ready, stop) -> None:
    """The SMTP sink, in a process of its own so that it takes no time from the worker."""
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    controller = Controller(Sink(count), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * 4096 / 1024 / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_postgres_argument(parser)
    parser.add_argument("--subscribers", type=int, default=50_000)
    args = parser.parse_args()
    on_fresh_database(args.postgres_url, lambda url, label: run(url, args, label))


def fill(total: int):
    from django.db import transaction
    from django.utils import timezone

    from tutti.accounts.models import Membership, Role
    from tutti.newsletters.models import (
        Issue,
        NewsletterList,
        Subscriber,
        Subscription,
        SubscriptionStatus,
    )

    news = NewsletterList.objects.get(hub__slug="wiltshire", slug="news")
    hub = news.hub
    now = timezone.now()
    with transaction.atomic():
        for start in range(0, total, 5000):
            Subscriber.objects.bulk_create(
                Subscriber(hub=hub, email=f"bench{n:06}@example.org")
                for n in range(start, min(total, start + 5000))
            )
        ids = Subscriber.objects.filter(hub=hub, email__startswith="bench").values_list(
            "pk", flat=True
        )
        batch = []
        for pk in ids.iterator(chunk_size=5000):
            batch.append(
                Subscription(
                    subscriber_id=pk,
                    newsletter_list=news,
                    status=SubscriptionStatus.ACTIVE,
                    confirmed_at=now,
                )
            )
            if len(batch) == 5000:
                Subscription.objects.bulk_create(batch)
                batch = []
        Subscription.objects.bulk_create(batch)
    staff = Membership.objects.filter(hub=hub, role=Role.HUB_STAFF).first().user
    issue = Issue.objects.create(
        hub=hub,
        newsletter_list=news,
        subject="Benchmark issue",
        body="# Hello\n\nA **benchmark** issue, with [a link](https://example.org).",
        include_digest=True,
        digest_days=60,
        created_by=staff,
    )
    return issue, staff


def run(url: str, args: argparse.Namespace, label: str) -> None:
    demo_database(url, label)
    import logging
    import multiprocessing

    from django.test import override_settings

    from tutti.newsletters.delivery import deliver_issue
    from tutti.newsletters.models import Delivery, DeliveryStatus
    from tutti.newsletters.services import issue_send

    started = time.perf_counter()
    issue, staff = fill(args.subscribers)
    total = issue.newsletter_list.subscriptions.filter(status="active").count()
    print(f"  {total:,} subscribers on the list ({time.perf_counter() - started:.1f} s)")

    logging.getLogger("tutti.newsletters").setLevel(logging.WARNING)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    count, ready, stop_sink = (
        multiprocessing.Value("i", 0),
        multiprocessing.Event(),
        multiprocessing.Event(),
    )
    sink = multiprocessing.Process(target=serve_sink, args=(port, count, ready, stop_sink))
    sink.start()
    ready.wait(10)
    smtp = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
        "EMAIL_USE_TLS": False,
        "NEWSLETTERS_MAX_PER_MINUTE": 0,
        "TASKS": {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}},
    }
    try:
        with override_settings(**smtp):
            started = time.perf_counter()
            issue_send(issue=issue, by=staff)
            queued = time.perf_counter() - started
            print(f"  queued the send in {queued * 1000:.0f} ms (target under {TARGET_QUEUE_S} s)")

            samples: list[float] = []
            stop = threading.Event()

            def sample() -> None:
                while not stop.is_set():
                    samples.append(rss_mb())
                    stop.wait(0.5)

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            started = time.perf_counter()
            cpu = time.process_time()
            sent = deliver_issue(issue.pk)
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - cpu
            stop.set()
            sampler.join()
    finally:
        time.sleep(0.5)
        stop_sink.set()
        sink.join(10)
    rate = sent / elapsed if elapsed else 0
    print(
        f"  sent {sent:,} messages in {elapsed:.1f} s ({cpu:.1f} s CPU): "
        f"{rate:,.0f} messages a second (target at least {TARGET_RATE}); the sink got "
        f"{count.value:,}"
    )
    print(
        f"  the worker's own CPU: {cpu / max(sent, 1) * 1000:.1f} ms a message, so "
        f"{sent / cpu if cpu else 0:,.0f} messages a CPU-second; load average while it ran: "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    third = max(len(samples) // 3, 1)
    print(
        f"  worker memory: {samples[0]:.0f} MB at the start, {max(samples[:third]):.0f} MB "
        f"peak in the first third, {max(samples):.0f} MB peak overall, {samples[-1]:.0f} MB "
        "at the end"
    )
    left = Delivery.objects.filter(issue=issue).exclude(status=DeliveryStatus.SENT).count()
    print(f"  deliveries not sent: {left}")
    print(
        "  OK"
        if rate >= TARGET_RATE and queued < TARGET_QUEUE_S and count.value == total
        else "  BELOW TARGET"
    )


if __name__ == "__main__":
    main()
