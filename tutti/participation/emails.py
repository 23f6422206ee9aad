"""The reminder a partner gets. Built when the task runs, from the submission as it is then."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from tutti.accounts.models import Membership, Role
from tutti.core.urls import absolute_url
from tutti.participation.models import Submission
from tutti.participation.tokens import MAX_AGE, return_link_path


def reminder_recipients(submission: Submission) -> list[str]:
    """The partner organisation's own address and its partner staff in this hub."""
    hub = submission.collection.hub
    staff = Membership.objects.filter(
        hub=hub, role=Role.PARTNER_STAFF, organisations=submission.partner
    ).values_list("user__email", flat=True)
    emails = [submission.partner.email, *staff]
    return sorted({e.lower() for e in emails if e})


def reminder_email(submission: Submission, *, opening: bool = False) -> EmailMessage:
    """The email asking for the return: the first one when the collection opens, after that
    a reminder."""
    collection = submission.collection
    hub = collection.hub
    context = {
        "submission": submission,
        "collection": collection,
        "hub": hub,
        "late": submission.is_late(timezone.localdate()),
        "submission_url": absolute_url(
            reverse(
                "participation-manage:submission",
                kwargs={"hub_slug": hub.slug, "pk": submission.pk},
            )
        ),
        "link": absolute_url(
            return_link_path(hub=hub, submission_id=submission.pk, version=submission.link_version)
        ),
        "months": MAX_AGE.days // 30,
        "opening": opening,
    }
    subject = f"Your {collection.year_label} data return for {hub.name}"
    if opening:
        deadline = collection.deadline
        subject += f": please send it by {deadline.day} {deadline:%B %Y}"
    else:
        subject = f"Reminder: {subject[0].lower()}{subject[1:]}"
    return EmailMessage(
        subject=subject,
        body=render_to_string("participation/email/collection_reminder.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=reminder_recipients(submission),
        reply_to=[hub.contact_email] if hub.contact_email else None,
    )
