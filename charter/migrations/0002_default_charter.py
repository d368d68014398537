from django.db import migrations


def create_default_charter(apps, schema_editor):
    Charter = apps.get_model("charter", "Charter")
    Charter.objects.get_or_create(
        slug="charte-des-pratiques", defaults={"title": "Charte des pratiques"}
    )


class Migration(migrations.Migration):
    dependencies = [("charter", "0001_charter_versions_amendments")]

    operations = [migrations.RunPython(create_default_charter, migrations.RunPython.noop)]
