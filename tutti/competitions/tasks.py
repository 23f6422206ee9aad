"""Slow work that leaves the request: run by the task backend (a worker in production)."""

from django.utils import timezone
from django_tasks import task

from tutti.competitions.models import Adjudicator, Competition, Entry


def _entry(entry_id: int) -> Entry | None:
    return (
        Entry.objects.filter(pk=entry_id, withdrawn_at=None)
        .select_related("competition__hub", "category")
        .first()
    )


@task()
def send_entry_confirmation(*, entry_id: int) -> None:
    from tutti.competitions.emails import entry_confirmation_email

    entry = _entry(entry_id)
    if entry is not None:
        entry_confirmation_email(entry).send()


@task()
def send_result_email(*, entry_id: int) -> None:
    """Tell the family their entry is a winner or finalist, unless that changed since."""
    from tutti.competitions.emails import result_email

    entry = _entry(entry_id)
    if entry is None or not entry.result or entry.results_emailed_at is not None:
        return
    result_email(entry).send()
    entry.results_emailed_at = timezone.now()
    entry.save(update_fields=["results_emailed_at"])


@task()
def send_feedback_emails(*, competition_id: int) -> None:
    """Every family: the results are out, with their feedback and certificate."""
    from tutti.competitions.emails import feedback_email

    competition = Competition.objects.filter(pk=competition_id).first()
    if competition is None:
        return
    entries = competition.entries.filter(withdrawn_at=None).select_related(
        "competition__hub", "category"
    )
    for entry in entries:
        feedback_email(entry).send()


@task()
def send_adjudicator_invitation(*, adjudicator_id: int, token: str) -> None:
    from tutti.competitions.emails import adjudicator_invitation_email

    adjudicator = (
        Adjudicator.objects.filter(pk=adjudicator_id).select_related("competition__hub").first()
    )
    if adjudicator is not None and adjudicator.user_id is None:
        adjudicator_invitation_email(adjudicator, token).send()
