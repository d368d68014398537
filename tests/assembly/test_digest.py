"""The weekly digest: one e-mail per person per ISO week, grouped, newest first, only when there
is something to say; never skipped, never twice, across week boundaries and DST changes."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from assembly.models import Delivery, DigestItem, Frequency, Topic, User
from assembly.notifications import digest, topics
from assembly.tasks import send_weekly_digests
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


def item(person, happened_at, *, group="decision:1", title="Un vélo cargo", kind="vote_open"):
    digest.add_items(
        User.objects.filter(pk=person.pk),
        topic=Topic.DECISIONS,
        kind=kind,
        group_key=group,
        group_title=f"Décision {group}",
        title=title,
        url=f"/decisions/{group.partition(':')[2]}/",
        happened_at=happened_at,
    )


def beat(moment):
    with time_machine.travel(moment, tick=False):
        return send_weekly_digests()


def digests():
    return list(
        Delivery.objects.filter(kind="digest").order_by("topic").values_list("topic", "state")
    )


@pytest.fixture
def reader(db):
    person = UserFactory(language="en")
    topics.set_frequency(person, Topic.DECISIONS, Frequency.WEEKLY)
    return person


def test_week_label_and_start_follow_local_time_across_the_dst_change():
    # Summer time ends in Paris on Sunday 25 October 2026 at 03:00.
    sunday_night = paris(2026, 10, 25, 23, 30)
    monday = paris(2026, 10, 26, 0, 0)

    assert digest.week_label(sunday_night) == "2026-W43"
    assert digest.week_label(monday) == "2026-W44"
    assert digest.week_start(paris(2026, 10, 28, 12)) == monday
    assert digest.week_start(paris(2026, 10, 25, 12)) == paris(2026, 10, 19, 0, 0)
    # 23:01 UTC on that Sunday is already Monday 00:01 in Paris: the week follows Paris.
    assert digest.week_label(datetime.datetime(2026, 10, 25, 23, 1, tzinfo=datetime.UTC)) == (
        "2026-W44"
    )


def test_digest_waits_for_the_week_to_end_then_goes_once(reader, mailoutbox):
    item(reader, paris(2026, 10, 21, 10))  # Wednesday of week 43

    assert beat(paris(2026, 10, 24, 8, 20))["sent"] == 0  # same week: nothing yet
    assert beat(paris(2026, 10, 26, 8, 20))["sent"] == 1  # Monday after the DST change
    assert beat(paris(2026, 10, 26, 8, 20))["sent"] == 0  # a doubled beat
    assert beat(paris(2026, 10, 27, 8, 20))["sent"] == 0  # the daily beat, later that week

    assert digests() == [("digest:2026-W44", "sent")]
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "This week at the assembly (2026-W44)"


def test_a_late_beat_still_sends_the_week_and_the_next_week_gets_its_own(reader, mailoutbox):
    item(reader, paris(2026, 10, 21, 10), group="decision:1")
    # No beat on Monday 26 (the worker was down): Thursday's still sends week 44's digest.
    assert beat(paris(2026, 10, 29, 15))["sent"] == 1
    item(reader, paris(2026, 10, 30, 10), group="decision:2")  # late in week 44
    assert beat(paris(2026, 11, 2, 8, 20))["sent"] == 1

    assert digests() == [("digest:2026-W44", "sent"), ("digest:2026-W45", "sent")]
    assert "decision:2" not in mailoutbox[0].body
    assert "/decisions/1/" in mailoutbox[0].body
    assert "/decisions/1/" not in mailoutbox[1].body
    assert "/decisions/2/" in mailoutbox[1].body


def test_a_week_without_news_sends_nothing(reader, mailoutbox):
    item(reader, paris(2026, 11, 4, 10))
    beat(paris(2026, 11, 9, 8, 20))
    beat(paris(2026, 11, 16, 8, 20))

    assert digests() == [("digest:2026-W46", "sent")]
    assert len(mailoutbox) == 1


def test_digest_groups_by_decision_newest_first_without_repeats(reader, mailoutbox):
    item(reader, paris(2026, 11, 2, 10), group="decision:1", kind="discussion_open")
    item(reader, paris(2026, 11, 3, 10), group="decision:2", kind="discussion_open")
    item(reader, paris(2026, 11, 5, 10), group="decision:1", kind="vote_open")
    item(reader, paris(2026, 11, 5, 10), group="decision:1", kind="vote_open")  # recorded twice

    beat(paris(2026, 11, 9, 8, 20))

    body = mailoutbox[0].body
    assert DigestItem.objects.count() == 3
    assert body.count("A vote opened") == 1
    assert body.index("Décision decision:1") < body.index("Décision decision:2")
    assert body.index("A vote opened") < body.index("A discussion opened")
    assert "you chose to hear about some topics in a weekly digest" in body
    assert mailoutbox[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_topic_turned_off_since_leaves_nothing_to_say(reader, mailoutbox):
    item(reader, paris(2026, 11, 4, 10))
    topics.set_frequency(reader, Topic.DECISIONS, Frequency.NEVER)

    assert beat(paris(2026, 11, 9, 8, 20))["sent"] == 0
    assert mailoutbox == []
