"""Parse YAML (and JSON, which YAML reads too) keeping the line of every key and list item.

Hostile or broken input never crashes or hangs a loader: dates are kept as written (an impossible
``2026-02-30`` is recorded, not raised), an alias that refers to its own ancestor is rejected, and so is
a document whose aliases expand it beyond :data:`MAX_NODES` nodes (a "billion laughs" file) or that uses
more than :data:`MAX_ALIASES` aliases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

__all__ = ["MAX_ALIASES", "MAX_NODES", "Parsed", "YamlProblem", "date_problem", "parse_with_lines"]

Path_ = tuple[Any, ...]

MAX_ALIASES = 1_000  # a model card rarely uses any
MAX_NODES = 100_000  # nodes after expanding aliases; a 5 MB card has far fewer
MAX_DEPTH = 100  # levels of nesting

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class YamlProblem(Exception):
    """Invalid YAML; ``line`` is 1-based in the original file."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps timestamps as the text written (dates are validated by the schema)."""


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(node.value)


_Loader.add_constructor(_TIMESTAMP, _timestamp_as_text)
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
    duplicates: list[tuple[str, int]] = field(default_factory=list)
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


def _measure(root: yaml.Node, offset: int) -> tuple[int, int]:
    """(nodes, depth) of the document once aliases are expanded, memoised per node so a billion-laughs
    file is measured without being expanded. Raises YamlProblem on an alias that contains itself."""
    sizes: dict[int, tuple[int, int]] = {}
    active: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        nid = id(node)
        children = _children(node)
        if done:
            active.discard(nid)
            size = 1 + sum(sizes[id(c)][0] for c in children)
            depth = 1 + max((sizes[id(c)][1] for c in children), default=0)
            sizes[nid] = (min(size, MAX_NODES + 1), depth)
            continue
        if nid in sizes:
            continue
        active.add(nid)
        stack.append((node, True))
        for child in children:
            if id(child) in active:
                raise YamlProblem(
                    "self-referencing alias: an alias refers to a mapping or list that contains it",
                    child.start_mark.line + 1 + offset,
                )
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _walk(node: yaml.Node, path: Path_, offset: int, out: Parsed) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1 + offset
            if key in seen:
                out.duplicates.append((".".join(map(str, (*path, key))), line))
            seen.add(key)
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


def _compose(text: str, offset: int) -> tuple[yaml.Node | None, Any]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        if _alias_count(node) > MAX_ALIASES:
            raise YamlProblem(
                f"too many aliases (more than {MAX_ALIASES:,}); a model card does not need them",
                None,
            )
        size, depth = _measure(node, offset)
        if size > MAX_NODES:
            raise YamlProblem(
                f"too many aliases: they expand the document to more than {MAX_NODES:,} nodes "
                "(a 'billion laughs' file?); write the values out instead",
                None,
            )
        if depth > MAX_DEPTH:
            raise YamlProblem(f"nesting too deep ({depth} levels; at most {MAX_DEPTH})", None)
        return node, loader.construct_document(node)
    finally:
        loader.dispose()


def _alias_count(root: yaml.Node) -> int:
    """Nodes reached more than once (each extra reach is an alias)."""
    seen: set[int] = set()
    extra = 0
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            extra += 1
            continue
        seen.add(id(node))
        stack.extend(_children(node))
    return extra


def parse_with_lines(text: str, line_offset: int = 0) -> Parsed:
    """``yaml.safe_load`` (timestamps kept as text) plus a map from key paths (``("model", "name")``,
    ``("results", 0)``) to lines. Raises YamlProblem on invalid, self-referencing or exploding YAML."""
    try:
        node, data = _compose(text, line_offset)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 + line_offset if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise YamlProblem(f"invalid YAML: {problem}", line) from None
    except RecursionError:
        raise YamlProblem(f"nesting too deep (at most {MAX_DEPTH} levels)", None) from None
    out = Parsed(data)
    if node is not None:
        _walk(node, (), line_offset, out)  # recursion depth <= MAX_DEPTH: _compose measured it
    return out
