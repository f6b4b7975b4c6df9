"""The instrument definition format: JSON Schema, YAML parsing, and problems with line numbers.

An instrument (ORS, AUDIT, a region's interview template, ...) is data: one YAML file per
version in ``definitions/``. ``parse_definition`` turns the text of such a file into the
validated dict that the database stores and the form renderer and scoring read. Every
problem it finds is reported at once, each with the line it sits on, so an admin importing
a region's own template sees everything to fix in one go and nothing is saved.

The format is an agreed contract with the content (see ``README.md``, "Instruments").
Two deliberate YAML choices, because authors write Swedish forms, not YAML 1.1:

* only ``true``/``false`` are booleans: ``yes``, ``no``, ``on``, ``off`` stay strings, so
  ``scores: {yes: 2, partly: 1, no: 0}`` means what it says;
* dates stay strings (``2016-03-01``), because answers and JSON store ISO strings.

Mapping keys are stored as strings (JSON has no integer keys): scale ``anchors: {0: ...}``
becomes ``{"0": ...}``. Option values and ``count_values`` may be written as integers and
are stored as strings.

The package's modules follow the path a file takes: ``yaml_reader`` reads the text,
``json_schema`` gives its shape, ``schema_errors`` tells a schema error in plain words,
``checks`` holds the rules a schema cannot say, and ``definition`` the words they share.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from .checks import Checker, normalise_values
from .definition import (
    COUNTABLE_TYPES,
    DEFAULT_YES_PARTLY_NO_SCORES,
    LONG_TEXT_MAX,
    SCORED_TYPES,
    SHORT_TEXT_MAX,
    YES_PARTLY_NO,
    DefinitionError,
    Problem,
    iter_items,
    text,
)
from .json_schema import VALIDATOR
from .schema_errors import best_cause, schema_problem
from .yaml_reader import (
    MAX_DEFINITION_BYTES,
    Refused,
    compose_and_construct,
    duplicate_keys,
    normalise,
    too_large_message,
    yaml_problem,
)

__all__ = [
    "COUNTABLE_TYPES",
    "DEFAULT_YES_PARTLY_NO_SCORES",
    "DEFINITIONS_DIR",
    "LONG_TEXT_MAX",
    "MAX_DEFINITION_BYTES",
    "SCORED_TYPES",
    "SHORT_TEXT_MAX",
    "YES_PARTLY_NO",
    "DefinitionError",
    "Problem",
    "iter_items",
    "load_definition_file",
    "parse_definition",
    "shipped_definition_paths",
    "text",
    "too_large_message",
]

DEFINITIONS_DIR = Path(__file__).resolve().parent.parent / "definitions"


def parse_definition(text: str, *, source: str | None = None) -> dict[str, Any]:
    """Parse and validate the YAML (or JSON) text of one instrument version.

    Returns plain JSON-ready data. Raises ``DefinitionError`` listing every problem found
    (line, path, message); ``source`` (a file name) starts the exception's text.
    """
    problems = _problems_and_data(text)
    if isinstance(problems, dict):
        return problems
    error = DefinitionError(problems)
    if source:
        error.args = (f"{source}:\n{error.args[0]}",)
    raise error


def _problems_and_data(text: str) -> list[Problem] | dict[str, Any]:
    # Counted in bytes before the parser sees a character; "surrogatepass" so that text
    # holding a lone surrogate is measured here and refused by the YAML reader below.
    if len(text.encode("utf-8", "surrogatepass")) > MAX_DEFINITION_BYTES:
        return [Problem(None, "", too_large_message())]
    try:
        root, data = compose_and_construct(text)
    except Refused as exc:
        return [Problem(exc.line, "", exc.message)]
    except yaml.YAMLError as exc:
        return [yaml_problem(exc, text)]
    except ValueError:
        # An integer with more digits than Python converts (``sys.get_int_max_str_digits``).
        return [Problem(None, "", _("the file holds a value that cannot be read"))]
    if data is None:
        return [Problem(1, "", _("the file is empty"))]
    problems = list(duplicate_keys(root, []))
    data = normalise(data)
    try:
        json.dumps(data)
    except (TypeError, ValueError):
        problems.append(Problem(None, "", _("the file holds values that are not plain data")))
        return problems
    schema_errors = sorted(VALIDATOR.iter_errors(data), key=lambda e: list(map(str, e.path)))
    for schema_error in schema_errors:
        # The common item keys are checked by the item schema and again by its type's
        # branch; one report is enough.
        problem = schema_problem(best_cause(schema_error), root)
        if problem not in problems:
            problems.append(problem)
    checker = Checker(data, root)
    try:
        normalise_values(data)
        checker.run()
    except (KeyError, TypeError, AttributeError, ValueError):
        # The data does not have the shape the checks assume; the schema errors say why.
        if not schema_errors:
            raise
    problems.extend(p for p in checker.problems if p not in problems)
    return problems or data


def load_definition_file(path: Path) -> dict[str, Any]:
    """Parse one definition file; problems name the file."""
    return parse_definition(path.read_text(encoding="utf-8"), source=path.name)


def shipped_definition_paths() -> list[Path]:
    """Every definition file shipped in ``definitions/``, sorted by file name."""
    if not DEFINITIONS_DIR.is_dir():
        return []
    return sorted(
        p for p in DEFINITIONS_DIR.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()
    )
