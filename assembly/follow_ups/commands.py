"""The shape of the manage.py commands that take one follow-up of an import on one batch
(`invite_imported_people`, `send_subscriber_notice`): the applied batch of the right kinds, by its
number as /settings/imports/ lists it, then either how many are owed the follow-up (--dry-run) or
the follow-up done, in one line each."""

from django.core.management.base import BaseCommand, CommandError

from assembly.imports.models import ImportBatch


class BatchFollowUpCommand(BaseCommand):
    kinds: tuple[str, ...] = ()  # the kinds of import this follow-up belongs to
    not_found = ""  # the refusal, with {batch} for the number asked for
    dry_run_help = ""

    def add_arguments(self, parser):
        parser.add_argument("batch", type=int, help="The import's batch number.")
        parser.add_argument("--dry-run", action="store_true", help=self.dry_run_help)

    def handle(self, *args, batch, dry_run, **options):
        found = ImportBatch.objects.filter(
            pk=batch, kind__in=self.kinds, status=ImportBatch.Status.APPLIED
        ).first()
        if found is None:
            raise CommandError(self.not_found.format(batch=batch))
        self.stdout.write(self.preview(found) if dry_run else self.follow_up(found))

    def preview(self, batch: ImportBatch) -> str:
        """What --dry-run says: how many are owed the follow-up."""
        raise NotImplementedError

    def follow_up(self, batch: ImportBatch) -> str:
        """Do it (safe to run twice) and say what was done."""
        raise NotImplementedError
