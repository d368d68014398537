"""Exit 0 when the database holds no person yet (so `make run` knows to seed the demo)."""

import sys

from django.core.management.base import BaseCommand

from assembly.models import User


class Command(BaseCommand):
    help = "Exit status 0 if no person exists yet, 1 otherwise."

    def handle(self, *args, **options):
        sys.exit(0 if not User.objects.exists() else 1)
