"""Migrating the test database back and forth, for the tests of data migrations: build
rows, go back to the migration before, forward again, and look at what was made of them.
A test that goes back must end with ``migrate_to_latest`` (in a ``finally``), or the
tests after it meet tables that later migrations made missing."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(targets: list[tuple[str, str]]) -> Any:
    """Migrate to ``targets`` ([(app, migration)]); the historical apps at that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest() -> Any:
    """Every app at its newest migration again; the historical apps at that state."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return migrate_to(executor.loader.graph.leaf_nodes())
