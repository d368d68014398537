"""The Redis cache backend (assembly/cache.py), on a Redis of the test's own: Django's backend
behind a circuit breaker, so that a failing Redis reads as an empty cache and never raises."""

import time

import pytest
from django.core.cache.backends.redis import RedisCache
from redis.connection import Connection

from assembly import cache as shared_cache
from assembly.cache import ForgivingRedisCache, _RedisCache


@pytest.fixture
def redis_cache(own_redis):
    backend = ForgivingRedisCache(own_redis.url, {"KEY_PREFIX": "test-cache-backend"})
    backend.breaker.seconds = 0.2
    yield backend
    backend.close()


def test_it_keeps_and_gives_back_what_it_is_given(redis_cache):
    redis_cache.set("page", {"body": b"x" * 10}, 60)
    redis_cache.set_many({"a": 1, "b": 2}, 60)

    assert redis_cache.get("page") == {"body": b"x" * 10}
    assert redis_cache.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
    assert redis_cache.add("a", 3) is False
    assert redis_cache.incr("a") == 2
    assert redis_cache.delete("a") is True
    assert redis_cache.has_key("a") is False


def test_an_unreachable_redis_reads_as_an_empty_cache():
    # Nothing listens on port 1.
    backend = ForgivingRedisCache("redis://127.0.0.1:1/0", {})

    backend.set("page", "kept", 60)

    assert backend.get("page", "missing") == "missing"
    assert backend.failing
    with pytest.raises(ValueError):
        backend.incr("page")


def test_a_redis_answering_oom_reads_as_an_empty_cache_and_recovers(redis_cache, own_redis):
    heard = []

    def hear(sender, **kwargs):
        heard.append(sender)

    shared_cache.recovered.connect(hear)
    redis_cache.set("kept", "before", 60)
    own_redis.client().config_set("maxmemory-policy", "noeviction")
    own_redis.client().config_set("maxmemory", 1)

    redis_cache.set("page", "refused", 60)  # OOM: dropped, not raised

    assert redis_cache.failing
    assert redis_cache.get("kept") is None, "nothing is asked of Redis while the breaker is open"
    own_redis.client().config_set("maxmemory", 0)
    time.sleep(0.25)
    assert redis_cache.get("kept") == "before"
    assert not redis_cache.failing
    shared_cache.recovered.disconnect(hear)
    assert heard == [redis_cache]


def test_a_hung_redis_costs_one_timeout_then_none(own_redis):
    backend = ForgivingRedisCache(
        own_redis.url, {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}
    )
    backend.get("warm")  # a connection in the pool
    own_redis.freeze()
    try:
        started = time.monotonic()
        for n in range(20):
            backend.set(f"key-{n}", n, 60)
        took = time.monotonic() - started
    finally:
        own_redis.thaw()
    assert took < 1.5


def test_rate_limit_counters_stay_in_memory_while_redis_fails():
    backend = ForgivingRedisCache("redis://127.0.0.1:1/0", {})

    assert backend.add("allauth:rl:account:comment:lock", True) is True
    backend.set("allauth:rl:account:comment", [1.0, 2.0], 60)
    backend.set("page", "dropped", 60)

    assert backend.get("allauth:rl:account:comment") == [1.0, 2.0]
    assert backend.get("page") is None


def test_the_shared_cache_keeps_the_keys_it_made_as_django_makes_them():
    params = {"KEY_PREFIX": "assemblee-house", "VERSION": 3}
    ours, django = (
        _RedisCache("redis://127.0.0.1:1/0", params),
        RedisCache("redis://127.0.0.1:1/0", params),
    )
    for key, version in (("page-cache:content-version", None), ("x", 2), (17, None)):
        assert ours.make_and_validate_key(key, version) == django.make_and_validate_key(
            key, version
        )
        assert ours.make_and_validate_key(key, version) == django.make_and_validate_key(
            key, version
        )
    assert len(ours._made) == 2  # text keys only


@pytest.mark.parametrize(
    "args",
    [
        ("MGET", "assemblee:1:page-cache:version", b"raw", "é"),
        ("SET", "k", b"\x00\xff pickled", "EX", 300),
        ("SET", "k", memoryview(b"view")),
        ("CONFIG GET", "maxmemory"),
        ("INCRBY", "k", 2),
        ("GET", "x y"),
    ],
)
def test_the_command_packer_packs_as_redis_py_does(args):
    redis_py = Connection()._command_packer

    assert b"".join(shared_cache.PlainArgumentsPacker().pack(*args)) == b"".join(
        bytes(chunk) for chunk in redis_py.pack(*args)
    )


def test_the_shared_cache_connections_use_the_command_packer(redis_cache):
    redis_cache.set("page", "kept", 60)

    pool = redis_cache.shared._cache._get_connection_pool(write=True)
    assert isinstance(pool.connection_kwargs["command_packer"], shared_cache.PlainArgumentsPacker)
    assert redis_cache.get_many(["page", "other"]) == {"page": "kept"}
