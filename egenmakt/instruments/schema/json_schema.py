"""The JSON Schema every definition is validated against: the shape of the file, item by
item type. What a schema cannot say (unique keys, ranges that fit) is in ``checks``."""

from __future__ import annotations

from typing import Any

import jsonschema

from .definition import (
    ITEM_TYPES,
    KEY_PATTERN,
    LONG_TEXT_MAX,
    RESPONDENT_KINDS,
    ROW_COLUMN_TYPES,
    SHORT_TEXT_MAX,
    YES_PARTLY_NO,
)

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
TYPE_PROPERTIES: dict[str, dict[str, Any]] = {
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
                for item_type, extra in TYPE_PROPERTIES.items()
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
        "expected_progress": {
            "type": "object",
            "properties": {
                "target": {"type": "number"},
                "rate": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                "band": {"type": "number", "minimum": 0},
                "label": {"$ref": "#/$defs/text"},
                "source": {"type": "string"},
            },
            "required": ["target", "rate", "band"],
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
                "expected_progress": {"$ref": "#/$defs/expected_progress"},
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

VALIDATOR = jsonschema.Draft202012Validator(DEFINITION_SCHEMA)
