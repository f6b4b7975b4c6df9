"""Close two ways round the append-only triggers of 0002.

PostgreSQL: TRUNCATE fires only the statement trigger, where OLD is NULL, so the shared
function let it through and emptied the log. It now refuses TRUNCATE outright.

SQLite: ``INSERT OR REPLACE`` with an existing id deletes the old row without firing DELETE
triggers (recursive_triggers is off by default) and so overwrote a row. An insert that
names an existing id is now refused.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE TRIGGER audit_accesslog_no_replace BEFORE INSERT ON audit_accesslog
    WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit_accesslog WHERE id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'audit_accesslog is append-only'); END;
    """,
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS audit_accesslog_no_replace;"]

POSTGRES_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION audit_accesslog_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION 'audit_accesslog is append-only';
        END IF;
        IF TG_OP = 'TRUNCATE' THEN
            RAISE EXCEPTION 'audit_accesslog cannot be truncated';
        END IF;
        IF OLD.occurred_at > now() - interval '5 years' THEN
            RAISE EXCEPTION 'audit_accesslog rows are kept five years';
        END IF;
        RETURN OLD;
    END;
    $$ LANGUAGE plpgsql;
    """,
]
# The function as 0002 created it.
POSTGRES_BACKWARD = [
    """
    CREATE OR REPLACE FUNCTION audit_accesslog_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION 'audit_accesslog is append-only';
        END IF;
        IF OLD.occurred_at > now() - interval '5 years' THEN
            RAISE EXCEPTION 'audit_accesslog rows are kept five years';
        END IF;
        RETURN OLD;
    END;
    $$ LANGUAGE plpgsql;
    """,
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_access_log_append_only")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
