"""A redis-server of a test's own, that the test stops, freezes, fills or starts again. Never the
machine's shared Redis: other people's tests use it, and it also holds the broker's queues.

Tests that need one skip where redis-server is missing, and fail in CI (REQUIRE_ALL=1)."""

import shutil
import signal
import socket
import subprocess
import time

import pytest
import redis

from tests.conftest import skip_or_fail


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def wait_for(predicate, timeout: float = 30, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"gave up waiting after {timeout}s")


class OwnRedis:
    """A redis-server on a free port, with no persistence."""

    def __init__(self, *options: str):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.options = list(options)
        self.process: subprocess.Popen | None = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                *self.options,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: redis_answers(self.url), timeout=20)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.thaw()
            self.process.terminate()
            self.process.wait(timeout=20)

    def freeze(self):
        """SIGSTOP: the port still accepts connections, nothing answers (a hung Redis)."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=5)

    def caches(self) -> dict:
        """CACHES with this server as the default cache, as settings.py sets it for REDIS_URL."""
        return {
            "default": {
                "BACKEND": "assembly.cache.ForgivingRedisCache",
                "LOCATION": self.url,
                "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
            }
        }


def own_redis_server(*options: str):
    if shutil.which("redis-server") is None:
        skip_or_fail("redis-server is not installed")
    server = OwnRedis(*options)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def own_redis():
    yield from own_redis_server()
