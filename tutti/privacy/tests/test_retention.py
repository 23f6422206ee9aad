"""Retention rules: each hub's own periods, idempotent, and the registry apps add to."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tutti.core.audit import audit
from tutti.core.models import AuditLog
from tutti.events.models import Attendance, Booking
from tutti.privacy import retention
from tutti.privacy.services import ANONYMISED_NAME
from tutti.privacy.tests.helpers import attended, past_event


def test_each_hub_keeps_bookings_for_its_own_period(world):
    world.hub.retention_booking_months = 1
    world.hub.save(update_fields=["retention_booking_months"])
    old_here = attended(past_event(world.hub, days=45), ["attended", "attended"])
    recent_here = attended(past_event(world.hub, days=10), ["attended", "absent"])
    old_there = attended(past_event(world.other_hub, days=45), ["attended", "attended"])

    reports = retention.retention_apply(now=timezone.now())

    counts = {r.hub.slug: r.counts["bookings"] for r in reports}
    assert counts == {"wiltshire": 1, "cambridgeshire": 0}
    old_here.refresh_from_db()
    assert (old_here.name, old_here.organisation_name) == (ANONYMISED_NAME, "")
    assert Attendance.objects.filter(booking=old_here).count() == 2
    assert Booking.objects.get(pk=recent_here.pk).email == recent_here.email
    assert Booking.objects.get(pk=old_there.pk).email == old_there.email


def test_old_audit_entries_go_after_the_hubs_period(world):
    kept = audit("events.event.published", hub=world.hub)
    old = audit("events.event.published", hub=world.hub)
    AuditLog.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=73 * 31))
    retention.retention_apply(now=timezone.now(), hubs=[world.hub])
    assert AuditLog.objects.filter(pk=kept.pk).exists()
    assert not AuditLog.objects.filter(pk=old.pk).exists()
    run = AuditLog.objects.get(action="privacy.retention.applied")
    assert (run.data["audit"], run.data["bookings"]) == (1, 0)


def test_an_app_adds_its_own_rule(world, monkeypatch):
    monkeypatch.setattr(retention, "RETENTION_RULES", dict(retention.RETENTION_RULES))
    seen = []

    @retention.retention_rule("invitations", "invitations deleted")
    def invitations(hub, now):
        seen.append(hub.retention_invitation_days)
        return 0

    out = io.StringIO()
    call_command("apply_retention", hub="wiltshire", stdout=out)
    assert seen == [90]
    assert "wiltshire: 0 bookings anonymised, 0 audit entries deleted, 0 invitations deleted" in (
        out.getvalue()
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [({"as_of": "31/12/2030"}, "YYYY-MM-DD"), ({"hub": "nowhere"}, "No hub with the slug")],
)
def test_the_command_refuses_bad_options(world, options, message):
    with pytest.raises(CommandError, match=message):
        call_command("apply_retention", **options)
    assert not AuditLog.objects.exists()


def test_the_command_can_queue_the_run_for_the_task_worker(world):
    out = io.StringIO()
    call_command("apply_retention", enqueue=True, stdout=out)
    assert "Queued for the task worker" in out.getvalue()
    # Tests run tasks at once, as the worker would later.
    assert AuditLog.objects.filter(action="privacy.retention.applied").count() == 2
