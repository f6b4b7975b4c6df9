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
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import jsonschema
import yaml
from django.utils.translation import gettext as _

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"

KEY_PATTERN = r"^[a-z0-9_]+$"
RESPONDENT_KINDS = ("client", "relative", "staff", "applicant", "peer_supporter")
ITEM_TYPES = (
    "scale",
    "vas",
    "single_choice",
    "multiple_choice",
    "yes_partly_no",
    "number",
    "date",
    "short_text",
    "long_text",
    "day_grid",
    "repeating_rows",
)
ROW_COLUMN_TYPES = ("short_text", "long_text", "number", "date")
YES_PARTLY_NO = ("yes", "partly", "no")
DEFAULT_YES_PARTLY_NO_SCORES = {"yes": 2, "partly": 1, "no": 0}
SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 10000
# Item types whose answer has a numeric score (see scoring.item_score).
SCORED_TYPES = ("scale", "vas", "single_choice", "multiple_choice", "yes_partly_no", "number")
# Item types whose answer values can be counted (method: count).
COUNTABLE_TYPES = ("scale", "single_choice", "multiple_choice", "yes_partly_no")


class Problem(NamedTuple):
    """One thing wrong with a definition file; ``line`` is 1-based, None when unknown."""

    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = _("line %(line)s") % {"line": self.line} if self.line else _("(no line)")
        return (
            f"{where}: {self.path or '/'}: {self.message}"
            if self.path
            else f"{where}: {self.message}"
        )


class DefinitionError(ValueError):
    """A definition that cannot be used; ``problems`` lists every reason found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.line or 0, p.path))
        super().__init__("\n".join(str(p) for p in self.problems))


# --- JSON Schema -------------------------------------------------------------------------

_I18N: dict[str, Any] = {
    "type": "object",
    "properties": {
        "sv": {"type": "string", "minLength": 1},
        "en": {"type": "string", "minLength": 1},
    },
    "required": ["sv", "en"],
    "additionalProperties": False,
}
_KEY: dict[str, Any] = {"type": "string", "pattern": KEY_PATTERN}
_COMMON_ITEM_PROPERTIES: dict[str, Any] = {
    "key": _KEY,
    "type": {"enum": list(ITEM_TYPES)},
    "label": {"$ref": "#/$defs/text"},
    "help": {"$ref": "#/$defs/text"},
    "required": {"type": "boolean"},
}
_OPTION: dict[str, Any] = {
    "type": "object",
    "properties": {
        "value": {"type": ["string", "integer"], "minLength": 1},
        "label": {"$ref": "#/$defs/text"},
        "score": {"type": "number"},
    },
    "required": ["value", "label"],
    "additionalProperties": False,
}
_ANCHORS: dict[str, Any] = {
    "type": "object",
    "patternProperties": {r"^-?[0-9]+$": {"$ref": "#/$defs/text"}},
    "additionalProperties": False,
}
# Keys each item type takes beyond the common ones; used both in the schema and in messages.
_TYPE_PROPERTIES: dict[str, dict[str, Any]] = {
    "scale": {
        "min": {"type": "integer"},
        "max": {"type": "integer"},
        "anchors": _ANCHORS,
        "scores": {
            "type": "object",
            "patternProperties": {r"^-?[0-9]+$": {"type": "number"}},
            "additionalProperties": False,
        },
    },
    "vas": {"anchors": _ANCHORS},
    "single_choice": {"options": {"type": "array", "items": _OPTION, "minItems": 1}},
    "multiple_choice": {
        "options": {"type": "array", "items": _OPTION, "minItems": 1},
        "min_choices": {"type": "integer", "minimum": 0},
        "max_choices": {"type": "integer", "minimum": 1},
    },
    "yes_partly_no": {
        "scores": {
            "type": "object",
            "properties": {v: {"type": "number"} for v in YES_PARTLY_NO},
            "additionalProperties": False,
        }
    },
    "number": {
        "min": {"type": "number"},
        "max": {"type": "number"},
        "decimals": {"type": "integer", "minimum": 0, "maximum": 6},
        "unit": {"$ref": "#/$defs/text"},
    },
    "date": {},
    "short_text": {"max_length": {"type": "integer", "minimum": 1, "maximum": SHORT_TEXT_MAX}},
    "long_text": {"max_length": {"type": "integer", "minimum": 1, "maximum": LONG_TEXT_MAX}},
    "day_grid": {
        "start_hour": {"type": "integer", "minimum": 0, "maximum": 23},
        "end_hour": {"type": "integer", "minimum": 0, "maximum": 23},
    },
    "repeating_rows": {
        "columns": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "key": _KEY,
                    "label": {"$ref": "#/$defs/text"},
                    "type": {"enum": list(ROW_COLUMN_TYPES)},
                },
                "required": ["key", "label", "type"],
                "additionalProperties": False,
            },
        },
        "min_rows": {"type": "integer", "minimum": 0},
        "max_rows": {"type": "integer", "minimum": 1},
    },
}
_TYPE_REQUIRED: dict[str, list[str]] = {
    "scale": ["min", "max"],
    "single_choice": ["options"],
    "multiple_choice": ["options"],
    "repeating_rows": ["columns"],
}

DEFINITION_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Egenmakt instrument definition",
    "type": "object",
    "$defs": {
        "text": _I18N,
        "item": {
            "type": "object",
            "properties": _COMMON_ITEM_PROPERTIES,
            "required": ["key", "type", "label"],
            "allOf": [
                {
                    "if": {"properties": {"type": {"const": item_type}}, "required": ["type"]},
                    "then": {
                        "properties": {**_COMMON_ITEM_PROPERTIES, **extra},
                        "required": _TYPE_REQUIRED.get(item_type, []),
                        "additionalProperties": False,
                    },
                }
                for item_type, extra in _TYPE_PROPERTIES.items()
            ],
        },
        "band": {
            "type": "object",
            "properties": {
                "min": {"type": "number"},
                "max": {"type": "number"},
                "key": _KEY,
                "label": {"$ref": "#/$defs/text"},
            },
            "required": ["min", "max", "key", "label"],
            "additionalProperties": False,
        },
        "score": {
            "type": "object",
            "properties": {
                "key": _KEY,
                "label": {"$ref": "#/$defs/text"},
                "method": {"enum": ["sum", "mean", "count"]},
                "items": {
                    "oneOf": [
                        {"const": "all"},
                        {"type": "array", "items": _KEY, "minItems": 1},
                    ]
                },
                "count_values": {
                    "type": "array",
                    "items": {"type": ["string", "integer"]},
                    "minItems": 1,
                },
                "min": {"type": "number"},
                "max": {"type": "number"},
                "primary": {"type": "boolean"},
                "bands": {"type": "array", "items": {"$ref": "#/$defs/band"}},
                "cutoff": {
                    "type": "object",
                    "properties": {
                        "value": {"type": "number"},
                        "clinical_when": {"enum": ["at_or_below", "at_or_above"]},
                        "label": {"$ref": "#/$defs/text"},
                    },
                    "required": ["value", "clinical_when"],
                    "additionalProperties": False,
                },
                "reliable_change": {"type": "number", "exclusiveMinimum": 0},
                "higher_is_better": {"type": "boolean"},
            },
            "required": ["key", "label", "method", "items", "min", "max"],
            "additionalProperties": False,
        },
    },
    "properties": {
        "key": _KEY,
        "version": {"type": "integer", "minimum": 1},
        "title": {"$ref": "#/$defs/text"},
        "help": {"$ref": "#/$defs/text"},
        "notes": {"type": "string"},
        "source": {"type": "string"},
        "respondents": {
            "type": "array",
            "items": {"enum": list(RESPONDENT_KINDS)},
            "minItems": 1,
            "uniqueItems": True,
        },
        "sections": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "key": _KEY,
                    "title": {"$ref": "#/$defs/text"},
                    "help": {"$ref": "#/$defs/text"},
                    "items": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/item"}},
                },
                "required": ["key", "title", "items"],
                "additionalProperties": False,
            },
        },
        "scoring": {
            "type": "object",
            "properties": {
                "scores": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/score"}}
            },
            "required": ["scores"],
            "additionalProperties": False,
        },
    },
    "required": ["key", "version", "title", "respondents", "sections"],
    "additionalProperties": False,
}

_VALIDATOR = jsonschema.Draft202012Validator(DEFINITION_SCHEMA)


# --- YAML loading --------------------------------------------------------------------------

_BOOL_TAG = "tag:yaml.org,2002:bool"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


# Definitions are hand-written forms: the largest shipped one (DUDIT) is about 11 kB, so
# 256 kB leaves room for a region's template twenty times its size, while the pure-Python
# parser still reads the largest allowed file in well under a second.
MAX_DEFINITION_BYTES = 256 * 1024
# A definition nests about six levels (sections, items, options, label, text); fifty is far
# beyond any honest file and far below where the recursive composer, the schema check and
# ``_normalise`` would exhaust Python's stack.
MAX_NESTING = 50


def too_large_message() -> str:
    return _("the file is larger than %(size)s kB") % {"size": MAX_DEFINITION_BYTES // 1024}


class _Refused(yaml.YAMLError):
    """A refusal found while composing, before anything is built from the text."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _DefinitionLoader(yaml.SafeLoader):
    """SafeLoader without YAML 1.1's yes/no/on/off booleans and without date objects.

    It also refuses, event by event and before any node is built, what a form definition
    never needs and an attacker does: anchors and aliases (a few hundred bytes of nested
    aliases expand to gigabytes, the "billion laughs"), explicit tags, and nesting deeper
    than ``MAX_NESTING`` (a deep file exhausts the recursive composer).
    """

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(
                line,
                _(
                    "anchors and aliases (& and *) are not allowed: write the text out "
                    "in full where it is used"
                ),
            )
        if getattr(event, "tag", None) is not None:
            # ``!!timestamp``, ``!!binary``, ``!!set`` and friends build values a form
            # definition never holds, and some of them crash on bad input.
            raise _Refused(line, _("YAML tags (! and !!) are not allowed"))
        if self._depth >= MAX_NESTING:
            raise _Refused(
                line,
                _("the file is nested more than %(levels)s levels deep") % {"levels": MAX_NESTING},
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_DefinitionLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_BOOL_TAG, _TIMESTAMP_TAG)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_DefinitionLoader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _line(node: yaml.Node | None) -> int | None:
    return node.start_mark.line + 1 if node is not None else None


def _format_path(parts: Iterable[str | int]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node | None, yaml.Node | None]:
    """The (key node, value node) of ``part`` inside ``node``; (None, None) if absent."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                return key_node, value_node
    elif (
        isinstance(node, yaml.SequenceNode)
        and isinstance(part, int)
        and 0 <= part < len(node.value)
    ):
        return None, node.value[part]
    return None, None


def line_of(root: yaml.Node | None, parts: Sequence[str | int], *, key: bool = False) -> int | None:
    """The line of the YAML node at ``parts`` (or the nearest ancestor that exists).

    With ``key=True`` the line of the mapping key itself, which is where an author looks
    for a misspelt or misplaced key.
    """
    node = root
    line = _line(root)
    for part in parts:
        if node is None:
            break
        key_node, value_node = _child(node, part)
        if value_node is None:
            break
        node = value_node
        line = _line(key_node if key and key_node is not None else value_node)
    return line


def _duplicate_keys(node: yaml.Node | None, parts: list[str | int]) -> Iterator[Problem]:
    """PyYAML silently keeps the last of two equal keys; an author means neither."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if name is not None:
                if name in seen:
                    yield Problem(
                        _line(key_node),
                        _format_path([*parts, name]),
                        _("the key '%(key)s' appears twice in the same place") % {"key": name},
                    )
                seen.add(name)
            yield from _duplicate_keys(value_node, [*parts, name if name is not None else "?"])
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            yield from _duplicate_keys(child, [*parts, index])


def _normalise(value: Any) -> Any:
    """Plain JSON data: string mapping keys, lists for sequences."""
    if isinstance(value, dict):
        return {str(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalise(v) for v in value]
    return value


# --- Schema errors in plain words --------------------------------------------------------


def _schema_problem(error: jsonschema.ValidationError, root: yaml.Node | None) -> Problem:
    parts: list[str | int] = list(error.absolute_path)
    path = _format_path(parts)
    validator = error.validator
    instance = error.instance
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    limit: Any = error.validator_value
    if validator == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else "?"
        if missing == "sv" and isinstance(instance, dict):
            message = _("the Swedish text (sv) is missing")
        elif missing == "en" and isinstance(instance, dict):
            message = _("the English text (en) is missing")
        else:
            message = _("the required key '%(key)s' is missing") % {"key": missing}
        return Problem(line_of(root, parts), path, message)
    if validator == "additionalProperties" and isinstance(instance, dict):
        allowed = set(schema.get("properties", {}))
        patterns = list(schema.get("patternProperties", {}))
        extras = [
            k
            for k in instance
            if k not in allowed and not any(re.search(p, str(k)) for p in patterns)
        ]
        extra = extras[0] if extras else "?"
        item_type = instance.get("type") if "label" in instance else None
        if item_type in _TYPE_PROPERTIES and "key" in instance:
            message = _("the key '%(key)s' is not allowed for an item of type '%(type)s'") % {
                "key": extra,
                "type": item_type,
            }
        else:
            message = _("unknown key '%(key)s'") % {"key": extra}
        return Problem(
            line_of(root, [*parts, extra], key=True), _format_path([*parts, extra]), message
        )
    if validator == "enum" and parts and parts[-1] == "type":
        message = _("unknown item type '%(value)s'; use one of: %(choices)s") % {
            "value": instance,
            "choices": ", ".join(str(v) for v in limit),
        }
    elif validator == "enum":
        message = _("'%(value)s' is not allowed here; use one of: %(choices)s") % {
            "value": instance,
            "choices": ", ".join(str(v) for v in limit),
        }
    elif validator == "type" and set(schema.get("properties", {})) == {"sv", "en"}:
        message = _("expected a text in both languages, as {sv: ..., en: ...}; found %(found)r") % {
            "found": instance
        }
    elif validator == "type":
        wanted = limit
        wanted_list = wanted if isinstance(wanted, list) else [wanted]
        names = {
            "object": _("a mapping (key: value lines)"),
            "array": _("a list"),
            "string": _("a text"),
            "integer": _("a whole number"),
            "number": _("a number"),
            "boolean": _("true or false"),
        }
        message = _("expected %(wanted)s, found %(found)r") % {
            "wanted": _(" or ").join(str(names.get(w, w)) for w in wanted_list),
            "found": instance,
        }
    elif validator == "pattern":
        message = _(
            "'%(value)s' is not a valid key: use lower-case letters a–z, digits and _ only"
        ) % {"value": instance}
    elif validator == "minLength":
        message = _("this text must not be empty")
    elif validator == "minItems":
        message = _("the list must have at least %(count)s entries") % {
            "count": error.validator_value
        }
    elif validator in ("minimum", "exclusiveMinimum"):
        message = _("%(value)s is too small (minimum %(limit)s)") % {
            "value": instance,
            "limit": error.validator_value,
        }
    elif validator == "maximum":
        message = _("%(value)s is too large (maximum %(limit)s)") % {
            "value": instance,
            "limit": error.validator_value,
        }
    elif validator == "uniqueItems":
        message = _("the list has the same entry twice")
    else:
        message = str(error.message)
    return Problem(line_of(root, parts), path, message)


# --- Rules a JSON Schema cannot say --------------------------------------------------------


class _Checker:
    def __init__(self, data: dict[str, Any], root: yaml.Node | None) -> None:
        self.data = data
        self.root = root
        self.problems: list[Problem] = []

    def add(self, parts: Sequence[str | int], message: str, *, key: bool = False) -> None:
        self.problems.append(
            Problem(line_of(self.root, parts, key=key), _format_path(parts), message)
        )

    def run(self) -> list[Problem]:
        items = self.check_sections()
        self.check_scoring(items)
        return self.problems

    def check_sections(self) -> dict[str, dict[str, Any]]:
        items: dict[str, dict[str, Any]] = {}
        section_keys: set[str] = set()
        for s_index, section in enumerate(self.data["sections"]):
            if section["key"] in section_keys:
                self.add(
                    ["sections", s_index, "key"],
                    _("the section key '%(key)s' is used twice") % {"key": section["key"]},
                )
            section_keys.add(section["key"])
            for i_index, item in enumerate(section["items"]):
                parts: list[str | int] = ["sections", s_index, "items", i_index]
                if item["key"] in items:
                    self.add(
                        [*parts, "key"],
                        _("the item key '%(key)s' is used twice in this instrument")
                        % {"key": item["key"]},
                    )
                else:
                    items[item["key"]] = item
                self.check_item(item, parts)
        return items

    def check_item(self, item: dict[str, Any], parts: list[str | int]) -> None:
        item_type = item["type"]
        low, high = item.get("min"), item.get("max")
        if low is not None and high is not None and low >= high:
            self.add([*parts, "max"], _("max must be greater than min"))
        if item_type == "scale":
            for name in ("anchors", "scores"):
                for point in item.get(name, {}):
                    if low is not None and high is not None and not low <= int(point) <= high:
                        self.add(
                            [*parts, name, point],
                            _("%(point)s is outside the scale %(min)s–%(max)s")
                            % {"point": point, "min": low, "max": high},
                            key=True,
                        )
        if item_type == "vas":
            for point in item.get("anchors", {}):
                if not 0 <= int(point) <= 10:
                    self.add(
                        [*parts, "anchors", point],
                        _("a visual analogue scale runs from 0 to 10; %(point)s is outside it")
                        % {"point": point},
                        key=True,
                    )
        if item_type in ("single_choice", "multiple_choice"):
            values: set[str] = set()
            for o_index, option in enumerate(item["options"]):
                value = str(option["value"])
                if value in values:
                    self.add(
                        [*parts, "options", o_index, "value"],
                        _("the option value '%(value)s' is used twice") % {"value": value},
                    )
                values.add(value)
            count = len(item["options"])
            min_choices, max_choices = item.get("min_choices"), item.get("max_choices")
            if max_choices is not None and max_choices > count:
                self.add(
                    [*parts, "max_choices"],
                    _("max_choices is larger than the number of options (%(count)s)")
                    % {"count": count},
                )
            if min_choices is not None and min_choices > (max_choices or count):
                self.add([*parts, "min_choices"], _("min_choices is larger than max_choices"))
        if item_type == "day_grid" and item.get("start_hour", 6) > item.get("end_hour", 23):
            self.add([*parts, "end_hour"], _("end_hour must not be before start_hour"))
        if item_type == "repeating_rows":
            column_keys: set[str] = set()
            for c_index, column in enumerate(item["columns"]):
                if column["key"] in column_keys:
                    self.add(
                        [*parts, "columns", c_index, "key"],
                        _("the column key '%(key)s' is used twice") % {"key": column["key"]},
                    )
                column_keys.add(column["key"])
            min_rows, max_rows = item.get("min_rows"), item.get("max_rows")
            if min_rows is not None and max_rows is not None and min_rows > max_rows:
                self.add([*parts, "min_rows"], _("min_rows is larger than max_rows"))

    def check_scoring(self, items: dict[str, dict[str, Any]]) -> None:
        scoring = self.data.get("scoring")
        if not scoring:
            return
        score_keys: set[str] = set()
        primaries = 0
        for index, score in enumerate(scoring["scores"]):
            parts: list[str | int] = ["scoring", "scores", index]
            if score["key"] in score_keys:
                self.add(
                    [*parts, "key"],
                    _("the score key '%(key)s' is used twice") % {"key": score["key"]},
                )
            score_keys.add(score["key"])
            if score.get("primary"):
                primaries += 1
                if primaries > 1:
                    self.add([*parts, "primary"], _("only one score can be primary"))
            if score["min"] >= score["max"]:
                self.add([*parts, "max"], _("max must be greater than min"))
            before = len(self.problems)
            self.check_score_items(score, parts, items)
            if len(self.problems) == before:
                self.check_score_range(score, parts)
            self.check_bands(score, parts)
            cutoff = score.get("cutoff")
            if cutoff and not score["min"] <= cutoff["value"] <= score["max"]:
                self.add(
                    [*parts, "cutoff", "value"],
                    _("the cut-off lies outside the score's range %(min)s–%(max)s")
                    % {"min": score["min"], "max": score["max"]},
                )

    def check_score_items(
        self, score: dict[str, Any], parts: list[str | int], items: dict[str, dict[str, Any]]
    ) -> None:
        method = score["method"]
        if method == "count" and "count_values" not in score:
            self.add(parts, _("a score with method 'count' needs count_values"))
        if method != "count" and "count_values" in score:
            self.add(
                [*parts, "count_values"],
                _("count_values only applies to method 'count'"),
                key=True,
            )
        allowed = COUNTABLE_TYPES if method == "count" else SCORED_TYPES
        if score["items"] == "all":
            if not any(item["type"] in allowed for item in items.values()):
                self.add([*parts, "items"], _("no item in this instrument can be scored"))
            return
        for i_index, item_key in enumerate(score["items"]):
            item_parts = [*parts, "items", i_index]
            item = items.get(item_key)
            if item is None:
                self.add(
                    item_parts,
                    _("the score refers to an item '%(key)s' that does not exist")
                    % {"key": item_key},
                )
            elif item["type"] not in allowed:
                self.add(
                    item_parts,
                    _("the item '%(key)s' of type '%(type)s' cannot be used in a %(method)s")
                    % {"key": item_key, "type": item["type"], "method": method},
                )
            elif (
                method != "count"
                and item["type"] in ("single_choice", "multiple_choice")
                and any("score" not in option for option in item["options"])
            ):
                self.add(
                    item_parts,
                    _("every option of the item '%(key)s' needs a score to be summed")
                    % {"key": item_key},
                )

    def check_score_range(self, score: dict[str, Any], parts: list[str | int]) -> None:
        """The declared min/max must hold every total the items can give."""
        from .scoring import possible_range  # scoring imports this module

        reach = possible_range(self.data, score)
        if reach is None:
            return
        low, high = reach
        if low < score["min"] or high > score["max"]:
            self.add(
                parts,
                _(
                    "the items can give scores from %(low)s to %(high)s, "
                    "outside the declared range %(min)s–%(max)s"
                )
                % {"low": _num(low), "high": _num(high), "min": score["min"], "max": score["max"]},
            )

    def check_bands(self, score: dict[str, Any], parts: list[str | int]) -> None:
        previous: dict[str, Any] | None = None
        band_keys: set[str] = set()
        for b_index, band in enumerate(score.get("bands", [])):
            band_parts = [*parts, "bands", b_index]
            if band["key"] in band_keys:
                self.add(
                    [*band_parts, "key"],
                    _("the band key '%(key)s' is used twice") % {"key": band["key"]},
                )
            band_keys.add(band["key"])
            if band["min"] > band["max"]:
                self.add(band_parts, _("the band's min is greater than its max"))
            if not (score["min"] <= band["min"] and band["max"] <= score["max"]):
                self.add(
                    band_parts,
                    _("the band lies outside the score's range %(min)s–%(max)s")
                    % {"min": score["min"], "max": score["max"]},
                )
            if previous is not None and band["min"] <= previous["max"]:
                self.add(
                    band_parts,
                    _(
                        "the band '%(key)s' overlaps the band before it or is out of order "
                        "(bands go from low to high and share no value)"
                    )
                    % {"key": band["key"]},
                )
            previous = band


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _normalise_values(data: dict[str, Any]) -> None:
    """Option values and count_values are strings whatever the author typed."""
    for section in data["sections"]:
        for item in section["items"]:
            for option in item.get("options", []):
                option["value"] = str(option["value"])
    for score in (data.get("scoring") or {}).get("scores", []):
        if "count_values" in score:
            score["count_values"] = [str(v) for v in score["count_values"]]


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


def _yaml_problem(exc: yaml.YAMLError, text: str) -> Problem:
    if not isinstance(exc, yaml.MarkedYAMLError):
        return Problem(None, "", _("the file is not valid YAML: %(reason)s") % {"reason": exc})
    mark = exc.problem_mark or exc.context_mark
    # An unclosed bracket or quote is found only at the end of the file; the line where
    # it was opened is where the author has to look.
    if (
        exc.context_mark is not None
        and exc.problem_mark is not None
        and exc.problem_mark.index >= len(text.rstrip())
    ):
        mark = exc.context_mark
    line = mark.line + 1 if mark is not None else None
    reason = " ".join(part for part in (exc.context, exc.problem) if part)
    return Problem(line, "", _("the file is not valid YAML: %(reason)s") % {"reason": reason})


def _compose_and_construct(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers) and the data; the only place YAML text is read."""
    loader = _DefinitionLoader(text)  # the reader checks for unprintable characters here
    try:
        root = loader.get_single_node()
        return root, loader.construct_document(root) if root is not None else None
    finally:
        loader.dispose()


def _problems_and_data(text: str) -> list[Problem] | dict[str, Any]:
    # Counted in bytes before the parser sees a character; "surrogatepass" so that text
    # holding a lone surrogate is measured here and refused by the YAML reader below.
    if len(text.encode("utf-8", "surrogatepass")) > MAX_DEFINITION_BYTES:
        return [Problem(None, "", too_large_message())]
    try:
        root, data = _compose_and_construct(text)
    except _Refused as exc:
        return [Problem(exc.line, "", exc.message)]
    except yaml.YAMLError as exc:
        return [_yaml_problem(exc, text)]
    except ValueError:
        # An integer with more digits than Python converts (``sys.get_int_max_str_digits``).
        return [Problem(None, "", _("the file holds a value that cannot be read"))]
    if data is None:
        return [Problem(1, "", _("the file is empty"))]
    problems = list(_duplicate_keys(root, []))
    data = _normalise(data)
    try:
        json.dumps(data)
    except (TypeError, ValueError):
        problems.append(Problem(None, "", _("the file holds values that are not plain data")))
        return problems
    schema_errors = sorted(_VALIDATOR.iter_errors(data), key=lambda e: list(map(str, e.path)))
    for schema_error in schema_errors:
        # The common item keys are checked by the item schema and again by its type's
        # branch; one report is enough.
        problem = _schema_problem(_best(schema_error), root)
        if problem not in problems:
            problems.append(problem)
    checker = _Checker(data, root)
    try:
        _normalise_values(data)
        checker.run()
    except (KeyError, TypeError, AttributeError, ValueError):
        # The data does not have the shape the checks assume; the schema errors say why.
        if not schema_errors:
            raise
    problems.extend(p for p in checker.problems if p not in problems)
    return problems or data


def _best(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """For oneOf/anyOf/allOf-wrapped errors, the most specific cause."""
    if error.context:
        return jsonschema.exceptions.best_match(error.context) or error
    return error


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


def text(value: dict[str, str] | None, language: str | None) -> str:
    """The text of a ``{sv, en}`` mapping in ``language`` (falling back to Swedish)."""
    if not value:
        return ""
    lang = (language or "sv").split("-")[0]
    return value.get(lang) or value.get("sv") or next(iter(value.values()), "")


def iter_items(definition: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every item of a definition, in order."""
    for section in definition["sections"]:
        yield from section["items"]
