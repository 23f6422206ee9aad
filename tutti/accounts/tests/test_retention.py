from datetime import timedelta

from django.core import mail
from django.utils import timezone

from tutti.accounts import services
from tutti.accounts.models import Invitation, Role
from tutti.privacy.retention import retention_apply


def _invite(world, capture, email):
    with capture(execute=True):
        return services.invitation_create(
            hub=world.hub, by=world.users["admin"], email=email, role=Role.HUB_STAFF
        )


def test_finished_invitations_go_after_the_hubs_days_and_pending_ones_stay(
    world, django_capture_on_commit_callbacks
):
    expired = _invite(world, django_capture_on_commit_callbacks, "expired@example.org")
    withdrawn = _invite(world, django_capture_on_commit_callbacks, "withdrawn@example.org")
    services.invitation_withdraw(invitation=withdrawn, by=world.users["admin"])
    waiting = _invite(world, django_capture_on_commit_callbacks, "waiting@example.org")
    assert len(mail.outbox) == 3
    now = timezone.now()
    Invitation.objects.filter(pk=expired.pk).update(expires_at=now - timedelta(days=91))
    Invitation.objects.filter(pk=waiting.pk).update(expires_at=now + timedelta(days=5))

    [report] = retention_apply(now=now, hubs=[world.hub])
    assert report.counts["invitations"] == 1
    assert set(Invitation.objects.values_list("email", flat=True)) == {
        "withdrawn@example.org",
        "waiting@example.org",
    }

    later = now + timedelta(days=world.hub.retention_invitation_days + 1)
    [report] = retention_apply(now=later, hubs=[world.hub])
    assert report.counts["invitations"] == 1
    assert list(Invitation.objects.values_list("email", flat=True)) == ["waiting@example.org"]
    [report] = retention_apply(now=later, hubs=[world.hub])
    assert report.counts["invitations"] == 0
