"""The assembly's announcement: N days before, once per person and subscriber, with what a
newcomer needs to come; and the reminders' footer and unsubscribe headers."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from assembly.models import Delivery, Frequency, Subscriber, SubscriberDelivery, Topic
from assembly.notifications import topics
from commons_registry.models import Commons
from portal import announcement
from portal.tasks import send_announcements
from tests.commons_registry.factories import CommonsFactory
from tests.decisions.factories import discussion
from tests.factories import UserFactory
from tests.unsubscribe import one_click
from tests.workshops.factories import MeetingFactory, PastMeetingFactory, WorkshopFactory
from workshops.models import Rhythm
from workshops.tasks import send_meeting_reminders

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
STARTS = datetime.datetime(2027, 1, 28, 18, 0, tzinfo=PARIS)


@pytest.fixture
def meeting(db):
    meeting = MeetingFactory(
        starts_at=STARTS,
        ends_at=STARTS + datetime.timedelta(hours=3),
        title="Assemblée de janvier",
        venue__name="La Maison des communs",
        venue__accessibility="Rez-de-chaussée, accès en fauteuil par la cour.",
    )
    WorkshopFactory(meeting=meeting, title="Réparer les vélos")
    WorkshopFactory(meeting=meeting, title="Initiation aux communs", is_initiation=True)
    return meeting


def run_at(moment):
    with time_machine.travel(moment, tick=False):
        return send_announcements()


def test_announcement_waits_for_its_day_then_goes_once_to_each(meeting, mailoutbox):
    people = [UserFactory(language="en") for _ in range(3)]
    Subscriber.objects.create(email="info@example.org", confirmed_at=STARTS, language="en")
    Subscriber.objects.create(email="unconfirmed@example.org")

    assert run_at(STARTS - datetime.timedelta(days=10, minutes=5)) == 0
    assert run_at(STARTS - datetime.timedelta(days=10)) == 1
    assert run_at(STARTS - datetime.timedelta(days=9)) == 0  # a late, doubled beat

    announced = Delivery.objects.filter(kind="announcement", state="sent")
    assert {person.email for person in people} <= set(
        announced.values_list("person__email", flat=True)
    )
    assert len(mailoutbox) == announced.count() + 1
    assert list(SubscriberDelivery.objects.values_list("subscriber__email", "state")) == [
        ("info@example.org", "sent")
    ]
    assert "unconfirmed@example.org" not in [message.to[0] for message in mailoutbox]


def test_announcement_says_what_a_newcomer_needs(meeting, mailoutbox):
    reader = UserFactory(language="en")
    PastMeetingFactory(starts_at=STARTS - datetime.timedelta(days=35))
    with time_machine.travel(STARTS - datetime.timedelta(days=20), tick=False):
        CommonsFactory(name="Jardin du Nord", state=Commons.State.PUBLISHED)
        discussion(title="Acheter un vélo cargo")
    old = CommonsFactory(name="Vieux commun", state=Commons.State.PUBLISHED)
    Commons.objects.filter(pk=old.pk).update(moderated_at=STARTS - datetime.timedelta(days=90))
    Commons.objects.exclude(pk=old.pk).update(moderated_at=STARTS - datetime.timedelta(days=20))

    run_at(STARTS - datetime.timedelta(days=10))

    message = next(message for message in mailoutbox if message.to == [reader.email])
    body = message.body
    assert message.subject == "Assemblée de janvier, Thursday 28 January: the programme so far"
    assert "Thursday 28 January 2027 at 18:00" in body
    assert "La Maison des communs" in body
    assert "accès en fauteuil par la cour" in body
    assert body.index("Initiation aux communs") < body.index("Réparer les vélos")
    assert "Acheter un vélo cargo (discussion)" in body
    assert "Jardin du Nord" in body
    assert "Vieux commun" not in body
    assert f"/workshops/propose/?meeting={meeting.pk}" in body
    assert [(name, kind) for name, _content, kind in message.attachments] == [
        ("assemblee.ics", "text/calendar")
    ]
    assert "you chose to hear about assemblies as they happen" in body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<http://127.0.0.1:8000/unsubscribe/"
    )


def test_announcement_respects_the_rhythm_setting_and_the_preferences(meeting, mailoutbox):
    rhythm = Rhythm.get()
    rhythm.announcement_days = 3
    rhythm.save()
    weekly = UserFactory()
    topics.set_frequency(weekly, Topic.ASSEMBLIES, Frequency.WEEKLY)

    assert run_at(STARTS - datetime.timedelta(days=10)) == 0
    assert run_at(STARTS - datetime.timedelta(days=3)) == 1
    assert weekly.email not in [message.to[0] for message in mailoutbox]


def test_announcement_in_batches_sends_everyone_once(meeting, mailoutbox):
    UserFactory.create_batch(7)
    with time_machine.travel(STARTS - datetime.timedelta(days=10), tick=False):
        totals = announcement.send_announcement(meeting, batch_size=3)
        again = announcement.send_announcement(meeting, batch_size=3)

    recipients = [message.to[0] for message in mailoutbox]
    assert totals["sent"] == len(recipients) == len(set(recipients)) >= 7
    assert again == {"sent": 0, "already": totals["sent"], "failed": 0}


def test_one_click_in_the_announcement_turns_assemblies_off(client, meeting, mailoutbox):
    person = UserFactory()
    run_at(STARTS - datetime.timedelta(days=10))
    message = next(message for message in mailoutbox if message.to == [person.email])

    response, url = one_click(client, message)

    assert response.status_code == 200
    assert topics.frequency_of(person, Topic.ASSEMBLIES) == Frequency.NEVER
    assert url in message.body  # the visible link is the same


def test_reminder_footer_says_why_and_carries_the_unsubscribe_headers(meeting, mailoutbox):
    newcomer = UserFactory(language="en")
    with time_machine.travel(STARTS - datetime.timedelta(days=7), tick=False):
        send_meeting_reminders()

    message = next(message for message in mailoutbox if message.to == [newcomer.email])
    assert "You receive this because you chose to hear about assemblies as they happen." in (
        message.body
    )
    assert "http://127.0.0.1:8000/me/notifications/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_home_shows_the_next_assembly_in_brief(client, meeting):
    with time_machine.travel(STARTS - datetime.timedelta(days=5), tick=False):
        page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "next-in-brief" in page
    assert "accès en fauteuil par la cour" in page
    assert f'href="/workshops/propose/?meeting={meeting.pk}"' in page
    assert f'href="/meetings/{meeting.pk}.ics"' in page
