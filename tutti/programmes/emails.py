"""The programme's emails. Built when the task runs, from the invitation as it is then."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from tutti.core.urls import absolute_url
from tutti.programmes.models import ProgrammeInvitation


def invitation_url(token: str) -> str:
    return absolute_url(reverse("programmes:invitation", kwargs={"token": token}))


def invitation_email(invitation: ProgrammeInvitation, token: str) -> EmailMessage:
    programme = invitation.programme
    context = {"invitation": invitation, "programme": programme, "url": invitation_url(token)}
    return EmailMessage(
        subject=f"You are invited to join {programme.name} on Tutti",
        body=render_to_string("programmes/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
    )
