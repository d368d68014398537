# GIN expression indexes for search on PostgreSQL (assembly/search.py); nothing on SQLite.
# The fields are those of decisions/search.py.

from django.db import migrations

from assembly.search import postgresql_search_index


class Migration(migrations.Migration):
    dependencies = [
        ("assembly", "0008_french_unaccent_search_configuration"),
        ("decisions", "0002_vote_counts_and_notices"),
    ]

    operations = [
        postgresql_search_index(
            "decisions",
            "Decision",
            "decision_search",
            "title",
            ("context", "proposal", "outcome_statement"),
        ),
        postgresql_search_index("decisions", "Comment", "comment_search", None, ("text",)),
    ]
