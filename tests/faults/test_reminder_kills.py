"""A worker SIGKILLed again and again while it sends 200 meeting reminders: afterwards each person
has exactly one e-mail in the SMTP sink, or one "uncertain" delivery that facilitators see on
/deliveries/ — never two, never none."""

import collections
import datetime
import random
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from assembly.models import Delivery
from assembly.notifications import STUCK_AFTER, expire_stuck
from tests.factories import FacilitatorFactory, UserFactory
from tests.faults.conftest import wait_for
from tests.workshops.factories import MeetingFactory
from workshops.tasks import send_meeting_reminders

PEOPLE = 200
KILLS = 20


@pytest.mark.django_db(transaction=True)
def test_reminders_survive_twenty_kills(killable_worker, smtp_sink, client):
    starts = (timezone.now() + datetime.timedelta(hours=20)).replace(microsecond=0)
    meeting = MeetingFactory(starts_at=starts, ends_at=starts + datetime.timedelta(hours=3))
    people = [
        UserFactory(email=f"kill-{n}@example.org", language="en", verified=False)
        for n in range(PEOPLE)
    ]
    meeting.hosts.add(*people)
    addresses = {person.email for person in people}
    first = len(smtp_sink.messages)

    def received():
        return sum(1 for m in smtp_sink.messages[first:] if m["To"] in addresses)

    rng = random.Random()
    kills = 0
    while kills < KILLS:
        before = received()
        if before >= PEOPLE - 5:
            break
        # Kill after a random number of e-mails of this run (at most half of what is left per
        # kill to come: the sleep below may let a few more through), then at a random point.
        share = (PEOPLE - before) // (2 * (KILLS - kills + 1))
        threshold = before + rng.randint(1, max(1, share))
        killable_worker.start()
        send_meeting_reminders.delay()
        wait_for(lambda threshold=threshold: received() >= threshold, timeout=90, interval=0.01)
        # Somewhere in the next e-mail's cycle: claiming it, talking SMTP, or marking it sent.
        time.sleep(rng.uniform(0, 0.02))
        killable_worker.kill()
        kills += 1
    assert kills >= KILLS, f"only {kills} kills before the run ended"

    # The last start runs to the end (beat would call the task again; we call it once).
    killable_worker.start()
    send_meeting_reminders.delay()
    wait_for(
        lambda: (
            not Delivery.objects.filter(
                topic=f"meeting:{meeting.pk}", state=Delivery.State.PENDING
            ).exists()
            and Delivery.objects.filter(topic=f"meeting:{meeting.pk}").count() == PEOPLE
        ),
        timeout=120,
    )
    killable_worker.stop()

    # Half an hour later, the claims the killed workers left behind become "uncertain".
    expire_stuck(now=timezone.now() + STUCK_AFTER + datetime.timedelta(minutes=1))

    per_address = collections.Counter(
        m["To"] for m in smtp_sink.messages[first:] if m["To"] in addresses
    )
    states = dict(
        Delivery.objects.filter(topic=f"meeting:{meeting.pk}").values_list("person__email", "state")
    )
    states = {address: state for address, state in states.items() if address in addresses}
    assert set(states) == addresses
    assert max(per_address.values()) == 1, "someone got two reminders"
    for address in addresses:
        if states[address] == Delivery.State.SENT:
            assert per_address[address] == 1, f"{address} marked sent but nothing arrived"
        else:
            assert states[address] == Delivery.State.UNCERTAIN, (address, states[address])
    uncertain = [a for a, s in states.items() if s == Delivery.State.UNCERTAIN]
    # Each kill leaves at most the one claim it interrupted.
    assert len(uncertain) <= kills
    assert killable_worker.starts == kills + 1

    # Facilitators see every uncertain one on the deliveries page.
    client.force_login(FacilitatorFactory())
    page = client.get(reverse("deliveries:index")).content.decode()
    names = dict(
        Delivery.objects.filter(topic=f"meeting:{meeting.pk}").values_list(
            "person__email", "person__display_name"
        )
    )
    for address in uncertain:
        assert f"<td>{names[address]}</td>" in page
