"""The "info" list: people without an account who receive the assembly's announcement.

Double opt-in: `subscribe()` records the address and queues the confirmation, and nothing else is
ever sent to it until the signed link in that e-mail is followed (`confirm()`). The answer is the
same whether the address was already subscribed or not, so the page reveals no address.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from assembly.models import DoNotMail, Subscriber, User
from assembly.models import SubscriberDelivery as Row
from assembly.tasking import enqueue_on_commit

from .delivery import send_in_turn
from .topics import absolute

CONFIRM_SALT = "assembly.notifications.subscription-confirm"
CONFIRM_MAX_AGE = datetime.timedelta(days=7)
# A second request for the same unconfirmed address resends the confirmation, at most this often.
RESEND_AFTER = datetime.timedelta(minutes=15)


class BadConfirmation(Exception):
    """The confirmation link was forged, damaged, too old, or its subscription is gone."""


def subscribe(email: str, language: str, *, now=None) -> Subscriber | None:
    """Record the wish and queue the confirmation; returns the row whose confirmation to send,
    or None when nothing is to be sent (already confirmed, or sent a moment ago)."""

    now = now or timezone.now()
    email = email.strip().lower()
    if DoNotMail.blocks(email, subscribing=True):
        # Unsubscribed or bounced on the list the assembly kept before: never written to again.
        # The page answers as for any address, so it reveals nothing.
        return None
    with transaction.atomic():
        subscriber, created = Subscriber.objects.select_for_update().get_or_create(
            email=email, defaults={"language": language, "created_at": now}
        )
        if subscriber.confirmed_at is not None:
            return None
        if not created and subscriber.confirmation_sent_at:
            if now - subscriber.confirmation_sent_at < RESEND_AFTER:
                return None
            # Let the task claim the row again for a fresh confirmation.
            Subscriber.objects.filter(pk=subscriber.pk).update(
                confirmation_sent_at=None, language=language
            )
        enqueue_on_commit("assembly.send_subscription_confirmation", subscriber_id=subscriber.pk)
    return subscriber


def confirmation_token(subscriber: Subscriber) -> str:
    return signing.dumps({"s": subscriber.pk, "e": subscriber.email}, salt=CONFIRM_SALT)


def confirmation_url(subscriber: Subscriber) -> str:
    return absolute(reverse("subscribe-confirm", kwargs={"token": confirmation_token(subscriber)}))


def subscriber_for(token: str) -> Subscriber:
    try:
        payload = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE.total_seconds())
    except signing.BadSignature as error:
        raise BadConfirmation(str(error)) from error
    subscriber = Subscriber.objects.filter(pk=payload.get("s"), email=payload.get("e")).first()
    if subscriber is None:
        raise BadConfirmation("subscription gone")
    if DoNotMail.blocks(subscriber.email, subscribing=True):
        raise BadConfirmation("address on the do-not-mail list")
    return subscriber


@transaction.atomic
def confirm(token: str, *, now=None) -> Subscriber:
    """Following the link proves the address: from now on it receives the announcement.
    An address that already has an account joins the subscription to it."""

    subscriber = subscriber_for(token)
    Subscriber.objects.filter(pk=subscriber.pk, confirmed_at=None).update(
        confirmed_at=now or timezone.now()
    )
    # They came back themselves: their earlier unsubscription here no longer holds.
    DoNotMail.objects.filter(
        email__iexact=subscriber.email, reason=DoNotMail.Reason.UNSUBSCRIBED_HERE
    ).delete()
    person = User.objects.filter(email__iexact=subscriber.email, is_active=True).first()
    if person is not None:
        join_subscription(person)
    subscriber.refresh_from_db()
    return subscriber


def join_subscription(person) -> int:
    """The person's confirmed subscription, if any, joins their account: from now on the
    announcement reaches them as a person (their assemblies preference), never twice."""
    if not person.email:
        return 0
    return Subscriber.objects.filter(
        email__iexact=person.email, confirmed_at__isnull=False, person=None
    ).update(person=person)


def claim_confirmation(subscriber_id: int, now) -> Subscriber | None:
    """Only one worker sends a given confirmation: the one whose update changed the row."""
    claimed = Subscriber.objects.filter(
        pk=subscriber_id, confirmed_at=None, confirmation_sent_at=None
    ).update(confirmation_sent_at=now)
    return Subscriber.objects.filter(pk=subscriber_id).first() if claimed else None


def send_confirmation(subscriber_id: int, *, now=None) -> bool:
    """The one e-mail a subscriber gets before confirming. An account-like e-mail: it carries
    no unsubscribe header (there is nothing to unsubscribe from yet)."""
    subscriber = claim_confirmation(subscriber_id, now or timezone.now())
    if subscriber is None:
        return False
    with translation.override(subscriber.language or settings.LANGUAGE_CODE):
        context = {
            "confirm_url": confirmation_url(subscriber),
            "days": CONFIRM_MAX_AGE.days,
        }
        subject = " ".join(
            render_to_string("assembly/email/subscription_confirm_subject.txt", context).split()
        )
        body = render_to_string("assembly/email/subscription_confirm_body.txt", context)
    EmailMessage(subject, body, to=[subscriber.email]).send()
    return True


def export(person) -> list[dict]:
    return [
        {
            "email": subscriber.email,
            "name": subscriber.name,
            "language": subscriber.language,
            "source": subscriber.source,
            "imported_from": subscriber.source_name,
            "subscribed_at": timezone.localtime(subscriber.created_at).isoformat(),
            "confirmed_at": (
                timezone.localtime(subscriber.confirmed_at).isoformat()
                if subscriber.confirmed_at
                else None
            ),
        }
        for subscriber in Subscriber.objects.filter(person=person)
    ]


# --- Sending to subscribers, once each ------------------------------------------------------------


def deliver_to_subscribers(outgoing, *, now=None):
    """Send each (subscriber, topic, kind, build) once, over one SMTP connection.

    The same protocol as the delivery log of people (`send_in_turn`): a row per (topic,
    subscriber, kind), claimed (pending → sending) by a conditional update only one worker wins,
    then marked sent; a worker killed in between leaves "sending", which
    `expire_stuck_subscribers()` turns into "uncertain".
    """

    now = now or timezone.now()
    counts = {"sent": 0, "already": 0, "failed": 0}
    outgoing = list(outgoing)
    if not outgoing:
        return counts
    Row.objects.bulk_create(
        [Row(subscriber=s, topic=t, kind=k, created_at=now) for s, t, k, _build in outgoing],
        ignore_conflicts=True,
    )
    rows = {
        (row.subscriber_id, row.topic, row.kind): row.pk
        for row in Row.objects.filter(
            subscriber__in=[item[0] for item in outgoing],
            topic__in={item[1] for item in outgoing},
            kind__in={item[2] for item in outgoing},
        )
    }
    report = send_in_turn(
        Row, [(rows[(s.pk, topic, kind)], build) for s, topic, kind, build in outgoing], now=now
    )
    return {"sent": report.sent, "already": report.already, "failed": report.failed}


def expire_stuck_subscribers(*, now=None, after=datetime.timedelta(minutes=30)) -> int:

    now = now or timezone.now()
    return Row.objects.filter(state=Row.State.SENDING, claimed_at__lt=now - after).update(
        state=Row.State.UNCERTAIN, error="worker stopped between claim and send"
    )
