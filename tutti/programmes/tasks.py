"""Slow work that leaves the request: run by the task backend (a worker in production)."""

from django_tasks import task

from tutti.programmes.models import ProgrammeInvitation, Site


@task()
def send_programme_invitation(*, invitation_id: int, token: str) -> None:
    """Email the invitation with its link; nothing if it was answered meanwhile."""
    from tutti.programmes.emails import invitation_email
    from tutti.programmes.services import token_hash

    invitation = (
        ProgrammeInvitation.objects.select_related("programme", "site__school", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True, token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        return
    invitation_email(invitation, token).send()


@task()
def send_senco_link(*, site_id: int, version: int) -> None:
    """Email the SENCo their link; nothing if it was stopped or replaced meanwhile."""
    from tutti.programmes.emails import senco_link_email

    site = (
        Site.objects.select_related("programme", "school")
        .filter(pk=site_id, senco_link_active=True, senco_link_version=version)
        .exclude(senco_email="")
        .first()
    )
    if site is None:
        return
    senco_link_email(site).send()
