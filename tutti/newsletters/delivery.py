"""Sending an issue: in the task worker, in batches, at most once per address.

1. The first run keeps the issue's HTML and text as sent (the digest taken now) and writes one
   ``Delivery`` row per active, unsuppressed subscriber: unique per issue and address.
2. Each batch is claimed (QUEUED -> SENDING) before anything is sent, then each message is
   handed to the mail server over one connection and its row marked SENT (or FAILED).
3. If the worker stops, running the task again carries on with the rows still QUEUED. A row
   left SENDING may or may not have gone, so it is never sent again: nobody gets an issue twice.

Each hub may send at most ``NEWSLETTERS_MAX_PER_MINUTE`` messages a minute, counted in the
shared cache across workers; a batch that would pass it waits for the next minute.
"""

import logging
import smtplib
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from tutti.newsletters.models import (
    Delivery,
    DeliveryStatus,
    Issue,
    IssueStatus,
    Subscription,
    SubscriptionStatus,
)
from tutti.newsletters.rendering import (
    Content,
    digest_events,
    email_content,
    issue_content,
    message_for,
)

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
INSERT_CHUNK = 2000


def max_per_minute() -> int:
    return int(getattr(settings, "NEWSLETTERS_MAX_PER_MINUTE", 6000) or 0)


def rate_wait(
    hub_id: int,
    count: int,
    *,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Wait, if need be, until the hub may send ``count`` more messages this minute."""
    limit = max_per_minute()
    if not limit:
        return
    while True:
        now = clock()
        minute = int(now // 60)
        key = f"newsletters:rate:{hub_id}:{minute}"
        cache.add(key, 0, timeout=120)
        try:
            used = cache.incr(key, count)
        except ValueError:  # expired between add and incr
            continue
        if used <= limit or used == count:
            return
        cache.decr(key, count)
        sleep(max(0.05, (minute + 1) * 60 - now))


def _start_if_due(issue_id: int) -> Issue | None:
    with transaction.atomic():
        issue = (
            Issue.objects.select_for_update(of=("self",))
            .select_related("hub", "newsletter_list", "digest_category", "digest_cluster")
            .filter(pk=issue_id)
            .first()
        )
        if issue is None:
            return None
        if issue.status == IssueStatus.SCHEDULED:
            if issue.send_at is None or issue.send_at > timezone.now():
                return None
            issue.status = IssueStatus.SENDING
            issue.save(update_fields=["status", "updated_at"])
        if issue.status != IssueStatus.SENDING:
            return None
        if not issue.sent_html:
            content = issue_content(issue, digest_events(issue))
            issue.sent_html, issue.sent_text = content.html, content.text
            issue.save(update_fields=["sent_html", "sent_text", "updated_at"])
    return issue


def _write_recipients(issue: Issue) -> None:
    """One QUEUED delivery per active, unsuppressed subscriber, once per issue."""
    if issue.recipients_ready:
        return
    subscriptions = (
        Subscription.objects.filter(
            newsletter_list=issue.newsletter_list,
            status=SubscriptionStatus.ACTIVE,
            subscriber__suppressed_at__isnull=True,
        )
        .order_by("pk")
        .values_list("subscriber_id", "subscriber__email")
    )
    with transaction.atomic():
        chunk: list[Delivery] = []
        for subscriber_id, email in subscriptions.iterator(chunk_size=INSERT_CHUNK):
            chunk.append(Delivery(issue=issue, subscriber_id=subscriber_id, email=email))
            if len(chunk) >= INSERT_CHUNK:
                Delivery.objects.bulk_create(chunk, ignore_conflicts=True)
                chunk = []
        Delivery.objects.bulk_create(chunk, ignore_conflicts=True)
        Issue.objects.filter(pk=issue.pk).update(recipients_ready=True)
    issue.recipients_ready = True


def _claim(issue: Issue, batch_size: int) -> list[Delivery]:
    ids = list(
        issue.deliveries.filter(status=DeliveryStatus.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)[:batch_size]
    )
    if not ids:
        return []
    rate_wait(issue.hub_id, len(ids))
    claim = uuid.uuid4().hex
    with transaction.atomic():
        Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.QUEUED).update(
            status=DeliveryStatus.SENDING, claim=claim
        )
    return list(Delivery.objects.filter(pk__in=ids, claim=claim).order_by("pk"))


def _still_subscribed(issue: Issue, batch: list[Delivery]) -> dict[int, int]:
    """Subscriber id -> subscription id, for those in the batch still on the list now."""
    return dict(
        Subscription.objects.filter(
            newsletter_list=issue.newsletter_list,
            status=SubscriptionStatus.ACTIVE,
            subscriber_id__in=[d.subscriber_id for d in batch],
            subscriber__suppressed_at__isnull=True,
        ).values_list("subscriber_id", "pk")
    )


def _send_batch(issue: Issue, content: Content, batch: list[Delivery], connection: Any) -> int:
    subscribed = _still_subscribed(issue, batch)
    done: list[Delivery] = []
    sent = 0
    try:
        for delivery in batch:
            subscription_id = subscribed.get(delivery.subscriber_id or 0)
            if subscription_id is None:
                delivery.status = DeliveryStatus.SKIPPED
                done.append(delivery)
                continue
            message = message_for(
                issue=issue,
                content=content,
                to=delivery.email,
                subscription_id=subscription_id,
                subscriber_id=delivery.subscriber_id,
            )
            try:
                connection.send_messages([message])
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused):
                delivery.status = DeliveryStatus.FAILED
            else:
                status = getattr(message, "anymail_status", None)
                delivery.message_id = (
                    getattr(status, "message_id", None) or message.extra_headers["Message-ID"]
                )[:255]
                delivery.status = DeliveryStatus.SENT
                delivery.sent_at = timezone.now()
                sent += 1
            done.append(delivery)
    finally:
        # Even when the connection fails part-way, what went is recorded, and what was never
        # tried goes back in the queue; the message being sent at that moment stays SENDING.
        Delivery.objects.bulk_update(done, ["status", "message_id", "sent_at"])
        tried = {d.pk for d in done}
        untried = [d.pk for d in batch if d.pk not in tried]
        if len(untried) > 1:
            Delivery.objects.filter(pk__in=untried[1:], status=DeliveryStatus.SENDING).update(
                status=DeliveryStatus.QUEUED
            )
    return sent


def deliver_issue(issue_id: int, *, batch_size: int = BATCH_SIZE, connection: Any = None) -> int:
    """Send the issue to everyone still waiting for it; returns how many went this run."""
    issue = _start_if_due(issue_id)
    if issue is None:
        return 0
    _write_recipients(issue)
    content = email_content(issue, Content(html=issue.sent_html, text=issue.sent_text))
    connection = connection or get_connection()
    sent = 0
    connection.open()
    try:
        while batch := _claim(issue, batch_size):
            sent += _send_batch(issue, content, batch, connection)
    finally:
        connection.close()
    if not issue.deliveries.filter(status=DeliveryStatus.QUEUED).exists():
        Issue.objects.filter(pk=issue.pk, status=IssueStatus.SENDING).update(
            status=IssueStatus.SENT, sent_at=timezone.now()
        )
        # The archive shows it now.
        from tutti.core.page_cache import bump_hub

        bump_hub(issue.hub_id)
    logger.info("Issue %s: %s messages sent in this run", issue.pk, sent)
    return sent
