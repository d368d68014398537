"""Fixtures every test may use: people in each role, and a logged-in client for each."""

import datetime
import os
import sys

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.utils import translation
from kombu import pools

from assembly import fragments
from config.celery import app
from tests.factories import FacilitatorFactory, UserFactory

REQUIRE_ALL = os.environ.get("REQUIRE_ALL") == "1"


def celery_worker_command(queue: str) -> list[str]:
    """A real `celery worker` on its own queue, named after it (so it alone can be inspected), one
    task at a time, with nothing that waits for other workers."""
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool=solo",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-Q",
        queue,
        f"--hostname={queue}@%h",
        "--loglevel=INFO",
    ]


def skip_or_fail(reason: str):
    """Browser and service tests skip where their tool is missing, but fail in CI (REQUIRE_ALL=1)."""
    if REQUIRE_ALL:
        pytest.fail(f"REQUIRE_ALL=1 and {reason}", pytrace=False)
    pytest.skip(reason)


def use_broker(url: str, queue: str | None = None):
    """Point this process's Celery app at another broker (and queue), dropping pooled connections."""

    app.conf.broker_url = url
    if queue is not None:
        app.conf.task_default_queue = queue
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    pools.reset()


@pytest.fixture(scope="session", autouse=True)
def _no_database_session_left_behind(django_db_setup, django_db_blocker):
    """At the end of the session, a connection that something the tests started still holds to
    the test database (a server or worker process winding down, a thread's connection) would
    stop pytest-django from dropping it. Say which, on stderr, then end them."""
    yield
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid, application_name, state, left(query, 120) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            left = cursor.fetchall()
            for row in left:
                print(f"test database still in use at the end: {row}", file=sys.stderr)
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits, the cached configuration and rendered fragments must not leak from one test into
    # the next.
    cache.clear()
    fragments.forget_all()
    yield
    cache.clear()
    fragments.forget_all()


@pytest.fixture(autouse=True)
def _default_language():
    # LocaleMiddleware activates each request's language in this thread and never switches it
    # back: a test whose client asked for English would leave English on for the next test of the
    # same process (French labels read in English, now and then, by test order).
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def french_says(monkeypatch):
    """Gives a message another French translation for one test (one with markup or an
    apostrophe, say): `french_says(msgid, msgstr)`."""
    catalog = translation.trans_real.translation("fr")._catalog

    def says(msgid: str, msgstr: str) -> None:
        monkeypatch.setitem(catalog, msgid, msgstr)

    return says


@pytest.fixture
def person(db):
    return UserFactory()


@pytest.fixture
def facilitator(db):
    return FacilitatorFactory()


@pytest.fixture
def person_client(client, person):
    client.force_login(person)
    return client


@pytest.fixture
def facilitator_client(client, facilitator):
    client.force_login(facilitator)
    return client


# A redis-server of the test's own, for every test that asks for it (tests/redis_server.py).
from tests.redis_server import own_redis  # noqa: E402, F401


@pytest.fixture
def within_one_minute():
    """For a test that says a page or part is served from a cache: their keys hold the current
    minute (assembly/page_cache/keys.py, assembly/fragments.py), so a minute turning between two
    requests would render them again and fail the test now and then. It starts one second into
    the next minute instead, the clock running: a whole minute before the keys change."""
    now = datetime.datetime.now(datetime.UTC)
    start = (now + datetime.timedelta(minutes=1)).replace(second=1, microsecond=0)
    with time_machine.travel(start, tick=True):
        yield start
