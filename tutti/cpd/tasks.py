"""Emails that leave the request: run by the task backend (a worker in production)."""

from django_tasks import task


@task()
def send_member_email(*, member_id: int, kind: str) -> None:
    """Tell a person they are invited to a network, or that their request was answered."""
    from tutti.cpd.emails import member_email
    from tutti.cpd.models import NetworkMember

    member = NetworkMember.objects.select_related("network__hub").filter(pk=member_id).first()
    if member is not None:
        member_email(member, kind).send()


@task()
def send_post_emails(*, kind: str, pk: int) -> None:
    """Tell the network's members who want it about a new discussion or reply."""
    from tutti.cpd.emails import post_emails

    for message in post_emails(kind=kind, pk=pk):
        message.send()
