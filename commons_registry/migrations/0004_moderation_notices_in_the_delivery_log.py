# The moderation e-mail now goes through the delivery log (topic "commons:<id>", kind "moderation"),
# which sends it once; the column that made it at-most-once goes. Proposers already told keep that
# fact as a sent delivery, so that a late retry of the task cannot tell them twice.

from django.db import migrations


def record_notices_as_sent(apps, schema_editor):
    Commons = apps.get_model("commons_registry", "Commons")
    Delivery = apps.get_model("assembly", "Delivery")
    told = Commons.objects.filter(
        moderation_notified_at__isnull=False, submitted_by__isnull=False
    ).values_list("pk", "submitted_by_id", "moderation_notified_at")
    Delivery.objects.bulk_create(
        [
            Delivery(
                topic=f"commons:{pk}",
                person_id=person_id,
                kind="moderation",
                state="sent",
                created_at=notified_at,
                claimed_at=notified_at,
                sent_at=notified_at,
            )
            for pk, person_id, notified_at in told
        ],
        ignore_conflicts=True,
    )


def restore_notified_at(apps, schema_editor):
    Commons = apps.get_model("commons_registry", "Commons")
    Delivery = apps.get_model("assembly", "Delivery")
    sent = Delivery.objects.filter(
        kind="moderation", topic__startswith="commons:", sent_at__isnull=False
    ).values_list("topic", "sent_at")
    for topic, sent_at in sent:
        Commons.objects.filter(pk=int(topic.removeprefix("commons:"))).update(
            moderation_notified_at=sent_at
        )


class Migration(migrations.Migration):

    dependencies = [
        ('assembly', '0002_delivery'),
        ('commons_registry', '0003_seed_categories'),
    ]

    operations = [
        migrations.RunPython(record_notices_as_sent, restore_notified_at),
        migrations.RemoveField(
            model_name='commons',
            name='moderation_notified_at',
        ),
        migrations.RemoveField(
            model_name='historicalcommons',
            name='moderation_notified_at',
        ),
    ]
