"""The home organisation is required once every row has it, and the indicators' indexes
use it. (A migration of its own: PostgreSQL refuses to alter a table that the backfill's
deferred foreign-key checks still wait on in the same transaction.)"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("coordination", "0018_home_organisation_on_meetings_and_plans"),
    ]

    operations = [
        migrations.AlterField(
            model_name="meeting",
            name="home_organisation",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
                verbose_name="the client's home organisation",
            ),
        ),
        migrations.AlterField(
            model_name="planversion",
            name="home_organisation",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
                verbose_name="the client's home organisation",
            ),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(
                fields=["home_organisation", "status", "starts_at"], name="meeting_home_held"
            ),
        ),
        migrations.AddIndex(
            model_name="planversion",
            index=models.Index(
                fields=["home_organisation", "decided_on"], name="planversion_home_day"
            ),
        ),
    ]
