"""Database triggers that make the access log append-only.

UPDATE is always refused. DELETE is refused for rows younger than the retention time
(five years, PDL / HSLF-FS 2016:40 4 kap. 9 §), so not even a bug or a raw query in the
app can remove recent rows.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE TRIGGER audit_accesslog_no_update BEFORE UPDATE ON audit_accesslog
    BEGIN SELECT RAISE(ABORT, 'audit_accesslog is append-only'); END;
    """,
    """
    CREATE TRIGGER audit_accesslog_no_early_delete BEFORE DELETE ON audit_accesslog
    WHEN OLD.occurred_at > datetime('now', '-5 years')
    BEGIN SELECT RAISE(ABORT, 'audit_accesslog rows are kept five years'); END;
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_accesslog_no_update;",
    "DROP TRIGGER IF EXISTS audit_accesslog_no_early_delete;",
]

POSTGRES_FORWARD = [
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
    """
    CREATE TRIGGER audit_accesslog_append_only
    BEFORE UPDATE OR DELETE ON audit_accesslog
    FOR EACH ROW EXECUTE FUNCTION audit_accesslog_append_only();
    """,
    # TRUNCATE skips row triggers; refuse it as a statement.
    """
    CREATE TRIGGER audit_accesslog_no_truncate
    BEFORE TRUNCATE ON audit_accesslog
    FOR EACH STATEMENT EXECUTE FUNCTION audit_accesslog_append_only();
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_accesslog_no_truncate ON audit_accesslog;",
    "DROP TRIGGER IF EXISTS audit_accesslog_append_only ON audit_accesslog;",
    "DROP FUNCTION IF EXISTS audit_accesslog_append_only();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
