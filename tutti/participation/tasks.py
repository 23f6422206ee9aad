"""Slow work that leaves the request: run by the task backend (a worker in production)."""

from django_tasks import task

from tutti.participation.models import Submission


@task()
def send_collection_reminder(*, submission_id: int, opening: bool = False) -> None:
    """Tell a partner the hub is waiting for their data return: the first time when the
    collection opens (``opening``), then as a reminder."""
    from tutti.participation.emails import reminder_email

    submission = (
        Submission.objects.select_related("collection__hub", "partner")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or submission.is_submitted:
        return
    message = reminder_email(submission, opening=opening)
    if message.to:
        message.send()
