"""manage.py invite_imported_people BATCH: the people a people (or attendance) import registered
receive the door's invitation to claim their account, once each (a second run invites nobody
twice). The invitations are queued: the Celery worker sends them."""

from django.core.management.base import BaseCommand, CommandError

from assembly import follow_ups
from assembly.imports.models import ImportBatch


class Command(BaseCommand):
    help = (
        "Invite the people an import registered (its batch number, as /settings/imports/ lists "
        "it) to claim their accounts, once each."
    )

    def add_arguments(self, parser):
        parser.add_argument("batch", type=int, help="The import's batch number.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how many would be invited, invite nobody."
        )

    def handle(self, *args, batch, dry_run, **options):
        found = ImportBatch.objects.filter(
            pk=batch, kind__in=follow_ups.PEOPLE_KINDS, status=ImportBatch.Status.APPLIED
        ).first()
        if found is None:
            raise CommandError(f"No applied people or attendance import has the number {batch}.")
        if dry_run:
            self.stdout.write(f"would invite={follow_ups.people_to_invite(found).count()}")
            return
        self.stdout.write(f"invited={follow_ups.invite(found)}")
