# Search on PostgreSQL (assembly/search.py): the unaccent extension and `fr_unaccent`, a text search
# configuration that removes accents before French stemming. Being a configuration (not a call to
# the unaccent() function), to_tsvector('fr_unaccent', ...) stays immutable, so the apps' GIN
# expression indexes can use it. Nothing to do on SQLite.

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'fr_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION fr_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION fr_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;
"""

DROP = "DROP TEXT SEARCH CONFIGURATION IF EXISTS fr_unaccent;"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("assembly", "0007_configuration_currency_budget_visibility")]

    operations = [migrations.RunPython(create, drop)]
