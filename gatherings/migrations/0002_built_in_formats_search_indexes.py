# The built-in session formats (their names are translated in Format.BUILT_IN), and the GIN
# expression indexes for search on PostgreSQL (the fields of gatherings/search.py).

from django.db import migrations

from assembly.search import postgresql_search_index

BUILT_IN = [
    ("plenary", "plenary", "plenary"),
    ("workshop", "workshop", "workshop"),
    ("walk", "walk", "none"),
    ("fishbowl", "fishbowl", "workshop"),
    ("world-cafe", "world café", "workshop"),
    ("meal", "meal", "none"),
    ("welcome-desk", "welcome desk", "none"),
]


def add_formats(apps, schema_editor):
    Format = apps.get_model("gatherings", "Format")
    for key, name, rule in BUILT_IN:
        Format.objects.get_or_create(
            gathering=None, key=key, defaults={"name": name, "split_rule": rule}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("assembly", "0008_french_unaccent_search_configuration"),
        ("gatherings", "0001_gatherings_sessions_polls"),
    ]

    operations = [
        migrations.RunPython(add_formats, migrations.RunPython.noop),
        postgresql_search_index(
            "gatherings", "Gathering", "gathering_search", "title", ("description", "minutes")
        ),
        postgresql_search_index(
            "gatherings", "Session", "gathering_session_search", "title", ("description", "notes")
        ),
    ]
