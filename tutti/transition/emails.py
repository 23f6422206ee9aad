"""The emails of secondary transition, built when the task runs. No email names a child: the
links lead to pages that need the family's link or the school's sign-in."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from tutti.accounts.models import Membership, Role
from tutti.core.urls import absolute_url
from tutti.transition.models import Passport
from tutti.transition.tokens import passport_token


def passport_path(passport: Passport) -> str:
    """The family's own page for the passport; the token stands in for an account."""
    token = passport_token(
        hub_id=passport.hub_id, passport_id=passport.pk, version=passport.link_version
    )
    return reverse("transition:passport", kwargs={"hub_slug": passport.hub.slug, "token": token})


def passport_link_email(passport: Passport) -> EmailMessage:
    hub = passport.hub
    context = {"hub": hub, "link": absolute_url(passport_path(passport)), "passport": passport}
    return EmailMessage(
        subject=f"Your young musician's passport: {hub.name}",
        body=render_to_string("transition/email/passport_link.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[passport.family_email],
        reply_to=[hub.contact_email] if hub.contact_email else None,
    )


def music_lead_addresses(passport: Passport) -> list[str]:
    """The secondary school's music leads; none when the school has none yet."""
    return sorted(
        Membership.objects.filter(
            hub_id=passport.hub_id,
            role=Role.SCHOOL_MUSIC_LEAD,
            organisations=passport.secondary_id,
        ).values_list("user__email", flat=True)
    )


def passport_received_email(passport: Passport) -> EmailMessage | None:
    """To the receiving school's music leads, or to the hub when the school has none."""
    hub, school = passport.hub, passport.secondary
    if school is None or school.urn is None:
        return None
    leads = music_lead_addresses(passport)
    to = leads or ([hub.contact_email] if hub.contact_email else [])
    if not to:
        return None
    path = reverse(
        "transition-manage:passport",
        kwargs={"hub_slug": hub.slug, "urn": school.urn, "pk": passport.pk},
    )
    context = {
        "hub": hub,
        "school": school,
        "primary": passport.primary,
        "link": absolute_url(path),
        "to_hub": not leads,
    }
    return EmailMessage(
        subject=f"A young musician's passport for {school.name}",
        body=render_to_string("transition/email/passport_received.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=[hub.contact_email] if hub.contact_email else None,
    )
