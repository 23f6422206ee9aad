"""Emails leave the request as tasks (a worker in production)."""

from django_tasks import task


@task()
def send_request_email(*, request_id: int, kind: str) -> None:
    """Tell the family their request is in, or that an instrument is ready to accept."""
    from tutti.loans.emails import request_email
    from tutti.loans.models import InstrumentRequest

    found = InstrumentRequest.objects.select_related("hub").filter(pk=request_id).first()
    if found is not None:
        request_email(found, kind).send()


@task()
def send_batch_email(*, hub_id: int, batch: str) -> None:
    """Send the school its agreement link for the instruments lent together."""
    from tutti.loans.emails import batch_email

    message = batch_email(hub_id=hub_id, batch=batch)
    if message is not None:
        message.send()


@task()
def send_overdue_reminders(*, hub_id: int) -> int:
    """Remind every borrower whose instrument is overdue and not reminded in the last week."""
    from tutti.loans.emails import overdue_email
    from tutti.loans.services import overdue_reminded

    sent = 0
    for loan in overdue_reminded(hub_id=hub_id):
        message = overdue_email(loan)
        if message is not None:
            message.send()
            sent += 1
    return sent
