"""Parse YAML (and JSON, which YAML reads too) keeping the line of every key and list item.

Parsing is :mod:`auditor.safeload`'s, the same strict, bounded reader as for configs and policies:
hostile or broken input never crashes or hangs a loader. Dates are kept as written (an impossible
``2026-02-30`` is recorded, not raised); a duplicate key, an alias that refers to its own ancestor,
more than :data:`MAX_ALIASES` aliases, aliases expanding the document beyond :data:`MAX_NODES` nodes
(a "billion laughs" file) and nesting deeper than :data:`MAX_DEPTH` levels are a
:class:`YamlProblem` with its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from ..safeload import MAX_ALIASES, MAX_DEPTH, MAX_NODES, LoadProblem, compose_yaml

__all__ = [
    "MAX_ALIASES", "MAX_DEPTH", "MAX_NODES", "Parsed", "YamlProblem", "date_problem",
    "parse_with_lines",
]  # fmt: skip

Path_ = tuple[Any, ...]

#: invalid YAML; ``line`` is 1-based in the original file
YamlProblem = LoadProblem

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def date_problem(text: str) -> str | None:
    """Why ``text`` (``2026-02-30``, ``2026-03-02T10:00:00Z``) is not a real date or time, or None."""
    node = yaml.ScalarNode(_TIMESTAMP, text.strip())
    if not _CONSTRUCTOR.timestamp_regexp.match(node.value):
        return "not a date in YYYY-MM-DD form"
    try:
        _CONSTRUCTOR.construct_yaml_timestamp(node)
    except (ValueError, TypeError, OverflowError) as exc:
        return str(exc) or type(exc).__name__
    return None


@dataclass
class Parsed:
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    # (dotted key, line, value as written, why) of every date-like value that is not a real date
    bad_dates: list[tuple[str, int, str, str]] = field(default_factory=list)

    def line(self, path: Path_, default: int | None = None) -> int | None:
        """Line of ``path`` or of its nearest ancestor that has one."""
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return default


def _walk(node: yaml.Node, path: Path_, offset: int, out: Parsed) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1 + offset
            out.lines.setdefault((*path, key), line)
            _walk(value_node, (*path, key), offset, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            item_path = (*path, i)
            out.lines[item_path] = item.start_mark.line + 1 + offset
            _walk(item, item_path, offset, out)
    elif isinstance(node, yaml.ScalarNode) and node.tag == _TIMESTAMP:
        why = date_problem(str(node.value))
        if why is not None:
            line = node.start_mark.line + 1 + offset
            out.bad_dates.append((".".join(map(str, path)), line, str(node.value), why))


def parse_with_lines(text: str, line_offset: int = 0) -> Parsed:
    """Parse ``text`` strictly and within bounds (timestamps kept as text) plus a map from key paths
    (``("model", "name")``, ``("results", 0)``) to lines. Raises YamlProblem on invalid,
    ambiguous (duplicate keys), self-referencing, exploding or too deeply nested YAML."""
    doc = compose_yaml(text, line_offset=line_offset)
    out = Parsed(doc.data)
    if doc.node is not None:
        _walk(doc.node, (), line_offset, out)  # recursion depth <= MAX_DEPTH: measured when parsed
    return out
