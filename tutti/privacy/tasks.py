"""Retention as a task, for the task worker to run on a schedule."""

from django.core.management import call_command
from django_tasks import task


@task()
def apply_retention() -> None:
    """Queued daily (see README, Privacy); the same as ``manage.py apply_retention``."""
    call_command("apply_retention")
