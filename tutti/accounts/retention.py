"""How long invitations are kept. The rule is registered in tutti/privacy/retention.py, which
lists every app's rule: privacy builds on the other apps, not they on it."""

from datetime import datetime, timedelta

from django.db.models import Q

from tutti.accounts.models import Invitation, InvitationStatus
from tutti.directory.models import Hub


def delete_old_invitations(hub: Hub, now: datetime) -> int:
    """An invitation holds a name and an address; once it has expired, been withdrawn or been
    accepted (the membership now holds the role) it is kept only for the hub's chosen days."""
    cutoff = now - timedelta(days=hub.retention_invitation_days)
    finished = (
        Q(status=InvitationStatus.PENDING, expires_at__lt=cutoff)
        | Q(status=InvitationStatus.WITHDRAWN, withdrawn_at__lt=cutoff)
        | Q(status=InvitationStatus.ACCEPTED, accepted_at__lt=cutoff)
    )
    deleted, _ = Invitation.objects.filter(finished, hub=hub).delete()
    return deleted
