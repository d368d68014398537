"""PostgreSQL dates read by psycopg's C loader give what Django's own loader gave (issue 24)."""

import datetime

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.test import override_settings
from psycopg import adapters
from psycopg.pq import Format

from assembly.timestamps import TIMESTAMPTZ_OID, TimestamptzLoader

pytestmark = pytest.mark.django_db

# Microseconds (six, one, none), the first and last instants Python holds, other offsets than
# UTC's (hours, seconds), and what Python cannot hold: infinities, before year 1, after 9999.
VALUES = [
    "2026-12-04 23:27:13.123456+00",
    "2026-12-04 23:27:13.5+00",
    "2026-03-29 01:30:00+00",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
    "2000-02-29 12:00:00.000001+02",
    "1900-01-01 00:00:00+00:09:21",
    "1999-12-31 23:00:00-05",
    "infinity",
    "-infinity",
    "0001-01-01 00:00:00+00 BC",
    "10000-01-01 00:00:00+00",
]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite's dates are converted by Django itself")


def load(value, *, django_loader=False):
    """The value as a timestamptz read back: its repr and whether its zone is `timezone.utc`,
    or the error reading it raised."""
    with connection.cursor() as cursor:
        if django_loader:
            register_tzloader(connection.timezone, cursor.cursor)
        cursor.execute("SELECT %s::timestamptz", [value])
        try:
            (loaded,) = cursor.fetchone()
        except Exception as error:  # what Django's loader raised, the new one must raise
            return type(error), str(error)
    return repr(loaded), loaded.tzinfo is datetime.UTC


@pytest.mark.parametrize("value", VALUES)
def test_a_date_loads_as_djangos_loader_loaded_it(value):
    assert load(value) == load(value, django_loader=True)


def test_dates_load_in_c_at_each_cursor():
    """Django's create_cursor keeps the connection's loader (it would register its own on each
    cursor otherwise), and the rows are loaded by psycopg's default loader, its C one."""
    with connection.cursor() as cursor:
        assert cursor.cursor.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT) is TimestamptzLoader
        loader = TimestamptzLoader(TIMESTAMPTZ_OID, cursor.cursor)
    assert type(loader) is adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    assert load(VALUES[0]) == (
        "datetime.datetime(2026, 12, 4, 23, 27, 13, 123456, tzinfo=datetime.timezone.utc)",
        True,
    )


def test_a_session_in_another_zone_loads_by_djangos_loader():
    """psycopg's loader gives a datetime in the session's zone: were it not UTC (a SET by hand),
    Django's loader reads the date, in UTC."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL TIME ZONE 'Europe/Paris'")
    for value in VALUES:
        assert load(value) == load(value, django_loader=True)
    assert load(VALUES[0])[1] is True


@override_settings(USE_TZ=False, TIME_ZONE="Europe/Paris")
def test_without_time_zones_dates_stay_naive():
    loaded = load("2026-12-04 23:27:13.123456+00")
    assert loaded == ("datetime.datetime(2026, 12, 5, 0, 27, 13, 123456)", False)
