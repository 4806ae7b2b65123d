"""A practice's commendations are kept by the oversight room (issue 12); oversight 0003 copied the rows."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('practices', '0002_search_indexes'),
        ('oversight', '0003_commendations_in_one_place'),
    ]

    operations = [
        migrations.DeleteModel(
            name='Commendation',
        ),
    ]
