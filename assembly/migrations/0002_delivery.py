# The delivery log, moved here from workshops with its rows. workshops.0002 renamed the table in
# the database; this migration only adds the model to the assembly app's state. It depends on that
# workshops migration (against the app chain, in migrations only) because the table is born in
# workshops' history: on a fresh database, workshops.0001 creates it, workshops.0002 renames it.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assembly', '0001_initial'),
        ('workshops', '0002_move_delivery_to_assembly'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Delivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('topic', models.CharField(max_length=80, verbose_name='about')),
                        ('kind', models.CharField(max_length=60, verbose_name='kind')),
                        ('state', models.CharField(choices=[('pending', 'pending'), ('sending', 'sending'), ('sent', 'sent'), ('uncertain', 'uncertain'), ('failed', 'failed')], default='pending', max_length=10, verbose_name='state')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('claimed_at', models.DateTimeField(blank=True, null=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('error', models.TextField(blank=True)),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'e-mail delivery',
                        'verbose_name_plural': 'e-mail deliveries',
                        'ordering': ['-created_at'],
                        'indexes': [models.Index(fields=['state'], name='assembly_de_state_d53400_idx')],
                        'constraints': [models.UniqueConstraint(fields=('topic', 'person', 'kind'), name='one_delivery_per_topic_person_kind')],
                    },
                ),
            ],
        ),
    ]
