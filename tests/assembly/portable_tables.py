"""Read every table of the database the process is configured for, as JSON, for the portable
backup round trip (tests/assembly/test_portable_backups.py); run in that database's own process:

    python -c "import django; django.setup(); from tests.assembly.portable_tables import dump; dump(PATH)"
"""

import json
import sys

from django.apps import apps
from django.db import connection


def tables() -> dict:
    """Each model's table: its rows in primary-key order, every column as the ORM reads it."""
    seen = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in seen:
            continue
        columns = [field.attname for field in meta.local_concrete_fields]
        rows = model._base_manager.order_by("pk").values_list(*columns)
        seen[meta.db_table] = [list(row) for row in rows]
    return seen


def sequences_behind() -> list[str]:
    """PostgreSQL: the tables whose id sequence would give an id already taken."""
    if connection.vendor != "postgresql":
        return []
    behind = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table, pk = model._meta.db_table, model._meta.pk
            if pk.get_internal_type() not in ("AutoField", "BigAutoField"):
                continue
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, pk.column])
            sequence = cursor.fetchone()[0]
            cursor.execute(f'SELECT MAX("{pk.column}") FROM "{table}"')
            highest = cursor.fetchone()[0]
            if sequence is None or highest is None:
                continue
            cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
            last, called = cursor.fetchone()
            if (last if called else last - 1) < highest:
                behind.append(table)
    return behind


def dump(path: str) -> None:
    result = {
        "vendor": connection.vendor,
        "table_names": sorted(connection.introspection.table_names()),
        "tables": tables(),
        "sequences_behind": sequences_behind(),
    }
    with open(path, "w", encoding="utf-8") as file:
        json.dump(result, file, default=str, ensure_ascii=False)


if __name__ == "__main__":
    dump(sys.argv[1])
