"""Fill an empty database with a believable assembly and demo accounts. Safe to run twice.

Each app may hold a `demo` package with `seed(scale, stdout)` and its content in data files; they
run in the order of the dependency chain so that meetings can link to commons, decisions to
members, and so on. The town and the demo accounts come from assembly/demo/content.toml.
"""

from importlib import import_module
from importlib.util import find_spec

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from assembly.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, TOWN
from assembly.models import FACILITATORS_GROUP, AssemblyConfiguration, User

APPS_IN_ORDER = [
    "assembly",
    "commons_registry",
    "workshops",
    "chantiers",
    "decisions",
    "charter",
    "budget",
    "federation",
    "gatherings",
]


def ensure_account(email: str, display_name: str, role: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            display_name=display_name,
            listed=role != "newcomer",
            is_staff=role == "admin",
            is_superuser=role == "admin",
        )
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if role == "facilitator":
        user.groups.add(Group.objects.get_or_create(name=FACILITATORS_GROUP)[0])
    return user


class Command(BaseCommand):
    help = "Create demo accounts and a believable assembly (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=["small", "large"],
            default="small",
            help="'large' adds the benchmark's data volumes.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (never on a real assembly).",
        )

    def handle(self, *args, scale, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a known password; it refuses to run with DEBUG "
                "off. Use --force if this really is a demo server."
            )
        with transaction.atomic():
            config = AssemblyConfiguration.get()
            if not config.city:
                config.name = TOWN["assembly_name"]
                config.city = TOWN["city"]
            # The demo is set up already; its moving-in checklist shows what imports would add.
            if config.set_up_at is None:
                config.set_up_at = timezone.now()
                config.map_latitude, config.map_longitude = (str(x) for x in TOWN["centre"])
            config.save()
            Group.objects.get_or_create(name=FACILITATORS_GROUP)
            for email, name, role in DEMO_ACCOUNTS:
                ensure_account(email, name, role)
            for app in APPS_IN_ORDER:
                if find_spec(f"{app}.demo") is not None:
                    import_module(f"{app}.demo").seed(scale=scale, stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Accounts (password: {DEMO_PASSWORD}):")
        )
        for email, _name, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:28} {role}")
