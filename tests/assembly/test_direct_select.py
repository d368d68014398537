"""assembly/direct_select.py: a prepared SELECT run on psycopg's cursor gives what the queryset
gives, fails as Django fails, and leaves Django's cursor to every query that is being watched."""

import asyncio
import datetime
import gc
import warnings
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import SynchronousOnlyOperation
from django.db import (
    DatabaseError,
    DataError,
    OperationalError,
    connection,
    connections,
    models,
    transaction,
)
from django.db.backends.utils import CursorWrapper
from django.db.models import Count, F, Value
from django.db.models.functions import Upper
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import get_resolver
from django.utils import timezone

from assembly import direct_select
from assembly.models import MergeLog, SettingChange, User
from assembly.prepared import Param, Prepared, _only_reads, datetime_param, prepared
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
# The tests of psycopg's cursor itself; the others hold on SQLite too (Django's cursor, the same
# rows made into the same answers).
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="psycopg's cursor")

NOW = datetime.datetime(2026, 11, 19, 15, 30, tzinfo=datetime.UTC)


def _merge(**values):
    return MergeLog.objects.create(
        merged_id=7, merged_display_name="Merged", merged_at=NOW, **values
    )


@pytest.fixture
def logs():
    """Merges with both, one or none of their people, and settings changes (JSON columns)."""
    kept, by = UserFactory(), UserFactory()
    group = Group.objects.create(name="Cuisine")
    kept.groups.add(group)
    found = [
        _merge(by=by, kept=kept, merged_email="a@example.org", moved={"x": 1}),
        _merge(by=None, kept=kept, merged_email="b@example.org", moved={}),
        _merge(by=None, kept=None, merged_email="c@example.org", moved=[1, 2]),
    ]
    SettingChange.objects.create(changed_by=by, subject="name", before={"a": 1}, after={"a": 2})
    SettingChange.objects.create(changed_by=None, subject="city", changed_at=NOW)
    return found


# Each shape of queryset a prepared query may be, by name: (queryset of the first log's pk).
SHAPES = {
    "models": lambda first: MergeLog.objects.filter(pk__gte=first).order_by("pk"),
    "select_related, nullable": lambda first: (
        MergeLog.objects.filter(pk__gte=first).select_related("by", "kept").order_by("pk")
    ),
    "select_related, only": lambda first: (
        MergeLog.objects.filter(pk__gte=first)
        .select_related("kept")
        .only("merged_email", "kept__display_name")
        .order_by("-pk")
    ),
    "annotations": lambda first: (
        MergeLog.objects.filter(pk__gte=first)
        .annotate(shout=Upper("merged_email"), one=Value(1), kept_name=F("kept__display_name"))
        .order_by("pk")
    ),
    "aggregate and prefetch": lambda first: (
        User.objects.filter(merges__pk__gte=first)
        .annotate(merged=Count("merges"))
        .prefetch_related("groups")
        .order_by("pk")
    ),
    "ordered by an unselected column (distinct)": lambda first: (
        User.objects.filter(merges__pk__gte=first)
        .distinct()
        .order_by("display_name")
        .values_list("pk", flat=True)
    ),
    "values_list": lambda first: (
        SettingChange.objects.exclude(pk=first)
        .order_by("pk")
        .values_list("subject", "after", "changed_at")
    ),
    "flat": lambda first: (
        MergeLog.objects.filter(pk__gte=first).order_by("pk").values_list("moved", flat=True)
    ),
    "values": lambda first: (
        MergeLog.objects.filter(pk__gte=first).order_by("pk").values("merged_email", "moved")
    ),
    "named": lambda first: (
        MergeLog.objects.filter(pk__gte=first).order_by("pk").values_list("pk", "moved", named=True)
    ),
    "nothing found": lambda first: MergeLog.objects.filter(pk__lt=first),
}


def _prepare(build):
    @prepared()
    def query(first):
        return build(first)

    return query


PREPARED = {name: _prepare(build) for name, build in SHAPES.items()}


def _described(found):
    """What an answer holds, beyond what `==` compares on instances (their primary keys): each
    instance's class, loaded values, state, related instances and prefetched rows."""
    if type(found) in (list, tuple):
        return (type(found), [_described(item) for item in found])
    if not hasattr(found, "_state"):
        return (type(found), found)
    values = {
        k: v for k, v in vars(found).items() if k not in ("_state", "_prefetched_objects_cache")
    }
    return {
        "class": type(found),
        "values": values,
        "db": found._state.db,
        "adding": found._state.adding,
        "related": {k: _described(v) for k, v in found._state.fields_cache.items()},
        "prefetched": {
            k: _described(list(v))
            for k, v in getattr(found, "_prefetched_objects_cache", {}).items()
        },
    }


@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_prepared_query_gives_what_its_queryset_gives(logs, shape):
    expected = _described(list(SHAPES[shape](logs[0].pk)))

    first = PREPARED[shape](first=logs[0].pk)
    again = PREPARED[shape](first=logs[0].pk)

    assert _described(first) == _described(again) == expected
    if shape != "nothing found":
        assert expected[1]


@on_postgresql
@pytest.mark.parametrize("shape", ["models", "aggregate and prefetch", "values"])
def test_on_postgresql_djangos_cursor_runs_only_the_prefetches(logs, shape, monkeypatch):
    ran_by_django = []
    execute = CursorWrapper._execute  # what execute() runs, inside its wrappers
    monkeypatch.setattr(
        CursorWrapper,
        "_execute",
        lambda cursor, sql, *args: ran_by_django.append(sql) or execute(cursor, sql, *args),
    )

    assert PREPARED[shape](first=logs[0].pk)

    assert all('FROM "auth_group"' in sql for sql in ran_by_django)
    assert len(ran_by_django) == (1 if shape == "aggregate and prefetch" else 0)


@pytest.mark.parametrize("shape", list(SHAPES))
def test_while_queries_are_logged_a_prepared_query_takes_djangos_cursor(logs, shape):
    expected = _described(list(SHAPES[shape](logs[0].pk)))

    with CaptureQueriesContext(connection) as logged:
        found = PREPARED[shape](first=logs[0].pk)

    assert _described(found) == expected
    assert len(logged) == (2 if shape == "aggregate and prefetch" else 1)
    assert logged[0]["sql"].startswith("SELECT ")


def test_another_execute_wrapper_sees_every_prepared_query(logs):
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        found = PREPARED["models"](first=logs[1].pk)

    assert [log.pk for log in found] == [logs[1].pk, logs[2].pk]
    assert len(seen) == 1 and seen[0].startswith("SELECT ")


@on_postgresql
def test_only_postgresql_connections_watched_by_the_page_cache_alone_run_directly():
    assert direct_select.runs_directly(connection)
    wrappers = connection.execute_wrappers
    assert [getattr(w, "page_cache_watch", False) for w in wrappers] == [True]

    class Other:
        vendor = "sqlite"
        queries_logged = False
        execute_wrappers = []

    assert not direct_select.runs_directly(Other())
    with connection.execute_wrapper(lambda *args: None):
        assert not direct_select.runs_directly(connection)
    with CaptureQueriesContext(connection):
        assert not direct_select.runs_directly(connection)


@on_postgresql
def test_a_tool_that_replaced_djangos_cursor_sees_every_prepared_query(logs, monkeypatch):
    wrapper = connections["default"]
    seen = []
    execute = CursorWrapper.execute
    monkeypatch.setattr(
        CursorWrapper,
        "execute",
        lambda cursor, sql, params=None: seen.append(sql) or execute(cursor, sql, params),
    )
    assert PREPARED["models"](first=logs[1].pk) == logs[1:]
    monkeypatch.undo()
    cursor = wrapper.cursor
    monkeypatch.setattr(wrapper, "cursor", lambda: seen.append("cursor") or cursor())
    assert PREPARED["models"](first=logs[1].pk) == logs[1:]

    assert len(seen) == 2 and seen[0].startswith("SELECT ") and seen[1] == "cursor"


def test_a_prepared_query_runs_directly_only_if_its_sql_writes_nothing():
    assert _only_reads('SELECT "a"."id" FROM "a" WHERE "a"."id" = %s')
    assert _only_reads('SELECT "a"."id" FROM "a" FOR UPDATE')
    assert not _only_reads('UPDATE "a" SET "b" = 1')
    assert not _only_reads("WITH x AS (DELETE FROM a RETURNING id) SELECT id FROM x")
    assert PREPARED["models"]._compile(connection).direct


def test_every_prepared_query_of_the_project_runs_directly():
    # Every module that prepares queries, imported: the views (by the URLs), the sessions.
    get_resolver().url_patterns  # noqa: B018
    import_module(settings.SESSION_ENGINE)

    ours = [
        found
        for found in gc.get_objects()
        # type(), not isinstance(): that asks lazy objects their __class__, evaluating them.
        if type(found) is Prepared and not found.__module__.startswith("tests.")
    ]

    assert len(ours) >= 25
    for query in ours:
        compiled = query._compile(connection)
        assert compiled.sql is None or compiled.direct, query.__qualname__


def test_a_prepared_query_sees_its_transactions_rows_and_not_after_a_rollback(logs):
    with transaction.atomic():
        log = _merge(merged_email="d@example.org", moved={})
        assert log in PREPARED["models"](first=logs[0].pk)
        transaction.set_rollback(True)

    assert PREPARED["models"](first=logs[0].pk) == logs


@prepared()
def _one_in(divisor):
    return MergeLog.objects.annotate(share=Value(1) / divisor).order_by("pk")


@on_postgresql
def test_a_database_error_is_djangos_and_breaks_the_atomic_block_as_usual(logs):
    with transaction.atomic():
        with pytest.raises(DataError) as raised, transaction.atomic(savepoint=False):
            _one_in(divisor=0)  # PostgreSQL: division by zero
        assert type(raised.value.__cause__).__module__.startswith("psycopg")
        assert connection.needs_rollback
        with pytest.raises(transaction.TransactionManagementError):
            PREPARED["models"](first=logs[0].pk)
        transaction.set_rollback(True)

    assert [log.share for log in _one_in(divisor=1)] == [1, 1, 1]
    assert PREPARED["models"](first=logs[0].pk) == logs


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_connection_lost_is_djangos_operational_error_then_the_health_check_reconnects():
    log = _merge(merged_email="a@example.org", moved={})
    PREPARED["models"](first=log.pk)
    health_checks = connection.health_check_enabled
    try:
        connection.health_check_enabled, connection.health_check_done = True, True
        connection.connection.close()  # as when PostgreSQL restarts during a request
        with pytest.raises(OperationalError):
            PREPARED["models"](first=log.pk)
        assert connection.errors_occurred

        # The next request: Django checks the connection before its first query.
        connection.health_check_done = False
        assert PREPARED["models"](first=log.pk) == [log]
        assert connection.health_check_done
    finally:
        connection.health_check_enabled = health_checks
        connection.close()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_closed_connection_is_opened_again_with_new_cursors(logs):
    wrapper = connections["default"]
    PREPARED["models"](first=logs[0].pk)
    before = direct_select._cursors(wrapper).by_query[PREPARED["models"]]
    connection.close()

    assert PREPARED["models"](first=logs[0].pk) == logs
    after = direct_select._cursors(wrapper).by_query[PREPARED["models"]]
    assert after is not before and after.connection is wrapper.connection


@on_postgresql
def test_each_prepared_query_keeps_a_cursor_of_its_own(logs):
    wrapper = connections["default"]  # not the proxy: the cursors are the wrapper's
    PREPARED["models"](first=logs[0].pk)
    kept = direct_select._cursors(wrapper).by_query[PREPARED["models"]]
    PREPARED["models"](first=logs[1].pk)
    PREPARED["values"](first=logs[1].pk)

    cursors = direct_select._cursors(wrapper).by_query
    assert cursors[PREPARED["models"]] is kept
    assert cursors[PREPARED["values"]] is not kept
    assert kept.connection is wrapper.connection


@on_postgresql
def test_a_time_zone_changed_gives_new_cursors_and_djangos_dates(logs):
    aware = PREPARED["values_list"](first=0)
    with override_settings(USE_TZ=False):
        expected = list(SHAPES["values_list"](0))
        found = PREPARED["values_list"](first=0)
    assert found == expected
    assert all(changed_at.tzinfo is None for *_, changed_at in found)

    again = PREPARED["values_list"](first=0)
    assert again == aware and all(changed_at.tzinfo is not None for *_, changed_at in again)


@on_postgresql
def test_a_connection_used_from_another_thread_is_refused_as_django_refuses_it(logs):
    wrapper = connections["default"]
    owner = wrapper._thread_ident
    wrapper._thread_ident = owner + 1  # as if this thread were another one
    try:
        with pytest.raises(DatabaseError, match="same thread"):
            PREPARED["models"](first=logs[0].pk)
    finally:
        wrapper._thread_ident = owner


def test_a_prepared_query_refuses_to_run_in_an_event_loop(logs, monkeypatch):
    # tests/e2e/conftest.py lets the browser tests' live server be async-unsafe, for the whole
    # process once it is collected: not here.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)

    async def in_a_loop():
        return PREPARED["models"](first=logs[0].pk)

    with pytest.raises(SynchronousOnlyOperation):
        asyncio.run(in_a_loop())


@pytest.mark.parametrize(
    ("param", "value"),
    [
        (Param("n"), 7),
        (Param("n"), -(2**31)),
        (datetime_param("n"), NOW),
        (datetime_param("n") - datetime.timedelta(days=2), NOW),
        (Param("n", models.CharField()), "clé"),
    ],
)
def test_a_plain_value_is_bound_as_its_field_prepares_it(param, value):
    expected = param.output_field.get_db_prep_value(
        value + param.shift if param.shift else value, connection, prepared=False
    )

    bound = param.bind({"n": value}, connection)

    assert bound == expected and type(bound) is type(expected)


def test_other_values_take_the_fields_whole_way():
    naive = datetime.datetime(2026, 11, 19, 15, 30)

    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        bound = datetime_param("n").bind({"n": naive}, connection)

    # Made aware in the default time zone, with Django's warning.
    assert bound == datetime_param("n").bind({"n": timezone.make_aware(naive)}, connection)
    assert "naive datetime" in str(warned[0].message)
    assert Param("n").bind({"n": "12"}, connection) == 12
    assert Param("n").bind({"n": True}, connection) == 1
