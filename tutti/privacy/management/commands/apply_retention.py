from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tutti.directory.models import Hub
from tutti.privacy import retention


class Command(BaseCommand):
    help = (
        "Apply each hub's retention periods: anonymise old bookings, delete old audit entries "
        "(and whatever other rules apps register). Safe to run as often as you like."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the run for the task worker instead of running it here.",
        )
        parser.add_argument("--hub", help="Only this hub (its slug).")
        parser.add_argument(
            "--as-of",
            help="Apply as if today were this date (YYYY-MM-DD), e.g. to see what a later "
            "run will do on a copy of the data.",
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            from tutti.privacy.tasks import apply_retention

            result = apply_retention.enqueue()
            self.stdout.write(f"Queued for the task worker ({result.id}).")
            return
        now = timezone.now()
        if options["as_of"]:
            try:
                day = datetime.strptime(options["as_of"], "%Y-%m-%d").date()  # noqa: DTZ007
            except ValueError as error:
                raise CommandError("--as-of takes a date as YYYY-MM-DD.") from error
            now = timezone.make_aware(datetime.combine(day, time(12)))
        hubs = None
        if options["hub"]:
            hub = Hub.objects.filter(slug=options["hub"]).first()
            if hub is None:
                raise CommandError(f"No hub with the slug {options['hub']!r}.")
            hubs = [hub]
        reports = retention.retention_apply(now=now, hubs=hubs)
        rules = retention.RETENTION_RULES
        totals = dict.fromkeys(rules, 0)
        for report in reports:
            done = ", ".join(f"{report.counts[key]} {rule.label}" for key, rule in rules.items())
            self.stdout.write(f"{report.hub.slug}: {done}")
            for key, count in report.counts.items():
                totals[key] += count
        summary = ", ".join(f"{totals[key]} {rule.label}" for key, rule in rules.items())
        self.stdout.write(self.style.SUCCESS(f"Retention applied as of {now:%Y-%m-%d}: {summary}."))
