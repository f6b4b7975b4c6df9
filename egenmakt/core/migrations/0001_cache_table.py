"""The shared cache's table (egenmakt.core.cache), so a fresh database needs no extra command.

Created whatever CACHE_URL says today, so an installation can move between Redis and the
database cache without running createcachetable by hand. The name is written out here
rather than imported: a migration must not change when app code does.
"""

from django.core.management import call_command
from django.db import migrations

TABLE = "egenmakt_cache"


def create_cache_table(apps, schema_editor):
    call_command(
        "createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0
    )


def drop_cache_table(apps, schema_editor):
    quote_name = schema_editor.connection.ops.quote_name
    schema_editor.execute(f"DROP TABLE IF EXISTS {quote_name(TABLE)}")


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
