from django.db import migrations, models


def existing_comments_were_told(apps, schema_editor):
    """Comments written before replies were told count as told: no flood of old news."""
    Comment = apps.get_model("decisions", "Comment")
    Comment.objects.filter(replies_told_at=None).update(replies_told_at=models.F("created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0003_search_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="replies_told_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(existing_comments_were_told, migrations.RunPython.noop),
    ]
