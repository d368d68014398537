"""Moving in: the first administrator, the set-up marker, the e-mail check.

The first administrator comes from `createsuperuser` or from a one-time link that an operator
prints with `manage.py setup_link` (a shell on the server is the proof). The link is signed,
expires, and works once: only the SHA-256 of its secret is stored, and a conditional update lets
one request use it. Nothing else on the site makes anyone an administrator.
"""

import datetime
import hashlib
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail, signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .domain import DomainError
from .models import AssemblyConfiguration, SetupLink, User
from .settings_log import record_change

SETUP_LINK_SALT = "assembly.setup-link"
SETUP_LINK_LIFETIME = datetime.timedelta(hours=24)


class SetupError(DomainError):
    """The set-up said no; the message is for the person who asked."""


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_setup_link(now: datetime.datetime | None = None) -> str:
    """A new one-time link (the full URL), valid for SETUP_LINK_LIFETIME."""
    now = now or timezone.now()
    secret = secrets.token_urlsafe(32)
    SetupLink.objects.create(
        secret_digest=_digest(secret), created_at=now, expires_at=now + SETUP_LINK_LIFETIME
    )
    token = signing.dumps(secret, salt=SETUP_LINK_SALT)
    return settings.SITE_URL.rstrip("/") + reverse("setup:claim", kwargs={"token": token})


def setup_link_for(token: str, now: datetime.datetime | None = None) -> SetupLink | None:
    """The unused, unexpired link a token names; None for anything else."""
    now = now or timezone.now()
    try:
        secret = signing.loads(
            token, salt=SETUP_LINK_SALT, max_age=SETUP_LINK_LIFETIME.total_seconds()
        )
    except signing.BadSignature:
        return None
    if not isinstance(secret, str):
        return None
    return SetupLink.objects.filter(
        secret_digest=_digest(secret), used_at__isnull=True, expires_at__gt=now
    ).first()


def _use(link: SetupLink, person: User, now: datetime.datetime) -> None:
    used = SetupLink.objects.filter(pk=link.pk, used_at__isnull=True, expires_at__gt=now).update(
        used_at=now, used_by=person
    )
    if not used:
        raise SetupError(_("This set-up link was used already or has expired."))


@transaction.atomic
def make_administrator_with_link(
    link: SetupLink, person: User, now: datetime.datetime | None = None
) -> User:
    """The signed-in person who followed the link becomes an administrator."""
    now = now or timezone.now()
    _use(link, person, now)
    person = User.objects.select_for_update().get(pk=person.pk)
    person.is_staff = True
    person.is_superuser = True
    person.save(update_fields=["is_staff", "is_superuser"])
    record_change(
        by=person,
        subject=_("Administrators"),
        before={},
        after={"administrator added (set-up link)": f"{person} (#{person.pk})"},
    )
    return person


@transaction.atomic
def create_administrator_with_link(
    link: SetupLink,
    *,
    email: str,
    display_name: str,
    password: str,
    now: datetime.datetime | None = None,
) -> User:
    """A new account, administrator from the start; the link's e-mail reached the operator, so
    the address is taken as given (verified) and nobody else may hold it."""
    now = now or timezone.now()
    email = email.strip().lower()
    if (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    ):
        raise SetupError(_("Someone already uses this address: sign in, then follow the link."))
    person = User.objects.create_user(
        email=email, password=password, display_name=display_name.strip()
    )
    EmailAddress.objects.create(user=person, email=email, primary=True, verified=True)
    return make_administrator_with_link(link, person, now)


@transaction.atomic
def mark_set_up(*, by: User, now: datetime.datetime | None = None) -> None:
    config = AssemblyConfiguration.objects.select_for_update().get(
        pk=AssemblyConfiguration.get().pk
    )
    before = config.set_up_at
    config.set_up_at = now or timezone.now()
    config.save(update_fields=["set_up_at"])
    record_change(
        by=by,
        subject=_("Set-up finished"),
        before={"set_up_at": before.isoformat() if before else None},
        after={"set_up_at": config.set_up_at.isoformat()},
    )


@transaction.atomic
def dismiss_checklist(*, by: User, now: datetime.datetime | None = None) -> None:
    config = AssemblyConfiguration.objects.select_for_update().get(
        pk=AssemblyConfiguration.get().pk
    )
    if config.checklist_dismissed_at is not None:
        return
    config.checklist_dismissed_at = now or timezone.now()
    config.save(update_fields=["checklist_dismissed_at"])
    record_change(
        by=by,
        subject=_("Moving-in checklist"),
        before={},
        after={"dismissed": config.checklist_dismissed_at.isoformat()},
    )


def email_settings_summary() -> dict:
    """What EMAIL_URL configured, without its password: shown beside the e-mail check."""
    return {
        "backend": settings.EMAIL_BACKEND,
        "host": getattr(settings, "EMAIL_HOST", ""),
        "port": getattr(settings, "EMAIL_PORT", ""),
        "user": getattr(settings, "EMAIL_HOST_USER", ""),
        "tls": getattr(settings, "EMAIL_USE_TLS", False),
        "ssl": getattr(settings, "EMAIL_USE_SSL", False),
        "from": settings.DEFAULT_FROM_EMAIL,
    }


def send_test_email(person: User) -> tuple[bool, str]:
    """Send a test e-mail to the person, now, through EMAIL_URL; say what happened, the error's
    own words included when the server refuses."""
    if not person.email:
        return False, _("You have no e-mail address to send the test to.")
    config = AssemblyConfiguration.get()
    message = mail.EmailMessage(
        subject=_("Test e-mail from %(name)s") % {"name": config.name},
        body=_("This message checks that the assembly can send e-mail. If you read it, it can."),
        to=[person.email],
    )
    try:
        sent = message.send(fail_silently=False)
    except Exception as error:  # any failure is what the administrator must see
        return False, f"{type(error).__name__}: {error}"
    if not sent:
        return False, _("The mail server accepted no message.")
    return True, _("Sent to %(email)s. Check that it arrived (and not among spam).") % {
        "email": person.email
    }
