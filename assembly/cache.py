"""Redis is the cache and the broker: when it stops, pages must keep answering. This cache backend
treats a Redis that does not answer as an empty cache (reads miss, writes are dropped, logged),
so the configuration cache, sessions-free pages and allauth's rate limits go on without it."""

import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _forgiving(name, fallback):
    method = getattr(RedisCache, name)

    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNREACHABLE as error:
            logger.warning("cache unreachable (%s): %s", name, error)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    call.__name__ = name
    return call


class ReusedRedisClient(RedisCacheClient):
    """Django's client builds a new redis.Redis for every operation, and redis-py's constructor
    fills ~170 response callbacks each time: 0.05 ms, twice for every page the anonymous page
    cache serves (the content version, then the page), a fifth of a /robots.txt request. One
    redis.Redis per connection pool instead, for good: over a pool it holds no connection of its
    own and is safe to share between threads."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))  # pools live as long as this client
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ForgivingRedisCache(RedisCache):
    get = _forgiving("get", lambda key, default=None, version=None: default)
    get_many = _forgiving("get_many", {})
    has_key = _forgiving("has_key", False)
    set = _forgiving("set", None)
    set_many = _forgiving("set_many", [])
    add = _forgiving("add", False)
    touch = _forgiving("touch", False)
    delete = _forgiving("delete", False)
    delete_many = _forgiving("delete_many", None)
    clear = _forgiving("clear", None)

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedRedisClient

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as error:
            logger.warning("cache unreachable (incr): %s", error)
            raise ValueError(f"Key '{key}' not found") from error
