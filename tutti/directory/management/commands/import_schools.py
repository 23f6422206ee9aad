from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from tutti.directory.register import count_rows, register_import


class Command(BaseCommand):
    help = (
        "Import the official school register from a CSV downloaded from Get Information about "
        "Schools (GIAS). All or nothing: if any row is wrong, nothing is imported and every "
        "problem is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The GIAS CSV (or the zip GIAS serves).")
        parser.add_argument(
            "--la",
            dest="la_codes",
            action="extend",
            nargs="+",
            metavar="CODE",
            help="Import only these local authorities (DfE three-digit codes, e.g. 865).",
        )

    def handle(self, *args, file: Path, la_codes: list[str] | None, **options):
        try:
            data = file.read_bytes()
        except OSError as e:
            raise CommandError(f"Can't read {file}: {e.strerror}.") from e
        with tqdm(total=count_rows(data), unit=" rows", disable=options["verbosity"] == 0) as bar:
            report = register_import(
                data=data, la_codes=set(la_codes) if la_codes else None, progress=bar.update
            )
        if not report.ok:
            problems = "\n".join(f"  {error}" for error in report.errors)
            count = len(report.errors)
            raise CommandError(
                f"Nothing was imported: {count} problem{'s' if count != 1 else ''} in {file}:\n"
                f"{problems}"
            )
        self.stdout.write(self.style.SUCCESS(f"Imported {file}: {report.summary}"))
