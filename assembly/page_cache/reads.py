"""What each kept page and part reads: the tables whose writes renew it (page_cache/versioning.py).

An app declares, in its AppConfig.ready(), the models each of its kept pages reads — the page's
own queries, its kept parts and facts (assembly/fragments.py) and what its layout shows — by URL
name; an app further right that adds a section to another app's page adds the models that section
reads (`also_reads`). A part or fact of a page may declare a smaller set of its own (the board's
cards do not read the attendance its note-writing permission does): it is then kept under those
tables' versions alone.

A page that declares nothing depends on everything: any write renews it, as every page did before
these declarations. tests/assembly/test_page_reads.py renders each declared page, derives the
tables its SQL reads, checks that they are declared, and writes each of them in turn.
"""

from collections.abc import Iterable

from django.db import models

# The configuration row every page's layout shows (assembly.models.AssemblyConfiguration, kept
# with versioning.kept_row): its version is read with every request's, in the same round trip.
CONFIGURATION_TABLE = "assembly_assemblyconfiguration"
ALWAYS_READ = frozenset({CONFIGURATION_TABLE})

# Columns whose writes alone replace a version of their own, "<table>:<group>", and not the
# table's (versioning.written_versions): what the membership recompute writes after each tick at
# the door, which pages showing people's names without their membership need not see.
COLUMN_GROUPS: dict[str, dict[str, frozenset[str]]] = {
    "assembly_user": {"membership": frozenset({"eligible_until", "membership_declared_at"})},
}

_pages: dict[str, frozenset[str]] = {}
_parts: dict[str, frozenset[str]] = {}
# What sections added by other apps read, by URL name (`also_reads`).
_also: dict[str, frozenset[str]] = {}


class Without:
    """A model whose column groups (versioning.COLUMN_GROUPS) are partly not read: `Without(User,
    "membership")` for a page that shows people's names but never their membership."""

    def __init__(self, model: type[models.Model], *groups: str):
        self.model = model
        self.groups = frozenset(groups)


def _tables_of_model(model, without: frozenset[str] = frozenset()) -> set[str]:
    table = model._meta.db_table
    groups = COLUMN_GROUPS.get(table, {})
    names = {table, *(f"{table}:{group}" for group in groups if group not in without)}
    # Its many-to-many fields' own tables (a workshop's related commons, a meeting's hosts).
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through
        if through._meta.auto_created:
            names.add(through._meta.db_table)
    return names


def tables_of(sources: Iterable) -> frozenset[str]:
    """The versions' names for models, `Without(...)`s and table names ("<table>[:<group>]")."""
    names: set[str] = set()
    for source in sources:
        if isinstance(source, str):
            names.add(source)
        elif isinstance(source, Without):
            names |= _tables_of_model(source.model, source.groups)
        else:
            names |= _tables_of_model(source)
    return frozenset(names)


def declare_page(url_name: str, *sources) -> None:
    """The page named `url_name` reads these models (and nothing else, with its parts)."""
    _pages[url_name] = _pages.get(url_name, frozenset()) | tables_of(sources) | ALWAYS_READ


def declare_part(name: str, *sources) -> None:
    """A kept part (`{% fragment name %}`) or fact (`fragments.memo(request, name, …)`, declared
    as "memo:<name>") reads only these: kept under their versions alone."""
    _parts[name] = _parts.get(name, frozenset()) | tables_of(sources)


def also_reads(url_name: str, *sources) -> None:
    """A section another app adds to a page reads these too. They count once the page is
    declared, whichever app is ready first; a page never declared stays undeclared: it depends
    on everything already."""
    _also[url_name] = _also.get(url_name, frozenset()) | tables_of(sources)


def page_tables(url_name: str | None) -> frozenset[str] | None:
    """What the page reads; None for a page that declared nothing (it depends on everything)."""
    tables = _pages.get(url_name) if url_name else None
    return tables | _also[url_name] if tables is not None and url_name in _also else tables


def part_tables(name: str) -> frozenset[str] | None:
    return _parts.get(name)


def declared_pages() -> dict[str, frozenset[str]]:
    return {name: page_tables(name) for name in _pages}


def declared_parts() -> dict[str, frozenset[str]]:
    return dict(_parts)
