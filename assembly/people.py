"""People registered at the door: a person without a password who can claim the account later;
the e-mail a facilitator adds for them afterwards, and the people who are likely one person."""

import unicodedata

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .domain import DomainError
from .folding import fold
from .models import Delivery, DoNotMail, MergeLog, User
from .notifications import render_email
from .tasking import enqueue_on_commit


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


def register_imported(newcomers, *, now=None) -> list[User]:
    """Create the people an import introduces, as the door does (no password: they claim the
    account later, an unverified address when the sheet gave one) but marked imported and without
    any e-mail: the invitation to claim is a separate action (`invite_to_claim`). Sets each
    newcomer's pk. Bulk inserts: an attendance sheet may introduce hundreds."""
    now = now or timezone.now()
    newcomers = list(newcomers)
    users = [
        User(
            email=newcomer.email or None,
            display_name=newcomer.display_name,
            search_name=fold(f"{newcomer.display_name} {newcomer.email or ''}"),
            password=make_password(None),
            imported_at=now,
            date_joined=now,
        )
        for newcomer in newcomers
    ]
    User.objects.bulk_create(users, batch_size=1000)
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=user, email=user.email, primary=True, verified=False)
            for user in users
            if user.email
        ],
        batch_size=1000,
    )
    for newcomer, user in zip(newcomers, users, strict=True):
        newcomer.pk = user.pk
    return users


def invitable(people):
    """Among `people`, those an invitation to claim the account can reach: active, with an
    address not on the do-not-mail list, who have not chosen a password yet."""
    return (
        people.filter(
            is_active=True, email__isnull=False, password__startswith=UNUSABLE_PASSWORD_PREFIX
        )
        .exclude(email="")
        .exclude(email__in=DoNotMail.objects.values("email"))
    )


def invite_to_claim(people, *, now=None) -> int:
    """Invite these people (after a people import) to claim their account: the door's claim
    e-mail, queued once per person after commit. Running it again invites nobody twice: the
    conditional update on `claim_invited_at` lets only the first run through. Returns how many
    were invited now."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            invitable(people)
            .filter(claim_invited_at=None)
            .select_for_update()
            .values_list("pk", flat=True)
        )
        User.objects.filter(pk__in=ids, claim_invited_at=None).update(claim_invited_at=now)
        for pk in ids:
            enqueue_on_commit("assembly.send_claim_invitation", user_id=pk)
    return len(ids)


class PeopleError(DomainError):
    """A rule about people said no; the message is for the facilitator who asked."""


def add_email(person: User, email: str) -> User:
    """Give an e-mail to a person registered at the door without one, then invite them (once the
    change is committed) to claim the account. An address already someone's is refused: those two
    are probably one person, to be merged instead."""

    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise PeopleError(_("Write a valid e-mail address.")) from None
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        if person.email:
            raise PeopleError(_("This person already has an e-mail address."))
        if (
            User.objects.filter(email__iexact=email).exists()
            or EmailAddress.objects.filter(email__iexact=email).exists()
        ):
            raise PeopleError(
                _(
                    "Someone already uses this address: if they are the same person, merge "
                    "them instead."
                )
            )
        person.email = email
        person.save(update_fields=["email"])
        EmailAddress.objects.create(user=person, email=email, primary=True, verified=False)
        enqueue_on_commit("assembly.send_claim_invitation", user_id=person.pk)
    return person


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


def merge_email_addresses(kept: User, merged: User) -> int:
    """The merged person's addresses join the kept person's; one address is never listed twice,
    and the kept person's primary address stays the primary one."""
    ours = {email.lower() for email in kept.emailaddress_set.values_list("email", flat=True)}
    theirs = EmailAddress.objects.filter(user=merged)
    duplicates = [pk for pk, email in theirs.values_list("pk", "email") if email.lower() in ours]
    theirs.filter(pk__in=duplicates).delete()
    primary = not EmailAddress.objects.filter(user=kept, primary=True).exists()
    moved = 0
    for address in theirs.order_by("-primary", "pk"):
        address.user = kept
        address.primary = primary and address.primary
        address.save(update_fields=["user", "primary"])
        moved += 1
    return moved


def merges_data(person: User) -> list[dict]:
    """The other accounts merged into this person's, for their data export."""
    return [
        {
            "merged_at": _local(row.merged_at),
            "merged_display_name": row.merged_display_name,
            "merged_email": row.merged_email,
        }
        for row in MergeLog.objects.filter(kept=person).order_by("merged_at", "pk")
    ]


def comparable_name(name: str) -> str:
    """A name without accents, case or extra spaces: "Hélène  Dupont" → "helene dupont"."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


def likely_duplicates() -> list[tuple[User, User, str]]:
    """Pairs of active people who are probably one: the same name once accents and case are set
    aside, or the same e-mail in another case. (older, newer, why), oldest pairs first.

    One query; the comparison runs in Python, which knows accents on every database."""
    people = list(
        User.objects.filter(is_active=True)
        .only("display_name", "email", "date_joined")
        .order_by("pk")
    )
    seen_names: dict[str, User] = {}
    seen_emails: dict[str, User] = {}
    pairs: dict[tuple[int, int], tuple[User, User, str]] = {}
    for person in people:
        reasons = []
        name = comparable_name(person.display_name)
        if name and name in seen_names:
            reasons.append((seen_names[name], _("same name")))
        email = (person.email or "").casefold()
        if email and email in seen_emails:
            reasons.append((seen_emails[email], _("same e-mail")))
        for other, why in reasons:
            key = (other.pk, person.pk)
            if key in pairs:
                why = pairs[key][2] + ", " + why
            pairs[key] = (other, person, why)
        seen_names.setdefault(name, person)
        if email:
            seen_emails.setdefault(email, person)
    return list(pairs.values())
