"""Parse YAML (and JSON, which YAML reads too) keeping the line of every key and list item."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

__all__ = ["Parsed", "YamlProblem", "parse_with_lines"]

Path_ = tuple[Any, ...]


class YamlProblem(Exception):
    """Invalid YAML; ``line`` is 1-based in the original file."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class Parsed:
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    duplicates: list[tuple[str, int]] = field(default_factory=list)

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


def parse_with_lines(text: str, line_offset: int = 0) -> Parsed:
    """``yaml.safe_load`` plus a map from key paths (``("model", "name")``, ``("results", 0)``) to lines."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 + line_offset if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise YamlProblem(f"invalid YAML: {problem}", line) from None
    out = Parsed(data)
    if node is not None:
        _walk(node, (), line_offset, out)
    return out
