"""The invitation email. Built when the task runs, from the invitation as it is then."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from tutti.accounts.models import Invitation
from tutti.core.urls import absolute_url


def invitation_url(token: str) -> str:
    return absolute_url(reverse("accounts:invitation", kwargs={"token": token}))


def invitation_email(invitation: Invitation, token: str) -> EmailMessage:
    hub = invitation.hub
    context = {
        "invitation": invitation,
        "hub": hub,
        "url": invitation_url(token),
        "organisations": list(invitation.organisations.order_by("name")),
    }
    return EmailMessage(
        subject=f"You are invited to join {hub.name} on Tutti",
        body=render_to_string("accounts/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
        reply_to=[hub.contact_email] if hub.contact_email else None,
    )
