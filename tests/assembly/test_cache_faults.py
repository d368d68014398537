"""What a misbehaving Redis must never do (issue "Trust the caches"), on a Redis of the test's own
(tests/redis_server.py): answer OOM, hang, or not listen at all.

Signing out while it hangs is tests/assembly/test_sessions.py."""

import time

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assembly import page_cache
from assembly.models import AssemblyConfiguration, CacheOutage
from assembly.page_cache import recovery
from commons_registry.models import Commons
from decisions.models import Comment
from tests.commons_registry.factories import CommonsFactory
from tests.decisions.factories import discussion
from tests.factories import UserFactory
from tests.workshops.factories import MeetingFactory, WorkshopFactory
from workshops.models import Workshop

BEFORE = "Avant la modification"
AFTER = "Après la modification"
PASSWORD = "un mot de passe assez long"


@pytest.fixture
def shared_cache(own_redis):
    """Our own Redis as the default cache, its breaker quick to try again."""
    with override_settings(CACHES=own_redis.caches()):
        backend = caches["default"]
        backend.breaker.seconds = 0.2
        yield own_redis
        backend.close()


def _refuse_writes(redis_server):
    """As a broker's Redis past its maxmemory under noeviction: every write answers OOM."""
    client = redis_server.client()
    client.config_set("maxmemory-policy", "noeviction")
    client.config_set("maxmemory", 1)


def _accept_writes(redis_server):
    redis_server.client().config_set("maxmemory", 0)


def _after_the_breaker():
    time.sleep(caches["default"].breaker.seconds + 0.05)


def _served_from_cache(client, url) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


@pytest.mark.django_db(transaction=True)
def test_redis_answering_oom_fails_no_request(shared_cache, settings):
    settings.ACCOUNT_RATE_LIMITS = dict(settings.WRITE_RATE_LIMITS)
    AssemblyConfiguration.get()
    person = UserFactory(password=PASSWORD)
    decision = discussion()
    _refuse_writes(shared_cache)

    browser = Client()
    signed_in = browser.post(
        reverse("account_login"), {"login": person.email, "password": PASSWORD}
    )
    log = browser.get(reverse("decisions:list"))
    commented = browser.post(f"/decisions/{decision.pk}/comments/", {"text": "Bonjour"})
    anonymous = Client().get(reverse("decisions:list"))

    assert signed_in.status_code == 302
    assert log.status_code == 200
    assert commented.status_code == 302
    assert Comment.objects.filter(text="Bonjour").exists()
    assert anonymous.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_hung_redis_does_not_slow_the_statements_of_a_write(shared_cache):
    commons = CommonsFactory()
    Client().get(commons.get_absolute_url())
    shared_cache.freeze()
    try:
        started = time.monotonic()
        with transaction.atomic():
            for n in range(10):
                Commons.objects.filter(pk=commons.pk).update(name=f"{AFTER} {n}")
            statements = time.monotonic() - started
        committed = time.monotonic() - started
    finally:
        shared_cache.thaw()

    # No statement waited for Redis; the one bump after the commit waited one short timeout.
    assert statements < 0.5
    assert committed < 2.5
    assert CacheOutage.objects.count() == 1, "the lost bump is written down for every process"


@pytest.mark.django_db(transaction=True)
def test_one_bump_per_transaction_after_its_commit(shared_cache, monkeypatch):
    bumps = []
    real_bump = page_cache.versioning.bump_content_version
    monkeypatch.setattr(
        page_cache.versioning,
        "bump_content_version",
        lambda *tables: bumps.append(1) or real_bump(*tables),
    )
    commons = CommonsFactory()
    bumps.clear()

    with transaction.atomic():
        for n in range(5):
            Commons.objects.filter(pk=commons.pk).update(name=f"{AFTER} {n}")
        assert bumps == []
    assert bumps == [1]

    Commons.objects.filter(pk=-1).update(name=AFTER)
    assert bumps == [1], "a statement that changed no row bumps nothing"


@pytest.mark.django_db(transaction=True)
def test_an_invalidation_lost_while_redis_refused_writes_is_not_lost(shared_cache):
    AssemblyConfiguration.get()
    commons = CommonsFactory(name=BEFORE)
    url = commons.get_absolute_url()
    visitor = Client()
    visitor.get(url)
    html, queries = _served_from_cache(visitor, url)
    assert BEFORE in html
    assert queries == 0

    _refuse_writes(shared_cache)
    Commons.objects.filter(pk=commons.pk).update(name=AFTER)
    # The bump was refused: written down, and nothing kept is served meanwhile.
    assert CacheOutage.objects.exists()
    assert AFTER in visitor.get(url).content.decode()

    _accept_writes(shared_cache)
    _after_the_breaker()
    html = visitor.get(url).content.decode()
    assert AFTER in html
    assert BEFORE not in html
    # Kept again, under the new version.
    html, queries = _served_from_cache(visitor, url)
    assert AFTER in html
    assert queries == 0


@pytest.mark.django_db(transaction=True)
def test_a_kept_signed_in_part_is_not_shown_stale_after_an_outage(shared_cache):
    meeting = MeetingFactory()
    workshop = WorkshopFactory(meeting=meeting, title=BEFORE)
    person = UserFactory()
    browser = Client()
    browser.force_login(person)
    assert BEFORE in browser.get(meeting.get_absolute_url()).content.decode()

    _refuse_writes(shared_cache)
    Workshop.objects.filter(pk=workshop.pk).update(title=AFTER)
    _accept_writes(shared_cache)
    _after_the_breaker()

    page = browser.get(meeting.get_absolute_url()).content.decode()
    assert AFTER in page
    assert BEFORE not in page


@pytest.mark.django_db(transaction=True)
def test_a_lost_bump_written_down_is_made_good_by_the_periodic_task(shared_cache):
    version = page_cache.content_version()
    CacheOutage.objects.create(noticed_at="2026-12-04T10:00:00Z")

    assert recovery.recover_recorded_outages() == 1

    assert page_cache.content_version() != version
    assert not CacheOutage.objects.exists()
    assert recovery.recover_recorded_outages() == 0


DOWN = {
    "default": {
        "BACKEND": "assembly.cache.ForgivingRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


@pytest.mark.django_db
def test_rate_limits_hold_per_process_while_redis_is_down(settings):
    settings.ACCOUNT_RATE_LIMITS = {"comment": "3/m/user"}
    with override_settings(CACHES=DOWN):
        browser = Client()
        browser.force_login(UserFactory())
        decision = discussion()
        answers = [
            browser.post(f"/decisions/{decision.pk}/comments/", {"text": f"Mot {n}"}).status_code
            for n in range(4)
        ]

    # Neither unlimited nor refusing everyone.
    assert answers == [302, 302, 302, 429]
    assert Comment.objects.filter(decision=decision).count() == 3
