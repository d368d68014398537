"""Who facilitates: administrators name facilitators from /setup/ and /settings/, by adding a
person already here or by inviting an e-mail address.

An invitation is accepted when someone signs in (or signs up, then confirms the address) with the
invited address, verified: the account adapter calls `accept_pending_invitations` at each sign-in.
Nobody becomes a facilitator through an address they have not proved is theirs.
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .domain import DomainError
from .models import FACILITATORS_GROUP, AssemblyConfiguration, FacilitatorInvitation, User
from .settings_log import record_change
from .tasking import enqueue_on_commit


class FacilitatorError(DomainError):
    """A rule about facilitators said no; the message is for the administrator who asked."""


def facilitators_group() -> Group:
    return Group.objects.get_or_create(name=FACILITATORS_GROUP)[0]


def facilitators():
    return User.objects.filter(groups__name=FACILITATORS_GROUP, is_active=True).order_by(
        "display_name", "pk"
    )


def pending_invitations():
    return FacilitatorInvitation.objects.pending().select_related("invited_by")


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise FacilitatorError(_("Write a valid e-mail address.")) from None
    return email


def _owner_of(email: str) -> User | None:
    address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
    if address is not None:
        return address.user
    return User.objects.filter(email__iexact=email).first()


@transaction.atomic
def add_facilitator(person: User, *, by: User) -> None:
    person = User.objects.select_for_update().get(pk=person.pk)
    if not person.is_active:
        raise FacilitatorError(_("This account is closed."))
    group = facilitators_group()
    if person.groups.filter(pk=group.pk).exists():
        return
    person.groups.add(group)
    record_change(
        by=by,
        subject=_("Facilitators"),
        before={},
        after={"facilitator added": f"{person} (#{person.pk})"},
    )


@transaction.atomic
def remove_facilitator(person: User, *, by: User) -> None:
    person = User.objects.select_for_update().get(pk=person.pk)
    group = facilitators_group()
    if not person.groups.filter(pk=group.pk).exists():
        return
    person.groups.remove(group)
    record_change(
        by=by,
        subject=_("Facilitators"),
        before={"facilitator removed": f"{person} (#{person.pk})"},
        after={},
    )


def invite_facilitator(email: str, *, by: User) -> FacilitatorInvitation:
    """Invite an address; an address already invited and still pending is invited again."""
    email = _clean_email(email)
    with transaction.atomic():
        owner = _owner_of(email)
        if owner is not None and owner.is_facilitator:
            raise FacilitatorError(_("%(name)s is already a facilitator.") % {"name": owner})
        invitation = (
            FacilitatorInvitation.objects.pending().select_for_update().filter(email=email).first()
        )
        if invitation is None:
            invitation = FacilitatorInvitation.objects.create(email=email, invited_by=by)
            record_change(by=by, subject=_("Facilitators"), before={}, after={"invited": email})
        enqueue_on_commit("assembly.send_facilitator_invitation", invitation_id=invitation.pk)
    return invitation


def resend_invitation(invitation: FacilitatorInvitation) -> None:
    if invitation.accepted_at is not None:
        raise FacilitatorError(_("This invitation was accepted already."))
    enqueue_on_commit("assembly.send_facilitator_invitation", invitation_id=invitation.pk)


@transaction.atomic
def cancel_invitation(invitation: FacilitatorInvitation, *, by: User) -> None:
    deleted, _rows = FacilitatorInvitation.objects.pending().filter(pk=invitation.pk).delete()
    if deleted:
        record_change(
            by=by, subject=_("Facilitators"), before={"invited": invitation.email}, after={}
        )


def send_invitation(invitation_id: int) -> bool:
    """E-mail a pending invitation. An account e-mail sent directly, as the door's claim
    invitation is: a second copy after a crash is harmless, and the administrator may resend."""
    invitation = FacilitatorInvitation.objects.pending().filter(pk=invitation_id).first()
    if invitation is None:
        return False
    config = AssemblyConfiguration.get()
    site_url = settings.SITE_URL.rstrip("/")
    owner = _owner_of(invitation.email)
    language = getattr(owner, "language", None) or settings.LANGUAGE_CODE
    context = {
        "assembly": config,
        "invitation": invitation,
        "has_account": owner is not None,
        "login_url": site_url + reverse("account_login"),
        "signup_url": site_url + reverse("account_signup"),
        "site_url": site_url,
    }
    with translation.override(language):
        subject = " ".join(
            render_to_string("assembly/email/facilitator_invitation_subject.txt", context).split()
        )
        body = render_to_string("assembly/email/facilitator_invitation_body.txt", context)
    EmailMultiAlternatives(subject, body, to=[invitation.email]).send()
    FacilitatorInvitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now(), times_sent=F("times_sent") + 1
    )
    return True


@transaction.atomic
def accept_pending_invitations(person: User) -> list[FacilitatorInvitation]:
    """At sign-in: the pending invitations to one of the person's verified addresses make them a
    facilitator. Returns the invitations accepted."""
    if not person.is_active:
        return []
    verified = {
        address.lower()
        for address in EmailAddress.objects.filter(user=person, verified=True).values_list(
            "email", flat=True
        )
    }
    if not verified:
        return []
    invitations = list(
        FacilitatorInvitation.objects.pending().select_for_update().filter(email__in=verified)
    )
    if not invitations:
        return []
    now = timezone.now()
    person.groups.add(facilitators_group())
    for invitation in invitations:
        invitation.accepted_at = now
        invitation.accepted_by = person
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        record_change(
            by=person,
            subject=_("Facilitators"),
            before={"invited": invitation.email},
            after={"facilitator added": f"{person} (#{person.pk})"},
        )
    return invitations


def invitations_of(person: User) -> list[dict]:
    """For the person's data export: invitations to their addresses, and those they sent."""
    addresses = {a.lower() for a in person.emailaddress_set.values_list("email", flat=True)}
    if person.email:
        addresses.add(person.email.lower())
    rows = FacilitatorInvitation.objects.filter(email__in=addresses) | (
        FacilitatorInvitation.objects.filter(invited_by=person)
    )
    return [
        {
            "email": invitation.email,
            "invited_at": invitation.invited_at.isoformat(),
            "accepted_at": invitation.accepted_at.isoformat() if invitation.accepted_at else None,
            "sent_by_me": invitation.invited_by_id == person.pk,
        }
        for invitation in rows.distinct().order_by("invited_at")
    ]


def forget_invitations_to(person: User) -> None:
    """Before an account is deleted: the pending invitations to its addresses go with it."""
    addresses = {a.lower() for a in person.emailaddress_set.values_list("email", flat=True)}
    if person.email:
        addresses.add(person.email.lower())
    FacilitatorInvitation.objects.filter(email__in=addresses).delete()
