"""Redis (broker and cache) stops for 30 seconds while facilitators tick attendance and members
vote, and someone subscribes to the announcements: pages keep answering, every write is kept,
/healthz says "broker: error", and the tasks that could not be enqueued (the ticks' membership
recomputes, the subscription's confirmation e-mail) wait in the database until the periodic sweep
`assembly.enqueue_deferred_tasks` enqueues them once Redis is back; the worker then runs each once."""

import datetime
import json
import time

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from assembly.models import AssemblyConfiguration, DeferredTask, User
from assembly.tasks import enqueue_deferred_tasks
from decisions.models import Vote
from tests.decisions.factories import MemberFactory, voting
from tests.factories import FacilitatorFactory, UserFactory
from tests.faults.conftest import start_worker_on, wait_for
from tests.workshops.factories import MeetingFactory
from workshops.models import Attendance

OUTAGE_SECONDS = 30


@pytest.fixture
def worker_on_own_redis(postgres_database, own_redis, django_db_blocker, smtp_sink, settings):
    # This process's cache is that Redis too, as in production.
    settings.CACHES = {
        "default": {"BACKEND": "assembly.cache.ForgivingRedisCache", "LOCATION": own_redis.url}
    }
    yield from start_worker_on(own_redis.url, django_db_blocker, smtp_sink.port)


def eligible(person) -> bool:
    return User.objects.get(pk=person.pk).eligible_until is not None


@pytest.mark.django_db(transaction=True)
def test_broker_outage_keeps_pages_and_writes(worker_on_own_redis, own_redis, client, smtp_sink):
    config = AssemblyConfiguration.get()
    config.membership_min_sessions = 1
    config.save()
    now = timezone.now()
    meeting = MeetingFactory(
        starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=2)
    )
    members = MemberFactory.create_batch(6)
    decision = voting(members[0])
    newcomers = UserFactory.create_batch(8)
    facilitator = FacilitatorFactory()
    client.force_login(facilitator)
    worker_on_own_redis.start()
    tick_url = reverse("meetings:tick", args=[meeting.pk])
    vote_url = reverse("decisions:vote", args=[decision.pk])

    # Redis up: a tick's membership recompute runs on the worker.
    assert client.post(tick_url, {"person": newcomers[0].pk}).status_code == 302
    wait_for(lambda: eligible(newcomers[0]), timeout=90)
    assert json.loads(client.get("/healthz").content)["broker"] == "ok"

    first_mail = len(smtp_sink.messages)
    own_redis.stop()
    started = time.monotonic()
    ticked, voted, statuses, health = [], [], [], []
    index = 1
    while time.monotonic() - started < OUTAGE_SECONDS:
        if index < len(newcomers):
            response = client.post(tick_url, {"person": newcomers[index].pk})
            statuses.append(response.status_code)
            ticked.append(newcomers[index])
        if index < len(members):
            voter = members[index]
            client.force_login(voter)
            statuses.append(client.post(vote_url, {"choice": "consent"}).status_code)
            voted.append(voter)
            client.force_login(facilitator)
        for path in (
            "/",
            reverse("meetings:detail", args=[meeting.pk]),
            decision.get_absolute_url(),
        ):
            statuses.append(client.get(path).status_code)
        if index == 2:
            response = client.post(
                reverse("subscribe"), {"email": "outage@example.org", "language": "en"}
            )
            statuses.append(response.status_code)
        response = client.get("/healthz")
        health.append((response.status_code, json.loads(response.content)))
        index += 1
        time.sleep(2)

    assert set(statuses) <= {200, 302}, statuses
    assert all(code == 503 and body["broker"] == "error" for code, body in health), health
    assert all(body["database"] == "ok" for _, body in health)
    # Every write is kept...
    assert set(Attendance.objects.filter(meeting=meeting).values_list("person_id", flat=True)) == {
        p.pk for p in [newcomers[0], *ticked]
    }
    assert set(
        Vote.objects.filter(decision=decision).values_list("roll_entry__person_id", flat=True)
    ) == {p.pk for p in voted}
    # ...and so is every task that could not be enqueued: one recompute per tick, the confirmation.
    assert not any(eligible(person) for person in ticked)
    deferred = list(DeferredTask.objects.values_list("name", flat=True))
    assert deferred.count("workshops.recompute_memberships") == len(ticked)
    assert deferred.count("assembly.send_subscription_confirmation") == 1
    assert not [m for m in smtp_sink.messages[first_mail:] if m["To"] == "outage@example.org"]

    own_redis.start()
    wait_for(lambda: json.loads(client.get("/healthz").content)["broker"] == "ok", timeout=30)
    # The sweep, as the beat sends it every few minutes; the worker runs it once reconnected.
    sweep = django_settings.CELERY_BEAT_SCHEDULE["assembly-enqueue-deferred-tasks"]
    assert sweep["task"] == enqueue_deferred_tasks.name
    enqueue_deferred_tasks.delay()
    wait_for(lambda: all(eligible(person) for person in ticked), timeout=120)
    wait_for(
        lambda: [m for m in smtp_sink.messages[first_mail:] if m["To"] == "outage@example.org"],
        timeout=60,
    )
    assert not DeferredTask.objects.exists()
    # A second sweep finds nothing to do: the confirmation went once.
    enqueue_deferred_tasks.delay()
    time.sleep(3)
    confirmations = [m for m in smtp_sink.messages[first_mail:] if m["To"] == "outage@example.org"]
    assert len(confirmations) == 1
