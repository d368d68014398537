"""Real services: a Celery worker process on Redis, sharing the test database, and an SMTP sink."""

import os
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from django.db import connection

from config.celery import app as celery_app
from tests.conftest import celery_worker_command, skip_or_fail, use_broker

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/services/" in str(item.fspath):
            item.add_marker(pytest.mark.services)


def redis_answers(url: str) -> bool:

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_sink():
    """A real SMTP server on localhost that keeps every message it receives."""

    class Inbox(Message):
        def __init__(self):
            super().__init__()
            self.messages = []

        def handle_message(self, message):
            self.messages.append(message)

    inbox = Inbox()
    inbox.port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, smtp_sink):
    """One real `celery worker` process for the session, on its own Redis queue."""
    if not redis_answers(REDIS_URL):
        skip_or_fail(f"Redis does not answer at {REDIS_URL}")
    queue = f"assemblee-test-{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        database_name = str(connection.settings_dict["NAME"])
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "REDIS_URL": REDIS_URL,
        "TEST_DATABASE_NAME": database_name,
        "TEST_CELERY_QUEUE": queue,
        "TEST_EMAIL_URL": f"smtp://127.0.0.1:{smtp_sink.port}",
        # The neighbours of the federation tests are servers on 127.0.0.1.
        "FEDERATION_ALLOW_PRIVATE_NETWORKS": "1",
    }
    log = (ROOT / "var" / f"{queue}.log").open("w")
    process = subprocess.Popen(
        celery_worker_command(queue),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    previous = (celery_app.conf.broker_url, celery_app.conf.task_default_queue)
    use_broker(REDIS_URL, queue)
    process.queue = queue
    try:
        yield process
    finally:
        use_broker(*previous)
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture
def celery_worker(celery_worker_process):
    """The session's worker, left idle after each test: a task still running when the test's
    database is flushed would hold locks that the flush's TRUNCATE waits for (a deadlock)."""
    yield celery_worker_process
    if celery_worker_process.poll() is None:
        wait_until_idle(celery_worker_process.queue)


def wait_until_idle(queue: str, timeout: float = 30.0) -> None:
    """Nothing left in the worker's queue and nothing running or reserved in the worker."""
    broker = redis.Redis.from_url(REDIS_URL)
    inspect = celery_app.control.inspect(destination=[f"{queue}@{socket.gethostname()}"])
    inspect.timeout = 1.0

    def idle():
        if broker.llen(queue):
            return False
        # A solo worker answers between tasks only: no answer means it is busy.
        active, reserved = inspect.active(), inspect.reserved()
        if active is None or reserved is None:
            return False
        return not any([*active.values(), *reserved.values()])

    wait_for(idle, timeout=timeout)


def wait_for(condition, timeout=30.0, interval=0.2):
    """Poll until condition() is truthy; the worker is another process, so we must wait for it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")
