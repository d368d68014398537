"""Fault injection with real processes: Celery workers we SIGKILL, a Redis we stop, a PostgreSQL
we restart. These tests run on PostgreSQL and Redis only, outside the default run (`-m faults`)."""

import os
import signal
import subprocess
import uuid
from pathlib import Path

import pytest
from django.db import connection

from config.celery import app as celery_app
from tests.conftest import celery_worker_command, skip_or_fail, use_broker
from tests.redis_server import OwnRedis, own_redis
from tests.services.conftest import REDIS_URL, redis_answers, smtp_sink, wait_for  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/faults/" in str(item.fspath):
            item.add_marker(pytest.mark.faults)


class Worker:
    """A `celery worker` process we can kill with SIGKILL and start again, on its own queue."""

    def __init__(self, env: dict, queue: str, log_path: Path):
        self.env, self.queue, self.log_path = env, queue, log_path
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self):
        assert self.process is None or self.process.poll() is not None
        log = self.log_path.open("a")
        self.process = subprocess.Popen(
            celery_worker_command(self.queue),
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self.starts += 1

    def kill(self):
        """SIGKILL: no cleanup, no acknowledgement, exactly as when the machine loses the process."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=20)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def postgres_database(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        vendor = connection.vendor
    if vendor != "postgresql":
        skip_or_fail("the fault-injection tests need PostgreSQL (DATABASE_URL=postgres://...)")


def start_worker_on(redis_url, django_db_blocker, smtp_port):
    """A worker of our own (not the session's) on a fresh queue of redis_url; this process's
    Celery app sends there too. A generator: the caller yields the worker, then it is stopped."""
    queue = f"assemblee-faults-{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        database_name = str(connection.settings_dict["NAME"])
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "REDIS_URL": redis_url,
        "TEST_DATABASE_NAME": database_name,
        "TEST_CELERY_QUEUE": queue,
        "TEST_EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
    }
    (ROOT / "var").mkdir(exist_ok=True)
    worker = Worker(env, queue, ROOT / "var" / f"{queue}.log")
    previous = (celery_app.conf.broker_url, celery_app.conf.task_default_queue)
    use_broker(redis_url, queue)
    try:
        yield worker
    finally:
        use_broker(*previous)
        worker.stop()


@pytest.fixture
def killable_worker(postgres_database, django_db_blocker, smtp_sink):  # noqa: F811
    """A worker on the shared Redis (a queue of its own) that the test may kill."""
    if not redis_answers(REDIS_URL):
        skip_or_fail(f"Redis does not answer at {REDIS_URL}")
    yield from start_worker_on(REDIS_URL, django_db_blocker, smtp_sink.port)


# A redis-server of the test's own (tests/redis_server.py).
__all__ = ["OwnRedis", "own_redis"]
