"""Slow work that leaves the request: run by the task backend (a worker in production)."""

from django_tasks import task

from tutti.directory.models import Hub, Organisation
from tutti.provision.models import SchoolAudit


@task()
def send_audit_reminder(*, hub_id: int, school_id: int, year: int) -> None:
    """Email the school its audit link, unless it has finished the audit since it was queued."""
    from tutti.provision.emails import audit_reminder_email

    hub = Hub.objects.filter(pk=hub_id).first()
    school = Organisation.objects.filter(pk=school_id).first()
    if hub is None or school is None or not school.email:
        return
    record = SchoolAudit.objects.filter(hub=hub, school=school, year=year).first()
    if record is not None and record.is_complete:
        return
    audit_reminder_email(hub=hub, school=school, year=year).send()
