"""manage.py send_subscriber_notice BATCH: the one-time notice (GDPR Art. 14) to the subscribers a
mailing-list import brought, sent now, once per address (a second run sends nothing twice)."""

from django.core.management.base import BaseCommand, CommandError

from assembly import follow_ups
from assembly.imports.models import ImportBatch


class Command(BaseCommand):
    help = (
        "Send the one-time notice to the subscribers a mailing-list import brought (its batch "
        "number, as /settings/imports/ lists it), once per address."
    )

    def add_arguments(self, parser):
        parser.add_argument("batch", type=int, help="The import's batch number.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how many are owed it, send nothing."
        )

    def handle(self, *args, batch, dry_run, **options):
        found = ImportBatch.objects.filter(
            pk=batch, kind__in=follow_ups.SUBSCRIBER_KINDS, status=ImportBatch.Status.APPLIED
        ).first()
        if found is None:
            raise CommandError(f"No applied subscribers import has the number {batch}.")
        if dry_run:
            self.stdout.write(f"would send={follow_ups.subscribers_owed_notice(found).count()}")
            return
        report = follow_ups.send_notice(found)
        self.stdout.write(
            f"sent={report['sent']} already={report['already']} failed={report['failed']}"
        )
