# GIN expression indexes for search on PostgreSQL (assembly/search.py); nothing on SQLite.
# The fields are those of commons_registry/search.py.

from django.db import migrations

from assembly.search import postgresql_search_index


class Migration(migrations.Migration):
    dependencies = [
        ("assembly", "0008_french_unaccent_search_configuration"),
        ("commons_registry", "0004_moderation_notices_in_the_delivery_log"),
    ]

    operations = [
        postgresql_search_index(
            "commons_registry",
            "Commons",
            "commons_search",
            "name",
            ("summary", "description", "resource", "community", "governance"),
        ),
    ]
