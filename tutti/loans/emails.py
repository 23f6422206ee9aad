"""The emails of the instrument library, built when the task runs."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from tutti.core.urls import absolute_url
from tutti.directory.models import Hub
from tutti.loans.models import InstrumentRequest, Loan
from tutti.loans.tokens import follow_token


def follow_url(*, hub: Hub, what: str, key: int | str) -> str:
    token = follow_token(hub_id=hub.pk, what=what, key=key)
    return reverse("loans:follow", kwargs={"hub_slug": hub.slug, "token": token})


def _message(hub: Hub, subject: str, template: str, to: str, **context: object) -> EmailMessage:
    return EmailMessage(
        subject=f"{subject}: {hub.name}",
        body=render_to_string(template, {"hub": hub, **context}),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[hub.contact_email] if hub.contact_email else None,
    )


def request_email(found: InstrumentRequest, kind: str) -> EmailMessage:
    link = absolute_url(follow_url(hub=found.hub, what="request", key=found.pk))
    subject = "Your instrument request" if kind == "received" else "An instrument is ready"
    return _message(
        found.hub,
        subject,
        "loans/email/request.txt",
        found.contact_email,
        request=found,
        kind=kind,
        link=link,
    )


def batch_email(*, hub_id: int, batch: str) -> EmailMessage | None:
    loans = list(
        Loan.objects.filter(hub_id=hub_id, batch=batch).select_related(
            "hub", "school", "instrument"
        )
    )
    if not loans or not loans[0].borrower_email:
        return None
    hub = loans[0].hub
    link = absolute_url(follow_url(hub=hub, what="batch", key=batch))
    return _message(
        hub,
        "Instruments lent to your school",
        "loans/email/batch.txt",
        loans[0].borrower_email,
        loans=loans,
        school=loans[0].school,
        link=link,
    )


def overdue_email(loan: Loan) -> EmailMessage | None:
    to = loan.request.contact_email if loan.request is not None else loan.borrower_email
    if not to:
        return None
    return _message(loan.hub, "An instrument is due back", "loans/email/overdue.txt", to, loan=loan)
