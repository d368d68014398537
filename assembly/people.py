"""People registered at the door: a person without a password who can claim the account later."""

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .models import Delivery, User
from .notifications import render_email


def claim_url(user: User) -> str:
    """The link that lets a person set their first password (allauth's reset-from-key page)."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def register_at_door(display_name: str, email: str | None = None) -> User:
    """Create a person on the spot. Without an e-mail they can be ticked but never log in."""
    email = (email or "").strip().lower() or None
    user = User.objects.create_user(email=email, display_name=display_name.strip())
    if email:
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    return user


def send_claim_invitation(user: User) -> None:
    """E-mail the person a link to choose a password; following it proves the address.

    An account e-mail, sent directly rather than through the delivery log: a second link sent
    after a crash is harmless, and the person may ask for another one at any time."""
    if not user.email:
        return
    context = {"user": user, "claim_url": claim_url(user)}
    render_email(user, "assembly/email/claim", context).send()


def mark_email_verified(user: User) -> None:
    """A password set through an e-mailed key proves the person reads that address."""
    if user.email:
        EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)


@transaction.atomic
def delete_account(user: User) -> None:
    """Delete the person. Their attendance and votes stay, anonymised (person set to NULL);
    what only made sense with them (sign-ups, e-mail addresses, deliveries) goes with them."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    user.delete()


def profile_data(person: User) -> dict:
    """The person's profile and membership state, for their data export."""
    return {
        "email": person.email,
        "display_name": person.display_name,
        "bio": person.bio,
        "listed": person.listed,
        "language": person.language,
        "date_joined": timezone.localtime(person.date_joined).isoformat(),
        "membership_declared_at": (
            timezone.localtime(person.membership_declared_at).isoformat()
            if person.membership_declared_at
            else None
        ),
        "eligible_until": person.eligible_until.isoformat() if person.eligible_until else None,
    }


def email_addresses(person: User) -> list[dict]:
    """The addresses the person gave (allauth); they go with the account."""
    return [
        {"email": email, "primary": primary, "verified": verified}
        for email, primary, verified in EmailAddress.objects.filter(user=person)
        .order_by("-primary", "email")
        .values_list("email", "primary", "verified")
    ]


def roles(person: User) -> dict:
    """The groups (facilitators…) and single permissions the person was given; they go with the
    account."""
    return {
        "groups": sorted(person.groups.values_list("name", flat=True)),
        "staff": person.is_staff,
        "permissions": sorted(
            f"{app_label}.{codename}"
            for app_label, codename in person.user_permissions.values_list(
                "content_type__app_label", "codename"
            )
        ),
    }


def deliveries_data(person: User) -> list[dict]:
    """The e-mails sent (or to be sent) to the person, for their data export."""
    rows = Delivery.objects.filter(person=person).order_by("created_at", "pk")
    return [
        {
            "about": row.topic,
            "kind": row.kind,
            "state": row.state,
            "created_at": _local(row.created_at),
            "sent_at": _local(row.sent_at),
        }
        for row in rows
    ]


def _local(moment):
    return timezone.localtime(moment).isoformat() if moment else None
