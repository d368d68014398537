"""The directory's e-mails go through the delivery log: exactly once, "uncertain" after a crash."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from assembly.models import Delivery, Frequency, Topic
from assembly.notifications import STUCK_AFTER, topics
from assembly.notifications.topics import set_frequency
from assembly.tasks import expire_stuck_deliveries
from commons_registry import services, tasks
from commons_registry.models import Commons
from tests.commons_registry.factories import CommonsFactory
from tests.factories import UserFactory

NOW = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)
LATER = NOW + STUCK_AFTER + datetime.timedelta(seconds=1)


class WorkerLost(BaseException):
    """The worker stopped mid-send (killed, out of memory): nothing that an `except Exception`
    would catch, so nothing records whether the message left."""


class InterruptedBackend(LocmemBackend):
    """The SMTP conversation is cut after the delivery was claimed."""

    def send_messages(self, messages):
        raise WorkerLost


def published_by(proposer, facilitator, **fields) -> Commons:
    commons = CommonsFactory(state=Commons.State.PROPOSED, submitted_by=proposer, **fields)
    return services.publish_commons(commons, by=facilitator)


@pytest.mark.django_db
def test_crash_while_sending_moderation_email_leaves_it_uncertain_never_sent_twice(
    settings, person, facilitator, facilitator_client
):
    commons = published_by(person, facilitator, name="Fournil de quartier")
    settings.EMAIL_BACKEND = f"{__name__}.InterruptedBackend"
    with time_machine.travel(NOW, tick=False), pytest.raises(WorkerLost):
        tasks.notify_moderation(commons_pk=commons.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with time_machine.travel(LATER, tick=False):
        assert tasks.notify_moderation(commons_pk=commons.pk) is False  # a retry of the task
        assert expire_stuck_deliveries() == 1
        assert tasks.notify_moderation(commons_pk=commons.pk) is False
        tasks.request_confirmations()  # the daily sweep of pending commons e-mails

    assert mail.outbox == []
    row = Delivery.objects.get()
    assert (row.person, row.topic, row.kind, row.state) == (
        person, f"commons:{commons.pk}", "moderation", "uncertain"
    )  # fmt: skip
    page = facilitator_client.get("/deliveries/").content.decode()
    assert f"<td>commons:{commons.pk}</td>" in page
    assert f"<td>{person.display_name}</td>" in page


@pytest.mark.django_db
def test_retried_moderation_email_goes_out_once_with_the_daily_batch(
    person, facilitator, facilitator_client
):
    commons = published_by(person, facilitator, name="Grainothèque")
    Delivery.objects.create(
        person=person, topic=f"commons:{commons.pk}", kind="moderation", state="uncertain"
    )
    assert tasks.notify_moderation(commons_pk=commons.pk) is False
    facilitator_client.post(f"/deliveries/{Delivery.objects.get().pk}/retry/")

    tasks.request_confirmations()
    tasks.request_confirmations()
    assert tasks.notify_moderation(commons_pk=commons.pk) is False

    assert [(m.to, "Grainothèque" in m.subject) for m in mail.outbox] == [([person.email], True)]
    assert Delivery.objects.get().state == "sent"


@pytest.mark.django_db
def test_crash_while_asking_stewards_leaves_uncertain_requests_never_sent_twice(settings):
    stewards = UserFactory.create_batch(2)
    commons = CommonsFactory(stewards=stewards)
    Commons.objects.filter(pk=commons.pk).update(
        last_confirmed_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    )
    settings.EMAIL_BACKEND = f"{__name__}.InterruptedBackend"
    with time_machine.travel(NOW, tick=False), pytest.raises(WorkerLost):
        tasks.request_confirmations()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with time_machine.travel(LATER, tick=False):
        expire_stuck_deliveries()
        assert tasks.request_confirmations() == 0

    # The first request may have left; the second one was still waiting, and goes now.
    rows = Delivery.objects.order_by("state")
    assert [(row.kind, row.state) for row in rows] == [
        ("confirmation-2026-06-01", "sent"),
        ("confirmation-2026-06-01", "uncertain"),
    ]
    assert [m.to for m in mail.outbox] == [[rows[0].person.email]]


@pytest.mark.django_db
def test_confirmation_requests_queued_before_a_crash_are_sent_by_the_next_run():
    steward = UserFactory()
    commons = CommonsFactory(stewards=[steward])
    Commons.objects.filter(pk=commons.pk).update(
        last_confirmed_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    )
    # The worker marked the entry as asked and queued the e-mails, then stopped.
    assert services.ask_stewards_to_confirm(commons.pk, NOW) is True

    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        assert tasks.request_confirmations() == 0  # not due any more: asked yesterday
        tasks.request_confirmations()

    assert [m.to for m in mail.outbox] == [[steward.email]]


@pytest.mark.django_db
def test_confirmation_request_dropped_unsent_once_the_entry_is_confirmed():
    steward = UserFactory()
    commons = CommonsFactory(stewards=[steward])
    Commons.objects.filter(pk=commons.pk).update(
        last_confirmed_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    )
    services.ask_stewards_to_confirm(commons.pk, NOW)
    services.confirm_commons(commons, by=steward, now=NOW)

    tasks.request_confirmations()

    assert mail.outbox == []
    assert not Delivery.objects.exists()


@pytest.mark.django_db
def test_moderation_email_says_why_and_unsubscribes_from_my_own_things(client, person, facilitator):
    commons = published_by(person, facilitator, name="Grainothèque")

    tasks.notify_moderation(commons_pk=commons.pk)

    [message] = mail.outbox
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "vous avez proposé cette fiche" in message.body  # the person's language: French
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    client.post(url.removeprefix("http://127.0.0.1:8000"))
    assert topics.frequency_of(person, Topic.OWN) == Frequency.NEVER


@pytest.mark.django_db
def test_no_moderation_email_to_a_proposer_who_turned_my_own_things_off(person, facilitator):
    set_frequency(person, Topic.OWN, Frequency.NEVER)
    commons = published_by(person, facilitator, name="Grainothèque")

    tasks.notify_moderation(commons_pk=commons.pk)

    assert mail.outbox == []


@pytest.mark.django_db
def test_confirmation_request_carries_the_directory_unsubscribe_and_respects_never():
    steward, silent = UserFactory.create_batch(2)
    set_frequency(silent, Topic.COMMONS, Frequency.NEVER)
    commons = CommonsFactory(stewards=[steward, silent])
    Commons.objects.filter(pk=commons.pk).update(
        last_confirmed_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    )

    with time_machine.travel(NOW, tick=False):
        tasks.request_confirmations()

    [message] = mail.outbox
    assert message.to == [steward.email]
    assert "vous êtes référent·e de cette fiche" in message.body
    token = message.extra_headers["List-Unsubscribe"].strip("<>").rstrip("/").rsplit("/", 1)[1]
    with time_machine.travel(NOW, tick=False):  # the link was signed then, valid 90 days
        assert topics.read_unsubscribe_token(token)["t"] == [Topic.COMMONS]
