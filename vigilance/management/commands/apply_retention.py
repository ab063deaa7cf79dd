from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from accounts.privacy import retention_apply


class Command(BaseCommand):
    help = (
        "Anonymise old alerts, clear old delivery addresses, delete ended absences, warn then delete "
        "inactive accounts (Celery beat runs the same every 6 hours)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", help="Pretend the current time is this ISO datetime (for checks).")

    def handle(self, *args, **options):
        now = None
        if options["now"]:
            now = parse_datetime(options["now"])
            if now is None or now.tzinfo is None:
                raise CommandError(
                    "--now must be an ISO datetime with a time zone, e.g. 2027-01-01T00:00:00+01:00"
                )
        for name, count in retention_apply(now=now).items():
            self.stdout.write(f"{name}: {count}")
