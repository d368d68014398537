"""Write detection and the content version: one value in the shared cache, replaced by a new
random one once a transaction that wrote a table some page shows has committed.

Writes are seen at the database layer: an execute wrapper installed on every connection
(`install`, from `connection_created`) watches each statement, so the ORM, bulk updates, raw SQL,
the admin, management commands and Celery workers all count. The wrapper itself never talks to
Redis while a transaction holds row locks:

- In autocommit (no transaction open), the statement is already committed and holds no lock: the
  version is replaced at once.
- Inside a transaction, the wrapper only notes the write in memory: one `on_commit` callback per
  transaction replaces the version after the commit. Until then, this connection — which alone
  sees the uncommitted rows — reads a version of its own (the shared one and a token renewed at
  each of its writes), so it never shows nor keeps a copy that other connections could use; a
  rolled-back transaction leaves no trace.
- An UPDATE or DELETE that changed no row, and writes to tables no page shows (sessions, logs,
  digest items, deferred tasks, subscribers, a sign-in's last_login) change nothing.

A bump the shared cache could not take (Redis failing) is logged and remembered in the database
(`CacheOutage`, a table no page shows) so that every process knows of it; the next successful
contact moves the version forward (page_cache/recovery.py). Every kept key also holds the minute,
so even a lost bump shows at most a minute late.
"""

import logging
import re
import time
import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

VERSION_KEY = "page-cache:content-version"

# Tables no public page shows: writing them leaves every kept page as it is. Sessions change on
# every signed-in request; the delivery logs and the admin's log at every e-mail and admin action;
# digest items, deferred tasks and subscribers are read by e-mails and workers only.
IGNORED_TABLES = frozenset(
    {
        "django_session",
        "django_admin_log",
        "assembly_delivery",
        "assembly_subscriberdelivery",
        "assembly_digestitem",
        "assembly_deferredtask",
        "assembly_subscriber",
        "assembly_cacheoutage",
    }
)
# Statements that write a shown table but nothing any page shows: a sign-in's last_login.
IGNORED_STATEMENTS = re.compile(
    r"""^\s*UPDATE\s+["`]?assembly_user["`]?\s+SET\s+["`]?last_login["`]?\s*=\s*%s\s+WHERE\b""",
    re.IGNORECASE,
)

_WRITE = re.compile(
    r"""^\s*(?:
        (?:INSERT|REPLACE)\s+(?:OR\s+\w+\s+)?INTO\s+["`]?(?P<insert>\w+)
      | (?P<verb>UPDATE)\s+(?:OR\s+\w+\s+)?["`]?(?P<update>\w+)
      | (?P<delete_verb>DELETE)\s+FROM\s+["`]?(?P<delete>\w+)
      | (?P<other>TRUNCATE|WITH|MERGE|ALTER|CREATE|DROP)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# Rows every page reads, by name: (version, when read, the row).
ROW_MAX_AGE_SECONDS = 60
_rows: dict[str, tuple[str, float, object]] = {}
# Moves when the shared cache answers again after failing (page_cache/recovery.py).
recoveries = 0


def written_table(sql: str) -> str | None:
    """The table a statement writes ("" when it writes but names no single table), else None."""
    match = _WRITE.match(sql)
    if match is None:
        return None
    if match["other"]:
        # WITH … SELECT only reads; WITH … UPDATE/INSERT/DELETE writes.
        if match["other"].upper() == "WITH" and not re.search(
            r"\b(INSERT|UPDATE|DELETE)\b", sql, re.IGNORECASE
        ):
            return None
        return ""
    return (match["insert"] or match["update"] or match["delete"]).lower()


def writes_shown_content(sql: str) -> bool:
    table = written_table(sql)
    return table is not None and table not in IGNORED_TABLES and not IGNORED_STATEMENTS.match(sql)


def changes_shown_content(sql: str, rowcount: int) -> bool:
    """Whether a statement that ran changed what a page shows: an UPDATE or DELETE that matched
    no row did not (an INSERT's count is not always known before its rows are read)."""
    if not writes_shown_content(sql):
        return False
    if rowcount == 0:
        match = _WRITE.match(sql)
        if match["verb"] or match["delete_verb"]:
            return False
    return True


def kept_row(name: str, compute, *, version: str | None = None):
    """A row that every page reads (the configuration, the charter's current version), kept in
    this process under the content version: any write through Django, however made (save(),
    QuerySet.update(), loaddata, a related row), gives a new version and so a fresh read. Read
    again after ROW_MAX_AGE_SECONDS too, for writes made outside Django (psql)."""
    version = version or content_version()
    if not version:
        return compute()
    now = time.monotonic()
    held = _rows.get(name)
    if held is not None and held[0] == version and now - held[1] < ROW_MAX_AGE_SECONDS:
        return held[2]
    value = compute()
    _rows[name] = (version, now, value)
    return value


def last_kept_row(name: str, default=None):
    """The row as last kept, whatever its version (the 503 page, when the database is down)."""
    held = _rows.get(name)
    return held[2] if held is not None else default


def forget_rows() -> None:
    _rows.clear()


def _failing() -> bool:
    # Only assembly.cache.ForgivingRedisCache fails quietly; the other backends raise.
    return bool(getattr(cache, "failing", False))


def _shared_version() -> str:
    seen = recoveries
    version = cache.get(VERSION_KEY)
    if version is None:
        # Never back to an old value: a new random one, so that pages kept under a version that
        # the cache forgot can never be served again.
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    if recoveries != seen:
        # The cache answered again during this read and the version moved on since.
        version = cache.get(VERSION_KEY)
    if _failing():
        return ""
    return version or ""


def _pending(conn):
    """This transaction's callback, when it wrote shown content and has not committed."""
    if not conn.in_atomic_block:
        return None
    for _savepoint_ids, func, _robust in conn.run_on_commit:
        if getattr(func, "page_cache", False):
            return func
    return None


def content_version() -> str:
    """The version pages and parts are kept under ("" when the shared cache does not answer: no
    write could be seen then, so nothing is kept)."""
    version = _shared_version()
    if not version:
        return ""
    pending = _pending(connection)
    return f"{version}.{pending.uncommitted}" if pending is not None else version


def bump_content_version() -> bool:
    """A new version; False (logged and remembered, never raised) when the cache did not take it."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    if _failing():
        _remember_lost_bump()
        return False
    return True


def _remember_lost_bump() -> None:
    logger.error("page cache: a write could not replace the content version (shared cache down)")
    # Not at module level: assembly.models reads rows through kept_row below, from this module.
    from ..models import CacheOutage  # noqa: PLC0415 - cycle: assembly.models -> page_cache.versioning

    try:
        # One row says it all: the next new version makes every lost bump good.
        if not CacheOutage.objects.exists():
            CacheOutage.objects.create(noticed_at=timezone.now())
    except DatabaseError:
        logger.exception("page cache: the lost bump could not be written down either")


def _after_commit_once(conn) -> None:
    """Notes one uncommitted write: one callback per transaction, however many statements write
    in it (tests count the callbacks a transaction leaves)."""
    pending = _pending(conn)
    if pending is not None:
        pending.uncommitted = uuid.uuid4().hex
        return

    def after_commit():
        bump_content_version()

    after_commit.page_cache = True
    after_commit.uncommitted = uuid.uuid4().hex
    transaction.on_commit(after_commit, using=conn.alias)


def _watch_writes(conn):
    def watch(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not changes_shown_content(sql, context["cursor"].rowcount):
            return result
        if conn.in_atomic_block:
            _after_commit_once(conn)
        else:
            bump_content_version()
        return result

    watch.page_cache_watch = True
    return watch


def install(sender, connection, **kwargs):
    """connection_created: watch this connection's writes (once, even when it reconnects)."""
    if not any(
        getattr(wrapper, "page_cache_watch", False) for wrapper in connection.execute_wrappers
    ):
        connection.execute_wrappers.append(_watch_writes(connection))
