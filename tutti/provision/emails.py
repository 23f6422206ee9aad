"""The reminder a school gets: its own signed link to the audit. Built when the task runs."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from tutti.core.urls import absolute_url
from tutti.core.years import year_label
from tutti.directory.models import Hub, Organisation
from tutti.provision.selectors import audit_link_versions
from tutti.provision.tokens import MAX_AGE, audit_token


def audit_link(*, hub: Hub, school: Organisation, year: int) -> str:
    """The path of the school's own audit page for the year; the token stands in for an account."""
    version = audit_link_versions(hub=hub, school_ids=[school.pk]).get(school.pk, 0)
    token = audit_token(hub_id=hub.pk, school_id=school.pk, year=year, version=version)
    return reverse(
        "provision:audit", kwargs={"hub_slug": hub.slug, "school_id": school.pk, "token": token}
    )


def audit_reminder_email(*, hub: Hub, school: Organisation, year: int) -> EmailMessage:
    context = {
        "hub": hub,
        "school": school,
        "year_label": year_label(year),
        "link": absolute_url(audit_link(hub=hub, school=school, year=year)),
        "months": MAX_AGE.days // 30,
    }
    return EmailMessage(
        subject=f"Your school's music audit {context['year_label']}: {hub.name}",
        body=render_to_string("provision/email/audit_reminder.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[school.email],
        reply_to=[hub.contact_email] if hub.contact_email else None,
    )
