"""Recompute membership now: everyone, or the people given, then send the e-mails due."""

from django.core.management.base import BaseCommand

from workshops import membership


class Command(BaseCommand):
    help = "Recompute who is eligible for membership and lapse members who no longer are."

    def add_arguments(self, parser):
        parser.add_argument(
            "--person",
            type=int,
            action="append",
            dest="person_ids",
            help="Only this person's id (repeatable).",
        )
        parser.add_argument(
            "--no-notify",
            action="store_true",
            help="Queue and send no e-mail (first import, demo data).",
        )

    def handle(self, *args, person_ids=None, no_notify=False, **options):
        report = membership.recompute(person_ids=person_ids, notify=not no_notify)
        self.stdout.write(
            f"newly eligible: {report.newly_eligible}, lapsing soon: {report.expiring}, "
            f"lapsed: {report.lapsed}"
        )
        if not no_notify:
            sent = membership.send_notices()
            self.stdout.write(
                f"e-mails sent: {sent.sent}, already sent: {sent.already}, failed: {sent.failed}"
            )
