"""The programme's emails. Built when the task runs, from the invitation as it is then."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from tutti.core.urls import absolute_url
from tutti.programmes.models import ProgrammeInvitation, Site
from tutti.programmes.tokens import senco_token


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


def senco_link_url(site: Site) -> str:
    token = senco_token(site_id=site.pk, version=site.senco_link_version)
    return absolute_url(
        reverse("programmes:senco", kwargs={"slug": site.programme.slug, "token": token})
    )


def senco_link_email(site: Site) -> EmailMessage:
    programme = site.programme
    context = {"site": site, "programme": programme, "url": senco_link_url(site)}
    return EmailMessage(
        subject=f"{programme.name}: your link for the group at {site.school.name}",
        body=render_to_string("programmes/email/senco_link.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[site.senco_email],
    )
