"""Slow work that leaves the request: run by the task backend (a worker in production)."""

from django_tasks import task

from tutti.accounts.models import Invitation, InvitationStatus


@task()
def send_invitation_email(*, invitation_id: int, token: str) -> None:
    """Email the invitation with its link; nothing if it was withdrawn or answered meanwhile."""
    from tutti.accounts.emails import invitation_email
    from tutti.accounts.services import token_hash

    invitation = (
        Invitation.objects.select_related("hub", "invited_by", "cluster")
        .filter(pk=invitation_id, status=InvitationStatus.PENDING, token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        return
    invitation_email(invitation, token).send()
