"""Search across everything written: a registry of sources, filled by each app from its AppConfig.

Each app on the right registers a `Source`: the rows a viewer may see (its own permission rules),
the fields to search, and how a result is titled and linked. `search()` asks every source the same
question, on whichever database the assembly runs on:

- PostgreSQL: full-text search with `fr_unaccent` (French stemming without accents, migration
  assembly 0007), ranked by `ts_rank`, snippets by `ts_headline`, over each table's stored
  generated column `search_document` and its GIN index (`postgresql_search_index`).
- SQLite: an accent- and case-insensitive match of every word, through `assemblee_fold`, a SQL
  function registered on each connection (`register_fold_function`); snippets cut in Python.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import connection, migrations
from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

CONFIG = "fr_unaccent"
DOCUMENT_COLUMN = "search_document"
SNIPPET_LENGTH = 200
# Sentinels around a match in a snippet: the text is escaped first, then they become <mark>.
START, STOP = "\x02", "\x03"
HEADLINE_OPTIONS = f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=10"


@dataclass(frozen=True)
class Source:
    """What one kind of writing contributes to search.

    `visible_to(user)` returns the rows this person may see (hidden ones filtered by the app's own
    rules); `title_field` and `body_fields` are searched, the title weighing more; `title(obj)`
    and `url(obj)` present a result; `related` names the relations `title` reads."""

    kind: str
    label: str
    visible_to: Callable[[object], QuerySet]
    title_field: str | None
    body_fields: tuple[str, ...]
    title: Callable[[object], str]
    url: Callable[[object], str]
    related: tuple[str, ...] = field(default=())

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.title_field, *self.body_fields) if self.title_field else self.body_fields


_sources: dict[str, Source] = {}


def register(source: Source) -> None:
    _sources[source.kind] = source


def sources() -> list[Source]:
    return list(_sources.values())


def source(kind: str) -> Source | None:
    return _sources.get(kind)


def _postgresql_search(model, body_fields, query: str) -> tuple[RawSQL, RawSQL, RawSQL]:
    """The match, the rank and the snippet, as PostgreSQL computes them over the table's stored
    `search_document` (see `postgresql_search_index`) and its GIN index.

    Written as SQL rather than composed from SearchQuery, SearchRank and SearchHeadline: the same
    SQL, but building and compiling those expressions for every kind cost more Python time than
    the database took to answer (issue 12's benchmark). Only the query is a parameter; the rest
    is our own constants and column names, quoted."""
    table = _quoted(model._meta.db_table)
    document = f"{table}.{DOCUMENT_COLUMN}"
    ts_query = f"websearch_to_tsquery('{CONFIG}', %s)"
    body = " || ' … ' || ".join(
        f"coalesce({table}.{_quoted(model._meta.get_field(name).column)}, '')"
        for name in body_fields
    )
    # No user input: the query is a parameter, the rest our own constants.
    match = RawSQL(f"{document} @@ {ts_query}", [query], output_field=BooleanField())  # noqa: S611
    rank = RawSQL(f"ts_rank({document}, {ts_query})", [query], output_field=FloatField())  # noqa: S611
    snippet = RawSQL(  # noqa: S611
        f"ts_headline('{CONFIG}', {body}, {ts_query}, %s)",
        [query, HEADLINE_OPTIONS],
        output_field=TextField(),
    )
    return match, rank, snippet


def fold(text: str) -> str:
    """Lower case, without accents: "Hélène" and "HELENE" both fold to "helene"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def register_fold_function(sender, connection, **kwargs) -> None:
    """Gives SQLite connections `assemblee_fold(text)`, for the accent-insensitive fallback."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("assemblee_fold", 1, fold, deterministic=True)


@dataclass
class Group:
    """One kind's results: on the overview, the first few (`has_more` if there are others); for
    one kind, a page of a Paginator (`page`, `count`)."""

    source: Source
    results: list
    has_more: bool = False
    page: object = None
    count: int | None = None


@dataclass
class Result:
    title: str
    url: str
    snippet: str


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _words(query: str) -> list[str]:
    return [fold(word) for word in query.split() if fold(word)]


def matches(src: Source, user, query: str) -> QuerySet:
    """The rows of this source the person may see that match the query, best first."""
    queryset = src.visible_to(user)
    if src.related:
        queryset = queryset.select_related(*src.related)
    if _is_postgresql():
        match, rank, snippet = _postgresql_search(queryset.model, src.body_fields, query)
        # PostgreSQL computes the headline of the rows kept by the LIMIT only, after the sort.
        return (
            queryset.filter(match)
            .annotate(search_rank=rank, search_snippet=snippet)
            .order_by("-search_rank", "-pk")
        )
    words = _words(query)
    if not words:
        return queryset.none()
    folded = {name: Func(F(name), function="assemblee_fold") for name in src.fields}
    queryset = queryset.alias(**{f"folded_{name}": expr for name, expr in folded.items()})
    for word in words:
        any_field = Q()
        for name in src.fields:
            any_field |= Q(**{f"folded_{name}__contains": word})
        queryset = queryset.filter(any_field)
    in_title = Q(pk__in=[])
    for word in words if src.title_field else []:
        in_title |= Q(**{f"folded_{src.title_field}__contains": word})
    return queryset.annotate(
        search_rank=Case(
            When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    ).order_by("-search_rank", "-pk")


def snippet(src: Source, obj, query: str) -> str:
    """Safe HTML: a passage of the body with the matches marked."""
    if _is_postgresql():
        return _marked(getattr(obj, "search_snippet", "") or "")
    body = " … ".join(filter(None, (getattr(obj, name) for name in src.body_fields)))
    return _marked(_cut_around(body, _words(query)))


def _cut_around(text: str, words: list[str]) -> str:
    """A passage of `text` around its first match, the matches between the sentinels."""
    text = re.sub(r"\s+", " ", text).strip()
    # Folded letter by letter, so that positions in `folded` are positions in `text`.
    folded = "".join(f if len(f := fold(c)) == 1 else c for c in text)
    hits = [(folded.find(w), w) for w in words if folded.find(w) >= 0]
    first = min((position for position, _ in hits), default=0)
    start = max(0, first - SNIPPET_LENGTH // 3)
    end = min(len(text), start + SNIPPET_LENGTH)
    spans = sorted(
        (m.start(), m.end()) for w in words for m in re.finditer(re.escape(w), folded[start:end])
    )
    passage, cursor = [], start
    for begin, finish in spans:
        begin, finish = begin + start, finish + start
        if begin < cursor:
            continue
        passage += [text[cursor:begin], START, text[begin:finish], STOP]
        cursor = finish
    passage.append(text[cursor:end])
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + "".join(passage) + suffix


def _marked(text: str) -> str:
    html = escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)


def search(user, query: str, *, per_kind: int, kind: str | None = None, page_number=1):
    """The groups of results with something in them, in registration order.

    Without `kind`, the first `per_kind` results of every kind, one query each (no count: the
    overview stays within the query budget). With `kind`, that kind alone, paginated."""
    query = query.strip()
    if not query:
        return []
    groups = []
    for src in sources():
        if kind and src.kind != kind:
            continue
        rows = matches(src, user, query)
        if kind:
            paginator = Paginator(rows, per_kind)
            page = paginator.get_page(page_number)
            group = Group(src, _results(src, page.object_list, query), page=page)
            group.count = paginator.count
        else:
            found = list(rows[: per_kind + 1])
            group = Group(src, _results(src, found[:per_kind], query), len(found) > per_kind)
        if group.results:
            groups.append(group)
    return groups


def _results(src: Source, rows, query: str) -> list[Result]:
    return [Result(src.title(obj), src.url(obj), snippet(src, obj, query)) for obj in rows]


def postgresql_search_index(app_label: str, model_name: str, name: str, title_field, body_fields):
    """A migration operation, on PostgreSQL only: a stored generated column `search_document`
    (the database recomputes it in the very statement that writes the row, so it never lags),
    and a GIN index on it. SQLite searches through its fallback and gets neither. The fields are
    given in the migration, frozen; they must match the app's search source."""

    def text_of(fields):
        return " || ' ' || ".join(f"coalesce({_quoted(f)}, '')" for f in fields)

    parts = [f"setweight(to_tsvector('{CONFIG}', {text_of(body_fields)}), 'B')"]
    if title_field:
        parts.insert(0, f"setweight(to_tsvector('{CONFIG}', {text_of([title_field])}), 'A')")

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            table = _quoted(apps.get_model(app_label, model_name)._meta.db_table)
            schema_editor.execute(
                f"ALTER TABLE {table} ADD COLUMN {DOCUMENT_COLUMN} tsvector "
                f"GENERATED ALWAYS AS ({' || '.join(parts)}) STORED"
            )
            schema_editor.execute(f"CREATE INDEX {name} ON {table} USING gin ({DOCUMENT_COLUMN})")

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            table = _quoted(apps.get_model(app_label, model_name)._meta.db_table)
            schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN {DOCUMENT_COLUMN}")

    return migrations.RunPython(create, drop, elidable=False)


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)
