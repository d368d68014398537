"""Redis (broker and cache) stops for 30 seconds while facilitators tick attendance and members
vote: pages keep answering, every write is kept, /healthz says "broker: error", and once Redis is
back the periodic sweep (the beat's membership recompute) catches up on the tasks that could not
be enqueued."""

import datetime
import json
import time

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from assembly.models import AssemblyConfiguration, User
from decisions.models import Vote
from tests.decisions.factories import MemberFactory, voting
from tests.factories import FacilitatorFactory, UserFactory
from tests.faults.conftest import start_worker_on, wait_for
from tests.workshops.factories import MeetingFactory
from workshops.models import Attendance
from workshops.tasks import recompute_memberships

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
def test_broker_outage_keeps_pages_and_writes(worker_on_own_redis, own_redis, client):
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
    # ...but the recomputes could not be enqueued.
    assert not any(eligible(person) for person in ticked)

    own_redis.start()
    wait_for(lambda: json.loads(client.get("/healthz").content)["broker"] == "ok", timeout=30)
    # The sweep: the beat's nightly recompute of everyone, which the worker runs once reconnected.
    sweep = django_settings.CELERY_BEAT_SCHEDULE["recompute-memberships"]
    assert sweep["task"] == recompute_memberships.name
    recompute_memberships.delay()
    wait_for(lambda: all(eligible(person) for person in ticked), timeout=120)
