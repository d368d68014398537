"""The weekly digest: one e-mail per person per ISO week, only when there is something to say.

Apps record what happened with `add_items()` for the people who chose the weekly digest for that
topic (`split()` tells them apart from those who hear at once). Each week's digest is one delivery
row per (person, ISO week), topic "digest:2026-W49", so a late beat still sends it, a doubled
beat never sends it twice, and a skipped week's items simply wait for the next one (never lost).
Weeks are counted in the assembly's time zone, so a daylight-saving change moves nothing.

Decidim's bugs taught us the two traps: a digest sent once and then never again (#16143: here each
week has its own row, nothing remembers "already done"), and items repeated and ungrouped (#14899:
here an event is one item per person by a unique constraint, grouped by meeting or decision).
"""

import datetime
from itertools import groupby

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assembly.models import DigestItem, Frequency, NotificationPreferences, Topic

from .delivery import Outgoing, Report, deliver
from .emails import render_email
from .topics import REASONS, absolute, decorate, hearing

KIND = "digest"
# What each kind of item says, translated when the digest is written in the person's language.
ITEM_LABELS = {
    "discussion_open": _("A discussion opened"),
    "vote_open": _("A vote opened"),
    "outcome": _("Outcome published"),
    "workshop_proposed": _("A workshop was proposed"),
    "comment_reply": _("A reply in a discussion you took part in"),
    "commons_published": _("New in the commons directory"),
}


def register_item_labels(labels: dict) -> None:
    """Apps on the right name their own kinds of item (from their AppConfig.ready())."""
    ITEM_LABELS.update(labels)


# Groups that are no meeting or decision, named in the reader's language.
GROUP_LABELS = {"commons": _("The commons directory")}


def split(topic: str, people):
    """(those who hear at once, those who chose the weekly digest) among `people`."""
    return hearing(topic, Frequency.IMMEDIATE, people), hearing(topic, Frequency.WEEKLY, people)


def add_items(people, *, topic, kind, group_key, group_title, title, url, happened_at) -> int:
    """Record one event for each person's next digest; recording it again changes nothing."""
    rows = [
        DigestItem(
            person_id=person_id,
            topic=topic,
            kind=kind,
            group_key=group_key,
            group_title=group_title[:300],
            title=title[:300],
            url=url,
            happened_at=happened_at,
        )
        for person_id in people.values_list("pk", flat=True)
    ]
    DigestItem.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)


def week_label(moment: datetime.datetime) -> str:
    year, week, _day = timezone.localtime(moment).isocalendar()
    return f"{year}-W{week:02d}"


def week_start(moment: datetime.datetime) -> datetime.datetime:
    """Monday 00:00 of the moment's week, in the assembly's time zone."""
    local = timezone.localtime(moment)
    monday = local.date() - datetime.timedelta(days=local.weekday())
    return timezone.make_aware(datetime.datetime.combine(monday, datetime.time()))


def topics_read(person) -> set[str]:
    """The topics the person has not turned off (prefetch notification_preferences)."""
    try:
        preferences = person.notification_preferences
    except NotificationPreferences.DoesNotExist:
        preferences = NotificationPreferences()
    return {topic for topic in Topic.values if getattr(preferences, topic) != Frequency.NEVER}


def _claim_items(person, label: str, items: list[DigestItem]) -> list[DigestItem]:
    """Mark the waiting items as this week's, once this worker owns the week's row; a retry of
    the same week finds them again by their label."""
    DigestItem.objects.filter(pk__in=[item.pk for item in items], week="").update(week=label)
    return list(DigestItem.objects.filter(person=person, week=label))


def group(items: list[DigestItem]) -> list[dict]:
    """Items grouped by meeting or decision, the group with the newest item first."""
    by_key: dict[str, list[DigestItem]] = {}
    for item in sorted(items, key=lambda item: item.happened_at, reverse=True):
        by_key.setdefault(item.group_key, []).append(item)
    for item in items:
        item.label = ITEM_LABELS.get(item.kind, item.kind)
        item.absolute_url = absolute(item.url)
    return [
        {"title": GROUP_LABELS.get(key, rows[0].group_title), "items": rows}
        for key, rows in by_key.items()
    ]


def digest_for(person, label: str, items: list[DigestItem]) -> Outgoing:
    topics = sorted({item.topic for item in items})

    def build():
        claimed = _claim_items(person, label, items)
        message = render_email(
            person, "assembly/email/digest", {"groups": group(claimed), "week": label}
        )
        return decorate(message, person, topics, REASONS["digest"])

    return Outgoing(person=person, topic=f"digest:{label}", kind=KIND, build=build)


def send_weekly_digests(*, now=None) -> Report:
    """Send this week's digest to everyone with items waiting from before the week began."""
    now = now or timezone.now()
    label, before = week_label(now), week_start(now)
    waiting = (
        DigestItem.objects.filter(Q(week="", happened_at__lt=before) | Q(week=label))
        .filter(person__is_active=True, person__email__isnull=False)
        .select_related("person__notification_preferences")
        .order_by("person_id", "-happened_at")
    )
    outgoing = []
    for _person_id, rows in groupby(waiting, key=lambda item: item.person_id):
        rows = list(rows)
        person = rows[0].person
        # Only when there is something to say: items of topics still read weekly.
        read = topics_read(person)
        rows = [item for item in rows if item.topic in read or item.week == label]
        if rows:
            outgoing.append(digest_for(person, label, rows))
    return deliver(outgoing, now=now)


def export(person) -> list[dict]:
    return [
        {
            "topic": item.topic,
            "kind": item.kind,
            "about": item.group_title,
            "title": item.title,
            "url": item.url,
            "happened_at": timezone.localtime(item.happened_at).isoformat(),
            "sent_in_week": item.week or None,
        }
        for item in DigestItem.objects.filter(person=person).order_by("happened_at")
    ]
