"""Print a one-time link that makes whoever follows it first an administrator (issue 22).

For an operator with a shell on the server: the link is signed, works once, and expires after
24 hours. `createsuperuser` remains the other way to the first administrator."""

from django.core.management.base import BaseCommand

from assembly.setup import SETUP_LINK_LIFETIME, create_setup_link


class Command(BaseCommand):
    help = "Print a one-time link to become the assembly's administrator (valid 24 hours)."

    def handle(self, *args, **options):
        url = create_setup_link()
        hours = int(SETUP_LINK_LIFETIME.total_seconds() // 3600)
        self.stdout.write(
            f"Open this link within {hours} hours to become an administrator "
            "(it works once; keep it to yourself):"
        )
        self.stdout.write(url)
