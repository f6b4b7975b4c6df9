"""Load the shipped instrument definitions into a new database.

A data migration may not import app code that changes later, so this holds its own small
copy of the loading rules (the YAML dialect, the normalisation and the checksum of
``schema.parse_definition`` and ``services.load_definition`` as they were written). It only
adds versions that are missing; ``manage.py load_instruments`` (run by ``make run``) is
the full loader that validates, updates unanswered versions and refuses changed answered
ones.
"""

import hashlib
import json
import re
from pathlib import Path

import yaml
from django.db import migrations

DEFINITIONS_DIR = Path(__file__).resolve().parent.parent / "definitions"
BOOL_TAG = "tag:yaml.org,2002:bool"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class Loader(yaml.SafeLoader):
    pass


Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (BOOL_TAG, TIMESTAMP_TAG)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver(
    BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def normalise(value):
    if isinstance(value, dict):
        return {str(k): normalise(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [normalise(v) for v in value]
    return value


def read(path):
    try:
        data = normalise(yaml.load(path.read_text(encoding="utf-8"), Loader=Loader))  # noqa: S506
    except (yaml.YAMLError, OSError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("key"), str):
        return None
    if not isinstance(data.get("version"), int) or not isinstance(data.get("sections"), list):
        return None
    for section in data["sections"]:
        for item in section.get("items", []) if isinstance(section, dict) else []:
            for option in item.get("options", []) if isinstance(item, dict) else []:
                if isinstance(option, dict) and "value" in option:
                    option["value"] = str(option["value"])
    for score in (data.get("scoring") or {}).get("scores", []):
        if isinstance(score, dict) and "count_values" in score:
            score["count_values"] = [str(v) for v in score["count_values"]]
    return data


def load(apps, schema_editor):
    InstrumentDefinition = apps.get_model("instruments", "InstrumentDefinition")
    if not DEFINITIONS_DIR.is_dir():
        return
    for path in sorted(DEFINITIONS_DIR.iterdir()):
        if path.suffix not in (".yaml", ".yml"):
            continue
        data = read(path)
        if data is None:
            continue  # load_instruments reports why, with line numbers
        canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        InstrumentDefinition.objects.get_or_create(
            key=data["key"],
            version=data["version"],
            defaults={
                "definition": data,
                "source_file": path.name,
                "checksum": hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("instruments", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
