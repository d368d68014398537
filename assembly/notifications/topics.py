"""Who hears about what, and how each e-mail says why it came and how to stop it.

Each person chooses, per topic (assemblies, discussions and votes, the commons directory, their
own things), to hear as it happens, in the weekly digest, or never. Every e-mail except sign-in and
account e-mails carries a footer saying truthfully why it came, a link to the preferences, a
visible unsubscribe link and the RFC 8058 headers (List-Unsubscribe, List-Unsubscribe-Post), all
pointing at a signed token that turns that one topic off without signing in.
"""

import datetime
import functools

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from assembly.models import (
    DEFAULT_FREQUENCIES,
    DoNotMail,
    Frequency,
    NotificationPreferences,
    Subscriber,
    Topic,
    User,
)

UNSUBSCRIBE_SALT = "assembly.notifications.unsubscribe"
# Long enough for a monthly assembly's announcement to be read after the next one came.
UNSUBSCRIBE_MAX_AGE = datetime.timedelta(days=90)
# A subscriber hears only the announcement, which belongs to this topic.
SUBSCRIBER_TOPIC = Topic.ASSEMBLIES


# Each completes "You receive this because …", truthfully, for one way of hearing about something.
REASONS = {
    "assemblies": _("you chose to hear about assemblies as they happen."),
    "taking_part": _(
        "you host this meeting or signed up for one of its workshops: you planned to come."
    ),
    "discussion": _(
        "anyone signed in may comment in the assembly's discussions, and you chose to hear "
        "about discussions and votes as they happen."
    ),
    "told_cancelled": _("you were told this meeting was cancelled."),
    "roll": _("you are on the electoral roll of this vote."),
    "roll_reminder": _(
        "you are on the electoral roll of this vote, have not voted yet, and chose to hear "
        "about discussions and votes as they happen."
    ),
    "took_part": _("you took part in this decision (on its roll, as its author or in comments)."),
    "author": _("you opened this discussion."),
    "reply_author": _(
        "someone commented in the discussion you opened, and you chose to hear about your own "
        "things as they happen."
    ),
    "reply_commenter": _(
        "someone commented after you in this discussion, and you chose to hear about your own "
        "things as they happen."
    ),
    "digest": _("you chose to hear about some topics in a weekly digest."),
    "proposer": _("you proposed this entry for the directory of commons."),
    "steward": _("you are a steward of this entry in the directory of commons."),
    "subscriber": _("you confirmed your subscription to the announcement of each assembly."),
    "imported_subscriber": _(
        "your address was on the mailing list the assembly kept before, and was brought here "
        "with it."
    ),
}


class BadToken(Exception):
    """The unsubscribe link was forged, damaged or too old."""


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def frequency_of(person, topic: str) -> str:
    preferences = NotificationPreferences.objects.filter(person=person).first()
    if preferences is None:
        return DEFAULT_FREQUENCIES[Topic(topic)]
    return getattr(preferences, topic)


def preferences_of(person) -> NotificationPreferences:
    """The person's preferences, the defaults if they never chose (not saved)."""
    return NotificationPreferences.objects.filter(person=person).first() or (
        NotificationPreferences(person=person)
    )


@transaction.atomic
def set_frequency(person, topic: str, frequency: str) -> None:
    if topic not in Topic.values or frequency not in Frequency.values:
        raise ValueError(f"unknown topic or frequency: {topic} {frequency}")
    preferences, _created = NotificationPreferences.objects.select_for_update().get_or_create(
        person=person
    )
    setattr(preferences, topic, frequency)
    preferences.save(update_fields=[topic])


def hearing(topic: str, frequency: str = Frequency.IMMEDIATE, people=None):
    """The people (active, with an address) who hear about `topic` at that frequency."""
    people = User.objects.all() if people is None else people
    chosen = Q(**{f"notification_preferences__{topic}": frequency})
    if DEFAULT_FREQUENCIES[Topic(topic)] == frequency:
        chosen |= Q(notification_preferences__isnull=True)
    return people.filter(chosen, is_active=True, email__isnull=False).exclude(email="")


def not_turned_off(topic: str, people=None):
    """The people (active, with an address) who hear about `topic` at once or weekly."""
    people = User.objects.all() if people is None else people
    return (
        people.filter(is_active=True, email__isnull=False)
        .exclude(email="")
        .exclude(**{f"notification_preferences__{topic}": Frequency.NEVER})
    )


# --- Unsubscribing without signing in ------------------------------------------------------------


def unsubscribe_token(recipient, topic: str) -> str:
    """A signed, timestamped token naming the person (or subscriber) and the topic."""
    if isinstance(recipient, Subscriber):
        payload = {"s": recipient.pk, "e": recipient.email}
    else:
        payload = {"p": recipient.pk, "t": _topic_list(topic)}
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> dict:
    try:
        payload = signing.loads(
            token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE.total_seconds()
        )
    except signing.BadSignature as error:  # SignatureExpired is a BadSignature too
        raise BadToken(str(error)) from error
    if not isinstance(payload, dict) or not (
        ("p" in payload and _valid_topics(payload.get("t"))) or "s" in payload
    ):
        raise BadToken("unexpected payload")
    return payload


def _topic_list(topic) -> list[str]:
    """One topic, or several (a digest covering more than one)."""
    return [str(topic)] if isinstance(topic, str) else [str(each) for each in topic]


def _valid_topics(value) -> bool:
    return isinstance(value, list) and bool(value) and set(value) <= set(Topic.values)


def topic_labels(topic_list) -> str:
    return ", ".join(str(Topic(topic).label) for topic in topic_list)


def unsubscribe_url(recipient, topic: str) -> str:
    return absolute(reverse("unsubscribe", kwargs={"token": unsubscribe_token(recipient, topic)}))


@transaction.atomic
def unsubscribe(token: str) -> dict:
    """Turn off what the token names. Returns what was turned off, for the page that says so.

    A person's topic becomes "never"; a subscriber's subscription is deleted (it holds nothing
    else). A token for someone already gone answers the same, changing nothing.
    """
    payload = read_unsubscribe_token(token)
    if "s" in payload:
        deleted, _rows = Subscriber.objects.filter(pk=payload["s"], email=payload.get("e")).delete()
        if deleted:
            # Remembered, so that no import of an old list brings the address back (they may
            # still subscribe again themselves, confirming it).
            DoNotMail.objects.get_or_create(
                email=str(payload.get("e", "")).lower(),
                defaults={"reason": DoNotMail.Reason.UNSUBSCRIBED_HERE},
            )
        return {"topics": topic_labels([SUBSCRIBER_TOPIC]), "subscriber": True}
    person = User.objects.filter(pk=payload["p"]).first()
    if person is not None:
        for topic in payload["t"]:
            set_frequency(person, topic, Frequency.NEVER)
    return {"topics": topic_labels(payload["t"]), "subscriber": False}


# --- What every notification carries -------------------------------------------------------------


# Where each recipient's own unsubscribe link goes in a footer rendered once for many.
_LINK = "\x00unsubscribe-url\x00"


@functools.lru_cache(maxsize=256)
def _footer(language, reason, topics, is_subscriber, preferences_url, subscribe_url) -> str:
    """The footer in one language for one reason: the same for every recipient but their link,
    so an announcement to 1,000 people renders it once per language, not 1,000 times."""
    with translation.override(language):
        return render_to_string(
            "assembly/email/_footer.txt",
            {
                "reason": reason,
                "topics": topics,
                "unsubscribe_url": _LINK,
                "preferences_url": preferences_url,
                "is_subscriber": is_subscriber,
                "subscribe_url": subscribe_url,
            },
        )


def decorate(message, recipient, topic, reason):
    """Add the footer (why this came, preferences, unsubscribe) and the RFC 8058 headers.

    `reason` is a translated sentence completing "You receive this because …", rendered in the
    recipient's language by the caller.
    """
    url = unsubscribe_url(recipient, topic)
    language = getattr(recipient, "language", None) or settings.LANGUAGE_CODE
    with translation.override(language):
        footer = _footer(
            language,
            str(reason),
            topic_labels(_topic_list(topic)),
            isinstance(recipient, Subscriber),
            absolute(reverse("me-notifications")),
            absolute(reverse("subscribe")),
        ).replace(_LINK, url)
    message.body = message.body.rstrip() + "\n\n-- \n" + footer
    message.extra_headers["List-Unsubscribe"] = f"<{url}>"
    message.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message


def export(person) -> dict:
    """The person's choice per topic, for their data export."""
    preferences = preferences_of(person)
    return {topic: getattr(preferences, topic) for topic in Topic.values}


def subscriber_reason(subscriber) -> str:
    """Why a subscriber receives the announcement, truthfully: they confirmed here, or their
    address came with the list the assembly kept before."""
    return "imported_subscriber" if subscriber.source == Subscriber.Source.IMPORT else "subscriber"
