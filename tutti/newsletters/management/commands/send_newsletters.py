"""Start the newsletter issues that are due: run it every minute (cron, or a systemd timer).

With a task backend that can wait (``run_after``), a scheduled issue starts by itself and this
only catches up; with ``--resume`` it also restarts sends whose worker stopped, which then
carry on where they were, sending nobody an issue twice.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from tutti.newsletters.models import Issue, IssueStatus
from tutti.newsletters.tasks import deliver_issue_task


class Command(BaseCommand):
    help = "Queue the sending of newsletter issues that are due (and, with --resume, stalled)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--resume", action="store_true", help="Also restart issues still being sent."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        due = Issue.objects.filter(status=IssueStatus.SCHEDULED, send_at__lte=timezone.now())
        ids = list(due.values_list("pk", flat=True))
        if options["resume"]:
            ids += list(
                Issue.objects.filter(status=IssueStatus.SENDING).values_list("pk", flat=True)
            )
        for issue_id in ids:
            deliver_issue_task.enqueue(issue_id=issue_id)
        self.stdout.write(f"Queued {len(ids)} issue(s).")
