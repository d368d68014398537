"""The shared cache must never fail a request nor slow a write: Django's own Redis backend, behind
a circuit breaker that only calls its public methods.

- Any Redis error — unreachable, timed out, or answering OOM / READONLY / MISCONF (ResponseError)
  — reads as an empty cache: a read misses, a write is dropped, the error is logged.
- After an error the breaker opens: for BREAKER_SECONDS no operation waits for Redis at all; then
  one operation tries again. So a hung Redis costs one socket timeout, not one per statement.
- While it fails, allauth's rate-limit counters (ours are allauth's too, assembly/ratelimits.py)
  live in this process's memory: a per-process limit, never unlimited, never refusing everyone.
- The first successful operation after a failure sends `recovered`: the page cache moves its
  content version forward and empties this worker's kept parts (assembly/page_cache/versioning.py),
  since a write may have happened that no cached copy could be told of.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.dispatch import Signal
from redis.connection import Encoder, HiredisRespSerializer, PythonRespSerializer
from redis.exceptions import RedisError

try:
    import hiredis
except ImportError:  # redis-py packs in Python then: nothing to spare
    hiredis = None

logger = logging.getLogger(__name__)

# What Redis may raise: RedisError covers ConnectionError, TimeoutError and ResponseError (OOM,
# READONLY, MISCONF); OSError a socket that fails below redis-py.
FAILURES = (RedisError, OSError)
# How long, after an error, every operation is answered without asking Redis.
BREAKER_SECONDS = 5.0
# Keys kept in this process's memory while the shared cache fails: allauth's rate-limit counters
# and their locks ("allauth:rl:<app>:<action>:…").
LOCAL_WHILE_FAILING = ("allauth:rl:",)

# Sent (sender: the cache) at the first successful operation after one or more failed.
recovered = Signal()


class Breaker:
    """Open for BREAKER_SECONDS after a failure; counts failures for the page cache."""

    def __init__(self, seconds: float = BREAKER_SECONDS):
        self.seconds = seconds
        self.open_until = 0.0
        self.failing = False
        self.failures = 0
        self._lock = threading.Lock()

    def is_open(self) -> bool:
        return self.failing and time.monotonic() < self.open_until

    def trip(self) -> None:
        with self._lock:
            self.failing = True
            self.failures += 1
            self.open_until = time.monotonic() + self.seconds

    def succeed(self) -> bool:
        """True for the first success after a failure (the caller sends `recovered`)."""
        if not self.failing:
            return False
        with self._lock:
            was_failing, self.failing = self.failing, False
            return was_failing


# What redis-py packs commands with by default (Connection: utf-8, strict, its buffer cutoff).
_ENCODER = Encoder("utf-8", "strict", False)
_BUFFER_CUTOFF = 6000
_PLAIN_TYPES = frozenset({str, bytes})


class PlainArgumentsPacker:
    """redis-py's command packer, in a handful of calls for the commands the cache sends.

    redis-py encodes each argument in Python before hiredis packs them: some seven calls a key,
    near three hundred for the MGET of the content versions that every page sends
    (page_cache/versioning.py). A command whose arguments are all text or bytes, its name one
    word, packs to the same bytes through hiredis alone (str as UTF-8, strict, as redis-py's
    default Encoder; tests/assembly/test_cache.py compares them); any other (numbers, a
    memoryview, a name of two words) goes through redis-py's own packer, unchanged. Given to the
    connections as their `command_packer` (redis.connection.AbstractConnection's argument)."""

    def __init__(self):
        python = PythonRespSerializer(_BUFFER_CUTOFF, _ENCODER.encode)
        self._default = HiredisRespSerializer(python.pack, _ENCODER.encode)

    def pack(self, *args):
        name = args[0]
        if type(name) is str and " " not in name and _PLAIN_TYPES.issuperset(map(type, args)):
            return [hiredis.pack_command(args)]
        return self._default.pack(*args)


class _RedisCache(RedisCache):
    """Django's, keeping the keys it made: the content versions' keys, a dozen or two, are asked
    for at every request (page_cache/versioning.py), and Django makes and checks each of them
    character by character every time."""

    MAX_KEYS = 4096

    def __init__(self, server, params):
        options = params.get("OPTIONS", {})
        if hiredis is not None and not options.keys() & {"encoding", "encoding_errors"}:
            # Django's client gives its options to the pool, the pool to each connection.
            params = {**params, "OPTIONS": {"command_packer": PlainArgumentsPacker(), **options}}
        super().__init__(server, params)
        self._made: dict[tuple[str, object], str] = {}

    def make_and_validate_key(self, key, version=None):
        if type(key) is not str:
            return super().make_and_validate_key(key, version=version)
        made = self._made.get((key, version))
        if made is None:
            made = super().make_and_validate_key(key, version=version)
            if len(self._made) >= self.MAX_KEYS:
                self._made.clear()
            self._made[(key, version)] = made
        return made


class ForgivingRedisCache(BaseCache):
    def __init__(self, server, params):
        super().__init__(params)
        self.shared = _RedisCache(server, params)
        self.local = LocMemCache(f"assembly-cache-fallback-{id(self)}", {"MAX_ENTRIES": 5000})
        self.breaker = Breaker()

    # --- how each operation is tried --------------------------------------------------------------
    def _try(self, name: str, fallback, *args, key=None, **kwargs):
        local = key is not None and str(key).startswith(LOCAL_WHILE_FAILING)
        if self.breaker.is_open():
            return getattr(self.local, name)(*args, **kwargs) if local else fallback
        try:
            result = getattr(self.shared, name)(*args, **kwargs)
        except FAILURES as error:
            self.breaker.trip()
            logger.warning("shared cache failed (%s): %s", name, error)
            return getattr(self.local, name)(*args, **kwargs) if local else fallback
        if self.breaker.succeed():
            logger.warning("shared cache answers again")
            recovered.send(sender=self)
        return result

    @property
    def failing(self) -> bool:
        """True from a failure until the next successful operation."""
        return self.breaker.failing

    # --- Django's cache API ----------------------------------------------------------------------
    def get(self, key, default=None, version=None):
        return self._try("get", default, key, default, version=version, key=key)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("set", None, key, value, timeout, version=version, key=key)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("add", False, key, value, timeout, version=version, key=key)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("touch", False, key, timeout, version=version, key=key)

    def delete(self, key, version=None):
        return self._try("delete", False, key, version=version, key=key)

    def has_key(self, key, version=None):
        return self._try("has_key", False, key, version=version, key=key)

    def get_many(self, keys, version=None):
        return self._try("get_many", {}, keys, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try("set_many", list(data), data, timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._try("delete_many", None, keys, version=version)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._try("incr", missing, key, delta, version=version, key=key)
        if result is missing:
            raise ValueError(f"Key '{key}' not found")
        return result

    def clear(self):
        self.local.clear()
        return self._try("clear", None)

    def close(self, **kwargs):
        self.shared.close(**kwargs)
