import datetime

from django.core.management.base import BaseCommand, CommandError

from notifications import reminders


class Command(BaseCommand):
    help = (
        "Send the due reminders (plan deadlines, report deadlines, the weekly digest of overdue "
        "activities), each once per person and occasion. For cron; or --schedule to let the "
        "background worker run them every hour."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="act as if today were DD/MM/YYYY (tests, catch-up)")
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="queue an hourly run on the background worker (once) instead of running now",
        )

    def handle(self, *args, date=None, schedule=False, **options):
        if schedule:
            queued = reminders.schedule()
            if options["verbosity"]:
                self.stdout.write("scheduled" if queued else "already scheduled")
            return
        today = None
        if date:
            try:
                today = datetime.datetime.strptime(date, "%d/%m/%Y").date()  # noqa: DTZ007
            except ValueError as exc:
                raise CommandError("--date: DD/MM/YYYY") from exc
        for name, count in reminders.send_all(today).items():
            if options["verbosity"]:
                self.stdout.write(f"{name}: {count}")
