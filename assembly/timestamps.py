"""PostgreSQL timestamps read by psycopg's C parser, with Django's own meaning (issue 24).

Django's PostgreSQL backend registers its own loader for `timestamptz` on every connection
(`BaseTzLoader` in django/db/backends/postgresql/psycopg_any.py): it subclasses psycopg's
pure-Python loader and then replaces the value's `tzinfo` with the connection's time zone. So
every date read from the database is parsed in Python (a regular expression, a `datetime`, an
`astimezone`, a `replace`: about eight calls a value, 800 on the home page's first view), although
psycopg[binary] parses it in C.

When Django reads dates in UTC (USE_TZ, no TIME_ZONE of the database's own: `connection.timezone`
is `datetime.timezone.utc`) and the session's time zone is UTC (as Django sets it on connecting),
psycopg's loader gives exactly what Django's gives: an aware datetime whose `tzinfo` is
`datetime.timezone.utc`, the same microseconds, the same errors for dates Python cannot hold
(`infinity`, before year 1, after year 9999). `install` (from `connection_created`) registers
`TimestamptzLoader` on such a connection: it hands each value to psycopg's own (C) loader, or, if
the session's time zone is not UTC after all, to Django's. Any other setting (USE_TZ off: naive
datetimes; a database TIME_ZONE) keeps Django's loader, and a setting changed later (tests) finds
Django's own check at each cursor (`create_cursor` compares the loader's `timezone`).
"""

import datetime

from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from psycopg import adapters
from psycopg.postgres import types
from psycopg.pq import Format

TIMESTAMPTZ_OID = types["timestamptz"].oid

# psycopg's default loader: its C implementation when psycopg[binary] (or [c]) is installed.
_PSYCOPG_LOADER = adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)


class _DjangoUtcLoader(BaseTzLoader):
    """Django's own loader for a connection in UTC (what `register_tzloader` would register)."""

    timezone = datetime.UTC


class TimestamptzLoader:
    """Loads a `timestamptz` as Django does in UTC: by psycopg's loader when the session is in UTC
    (its C loader: no Python call per value), else by Django's.

    Registered in place of a loader class, it makes the loader each query's rows use (psycopg
    calls it as a class with the column's oid and the cursor's context) and hands back the chosen
    one, whose type is its own: psycopg's rows then call the C loader directly."""

    format = Format.TEXT
    # What Django's create_cursor compares with `connection.timezone` before registering its own
    # loader on a cursor: equal, it keeps this one.
    timezone = datetime.UTC

    def __new__(cls, oid: int, context=None):
        connection = context.connection if context else None
        session_zone = connection.info.timezone if connection else datetime.UTC
        chosen = _PSYCOPG_LOADER if session_zone is datetime.UTC else _DjangoUtcLoader
        return chosen(oid, context)


def install(sender, connection, **kwargs) -> None:
    """connection_created: PostgreSQL connections reading dates in UTC load them in C."""
    if connection.vendor == "postgresql" and connection.timezone is datetime.UTC:
        connection.connection.adapters.register_loader(TIMESTAMPTZ_OID, TimestamptzLoader)
