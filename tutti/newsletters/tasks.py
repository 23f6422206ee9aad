"""Slow work that leaves the request: run by the task backend (a worker in production)."""

from datetime import datetime

from django_tasks import task

from tutti.newsletters.models import Issue


@task()
def send_confirmation_email(*, confirmation_id: int) -> None:
    """Email the link that confirms a sign-up."""
    from tutti.newsletters.emails import confirmation_email
    from tutti.newsletters.models import Confirmation

    confirmation = (
        Confirmation.objects.select_related("subscriber__hub").filter(pk=confirmation_id).first()
    )
    if confirmation is None or confirmation.used_at is not None:
        return
    confirmation_email(confirmation).send()


@task()
def send_test_email(*, issue_id: int, email: str) -> None:
    """The issue as it would go now, to the person writing it."""
    from tutti.newsletters.emails import test_email

    issue = Issue.objects.select_related("hub", "newsletter_list").filter(pk=issue_id).first()
    if issue is not None:
        test_email(issue, email).send()


@task()
def deliver_issue_task(*, issue_id: int) -> int:
    """Send an issue to its list (tutti/newsletters/delivery.py)."""
    from tutti.newsletters.delivery import deliver_issue

    return deliver_issue(issue_id)


def enqueue_delivery(issue_id: int, run_after: datetime | None) -> None:
    """Queue the send now, or for later where the task backend can wait; otherwise the
    ``send_newsletters`` command (run every minute or so) starts it when it is due."""
    if run_after is None:
        deliver_issue_task.enqueue(issue_id=issue_id)
    elif deliver_issue_task.get_backend().supports_defer:
        deliver_issue_task.using(run_after=run_after).enqueue(issue_id=issue_id)
