"""A sensible French set of categories, each with a marker colour and an icon name."""

from django.db import migrations

CATEGORIES = [
    # slug, name, colour, icon
    ("jardins-alimentation", "Jardins & alimentation", "#2e7d32", "sprout"),
    ("habitat-foncier", "Habitat & foncier", "#8d4b1f", "home"),
    ("energie", "Énergie", "#b7791f", "bolt"),
    ("logiciel-libre-numerique", "Logiciel libre & numérique", "#1f5fa8", "code"),
    ("savoirs-culture", "Savoirs & culture", "#7b3fa0", "book"),
    ("tiers-lieux", "Tiers-lieux", "#c2185b", "door"),
    ("finance-monnaies", "Finance & monnaies", "#00796b", "coins"),
    ("sante-soin", "Santé & soin", "#c62828", "heart"),
    ("mobilite", "Mobilité", "#455a64", "bike"),
    ("autre", "Autre", "#5d5d5d", "dot"),
]


def create_categories(apps, schema_editor):
    Category = apps.get_model("commons_registry", "Category")
    for order, (slug, name, colour, icon) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "colour": colour, "icon": icon, "order": order * 10}
        )


def remove_categories(apps, schema_editor):
    Category = apps.get_model("commons_registry", "Category")
    Category.objects.filter(slug__in=[row[0] for row in CATEGORIES], commons__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("commons_registry", "0002_moderation_and_freshness")]

    operations = [migrations.RunPython(create_categories, remove_categories)]
