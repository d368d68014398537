import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine

from assembly.models import Delivery, Frequency, Topic
from assembly.notifications import retry
from assembly.notifications.topics import set_frequency
from tests.factories import UserFactory
from tests.workshops.factories import MeetingFactory, SignupFactory, WorkshopFactory
from workshops import reminders
from workshops.models import Meeting, Rhythm
from workshops.tasks import send_meeting_reminders

PARIS = ZoneInfo("Europe/Paris")
STARTS = datetime.datetime(2027, 1, 28, 18, 0, tzinfo=PARIS)


@pytest.fixture
def meeting(db):
    return MeetingFactory(
        starts_at=STARTS, ends_at=STARTS + datetime.timedelta(hours=3), title="Assemblée de janvier"
    )


def member(**extra):
    return UserFactory(
        membership_declared_at=datetime.datetime(2026, 1, 1, tzinfo=PARIS),
        eligible_until=datetime.date(2027, 12, 31),
        **extra,
    )


@pytest.mark.django_db
def test_reminder_recipients_are_everyone_who_opted_in_newcomers_included(meeting):
    a_member, host, signed_up = member(), UserFactory(), UserFactory()
    meeting.hosts.add(host)
    SignupFactory(workshop=WorkshopFactory(meeting=meeting), person=signed_up)
    newcomer = UserFactory()  # came once, linked to nothing: reminders are how they come back
    chose_weekly = member()
    set_frequency(chose_weekly, Topic.ASSEMBLIES, Frequency.WEEKLY)
    chose_never = member()
    set_frequency(chose_never, Topic.ASSEMBLIES, Frequency.NEVER)
    inactive, no_address = UserFactory(is_active=False), UserFactory(email=None)
    found = set(reminders.recipients(meeting, datetime.date(2027, 1, 21)))
    assert {a_member, host, signed_up, newcomer} <= found
    assert found.isdisjoint({chose_weekly, chose_never, inactive, no_address})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (STARTS - datetime.timedelta(days=8), None),
        (STARTS - datetime.timedelta(days=7), 7),
        (STARTS - datetime.timedelta(days=3), 7),
        (STARTS - datetime.timedelta(hours=23), 1),
        (STARTS + datetime.timedelta(minutes=1), None),
    ],
)
def test_due_offset(meeting, now, expected):
    assert reminders.due_offset(meeting, [7, 1], now) == expected


@pytest.mark.django_db
def test_send_reminders_twice_sends_one_per_person_and_kind(meeting, mailoutbox):
    people = [member(language="en"), member()]
    with time_machine.travel(STARTS - datetime.timedelta(days=6), tick=False):
        send_meeting_reminders()
        send_meeting_reminders()
    assert len(mailoutbox) == 2
    assert set(Delivery.objects.values_list("topic", "kind", "state")) == {
        (f"meeting:{meeting.pk}", "reminder-7d", "sent")
    }
    with time_machine.travel(STARTS - datetime.timedelta(hours=20), tick=False):
        send_meeting_reminders()
        send_meeting_reminders()
    assert len(mailoutbox) == 4
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        2 * [person.email for person in people]
    )


@pytest.mark.django_db
def test_reminder_email_is_in_the_persons_language_with_ics(meeting, mailoutbox):
    WorkshopFactory(meeting=meeting, title="Jardin partagé")
    english, french = member(language="en"), member(language="fr")
    with time_machine.travel(STARTS - datetime.timedelta(hours=20), tick=False):
        send_meeting_reminders()
    by_person = {message.to[0]: message for message in mailoutbox}
    assert by_person[english.email].subject == "Tomorrow: Assemblée de janvier"
    assert "Jardin partagé" in by_person[english.email].body
    assert meeting.venue.name in by_person[french.email].body
    assert by_person[french.email].subject != by_person[english.email].subject
    filename, content, mimetype = by_person[french.email].attachments[0]
    assert (filename, mimetype) == ("assemblee.ics", "text/calendar")
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["UID"]).startswith(f"meeting-{meeting.pk}@")


@pytest.mark.django_db
def test_no_reminder_for_cancelled_meeting(meeting, mailoutbox):
    member()
    Meeting.objects.filter(pk=meeting.pk).update(status="cancelled", cancellation_reason="Rain")
    with time_machine.travel(STARTS - datetime.timedelta(hours=20), tick=False):
        send_meeting_reminders()
    assert mailoutbox == []


@pytest.mark.django_db
def test_reminder_task_expires_stuck_rows_and_does_not_resend(meeting, mailoutbox):
    person = member()
    claimed = STARTS - datetime.timedelta(days=6, hours=1)
    Delivery.objects.create(
        person=person,
        topic=f"meeting:{meeting.pk}",
        kind="reminder-7d",
        state=Delivery.State.SENDING,
        claimed_at=claimed,
    )
    with time_machine.travel(STARTS - datetime.timedelta(days=6), tick=False):
        send_meeting_reminders()
    assert Delivery.objects.get().state == Delivery.State.UNCERTAIN
    assert mailoutbox == []


@pytest.mark.django_db
def test_retried_reminder_goes_out_with_next_batch_even_if_another_is_due(meeting, mailoutbox):
    person = member()
    Delivery.objects.create(
        person=person,
        topic=f"meeting:{meeting.pk}",
        kind="reminder-7d",
        state=Delivery.State.FAILED,
        error="SMTP refused",
    )
    retry(Delivery.objects.get())
    with time_machine.travel(STARTS - datetime.timedelta(hours=20), tick=False):
        send_meeting_reminders()
        send_meeting_reminders()
    assert sorted(Delivery.objects.values_list("kind", "state")) == [
        ("reminder-1d", "sent"),
        ("reminder-7d", "sent"),
    ]
    assert len(mailoutbox) == 2


@pytest.mark.django_db
def test_reminder_offsets_come_from_the_rhythm(meeting, mailoutbox):
    rhythm = Rhythm.get()
    rhythm.reminder_offsets_days = "3"
    rhythm.save()
    member()
    with time_machine.travel(STARTS - datetime.timedelta(days=6), tick=False):
        send_meeting_reminders()
    assert mailoutbox == []
    with time_machine.travel(STARTS - datetime.timedelta(days=3), tick=False):
        send_meeting_reminders()
    with time_machine.travel(STARTS - datetime.timedelta(hours=20), tick=False):
        send_meeting_reminders()
    assert list(Delivery.objects.values_list("kind", "state")) == [("reminder-3d", "sent")]
    assert len(mailoutbox) == 1
