import django.utils.timezone
from django.db import migrations, models


def from_creation(apps, schema_editor):
    """A meeting never edited since this field came was last updated when it was created."""
    Meeting = apps.get_model("workshops", "Meeting")
    Meeting.objects.update(updated_at=models.F("created_at"))


class Migration(migrations.Migration):
    dependencies = [("workshops", "0007_applied_tick")]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, default=django.utils.timezone.now, verbose_name="updated"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(from_creation, migrations.RunPython.noop),
    ]
