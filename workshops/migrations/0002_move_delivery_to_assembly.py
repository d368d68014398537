# The delivery log moves to the assembly app (assembly/notifications/), keeping its table and rows:
# the database only renames the table (and its index) to the assembly app's names, and the model
# leaves this app's state. assembly.0002_delivery then adds it to the assembly app's state, without
# touching the database.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('workshops', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RenameIndex(
                    model_name='delivery',
                    new_name='assembly_de_state_d53400_idx',
                    old_name='workshops_d_state_f61e11_idx',
                ),
                migrations.AlterModelTable(name='delivery', table='assembly_delivery'),
            ],
            state_operations=[
                migrations.DeleteModel(name='Delivery'),
            ],
        ),
    ]
