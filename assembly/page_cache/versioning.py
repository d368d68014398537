"""Write detection and the content versions: values in the shared cache, each replaced by a new
random one once a transaction that wrote a table some page shows has committed.

Versions per table. Each table a page shows has a version of its own, replaced only by writes to
that table; a page or part that declares what it reads (page_cache/reads.py) is kept under the
versions of those tables alone, so that a tick at the door (an attendance row, a person's
eligibility date) leaves the charter, the commons and the decisions where they are. A page that
declares nothing is kept under the one content version that every write replaces, as before.
Besides, an epoch version is replaced by what no single table names (a restore, TRUNCATE or DDL,
a cache outage): it renews every page, declared or not. The versions a request uses are read
once, in one round trip, before it reads any data (`Versions.read`).

A few columns are a group of their own: a statement that only sets a person's membership dates
(the recompute after each tick, a declaration) replaces `assembly_user:membership`, not
`assembly_user`, so that pages showing people's names without their membership stay kept.

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

import hashlib
import logging
import re
import time
import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from .reads import ALWAYS_READ, COLUMN_GROUPS

logger = logging.getLogger(__name__)

VERSION_KEY = "page-cache:content-version"
# Replaced with every version: restores, outages, statements that name no single table.
EPOCH_KEY = VERSION_KEY + ":epoch"
TABLE_KEY_PREFIX = VERSION_KEY + ":table:"

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

# "SET a = %s, b = NULL, c = computed.x" and nothing else: the columns set are then known.
_UPDATE_SET = re.compile(
    r"""^\s*UPDATE\s+(?:OR\s+\w+\s+)?["`]?\w+["`]?\s+SET\s+(?P<assignments>.*?)
        (?:\s+(?:WHERE|FROM)\b|\s*$)""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
_ASSIGNMENT = r"""["`]?(\w+)["`]?\s*=\s*(?:%s|NULL|["`]?\w+["`]?\.["`]?\w+["`]?)"""
_ASSIGNMENTS = re.compile(rf"^{_ASSIGNMENT}(?:\s*,\s*{_ASSIGNMENT})*$", re.IGNORECASE)
_COLUMN = re.compile(_ASSIGNMENT, re.IGNORECASE)

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


def _set_columns(sql: str) -> frozenset[str] | None:
    """The columns an UPDATE sets, when its SET clause is plain enough to be sure of them."""
    match = _UPDATE_SET.match(sql)
    if match is None or not _ASSIGNMENTS.match(match["assignments"].strip()):
        return None
    return frozenset(column.lower() for column in _COLUMN.findall(match["assignments"]))


def written_versions(sql: str) -> frozenset[str]:
    """The versions a statement that writes shown content replaces: its table's, or its column
    group's alone ("assembly_user:membership") when it sets only that group's columns; {""} for
    a statement that names no single table (the epoch: everything)."""
    table = written_table(sql)
    if not table:
        return frozenset({""})
    groups = COLUMN_GROUPS.get(table)
    if not groups:
        return frozenset({table})
    if _WRITE.match(sql)["verb"]:
        columns = _set_columns(sql)
        for group, group_columns in groups.items():
            if columns and columns <= group_columns:
                return frozenset({f"{table}:{group}"})
    # A new or deleted row, or any other column: the table and each of its groups.
    return frozenset({table, *(f"{table}:{group}" for group in groups)})


def changed_versions(sql: str, rowcount: int) -> frozenset[str]:
    """What a statement that ran changed: nothing, or the versions it replaces."""
    if not changes_shown_content(sql, rowcount):
        return frozenset()
    return written_versions(sql)


def _table_key(name: str) -> str:
    return TABLE_KEY_PREFIX + name


def _failing() -> bool:
    # Only assembly.cache.ForgivingRedisCache fails quietly; the other backends raise.
    return bool(getattr(cache, "failing", False))


def _pending(conn):
    """This transaction's callback, when it wrote shown content and has not committed."""
    if not conn.in_atomic_block:
        return None
    for _savepoint_ids, func, _robust in conn.run_on_commit:
        if getattr(func, "page_cache", False):
            return func
    return None


def _read_shared(keys: list[str]) -> dict[str, str] | None:
    """These versions from the shared cache in one round trip; None when it does not answer."""
    seen = recoveries
    values = cache.get_many(keys)
    missing = [key for key in keys if key not in values]
    if missing and not _failing():
        # Never back to an old value: a new random one, so that pages kept under a version that
        # the cache forgot can never be served again.
        for key in missing:
            cache.add(key, uuid.uuid4().hex, None)
        values.update(cache.get_many(missing))
    if recoveries != seen:
        # The cache answered again during this read and the versions moved on since.
        values = cache.get_many(keys)
    # map() of a method: no Python call per key (every page reads some twenty-five of them).
    if _failing() or not all(map(values.get, keys)):
        return None
    return values


class Versions:
    """The versions one request uses, read together before it reads any data: the one that every
    write replaces, the epoch, and those of the tables it declared (page_cache/reads.py)."""

    def __init__(self, values: dict[str, str], tables: frozenset[str], suffix: str = ""):
        self.values = values
        self.tables = tables
        self.suffix = suffix

    @classmethod
    def read(cls, tables=None) -> "Versions | None":
        """The versions of `tables` (and of every row kept with kept_row); None when the shared
        cache does not answer: no write could be seen then, so nothing is kept."""
        tables = frozenset(tables or ()) | ALWAYS_READ
        # _table_key's text, in a list comprehension: one call, not three per table (every page).
        keys = [VERSION_KEY, EPOCH_KEY, *sorted([TABLE_KEY_PREFIX + table for table in tables])]
        values = _read_shared(keys)
        if values is None:
            return None
        pending = _pending(connection)
        return cls(values, tables, f".{pending.uncommitted}" if pending is not None else "")

    def of(self, tables=None) -> str:
        """The version a page or part reading `tables` is kept under: the one every write
        replaces when it declares nothing, or when it reads a table this request did not read
        the version of."""
        if tables is None or not frozenset(tables) <= self.tables:
            return self.values[VERSION_KEY] + self.suffix
        text = "\x1f".join(
            [
                self.values[EPOCH_KEY],
                *[self.values[TABLE_KEY_PREFIX + table] for table in sorted(tables)],
            ]
        )
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest() + self.suffix


def content_version(tables=None) -> str:
    """The version a page reading `tables` (None: anything) is kept under; "" when the shared
    cache does not answer."""
    versions = Versions.read(tables)
    return versions.of(tables) if versions is not None else ""


def kept_row(name: str, compute, *, tables, versions: Versions | None = None):
    """A row that every page reads (the configuration, the charter's current version), kept in
    this process under the versions of the tables it comes from (`versions`, when the request
    read them already): any write through Django to those tables, however made (save(),
    QuerySet.update(), loaddata, a related row), gives a new version and so a fresh read. Read
    again after ROW_MAX_AGE_SECONDS too, for writes made outside Django (psql)."""
    if versions is None:
        versions = Versions.read(tables)
    version = versions.of(tables) if versions is not None else ""
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


def bump_content_version(tables=None) -> bool:
    """New versions: the one every write replaces, and those of `tables` (None, or "" among them:
    the epoch too, which renews every page). False (logged and remembered, never raised) when
    the cache did not take them."""
    new = uuid.uuid4().hex
    values = {VERSION_KEY: new}
    if tables is None or "" in tables:
        values[EPOCH_KEY] = new
    values.update((_table_key(table), new) for table in tables or () if table)
    cache.set_many(values, None)
    if _failing():
        _remember_lost_bump()
        return False
    return True


def _remember_lost_bump() -> None:
    logger.error("page cache: a write could not replace the content version (shared cache down)")
    # Not at module level: assembly.models reads rows through kept_row below, from this module.
    from ..models import CacheOutage  # noqa: PLC0415 - cycle: assembly.models -> page_cache.versioning

    try:
        # One row says it all: the next new version of everything makes every lost bump good.
        if not CacheOutage.objects.exists():
            CacheOutage.objects.create(noticed_at=timezone.now())
    except DatabaseError:
        logger.exception("page cache: the lost bump could not be written down either")


def _after_commit_once(conn, versions: frozenset[str]) -> None:
    """Notes one uncommitted write: one callback per transaction, however many statements write
    in it (tests count the callbacks a transaction leaves); it replaces, after the commit, the
    versions of every table the transaction changed."""
    pending = _pending(conn)
    if pending is not None:
        pending.uncommitted = uuid.uuid4().hex
        pending.tables |= versions
        return

    def after_commit():
        bump_content_version(after_commit.tables)

    after_commit.page_cache = True
    after_commit.uncommitted = uuid.uuid4().hex
    after_commit.tables = set(versions)
    transaction.on_commit(after_commit, using=conn.alias)


def _watch_writes(conn):
    def watch(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        versions = changed_versions(sql, context["cursor"].rowcount)
        if not versions:
            return result
        if conn.in_atomic_block:
            _after_commit_once(conn, versions)
        else:
            bump_content_version(versions)
        return result

    watch.page_cache_watch = True
    return watch


def install(sender, connection, **kwargs):
    """connection_created: watch this connection's writes (once, even when it reconnects)."""
    if not any(
        getattr(wrapper, "page_cache_watch", False) for wrapper in connection.execute_wrappers
    ):
        connection.execute_wrappers.append(_watch_writes(connection))
