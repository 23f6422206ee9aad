"""The emails newsletters send besides issues: the sign-up confirmation and a test issue."""

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from tutti.core.urls import absolute_url
from tutti.newsletters.models import Confirmation, Issue
from tutti.newsletters.rendering import (
    digest_events,
    email_content,
    issue_content,
    message_for,
    sender,
)
from tutti.newsletters.tokens import CONFIRM_DAYS, confirmation_token


def confirmation_email(confirmation: Confirmation) -> EmailMessage:
    subscriber = confirmation.subscriber
    hub = subscriber.hub
    token = confirmation_token(confirmation.pk)
    context = {
        "hub": hub,
        "lists": list(confirmation.lists.all()),
        "confirm_url": absolute_url(
            reverse("newsletters:confirm", kwargs={"hub_slug": hub.slug, "token": token})
        ),
        "days": CONFIRM_DAYS,
    }
    return EmailMessage(
        subject=f"Confirm your subscription to {hub.name}",
        body=render_to_string("newsletters/email/confirm.txt", context),
        from_email=sender(hub.name),
        to=[subscriber.email],
        reply_to=[hub.contact_email] if hub.contact_email else None,
        headers={"Auto-Submitted": "auto-generated"},
    )


def test_email(issue: Issue, email: str) -> EmailMultiAlternatives:
    content = email_content(issue, issue_content(issue, digest_events(issue)))
    message = message_for(
        issue=issue, content=content, to=email, subscription_id=None, subscriber_id=None
    )
    message.subject = f"[Test] {issue.subject}"
    return message
