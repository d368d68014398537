"""Querysets built and compiled to SQL once per process, then run with new values (issue 24).

Building a queryset (filters, subqueries, annotations) and compiling it to SQL costs about nine
times what PostgreSQL then spends on the SQL: on a page's first view after a write, most of its
time. A query that a page asks for every request with other values only (this person, now) can
instead be written once with placeholders:

    @prepared
    def awaiting_vote(person, now):
        return Decision.objects.awaiting_vote_from(person, now)[:10]

    awaiting_vote(person=request.user.pk, now=timezone.now())  # a list of Decision

The function is called once, with a `Param` for each argument in place of a value; the queryset
it returns is compiled once per database connection's vendor, with a marker in the SQL's
parameters where each value goes. Each call then copies the compiled query, puts this call's
values in place of the markers (prepared for the database by the placeholder's field, as a
`Value` would be) and runs it through Django's own iterable: model instances, `select_related`,
annotations and `prefetch_related` as the queryset would give them. The SQL is compiled from the
queryset itself, so the answer is the same.

A placeholder stands for a value in a filter (`author=person`, `created_at__gt=now`), never for
a part of the query's shape; `now - timedelta(...)` is a placeholder too, computed from `now` at
each call. Querysets whose shape depends on a value are not for here, nor any that read a setting
or the configuration row while being built: what the build read stays for the process's life.
"""

import copy
import datetime
import functools
import inspect
import operator
import threading
import weakref

from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models import Expression


class _Marker:
    """Stands in the compiled SQL's parameters where a call's value goes."""

    __slots__ = ("param",)

    def __init__(self, param):
        self.param = param


class Param(Expression):
    """A value given at each call of a prepared query, named after its argument."""

    def __init__(self, name: str, output_field=None, *, shift: datetime.timedelta | None = None):
        super().__init__(output_field=output_field or models.IntegerField())
        self.name = name
        self.shift = shift

    def __repr__(self):
        return f"Param({self.name!r}{f', shift={self.shift!r}' if self.shift else ''})"

    def __sub__(self, other):
        if isinstance(other, datetime.timedelta):
            return Param(self.name, self.output_field, shift=(self.shift or ZERO) - other)
        return super().__sub__(other)

    def __add__(self, other):
        if isinstance(other, datetime.timedelta):
            return Param(self.name, self.output_field, shift=(self.shift or ZERO) + other)
        return super().__add__(other)

    def resolve_expression(self, *args, **kwargs):
        return self

    def as_sql(self, compiler, connection):
        return "%s", [_Marker(self)]

    def bind(self, values: dict, connection):
        value = values[self.name]
        if self.shift is not None:
            value = value + self.shift
        return self.output_field.get_db_prep_value(value, connection, prepared=False)


ZERO = datetime.timedelta(0)


def datetime_param(name: str) -> Param:
    return Param(name, models.DateTimeField())


class _Converters:
    """What a compiled query's columns need converted on one connection, as its compiler finds
    it (SQLCompiler.get_converters and has_composite_fields, asked at each call by
    results_iter); asked about other columns, the compiler answers as usual."""

    def __init__(self, compiler, connection):
        self.compiler = copy.copy(compiler)
        self.compiler.connection = connection
        self.columns = [column[0] for column in compiler.select[0 : compiler.col_count]]
        self.converters = self.compiler.get_converters(self.columns)
        self.has_composite = self.compiler.has_composite_fields(self.columns)

    def _same(self, expressions) -> bool:
        return len(expressions) == len(self.columns) and all(
            map(operator.is_, expressions, self.columns)
        )

    def for_columns(self, expressions):
        if self._same(expressions):
            return self.converters
        return self.compiler.get_converters(expressions)

    def composite(self, expressions):
        if self._same(expressions):
            return self.has_composite
        return self.compiler.has_composite_fields(expressions)


class Prepared:
    """A queryset with placeholders, compiled once per database vendor (see the module's text)."""

    def __init__(self, build, params: dict[str, Param]):
        self._build = build
        self._params = params
        self._compiled: dict[str, tuple] = {}
        self._converters: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def _compile(self, using: str):
        connection = connections[using]
        compiled = self._compiled.get(connection.vendor)
        if compiled is None:
            queryset = self._build(**self._params)
            compiler = queryset.query.get_compiler(using=using)
            try:
                sql, params = compiler.as_sql()
            except EmptyResultSet:  # nothing can match (an empty slice): no query, as Django
                sql, params = None, ()
            compiled = (queryset, compiler, sql, tuple(params))
            with self._lock:
                self._compiled.setdefault(connection.vendor, compiled)
        return compiled

    def __call__(self, using: str = "default", **values) -> list:
        missing = set(self._params) - set(values)
        if missing:
            raise TypeError(f"a prepared query needs {', '.join(sorted(missing))}")
        queryset, compiler, sql, params = self._compile(using)
        if sql is None:
            return []
        connection = connections[using]
        bound = [p.param.bind(values, connection) if isinstance(p, _Marker) else p for p in params]
        # A copy per call: the compiler holds this thread's connection, and its SQL this call's
        # values; what it learnt while compiling (columns, related populators) it keeps.
        call_compiler = copy.copy(compiler)
        call_compiler.connection = connection
        call_compiler.using = using
        call_compiler.as_sql = lambda *args, **kwargs: (sql, bound)
        # How each column's value is converted depends on the connection, not on the values:
        # found once per connection too (Django asks each column's field at every call).
        converters = self._converters.get(connection)
        if converters is None:
            converters = self._converters[connection] = _Converters(compiler, connection)
        call_compiler.get_converters = converters.for_columns
        call_compiler.has_composite_fields = converters.composite
        return list(_for_one_run(queryset, using, call_compiler))


def _for_one_run(queryset, using: str, compiler):
    """The prepared queryset as `queryset.using(using)` gives it, run by this call's compiler.

    `using()` clones the query too (its where tree, joins, annotations: about 30 calls a call) so
    that it may be changed further; a prepared query is only run, and running it reads the query
    without changing it (the compiler, already compiled, answers for the SQL). So the query is
    copied shallowly, only to answer `get_compiler` with this call's compiler, and the queryset
    takes from the compiled one what `_clone()` takes."""
    query = object.__new__(type(queryset.query))
    query.__dict__.update(queryset.query.__dict__)
    query.get_compiler = lambda *args, **kwargs: compiler
    runnable = type(queryset)(model=queryset.model, query=query, using=using, hints=queryset._hints)
    runnable._for_write = queryset._for_write
    runnable._prefetch_related_lookups = queryset._prefetch_related_lookups
    runnable._known_related_objects = queryset._known_related_objects
    runnable._iterable_class = queryset._iterable_class
    runnable._fields = queryset._fields
    return runnable


def prepared(*, datetimes: tuple[str, ...] = (), texts: tuple[str, ...] = ()):
    """Decorator: the function's arguments become placeholders (integers, such as primary keys,
    or the datetimes and texts named), and calling it runs the prepared query with the values
    given."""

    def decorate(build):
        names = list(inspect.signature(build).parameters)
        params = {
            name: datetime_param(name)
            if name in datetimes
            else Param(name, models.CharField())
            if name in texts
            else Param(name)
            for name in names
        }
        query = Prepared(build, params)
        functools.update_wrapper(query, build)
        return query

    return decorate
