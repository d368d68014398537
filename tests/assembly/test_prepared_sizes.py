"""Every prepared query stays within what psycopg keeps parsed: a statement longer than
MAX_CACHED_STATEMENT_LENGTH bytes, or with more than MAX_CACHED_STATEMENT_PARAMS parameters, is
split into its parts again at every run (about 166 calls on the decision page's, before it was
cut). The limits are read from psycopg itself, so an upgrade that moves them moves the test."""

import importlib
import pkgutil

from django.db import connection
from psycopg import _queries

from assembly.prepared import DEFINED
from tests.conftest import skip_or_fail

# The project's apps (config/ holds none); their migrations, demo data and commands define no
# query a page runs.
PACKAGES = [
    "portal",
    "assembly",
    "commons_registry",
    "workshops",
    "decisions",
    "charter",
    "chantiers",
    "budget",
    "federation",
    "gatherings",
]
LEFT_OUT = (".migrations", ".demo", ".management")


def every_prepared_query() -> list:
    for name in PACKAGES:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, f"{name}."):
            if not any(part in module.name for part in LEFT_OUT):
                importlib.import_module(module.name)
    return list(DEFINED)


def test_every_prepared_query_is_short_enough_for_psycopg_to_keep_it_parsed():
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL (DATABASE_URL): the limits are psycopg's")
    queries = every_prepared_query()
    too_long = {}
    for query in queries:
        compiled = query._compile(connection)
        if compiled.sql is None:
            continue
        size = (len(compiled.sql.encode()), len(compiled.params))
        if (
            size[0] > _queries.MAX_CACHED_STATEMENT_LENGTH
            or size[1] > _queries.MAX_CACHED_STATEMENT_PARAMS
        ):
            too_long[query.__qualname__] = size

    assert len(queries) >= 30, "the test finds the project's prepared queries"
    assert too_long == {}
