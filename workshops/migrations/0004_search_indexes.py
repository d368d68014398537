# GIN expression indexes for search on PostgreSQL (assembly/search.py); nothing on SQLite.
# The fields are those of workshops/search.py.

from django.db import migrations

from assembly.search import postgresql_search_index


class Migration(migrations.Migration):
    dependencies = [
        ("assembly", "0008_french_unaccent_search_configuration"),
        ("workshops", "0003_meeting_announcement"),
    ]

    operations = [
        postgresql_search_index(
            "workshops", "Meeting", "meeting_search", "title", ("plenary_notes",)
        ),
        postgresql_search_index(
            "workshops", "Workshop", "workshop_search", "title", ("description", "notes")
        ),
    ]
