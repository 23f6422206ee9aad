"""Sending an issue: through a real SMTP server, in batches, at most once per address."""

import socket
import time
from email import policy
from email.parser import BytesParser
from urllib.parse import urlparse

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.mail import get_connection
from django.utils import timezone

from tutti.events.tests.factories import EventFactory
from tutti.newsletters import delivery
from tutti.newsletters.delivery import deliver_issue, rate_wait
from tutti.newsletters.models import (
    Delivery,
    DeliveryStatus,
    IssueStatus,
    Subscriber,
    SubscriptionStatus,
)
from tutti.newsletters.selectors import issue_figures
from tutti.newsletters.services import issue_send
from tutti.newsletters.tests.factories import IssueFactory, NewsletterListFactory, subscribe


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for rcpt, m in self.messages if address in rcpt]


@pytest.fixture
def smtp(settings):
    handler = Inbox()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield handler
    controller.stop()


@pytest.fixture
def newsletter(world):
    return NewsletterListFactory(hub=world.hub, name="Wiltshire news", slug="news")


def _sending(newsletter, **kwargs):
    return IssueFactory(newsletter_list=newsletter, status=IssueStatus.SENDING, **kwargs)


def test_each_subscriber_gets_a_multipart_message_with_one_click_unsubscribe(
    world, newsletter, smtp, client
):
    subscribe(newsletter, 3)
    issue = _sending(newsletter)
    assert deliver_issue(issue.pk) == 3
    assert len(smtp.messages) == 3
    message = smtp.to("reader0@example.org")[0]
    assert message["Subject"] == issue.subject
    assert message.get_content_type() == "multipart/alternative"
    kinds = [part.get_content_type() for part in message.iter_parts()]
    assert kinds == ["text/plain", "text/html"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = message["List-Unsubscribe"]
    https, mailto = (part.strip(" <>") for part in header.split(","))
    assert https.startswith("http") and mailto.startswith("mailto:unsubscribe@")
    assert "<h2>Hello</h2>" in message.get_body(("html",)).get_content()
    # The header's URL, POSTed as a mail client does (RFC 8058), unsubscribes with no cookie.
    response = client.post(
        urlparse(https).path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    subscriber = Subscriber.objects.get(email="reader0@example.org")
    assert subscriber.subscriptions.get().status == SubscriptionStatus.UNSUBSCRIBED
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT
    figures = issue_figures(issue=issue)
    assert (figures.recipients, figures.delivered, figures.unsubscribed) == (3, 3, 1)
    # The next issue does not reach them.
    smtp.messages.clear()
    deliver_issue(_sending(newsletter).pk)
    assert sorted(r[0] for r, _ in smtp.messages) == ["reader1@example.org", "reader2@example.org"]


class CrashingConnection:
    """An SMTP connection whose worker dies after ``after`` messages."""

    def __init__(self, after: int) -> None:
        self.inner = get_connection()
        self.after = after
        self.sent = 0

    def open(self):
        return self.inner.open()

    def close(self):
        return self.inner.close()

    def send_messages(self, messages):
        if self.sent >= self.after:
            raise ConnectionResetError("the worker was stopped")
        self.sent += len(messages)
        return self.inner.send_messages(messages)


def test_rerunning_after_a_crash_halfway_sends_nobody_twice(world, newsletter, smtp):
    subscribe(newsletter, 25)
    issue = _sending(newsletter)
    with pytest.raises(ConnectionResetError):
        deliver_issue(issue.pk, batch_size=10, connection=CrashingConnection(after=13))
    assert len(smtp.messages) == 13
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENDING
    # The message in hand when it stopped may or may not have gone: never sent again.
    assert Delivery.objects.filter(issue=issue, status=DeliveryStatus.SENDING).count() == 1

    deliver_issue(issue.pk, batch_size=10)
    deliver_issue(issue.pk, batch_size=10)  # and once more, for good measure
    recipients = [r[0] for r, _ in smtp.messages]
    assert len(recipients) == len(set(recipients)) == 24
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT
    assert Delivery.objects.filter(issue=issue).count() == 25


def test_suppressed_and_unsubscribed_people_get_nothing(world, newsletter):
    subs = subscribe(newsletter, 3)
    Subscriber.objects.filter(pk=subs[0].subscriber_id).update(
        suppressed_at=timezone.now(), suppressed_reason="hard bounce"
    )
    subs[1].status = SubscriptionStatus.UNSUBSCRIBED
    subs[1].save()
    deliver_issue(_sending(newsletter).pk)
    assert [m.to for m in mail.outbox] == [["reader2@example.org"]]


def test_someone_who_leaves_during_the_send_is_skipped(world, newsletter):
    subs = subscribe(newsletter, 2)
    issue = _sending(newsletter)
    delivery._write_recipients(issue)
    subs[0].status = SubscriptionStatus.UNSUBSCRIBED
    subs[0].save()
    deliver_issue(issue.pk)
    assert [m.to for m in mail.outbox] == [["reader1@example.org"]]
    assert Delivery.objects.get(email="reader0@example.org").status == DeliveryStatus.SKIPPED


def test_the_digest_is_taken_when_the_issue_is_sent(world, newsletter):
    EventFactory(hub=world.hub, title="Devizes cluster meeting", cluster=world.cluster)
    EventFactory(hub=world.hub, title="Chippenham choir day", cluster=world.other_cluster)
    subscribe(newsletter, 1)
    issue = _sending(newsletter, include_digest=True, digest_cluster=world.cluster)
    deliver_issue(issue.pk)
    body = mail.outbox[0].body
    assert "Devizes cluster meeting" in body
    assert "Chippenham choir day" not in body
    issue.refresh_from_db()
    assert "Devizes cluster meeting" in issue.sent_html


def test_sending_queues_the_work_and_a_scheduled_issue_waits(
    world, newsletter, django_capture_on_commit_callbacks
):
    subscribe(newsletter, 2)
    issue = IssueFactory(newsletter_list=newsletter)
    later = timezone.now() + timezone.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        issue_send(issue=issue, by=world.users["staff"], send_at=later)
    assert mail.outbox == []
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SCHEDULED
    # Not due yet: a run does nothing.
    assert deliver_issue(issue.pk) == 0
    type(issue).objects.filter(pk=issue.pk).update(send_at=timezone.now())
    from django.core.management import call_command

    call_command("send_newsletters")
    assert len(mail.outbox) == 2


def test_the_hub_rate_limit_waits_for_the_next_minute(settings):
    settings.NEWSLETTERS_MAX_PER_MINUTE = 100
    clock = [600.0]
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        clock[0] += seconds

    rate_wait(1, 60, clock=lambda: clock[0], sleep=sleep)
    rate_wait(1, 40, clock=lambda: clock[0], sleep=sleep)
    assert waits == []
    rate_wait(1, 10, clock=lambda: clock[0], sleep=sleep)
    assert waits == [60.0]
    # Another hub has its own allowance.
    rate_wait(2, 100, clock=lambda: clock[0], sleep=sleep)
    assert len(waits) == 1


def test_a_refused_address_is_recorded_and_the_rest_still_go(world, newsletter, smtp):
    subscribe(newsletter, 3)

    class Refusing:
        def __init__(self):
            self.inner = get_connection()

        def open(self):
            return self.inner.open()

        def close(self):
            return self.inner.close()

        def send_messages(self, messages):
            import smtplib

            if messages[0].to == ["reader1@example.org"]:
                raise smtplib.SMTPRecipientsRefused({"reader1@example.org": (550, b"No")})
            return self.inner.send_messages(messages)

    issue = _sending(newsletter)
    deliver_issue(issue.pk, connection=Refusing())
    assert len(smtp.messages) == 2
    assert Delivery.objects.get(email="reader1@example.org").status == DeliveryStatus.FAILED
    assert issue_figures(issue=issue).failed == 1
    time.sleep(0)
