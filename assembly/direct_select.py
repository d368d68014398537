"""A prepared query's SELECT run on psycopg's own cursor, as Django's cursor would run it (issue 24).

A query run through Django's cursor costs about twice what psycopg alone spends on it: a new
psycopg cursor per query (its adapters, its loaders looked up again for each column), the
CursorWrapper, its execute wrappers chained by `functools.partial`, the error wrapping entered
and left for the execute and again for each fetch, the rows fetched in chunks. A prepared query
(assembly/prepared.py) is the same SELECT each time with other values, so `fetch_all` runs it
with what that path does for it, and no more:

- the connection's checks, by Django's own functions whenever they have anything to do: the
  health check (CONN_HEALTH_CHECKS: once per request, `close_if_health_check_failed`), a new
  connection (`ensure_connection`), the thread that owns the connection
  (`validate_thread_sharing`), a transaction already broken inside `atomic`
  (`validate_no_broken_transaction`); and `async_unsafe`, as `cursor()` is;
- a psycopg cursor made by Django's `create_cursor` (its time zone loader included), kept for
  this query on this psycopg connection: run again with the same SQL string, psycopg keeps its
  loaders (`Cursor._start_query` keeps the transformer while the query is the same object).
  A new psycopg connection (reconnect) or another time zone for the connection (tests change
  TIME_ZONE) makes new cursors;
- psycopg's errors turned into Django's by the connection's `wrap_database_errors` (which also
  marks `errors_occurred`), so that OperationalError still means a 503 (assembly/unavailable.py)
  and `atomic` sees the error as usual; a cursor that failed is closed and not kept;
- all rows read by one `fetchall`.

Only where nothing else is owed to a query (`runs_directly`): PostgreSQL with psycopg 3, no query
being logged (DEBUG, CaptureQueriesContext, django_assert_num_queries: those see every query as
before) and no execute wrapper but the page cache's `watch`, which does nothing for a statement
that writes no table — what prepared.py checks of each query's SQL before running it here. A tool
that replaced Django's cursor (the connection's `cursor`, `CursorWrapper.execute`) since this
module was imported sees every query too. Anything else takes Django's cursor.
"""

import _thread
import warnings

from django.apps import apps
from django.db.backends.utils import CursorWrapper
from django.utils.asyncio import async_unsafe

try:
    from django.db.backends.postgresql.psycopg_any import is_psycopg3
except ImportError:  # no PostgreSQL driver at all (SQLite only)
    is_psycopg3 = False

# The attribute of a DatabaseWrapper that holds its prepared queries' psycopg cursors.
_CURSORS = "_direct_select_cursors"
# Django's own, as this module found it: a tool that patches it later watches every query.
_DJANGOS_EXECUTE = CursorWrapper.execute


def runs_directly(connection) -> bool:
    """Whether a prepared SELECT may run on this connection without Django's cursor."""
    if connection.vendor != "postgresql" or not is_psycopg3 or connection.queries_logged:
        return False
    if CursorWrapper.execute is not _DJANGOS_EXECUTE or "cursor" in connection.__dict__:
        return False
    wrappers = connection.execute_wrappers
    return not wrappers or (
        len(wrappers) == 1 and getattr(wrappers[0], "page_cache_watch", False) is True
    )


class _Cursors:
    """One psycopg connection's cursors, one for each prepared query that ran on it."""

    __slots__ = ("by_query", "pg_connection", "timezone")

    def __init__(self, pg_connection, timezone):
        self.pg_connection = pg_connection
        self.timezone = timezone
        self.by_query = {}


def _cursors(connection) -> _Cursors:
    cursors = connection.__dict__.get(_CURSORS)
    if (
        cursors is None
        or cursors.pg_connection is not connection.connection
        or cursors.timezone is not connection.timezone
    ):
        cursors = _Cursors(connection.connection, connection.timezone)
        setattr(connection, _CURSORS, cursors)
    return cursors


def _ready(connection) -> None:
    """What Django's `cursor()` checks before each query, where it has anything to do."""
    if connection.connection is None or (
        connection.health_check_enabled and not connection.health_check_done
    ):
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    if connection._thread_ident != _thread.get_ident():
        connection.validate_thread_sharing()
    if connection.needs_rollback:
        connection.validate_no_broken_transaction()
    if not apps.ready and not apps.stored_app_configs:  # as CursorWrapper._execute warns
        warnings.warn(
            CursorWrapper.APPS_NOT_READY_WARNING_MSG, category=RuntimeWarning, stacklevel=2
        )


@async_unsafe
def fetch_all(connection, query, sql: str, params) -> list[tuple]:
    """The rows of `sql` run with `params`, on the cursor kept for `query` (any hashable that
    stands for one SQL string, the same object each time)."""
    _ready(connection)
    cursors = _cursors(connection)
    cursor = cursors.by_query.get(query)
    try:
        if cursor is None:
            cursor = cursors.by_query[query] = connection.create_cursor()
        cursor.execute(sql, params)
        return cursor.fetchall()
    except Exception:
        if cursor is not None:
            cursors.by_query.pop(query, None)
            cursor.close()
        with connection.wrap_database_errors:
            raise
