"""The emails a competition sends. Built when the task runs, with the newest link."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from tutti.competitions.models import Adjudicator, Entry
from tutti.competitions.tokens import entry_token
from tutti.core.urls import absolute_url


def entry_link(entry: Entry) -> str:
    """The path of the family's own page for the entry; the token stands in for an account."""
    token = entry_token(entry_id=entry.pk, version=entry.link_version)
    return reverse(
        "competitions:entry", kwargs={"hub_slug": entry.competition.hub.slug, "token": token}
    )


def _message(entry: Entry, subject: str, template: str, **extra: object) -> EmailMessage:
    hub = entry.competition.hub
    context = {
        "entry": entry,
        "competition": entry.competition,
        "hub": hub,
        "link": absolute_url(entry_link(entry)),
        **extra,
    }
    return EmailMessage(
        subject=subject,
        body=render_to_string(template, context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[entry.contact_email],
        reply_to=[hub.contact_email] if hub.contact_email else None,
    )


def entry_confirmation_email(entry: Entry) -> EmailMessage:
    return _message(
        entry,
        f"Entry {entry.code} received: {entry.competition.name}",
        "competitions/email/entry_confirmation.txt",
    )


def result_email(entry: Entry) -> EmailMessage:
    return _message(
        entry,
        f"{entry.competition.name}: news of entry {entry.code}",
        "competitions/email/result.txt",
    )


def feedback_email(entry: Entry) -> EmailMessage:
    return _message(
        entry,
        f"{entry.competition.name}: results, feedback and certificate",
        "competitions/email/feedback.txt",
    )


def adjudicator_invitation_email(adjudicator: Adjudicator, token: str) -> EmailMessage:
    competition = adjudicator.competition
    hub = competition.hub
    path = reverse("competitions:adjudicator-accept", kwargs={"hub_slug": hub.slug, "token": token})
    context = {
        "adjudicator": adjudicator,
        "competition": competition,
        "hub": hub,
        "link": absolute_url(path),
    }
    return EmailMessage(
        subject=f"Will you adjudicate {competition.name}?",
        body=render_to_string("competitions/email/adjudicator_invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[adjudicator.email],
        reply_to=[hub.contact_email] if hub.contact_email else None,
    )
