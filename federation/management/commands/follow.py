"""manage.py follow URL: follow a neighbouring assembly, as the admin's form does."""

from django.core.management.base import BaseCommand, CommandError

from federation import services


class Command(BaseCommand):
    help = "Follow the Assemblée at URL (its base address): fetch, validate, then import its feeds."

    def add_arguments(self, parser):
        parser.add_argument("url")

    def handle(self, *args, url, **options):
        try:
            neighbour = services.follow(url)
        except services.FollowError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Following {neighbour.name} ({neighbour.base_url}): "
            f"{neighbour.commons.count()} commons, {neighbour.meetings.count()} meetings"
            + (f"; {neighbour.rejected_items} items rejected" if neighbour.rejected_items else "")
            + (f"; failing: {neighbour.last_error}" if neighbour.is_failing else "")
        )
