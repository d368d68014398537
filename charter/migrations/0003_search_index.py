# GIN expression indexes for search on PostgreSQL (assembly/search.py); nothing on SQLite.
# The fields are those of charter/search.py.

from django.db import migrations

from assembly.search import postgresql_search_index


class Migration(migrations.Migration):
    dependencies = [
        ("assembly", "0008_french_unaccent_search_configuration"),
        ("charter", "0002_default_charter"),
    ]

    operations = [
        postgresql_search_index("charter", "CharterVersion", "charter_version_search", None, ("text",)),
    ]
