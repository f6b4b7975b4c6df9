"""Definitions as versioned data: loading is idempotent, answered versions never change."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from egenmakt.instruments import schema, services
from egenmakt.instruments.models import InstrumentDefinition
from egenmakt.instruments.schema import DefinitionError
from egenmakt.instruments.tests.examples import ALL_TYPES_YAML
from egenmakt.instruments.tests.factories import ORS_ANSWERS, submitted

V1 = ALL_TYPES_YAML
V1_EDITED = ALL_TYPES_YAML.replace("en: Mood}", "en: Your mood}")
V2 = V1_EDITED.replace("version: 1", "version: 2", 1)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def definitions_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(schema, "DEFINITIONS_DIR", tmp_path)
    return tmp_path


def test_the_data_migration_loaded_every_shipped_definition(db):
    for path in schema.shipped_definition_paths():
        definition = schema.load_definition_file(path)
        stored = InstrumentDefinition.objects.get(
            key=definition["key"], version=definition["version"]
        )
        # Same checksum: the migration's copy of the loading rules matches the loader's.
        assert stored.checksum == services.checksum_of(definition)


def test_load_instruments_twice_changes_nothing(db, definitions_dir):
    (definitions_dir / "engine_test.yaml").write_text(V1)
    call_command("load_instruments", verbosity=0)
    first = InstrumentDefinition.objects.get(key="engine_test")
    call_command("load_instruments", verbosity=0)
    assert list(InstrumentDefinition.objects.filter(key="engine_test")) == [first]


def test_an_unanswered_version_may_still_be_edited(db, definitions_dir):
    path = definitions_dir / "engine_test.yaml"
    path.write_text(V1)
    call_command("load_instruments", verbosity=0)
    path.write_text(V1_EDITED)
    call_command("load_instruments", verbosity=0)
    stored = InstrumentDefinition.objects.get(key="engine_test", version=1)
    assert stored.definition["sections"][0]["items"][0]["label"]["en"] == "Your mood"


def test_an_answered_version_is_never_changed_by_an_edited_file(cast, definitions_dir):
    path = definitions_dir / "engine_test.yaml"
    path.write_text(V1)
    call_command("load_instruments", verbosity=0)
    definition = InstrumentDefinition.objects.get(key="engine_test", version=1)
    submitted(
        definition, cast.org("outpatient"), cast.workplace_manager, {"mood": 1, "wellbeing": 2}
    )
    path.write_text(V1_EDITED)
    with pytest.raises(CommandError, match="has been answered and cannot change"):
        call_command("load_instruments", verbosity=0)
    definition.refresh_from_db()
    assert definition.definition["sections"][0]["items"][0]["label"]["en"] == "Mood"


def test_a_new_version_leaves_old_responses_on_the_old_version(cast, definitions_dir):
    (definitions_dir / "engine_test.yaml").write_text(V1)
    call_command("load_instruments", verbosity=0)
    v1 = InstrumentDefinition.objects.get(key="engine_test", version=1)
    old = submitted(v1, cast.org("outpatient"), cast.workplace_manager, {"mood": 1, "wellbeing": 2})
    (definitions_dir / "engine_test.v2.yaml").write_text(V2)
    call_command("load_instruments", verbosity=0)
    old.refresh_from_db()
    assert old.definition_id == v1.pk
    assert old.definition.definition["sections"][0]["items"][0]["label"]["en"] == "Mood"
    v2 = InstrumentDefinition.objects.get(key="engine_test", version=2)
    assert v2.definition["sections"][0]["items"][0]["label"]["en"] == "Your mood"


def test_an_invalid_shipped_file_is_reported_and_the_others_load(db, definitions_dir):
    (definitions_dir / "broken.yaml").write_text("key: broken\nversion: [1\n")
    (definitions_dir / "engine_test.yaml").write_text(V1)
    with pytest.raises(CommandError, match=r"(?s)broken.yaml.*line 2"):
        call_command("load_instruments", verbosity=0)
    assert InstrumentDefinition.objects.filter(key="engine_test").exists()


def test_import_creates_a_new_version(cast):
    row = services.import_definition(
        user=cast.admin, text=V1, file_name="mine.yaml", organisation=cast.org("network")
    )
    assert (row.key, row.version, row.created_by) == ("engine_test", 1, cast.admin)


def test_import_of_an_existing_version_is_refused_and_saves_nothing(cast):
    services.import_definition(
        user=cast.admin, text=V1, file_name="mine.yaml", organisation=cast.org("network")
    )
    with pytest.raises(services.DefinitionRefusedError, match="set version: 2"):
        services.import_definition(
            user=cast.admin,
            text=V1_EDITED,
            file_name="mine.yaml",
            organisation=cast.org("network"),
        )
    assert InstrumentDefinition.objects.filter(key="engine_test").count() == 1


def test_import_of_a_malformed_file_saves_nothing(cast):
    with pytest.raises(DefinitionError):
        services.import_definition(
            user=cast.admin,
            text=V1.replace("type: vas", "type: slider"),
            file_name="x.yaml",
            organisation=cast.org("network"),
        )
    assert not InstrumentDefinition.objects.filter(key="engine_test").exists()


def test_ors_answers_fixture_matches_the_shipped_ors(cast):
    ors = InstrumentDefinition.objects.filter(key="ors").first()
    assert submitted(ors, cast.peer_supporter, cast.coordinator, ORS_ANSWERS).scores
