"""What is sent about meetings, once each, and how deliveries are retried and given up."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from decisions.models import Decision
from federation import activitypub, deliveries, publishing
from federation.models import Activity, ActivityDelivery, Follower, Publication
from tests.decisions.factories import voting
from tests.factories import UserFactory
from tests.workshops.factories import MeetingFactory, PastMeetingFactory
from workshops.models import Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(settings):
    settings.SITE_URL = "https://assemblee.example"
    publishing.configure(True, "assemblee")
    Follower.objects.create(
        actor_url="https://social.example/users/alice",
        inbox_url="https://social.example/users/alice/inbox",
        shared_inbox_url="https://social.example/inbox",
    )
    Follower.objects.create(
        actor_url="https://social.example/users/bob",
        inbox_url="https://social.example/users/bob/inbox",
        shared_inbox_url="https://social.example/inbox",
    )
    Follower.objects.create(
        actor_url="https://agenda.example/@carol", inbox_url="https://agenda.example/@carol/inbox"
    )


def _kinds():
    return list(Activity.objects.order_by("pk").values_list("kind", flat=True))


def test_new_meeting_created_once_per_server(published):
    MeetingFactory()

    first = publishing.publish_events()
    second = publishing.publish_events()

    assert (first["Create"], second["Create"]) == (1, 0)
    assert sorted(ActivityDelivery.objects.values_list("inbox_url", flat=True)) == [
        "https://agenda.example/@carol/inbox", "https://social.example/inbox",
    ]  # fmt: skip


def test_edited_meeting_updated(published):
    meeting = MeetingFactory()
    publishing.publish_events()
    meeting.title = "Assemblée de mars"
    meeting.save()

    publishing.publish_events()

    assert _kinds() == ["Create", "Update"]
    assert Activity.objects.get(kind="Update").payload["object"]["name"] == "Assemblée de mars"


def test_saved_without_change_not_updated(published):
    meeting = MeetingFactory()
    publishing.publish_events()
    meeting.save()  # updated_at moves, nothing a follower sees does

    publishing.publish_events()

    assert _kinds() == ["Create"]


def test_cancelled_meeting_updated_as_cancelled(published):
    meeting = MeetingFactory()
    publishing.publish_events()
    meeting.status, meeting.cancellation_reason = Meeting.Status.CANCELLED, "Salle fermée"
    meeting.save()

    publishing.publish_events()

    event = Activity.objects.get(kind="Update").payload["object"]
    assert (event["eventStatus"], event["ical:status"]) == ("EventCancelled", "CANCELLED")


def test_deleted_meeting_deleted_once(published):
    meeting = MeetingFactory()
    publishing.publish_events()
    url = activitypub.absolute(meeting.get_absolute_url())
    meeting.delete()

    publishing.publish_events()
    publishing.publish_events()

    assert _kinds() == ["Create", "Delete"]
    tombstone = Activity.objects.get(kind="Delete").payload["object"]
    assert (tombstone["id"], tombstone["type"], tombstone["formerType"]) == (
        url, "Tombstone", "Event",
    )  # fmt: skip


def test_past_meeting_never_sent(published):
    PastMeetingFactory()

    publishing.publish_events()

    assert _kinds() == []


def test_a_meeting_an_import_created_is_never_sent(published):
    MeetingFactory(imported_at=timezone.now())

    publishing.publish_events()

    assert _kinds() == []


def test_nothing_sent_while_switched_off(published):
    Publication.objects.update(enabled=False)
    MeetingFactory()

    publishing.publish_events()

    assert _kinds() == []


def test_event_follows_fep_8a8e(published):
    meeting = MeetingFactory(title="Assemblée <de> février")

    event = activitypub.event_object(meeting)

    assert event["type"] == "Event"
    assert event["startTime"].endswith("+01:00") or event["startTime"].endswith("+02:00")
    assert event["timezone"] == "Europe/Paris"
    assert event["to"] == [activitypub.PUBLIC]
    assert event["cc"] == ["https://assemblee.example/fediverse/followers"]
    assert (event["joinMode"], event["externalParticipationUrl"]) == ("external", event["url"])
    assert (event["category"], event["attachment"]) == ("MEETING", [])
    assert event["location"]["type"] == "Place"
    assert event["location"]["address"]["type"] == "PostalAddress"
    assert "Assemblée <de> février" in event["summary"]
    assert "&lt;de&gt;" not in event["summary"]  # plain text, as Mastodon shows it


def test_delivery_retried_with_backoff_and_signed_anew(remote_fediverse, allow_loopback, settings):
    settings.SITE_URL = "https://assemblee.example"
    publishing.configure(True, "assemblee")
    Follower.objects.create(
        actor_url=remote_fediverse.actor_url, inbox_url=f"{remote_fediverse.base_url}/inbox"
    )
    MeetingFactory()
    publishing.publish_events()
    start = timezone.now()
    remote_fediverse.inbox_status = 500

    first = deliveries.deliver_due(start)
    too_soon = deliveries.deliver_due(start + datetime.timedelta(seconds=30))
    remote_fediverse.inbox_status = 202
    retried = deliveries.deliver_due(start + datetime.timedelta(minutes=1, seconds=1))

    assert (first, too_soon, retried) == ({"pending": 1}, {}, {"sent": 1})
    signatures = [received["headers"]["Signature"] for received in remote_fediverse.received]
    dates = [received["headers"]["Date"] for received in remote_fediverse.received]
    assert len(signatures) == 2 and signatures[0] != signatures[1] and dates[0] != dates[1]
    assert ActivityDelivery.objects.get().attempts == 2


def test_delivery_given_up_after_a_day_and_shown_to_administrators(published, client):
    MeetingFactory()
    publishing.publish_events()
    start = timezone.now()
    moment = start
    while ActivityDelivery.objects.filter(state="pending").exists():
        moment += datetime.timedelta(hours=6, seconds=1)
        deliveries.deliver_due(moment)  # social.example resolves nowhere here

    assert set(ActivityDelivery.objects.values_list("state", flat=True)) == {"given_up"}
    assert moment - start <= datetime.timedelta(days=1, hours=7)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.get(reverse("network:fediverse")).content.decode()
    assert "https://social.example/inbox" in page
    assert "https://agenda.example/@carol/inbox" in page


def test_delivery_sent_twice_is_sent_once(published):
    MeetingFactory()
    publishing.publish_events()
    delivery = ActivityDelivery.objects.first()
    ActivityDelivery.objects.filter(pk=delivery.pk).update(state="sent")

    state = deliveries.send_one(delivery.pk)

    assert state == "sent"
    assert ActivityDelivery.objects.get(pk=delivery.pk).attempts == 0


def test_rotating_keys_sends_update_of_actor(published):
    old = Publication.get().public_key_pem

    publishing.rotate_keys()

    update = Activity.objects.get(kind="Update")
    assert update.payload["object"]["type"] == "Application"
    assert update.payload["object"]["publicKey"]["publicKeyPem"] != old
    assert ActivityDelivery.objects.filter(activity=update).count() == 2


def test_outbox_lists_public_activities(published, client, settings):
    settings.SITE_URL = "http://testserver"
    MeetingFactory()
    publishing.publish_events()

    outbox = json.loads(client.get(reverse("activitypub:outbox")).content)

    assert outbox["totalItems"] == 1
    assert outbox["orderedItems"][0]["type"] == "Create"


def test_renaming_handle_sends_update_of_actor(published):
    publishing.configure(True, "lillebonne")
    publishing.configure(True, "lillebonne")

    [update] = Activity.objects.filter(kind="Update")
    assert update.payload["object"]["preferredUsername"] == "lillebonne"


def test_sent_answers_forgotten_after_a_month_outbox_kept(published):
    MeetingFactory()
    publishing.publish_events()
    accept = publishing.record_activity(
        activitypub.answer("Accept", {"id": "https://s.example/f", "type": "Follow",
                                      "actor": "https://s.example/u"}, timezone.now()),
        ["https://s.example/u/inbox"], public=False, now=timezone.now(),
    )  # fmt: skip
    long_ago = timezone.now() - datetime.timedelta(days=31)
    ActivityDelivery.objects.update(state="sent", sent_at=long_ago)
    Activity.objects.update(created_at=long_ago)

    deliveries.deliver_due()

    assert ActivityDelivery.objects.count() == 0
    assert not Activity.objects.filter(pk=accept.pk).exists()
    assert list(Activity.objects.values_list("kind", flat=True)) == ["Create"]


def _adopted(title, closed_at):
    decision = voting(title=title, proposal="Nous achetons un **vélo-cargo**.")
    Decision.objects.filter(pk=decision.pk).update(
        phase=Decision.Phase.CLOSED, outcome=Decision.Outcome.ADOPTED, closed_at=closed_at
    )
    return decision


def test_adopted_decision_sent_once_as_note(published):
    _adopted("Un vélo-cargo", timezone.now() - datetime.timedelta(days=1))
    _adopted("Une vieille décision", timezone.now() - datetime.timedelta(days=30))

    first = publishing.publish_events()
    second = publishing.publish_events()

    assert (first["Note"], second["Note"]) == (1, 0)
    note = Activity.objects.get().payload["object"]
    assert (note["type"], note["name"]) == ("Note", "Un vélo-cargo")
    assert "<strong>vélo-cargo</strong>" in note["content"]
    assert note["to"] == [activitypub.PUBLIC]
