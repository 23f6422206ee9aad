"""The network's emails, built when the task runs: invitations, answers and new posts."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from tutti.core.urls import absolute_url
from tutti.cpd.models import MemberStatus, NetworkMember, Reply, Thread
from tutti.cpd.selectors import network_hub

SUBJECTS = {
    "invited": "You are invited to join {network}",
    "approved": "Welcome to {network}",
    "refused": "Your request to join {network}",
}


def _network_url(member: NetworkMember) -> str:
    network = member.network
    return absolute_url(
        reverse(
            "cpd:detail",
            kwargs={"hub_slug": network_hub(network).slug, "network_slug": network.slug},
        )
    )


def member_email(member: NetworkMember, kind: str) -> EmailMessage:
    network = member.network
    context = {"member": member, "network": network, "hub": network_hub(network), "kind": kind}
    context["link"] = _network_url(member)
    return EmailMessage(
        subject=SUBJECTS[kind].format(network=network.name),
        body=render_to_string("cpd/email/member.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[member.email],
        reply_to=[network_hub(network).contact_email]
        if network_hub(network).contact_email
        else None,
    )


def post_emails(*, kind: str, pk: int) -> list[EmailMessage]:
    """One email to each member who has not turned these off, except the author."""
    if kind == "thread":
        thread = Thread.objects.select_related("network__hub", "author").filter(pk=pk).first()
        if thread is None or thread.hidden:
            return []
        author, body = thread.author, thread.body
    else:
        reply = Reply.objects.select_related("thread__network__hub", "author").filter(pk=pk).first()
        if reply is None or reply.hidden:
            return []
        thread, author, body = reply.thread, reply.author, reply.body
    network = thread.network
    link = absolute_url(
        reverse(
            "cpd:thread",
            kwargs={
                "hub_slug": network_hub(network).slug,
                "network_slug": network.slug,
                "pk": thread.pk,
            },
        )
    )
    settings_link = absolute_url(
        reverse(
            "cpd:my-settings",
            kwargs={"hub_slug": network_hub(network).slug, "network_slug": network.slug},
        )
    )
    recipients = NetworkMember.objects.filter(
        network=network, status=MemberStatus.ACTIVE, notify_posts=True
    )
    if author is not None:
        recipients = recipients.exclude(pk=author.pk)
    context = {
        "thread": thread,
        "author": author,
        "body": body,
        "kind": kind,
        "network": network,
        "link": link,
        "settings_link": settings_link,
    }
    text = render_to_string("cpd/email/post.txt", context)
    subject = f"{network.name}: {'new discussion' if kind == 'thread' else 'reply to'} “{thread}”"
    return [
        EmailMessage(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[member.email],
        )
        for member in recipients
    ]
