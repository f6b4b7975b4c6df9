"""The client's home organisation on each meeting and decided plan version, filled from the
client, so that the indicators count an area's rows through one index range per unit."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Client = apps.get_model("coordination", "Client")
    Meeting = apps.get_model("coordination", "Meeting")
    PlanVersion = apps.get_model("coordination", "PlanVersion")
    home = Client.objects.filter(pk=OuterRef("client_id")).values("organisation_id")[:1]
    Meeting.objects.update(home_organisation_id=Subquery(home))
    Plan = apps.get_model("coordination", "Plan")
    plan_home = Plan.objects.filter(pk=OuterRef("plan_id")).values("client__organisation_id")[:1]
    PlanVersion.objects.update(home_organisation_id=Subquery(plan_home))


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_user_phone"),
        ("coordination", "0017_indicator_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="meeting", name="meeting_status_starts"),
        migrations.RemoveIndex(model_name="planversion", name="planversion_decided_on"),
        migrations.AddField(
            model_name="meeting",
            name="home_organisation",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
                verbose_name="the client's home organisation",
            ),
        ),
        migrations.AddField(
            model_name="planversion",
            name="home_organisation",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
                verbose_name="the client's home organisation",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
