"""Turn the single "e-mail reminders" flag into per-topic preferences, keeping each choice.

People who had reminders on keep the defaults (no row needed). People who had turned them off get
assemblies "never" (no meeting reminders, as before) and discussions and votes in the weekly digest
(no vote reminders, as before, while a vote that opens on their roll still reaches them).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    User = apps.get_model("assembly", "User")
    NotificationPreferences = apps.get_model("assembly", "NotificationPreferences")
    NotificationPreferences.objects.bulk_create(
        [
            NotificationPreferences(person_id=pk, assemblies="never", decisions="weekly")
            for pk in User.objects.filter(wants_reminders=False).values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
    )


def backwards(apps, schema_editor):
    User = apps.get_model("assembly", "User")
    NotificationPreferences = apps.get_model("assembly", "NotificationPreferences")
    silenced = NotificationPreferences.objects.filter(assemblies="never").values("person_id")
    User.objects.filter(pk__in=silenced).update(wants_reminders=False)


class Migration(migrations.Migration):
    dependencies = [("assembly", "0003_notification_preferences_subscriber")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
