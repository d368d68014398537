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
`Value` would be), runs the SQL and makes of its rows what the queryset's iterable makes of them:
model instances, `select_related`, annotations and `prefetch_related` as the queryset would give
them. The SQL is compiled from the queryset itself, so the answer is the same.

The SQL is a SELECT (asserted when it is compiled: it writes no table). On PostgreSQL it runs on a
psycopg cursor kept for it (assembly/direct_select.py) unless queries are being logged or another
execute wrapper than the page cache's is installed; then, and on SQLite, through Django's cursor.
Either way the rows become the result the same way (`_Reader`): for model instances and tuples of
values, ModelIterable's and ValuesListIterable's work done here, with what does not change from a
call to the next (converters, related populators) found once per connection; any other kind of
row by Django's own iterable, given the rows.

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

from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models import Expression
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
    prefetch_related_objects,
)

from .direct_select import fetch_all, runs_directly


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
        self._plain_type = _PLAIN_TYPES.get(type(self.output_field))
        self._internal_type = self.output_field.get_internal_type()

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
        """The value as the field's `get_db_prep_value` prepares it for the database.

        For the plain values placeholders are given (an `int` for an IntegerField, an aware
        `datetime` for a DateTimeField, a `str` for a CharField), the field's `get_prep_value`
        hands the value on as it is (`int()`, `to_python` and the naive-datetime warning have
        nothing to do): only the backend's adaptation is left, asked here directly. Any other
        value takes the field's whole way."""
        value = values[self.name]
        if self.shift is not None:
            value = value + self.shift
        kind = type(value)
        if kind is self._plain_type:
            if kind is int:
                return connection.ops.adapt_integerfield_value(value, self._internal_type)
            if kind is str:
                return value
            if value.utcoffset() is not None:
                return connection.ops.adapt_datetimefield_value(value)
        return self.output_field.get_db_prep_value(value, connection, prepared=False)


ZERO = datetime.timedelta(0)

# The type of value each placeholder field hands on unchanged to the backend's adaptation (see
# Param.bind); exact field classes only: a subclass may prepare its values otherwise.
_PLAIN_TYPES = {
    models.IntegerField: int,
    models.DateTimeField: datetime.datetime,
    models.CharField: str,
}


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


class _Compiled:
    """A prepared query's queryset, its compiler and SQL on one database vendor."""

    __slots__ = ("compiler", "direct", "params", "queryset", "sql")

    def __init__(self, queryset, compiler, sql, params):
        self.queryset = queryset
        self.compiler = compiler
        self.sql = sql
        self.params = params
        # Runs on psycopg's cursor where it may (assembly/direct_select.py): a SELECT, which the
        # page cache's watch, the one execute wrapper that path allows, would not see as a write.
        self.direct = sql is not None and _only_reads(sql)


def _only_reads(sql: str) -> bool:
    # Not at module level: page_cache imports assembly.models, which imports this module.
    from .page_cache.versioning import written_table  # noqa: PLC0415 - import cycle

    return sql.startswith("SELECT ") and written_table(sql) is None


class _Reader:
    """Makes of a compiled query's rows, on one connection, what the queryset's iterable makes.

    ModelIterable's work (from_db for each row's model columns, the related populators of
    `select_related`, the annotations set as attributes, then `prefetch_related`), and
    ValuesListIterable's and FlatValuesListIterable's (the columns' values, converted), are done
    here with what they find at each run found once: the converters, the field names, the
    populators (which keep nothing of a row). Any other iterable, a queryset with known related
    objects (a related manager's) or composite fields, gets its rows through Django's iterable."""

    def __init__(self, compiled: _Compiled, connection):
        compiler = compiled.compiler
        queryset = compiled.queryset
        self.compiled = compiled
        self.connection = connection
        self.db = connection.alias
        self.converter_finder = _Converters(compiler, connection)
        self.converters = [
            (position, tuple(functions), expression)
            for position, (functions, expression) in self.converter_finder.converters.items()
        ]
        # Columns added for ordering only, after the selected ones (SQLCompiler.execute_sql).
        self.trim = compiler.col_count if compiler.has_extra_select else None
        self.lookups = tuple(queryset._prefetch_related_lookups)
        iterable = queryset._iterable_class
        plain = not self.converter_finder.has_composite
        if iterable is ModelIterable and plain and not queryset._known_related_objects:
            self.make = self._models
            klass_info = compiler.klass_info
            select_fields = klass_info["select_fields"]
            self.model = klass_info["model"]
            self.start, self.end = select_fields[0], select_fields[-1] + 1
            self.init_list = [
                column[0].target.attname for column in compiler.select[self.start : self.end]
            ]
            self.populators = get_related_populators(klass_info, compiler.select, self.db)
            self.annotations = tuple((compiler.annotation_col_map or {}).items())
        elif iterable is ValuesListIterable and plain:
            self.make = self._tuples
        elif iterable is FlatValuesListIterable and plain:
            self.make = self._first_values
        else:
            self.make = self._by_django
        # Django's iterable converts the rows itself (results_iter).
        self.converts = bool(self.converters) and self.make != self._by_django

    def _converted(self, rows):
        connection = self.connection
        converted = []
        for row in rows:
            row = list(row)
            for position, functions, expression in self.converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            converted.append(row)
        return converted

    def read(self, rows: list, using: str) -> list:
        if self.trim is not None:
            rows = [row[: self.trim] for row in rows]
        if self.converts:
            rows = self._converted(rows)
        found = self.make(rows, using)
        if self.lookups and found:
            prefetch_related_objects(found, *self.lookups)
        return found

    def _models(self, rows, using):
        from_db, db, init_list = self.model.from_db, self.db, self.init_list
        start, end = self.start, self.end
        if not self.populators and not self.annotations:
            return [from_db(db, init_list, row[start:end]) for row in rows]
        found = []
        for row in rows:
            instance = from_db(db, init_list, row[start:end])
            for populator in self.populators:
                populator.populate(row, instance)
            for name, position in self.annotations:
                setattr(instance, name, row[position])
            found.append(instance)
        return found

    def _tuples(self, rows, using):
        return [tuple(row) for row in rows] if self.converters else rows

    def _first_values(self, rows, using):
        return [row[0] for row in rows]

    def _by_django(self, rows, using):
        # The queryset's own iterable, run by a copy of the compiler that has the rows already
        # (converted by its results_iter, as when it runs the SQL) and does not prefetch: read()
        # does. A copy per call: the compiler holds this thread's connection.
        compiler = copy.copy(self.compiled.compiler)
        compiler.connection = self.connection
        compiler.using = using
        compiler.execute_sql = lambda *args, **kwargs: [rows]
        compiler.get_converters = self.converter_finder.for_columns
        compiler.has_composite_fields = self.converter_finder.composite
        return list(_for_one_run(self.compiled.queryset, using, compiler))


# Every prepared query of the project, in the order their modules defined them (for the test that
# holds each under psycopg's parse cache: tests/assembly/test_prepared_sizes.py).
DEFINED: list["Prepared"] = []


class Prepared:
    """A queryset with placeholders, compiled once per database vendor (see the module's text)."""

    def __init__(self, build, params: dict[str, Param]):
        DEFINED.append(self)
        self._build = build
        self._params = params
        self._compiled: dict[str, _Compiled] = {}
        self._lock = threading.Lock()
        # The attribute under which each connection keeps this query's _Reader.
        self._reader_key = f"_prepared_reader_{id(self):x}"

    def _compile(self, connection) -> _Compiled:
        compiled = self._compiled.get(connection.vendor)
        if compiled is None:
            queryset = self._build(**self._params)
            compiler = queryset.query.get_compiler(using=connection.alias)
            try:
                sql, params = compiler.as_sql()
            except EmptyResultSet:  # nothing can match (an empty slice): no query, as Django
                sql, params = None, ()
            compiled = _Compiled(queryset, compiler, sql, tuple(params))
            with self._lock:
                compiled = self._compiled.setdefault(connection.vendor, compiled)
        return compiled

    def _reader(self, compiled: _Compiled, connection) -> _Reader:
        # Kept by the connection (one per thread): converters depend on it, populators on its
        # alias; a new connection object finds them again.
        reader = connection.__dict__.get(self._reader_key)
        if reader is None or reader.compiled is not compiled:
            reader = _Reader(compiled, connection)
            setattr(connection, self._reader_key, reader)
        return reader

    def __call__(self, using: str = "default", **values) -> list:
        missing = self._params.keys() - values.keys()
        if missing:
            raise TypeError(f"a prepared query needs {', '.join(sorted(missing))}")
        connection = connections[using]
        compiled = self._compiled.get(connection.vendor) or self._compile(connection)
        if compiled.sql is None:
            return []
        bound = [
            p.param.bind(values, connection) if type(p) is _Marker else p for p in compiled.params
        ]
        if compiled.direct and runs_directly(connection):
            rows = fetch_all(connection, self, compiled.sql, bound)
        else:
            with connection.cursor() as cursor:
                cursor.execute(compiled.sql, bound)
                rows = cursor.fetchall()
        return self._reader(compiled, connection).read(rows, using)


def _for_one_run(queryset, using: str, compiler):
    """The prepared queryset as `queryset.using(using)` gives it, run by this call's compiler.

    `using()` clones the query too (its where tree, joins, annotations: about 30 calls a call) so
    that it may be changed further; a prepared query is only run, and running it reads the query
    without changing it (the compiler, already compiled, answers for the SQL). So the query is
    copied shallowly, only to answer `get_compiler` with this call's compiler, and the queryset
    takes from the compiled one what `_clone()` takes, but the prefetch lookups: the caller
    prefetches."""
    query = object.__new__(type(queryset.query))
    query.__dict__.update(queryset.query.__dict__)
    query.get_compiler = lambda *args, **kwargs: compiler
    runnable = type(queryset)(model=queryset.model, query=query, using=using, hints=queryset._hints)
    runnable._for_write = queryset._for_write
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
