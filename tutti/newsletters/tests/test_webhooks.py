"""Bounces and complaints from the mail provider, through anymail's signed tracking webhooks."""

import hashlib
import hmac
import json
import time

import pytest
from django.core import mail

from tutti.newsletters.delivery import deliver_issue
from tutti.newsletters.models import Delivery, DeliveryStatus, IssueStatus, Subscriber
from tutti.newsletters.selectors import issue_figures
from tutti.newsletters.tests.factories import IssueFactory, NewsletterListFactory, subscribe

KEY = "mailgun-signing-key-for-tests"
URL = "/anymail/mailgun/tracking/"


@pytest.fixture(autouse=True)
def _mailgun(settings):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": KEY}


def _payload(event: str, recipient: str, message_id: str, *, key: str = KEY, **extra) -> str:
    timestamp, token = str(int(time.time())), "a" * 50
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return json.dumps(
        {
            "signature": {"timestamp": timestamp, "token": token, "signature": signature},
            "event-data": {
                "event": event,
                "recipient": recipient,
                "timestamp": time.time(),
                "message": {"headers": {"message-id": message_id.strip("<>")}},
                **extra,
            },
        }
    )


@pytest.fixture
def sent(world):
    newsletter = NewsletterListFactory(hub=world.hub)
    subscribe(newsletter, 3)
    issue = IssueFactory(newsletter_list=newsletter, status=IssueStatus.SENDING)
    deliver_issue(issue.pk)
    return issue


@pytest.mark.parametrize(
    ("event", "extra", "status", "reason"),
    [
        (
            "failed",
            {"severity": "permanent", "reason": "bounce"},
            DeliveryStatus.BOUNCED,
            "hard bounce",
        ),
        ("complained", {}, DeliveryStatus.COMPLAINED, "complaint"),
    ],
)
def test_a_hard_bounce_or_complaint_suppresses_the_address(
    client, sent, event, extra, status, reason
):
    delivery = Delivery.objects.get(issue=sent, email="reader1@example.org")
    body = _payload(event, "reader1@example.org", delivery.message_id, **extra)
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 200
    delivery.refresh_from_db()
    assert delivery.status == status
    subscriber = Subscriber.objects.get(email="reader1@example.org")
    assert subscriber.suppressed_reason == reason
    assert issue_figures(issue=sent).bounced == 1
    # The next issue is not sent to them.
    mail.outbox.clear()
    deliver_issue(IssueFactory(newsletter_list=sent.newsletter_list, status=IssueStatus.SENDING).pk)
    assert sorted(m.to[0] for m in mail.outbox) == ["reader0@example.org", "reader2@example.org"]


def test_a_temporary_failure_suppresses_nobody(client, sent):
    delivery = Delivery.objects.get(issue=sent, email="reader1@example.org")
    body = _payload("failed", "reader1@example.org", delivery.message_id, severity="temporary")
    assert client.post(URL, body, content_type="application/json").status_code == 200
    assert not Subscriber.objects.filter(suppressed_at__isnull=False).exists()


def test_delivered_is_counted(client, sent):
    delivery = Delivery.objects.get(issue=sent, email="reader0@example.org")
    body = _payload("delivered", "reader0@example.org", delivery.message_id)
    assert client.post(URL, body, content_type="application/json").status_code == 200
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert issue_figures(issue=sent).delivered == 3


def test_a_webhook_with_a_bad_signature_is_refused_and_changes_nothing(client, sent):
    delivery = Delivery.objects.get(issue=sent, email="reader1@example.org")
    body = _payload("complained", "reader1@example.org", delivery.message_id, key="wrong")
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert not Subscriber.objects.filter(suppressed_at__isnull=False).exists()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_a_webhook_that_is_not_json_is_refused(client, sent):
    response = client.post(URL, "{not json", content_type="application/json")
    assert 400 <= response.status_code < 500


def test_a_provider_that_is_not_set_up_is_not_found(client, settings):
    settings.ANYMAIL = {}
    assert client.post(URL, "{}", content_type="application/json").status_code == 404


def _inbound(subject: str, *, key: str = KEY) -> dict:
    timestamp, token = str(int(time.time())), "b" * 50
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return {
        "timestamp": timestamp,
        "token": token,
        "signature": signature,
        "recipient": "unsubscribe@tutti.example.org",
        "sender": "reader0@example.org",
        "subject": subject,
        "body-plain": "",
        "message-headers": json.dumps([["Subject", subject]]),
    }


def test_the_mailto_unsubscribe_arrives_by_the_inbound_webhook(client, sent):
    message = mail.outbox[0]
    header = message.extra_headers["List-Unsubscribe"]
    mailto = header.split(",")[1].strip(" <>")
    from urllib.parse import parse_qs, urlparse

    subject = parse_qs(urlparse(mailto).query)["subject"][0]
    response = client.post("/anymail/mailgun/inbound/", _inbound(subject))
    assert response.status_code == 200
    who = message.to[0]
    subscriber = Subscriber.objects.get(email=who)
    assert subscriber.subscriptions.get().status == "unsubscribed"


def test_an_inbound_email_with_a_forged_link_changes_nothing(client, sent):
    response = client.post(
        "/anymail/mailgun/inbound/",
        _inbound("unsubscribe http://x/wiltshire/newsletters/unsubscribe/forged:token/"),
    )
    assert response.status_code == 200
    assert not Subscriber.objects.filter(subscriptions__status="unsubscribed").exists()
    bad = _inbound("unsubscribe", key="wrong")
    assert client.post("/anymail/mailgun/inbound/", bad).status_code == 400
