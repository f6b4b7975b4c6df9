"""A JSON Schema validation error told in plain words, at the line the author looks at."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import jsonschema
import yaml
from django.utils.translation import gettext as _

from .definition import Problem
from .json_schema import TYPE_PROPERTIES
from .yaml_reader import format_path, line_of


def schema_problem(error: jsonschema.ValidationError, root: yaml.Node | None) -> Problem:
    parts: list[str | int] = list(error.absolute_path)
    path = format_path(parts)
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
        if item_type in TYPE_PROPERTIES and "key" in instance:
            message = _("the key '%(key)s' is not allowed for an item of type '%(type)s'") % {
                "key": extra,
                "type": item_type,
            }
        else:
            message = _("unknown key '%(key)s'") % {"key": extra}
        return Problem(
            line_of(root, [*parts, extra], key=True), format_path([*parts, extra]), message
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


def best_cause(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """For oneOf/anyOf/allOf-wrapped errors, the most specific cause."""
    if error.context:
        return jsonschema.exceptions.best_match(error.context) or error
    return error
