"""The Redis cache backend (assembly/cache.py), on a real Redis."""

import os

import pytest

from assembly.cache import ForgivingRedisCache
from tests.conftest import skip_or_fail

REDIS_URL = os.environ.get("REDIS_URL", "")


@pytest.fixture
def redis_cache():
    if not REDIS_URL:
        skip_or_fail("REDIS_URL is not set")
    cache = ForgivingRedisCache(REDIS_URL, {"KEY_PREFIX": "test-cache-backend"})
    yield cache
    cache.delete("page")


def test_one_redis_client_serves_every_operation(redis_cache):
    redis_cache.set("page", {"body": b"x" * 10}, 60)

    assert redis_cache.get("page") == {"body": b"x" * 10}
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is client
    assert redis_cache._cache.get_client("page") is client


def test_an_unreachable_redis_reads_as_an_empty_cache():
    # Nothing listens on port 1.
    cache = ForgivingRedisCache("redis://127.0.0.1:1/0", {})

    cache.set("page", "kept", 60)

    assert cache.get("page", "missing") == "missing"
