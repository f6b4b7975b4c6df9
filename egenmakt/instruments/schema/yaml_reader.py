"""Reading the YAML text of a definition: a loader that refuses what a form never needs
(anchors, tags, deep nesting) and keeps yes/no and dates as text, the node tree kept for
line numbers, and the problems found before the data can be checked."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import yaml
from django.utils.translation import gettext as _

from .definition import Problem

_BOOL_TAG = "tag:yaml.org,2002:bool"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


# Definitions are hand-written forms: the largest shipped one (DUDIT) is about 11 kB, so
# 256 kB leaves room for a region's template twenty times its size, while the pure-Python
# parser still reads the largest allowed file in well under a second.
MAX_DEFINITION_BYTES = 256 * 1024
# A definition nests about six levels (sections, items, options, label, text); fifty is far
# beyond any honest file and far below where the recursive composer, the schema check and
# ``normalise`` would exhaust Python's stack.
MAX_NESTING = 50


def too_large_message() -> str:
    return _("the file is larger than %(size)s kB") % {"size": MAX_DEFINITION_BYTES // 1024}


class Refused(yaml.YAMLError):
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
            raise Refused(
                line,
                _(
                    "anchors and aliases (& and *) are not allowed: write the text out "
                    "in full where it is used"
                ),
            )
        if getattr(event, "tag", None) is not None:
            # ``!!timestamp``, ``!!binary``, ``!!set`` and friends build values a form
            # definition never holds, and some of them crash on bad input.
            raise Refused(line, _("YAML tags (! and !!) are not allowed"))
        if self._depth >= MAX_NESTING:
            raise Refused(
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


def format_path(parts: Iterable[str | int]) -> str:
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


def duplicate_keys(node: yaml.Node | None, parts: list[str | int]) -> Iterator[Problem]:
    """PyYAML silently keeps the last of two equal keys; an author means neither."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if name is not None:
                if name in seen:
                    yield Problem(
                        _line(key_node),
                        format_path([*parts, name]),
                        _("the key '%(key)s' appears twice in the same place") % {"key": name},
                    )
                seen.add(name)
            yield from duplicate_keys(value_node, [*parts, name if name is not None else "?"])
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            yield from duplicate_keys(child, [*parts, index])


def normalise(value: Any) -> Any:
    """Plain JSON data: string mapping keys, lists for sequences."""
    if isinstance(value, dict):
        return {str(k): normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalise(v) for v in value]
    return value


def yaml_problem(exc: yaml.YAMLError, text: str) -> Problem:
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


def compose_and_construct(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers) and the data; the only place YAML text is read."""
    loader = _DefinitionLoader(text)  # the reader checks for unprintable characters here
    try:
        root = loader.get_single_node()
        return root, loader.construct_document(root) if root is not None else None
    finally:
        loader.dispose()
