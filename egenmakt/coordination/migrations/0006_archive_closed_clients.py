"""Clients closed before the archive existed are archived as of their last change."""

from django.db import migrations
from django.db.models import F


def archive_closed(apps, schema_editor):
    Client = apps.get_model("coordination", "Client")
    Client.objects.filter(phase="closed", archived_at__isnull=True).update(
        archived_at=F("updated_at")
    )


def unarchive(apps, schema_editor):
    Client = apps.get_model("coordination", "Client")
    Client.objects.filter(archived_at__isnull=False).update(archived_at=None)


class Migration(migrations.Migration):
    dependencies = [("coordination", "0005_archive_retention_restriction")]

    operations = [migrations.RunPython(archive_closed, unarchive)]
