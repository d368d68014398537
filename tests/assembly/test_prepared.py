"""assembly/prepared.py: a queryset compiled once, run with each call's values, gives what the
queryset itself gives."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Count, Q
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assembly.models import User
from assembly.prepared import prepared
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 19, 15, 30, tzinfo=datetime.UTC)


def _joined_before(since, now):
    return (
        User.objects.filter(~Q(pk=since) & Q(date_joined__lt=now - datetime.timedelta(days=1)))
        .annotate(group_total=Count("groups"))
        .prefetch_related("groups")
        .order_by("date_joined", "pk")
    )


@prepared(datetimes=("now",))
def joined_before(since, now):
    return _joined_before(since, now)


@pytest.fixture
def people():
    group = Group.objects.create(name="Cuisine")
    found = [UserFactory(date_joined=NOW - datetime.timedelta(days=days)) for days in (0, 2, 3, 10)]
    found[2].groups.add(group)
    return found


@pytest.mark.parametrize(("days_later", "excluded"), [(0, 0), (0, 1), (5, 1)])
def test_a_prepared_query_gives_what_its_queryset_gives_for_each_call(people, days_later, excluded):
    now = NOW + datetime.timedelta(days=days_later)
    since = people[excluded].pk
    expected = list(_joined_before(since, now))

    found = joined_before(since=since, now=now)

    assert [person.pk for person in found] == [person.pk for person in expected]
    assert [p.group_total for p in found] == [p.group_total for p in expected]
    assert [list(p.groups.all()) for p in found] == [list(p.groups.all()) for p in expected]


def test_a_prepared_query_makes_the_querysets_queries(people):
    with CaptureQueriesContext(connection) as ordinary:
        list(_joined_before(people[1].pk, NOW))
    with CaptureQueriesContext(connection) as fast:
        joined_before(since=people[1].pk, now=NOW)

    assert len(fast) == len(ordinary) == 2  # the people, then their groups
    assert fast[0]["sql"].split(" WHERE ")[0] == ordinary[0]["sql"].split(" WHERE ")[0]


def test_a_prepared_query_is_built_once_whatever_the_values(people, monkeypatch):
    built = []

    @prepared()
    def named(person):
        built.append(person)
        return User.objects.filter(pk=person)

    assert [p.pk for p in named(person=people[0].pk)] == [people[0].pk]
    assert [p.pk for p in named(person=people[1].pk)] == [people[1].pk]
    assert len(built) == 1


def test_a_prepared_query_refuses_a_call_without_every_value():
    with pytest.raises(TypeError, match="now"):
        joined_before(since=1)


def test_a_time_placeholder_takes_aware_datetimes(people):
    now = timezone.now()

    assert joined_before(since=0, now=now) == list(_joined_before(0, now))


def test_a_prepared_query_that_nothing_can_match_asks_nothing(django_assert_num_queries):
    @prepared()
    def none_of_them():
        return User.objects.all()[0:0]

    with django_assert_num_queries(0):
        assert none_of_them() == []


def test_the_columns_converters_are_found_once_per_connection_and_applied(people, monkeypatch):
    asked = []
    original = SQLCompiler.get_converters
    monkeypatch.setattr(
        SQLCompiler,
        "get_converters",
        lambda compiler, expressions: asked.append(1) or original(compiler, expressions),
    )

    @prepared()
    def joined(person):
        return User.objects.filter(pk=person).values_list("date_joined", "display_name")

    first = joined(person=people[1].pk)
    again = joined(person=people[2].pk)

    assert first == list(
        User.objects.filter(pk=people[1].pk).values_list("date_joined", "display_name")
    )
    assert again[0][0] == people[2].date_joined and again[0][0].tzinfo is not None
    assert len(asked) == 2  # the ordinary queryset's, and the prepared query's once for both


def test_a_call_runs_the_compiled_queryset_without_changing_it(people):
    """Each call runs a shallow copy of the compiled queryset's query (not a clone): running it,
    prefetches and annotations included, leaves the compiled one as it was, for the next call."""
    joined_before(since=people[0].pk, now=NOW)
    queryset = joined_before._compiled[connection.vendor].queryset
    query = dict(vars(queryset.query))
    where = repr(queryset.query.where)

    first = joined_before(since=people[1].pk, now=NOW)
    again = joined_before(since=people[2].pk, now=NOW + datetime.timedelta(days=5))

    assert vars(queryset.query) == query
    assert "get_compiler" not in vars(queryset.query)
    assert repr(queryset.query.where) == where
    assert queryset._result_cache is None
    assert [p.pk for p in first] == [p.pk for p in _joined_before(people[1].pk, NOW)]
    assert [list(p.groups.all()) for p in again] == [
        list(p.groups.all()) for p in _joined_before(people[2].pk, NOW + datetime.timedelta(5))
    ]


def test_a_call_keeps_the_querysets_kind_of_rows(people):
    @prepared()
    def names(person):
        return User.objects.filter(pk__gte=person).order_by("pk").values_list("pk", flat=True)

    assert names(person=people[1].pk) == list(
        User.objects.filter(pk__gte=people[1].pk).order_by("pk").values_list("pk", flat=True)
    )
