"""Strict, bounded reading of every YAML and JSON file auditor reads.

Config, policy packs, model cards, datasheets, baselines and reports all come through here, so
hostile or broken input is refused the same way everywhere, before anything runs:

* **Duplicate keys** are an error naming the key path and both lines (YAML through a
  :class:`yaml.SafeLoader` subclass that checks every mapping, JSON through ``object_pairs_hook``):
  "last one wins" let ``allow_unsafe_model: false`` be overridden further down a file.
  Keys are compared as the values they load as, so ``1`` and ``1.0``, or ``true`` and ``True``,
  are duplicates too. A YAML merge key (``<<: *defaults``) may still be overridden.
* **Alias expansion is bounded** without being done: the composed YAML graph is measured with
  memoisation, so a few hundred bytes of nested aliases ("billion laughs") are refused in
  milliseconds instead of growing to gigabytes later (when the value is printed or written).
* **Nesting is bounded** while composing YAML and after parsing JSON, so deep input is a one-line
  error naming the file and line, never a ``RecursionError``.
* Files are read with a size cap, must be UTF-8 (a BOM is allowed) and may not contain lone UTF-16
  surrogates (they cannot be written back as UTF-8); JSON's ``NaN``/``Infinity`` are refused.
* YAML is loaded with ``yaml.SafeLoader`` semantics only (no Python objects); dates stay the
  text written, so a bad date is reported by whoever reads the key.

The limits are far above anything a real file has (the bundled packs and examples are a few KB,
nest at most 5 levels and use no aliases); docs/loading.md states them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import yaml

from .errors import ConfigError

__all__ = [
    "MAX_ALIASES",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "MAX_REPORT_BYTES",
    "MAX_REPORT_DEPTH",
    "LoadProblem",
    "YamlDocument",
    "YamlLoadError",
    "compose_yaml",
    "load_yaml",
    "load_yaml_with_bytes",
    "parse_json",
    "parse_yaml",
    "read_document",
    "read_text",
]

MAX_BYTES = 5_000_000  # a config, policy, card or datasheet (bundled ones: at most 3 KB)
MAX_REPORT_BYTES = 200_000_000  # an audit.json (the hiring example's: 0.46 MB)
MAX_DEPTH = 100  # levels of nesting in what people write (bundled files: at most 5)
# an audit.json nests what people wrote (config metadata, policy options) a few levels deeper
MAX_REPORT_DEPTH = MAX_DEPTH + 28
MAX_ALIASES = 1_000  # YAML aliases in one document
MAX_NODES = 100_000  # YAML nodes once aliases are expanded (a 5 MB file without aliases has fewer)

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_HAS_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONE_SURROGATE_ESCAPE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


class LoadProblem(Exception):
    """Invalid, ambiguous or oversized YAML/JSON. ``line``/``column`` are 1-based in the file (None:
    unknown); ``others`` holds further problems of the same kind (every duplicate key, not only
    the first), as ``(message, line)``."""

    def __init__(
        self,
        message: str,
        line: int | None = None,
        column: int | None = None,
        others: tuple[tuple[str, int | None], ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.others = others

    def where(self, path: str | Path) -> str:
        """``path:line:column`` (as much as is known)."""
        out = str(path)
        if self.line is not None:
            out += f":{self.line}"
            if self.column is not None:
                out += f":{self.column}"
        return out

    def lines(self, path: str | Path) -> list[str]:
        """One ``path:line: message`` line per problem (this one first)."""
        rest = [f"{path}{f':{ln}' if ln is not None else ''}: {m}" for m, ln in self.others]
        return [f"{self.where(path)}: {self.message}", *rest]


# -- reading ---------------------------------------------------------------------------------------


def read_text(path: Path, *, what: str, max_bytes: int = MAX_BYTES) -> str:
    """The UTF-8 text of ``path`` (a BOM is dropped), read with a size cap so ``/dev/zero`` or a
    huge file cannot exhaust memory. ``what`` names the file in messages ("policy file")."""
    return read_document(path, what=what, max_bytes=max_bytes)[0]


def read_document(path: Path, *, what: str, max_bytes: int = MAX_BYTES) -> tuple[str, bytes]:
    """:func:`read_text`, plus the exact bytes read (for a sha256 of what was parsed)."""
    try:
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise LoadProblem("file not found") from None
    except IsADirectoryError:
        raise LoadProblem(f"is a directory, expected a {what}") from None
    except OSError as exc:
        raise LoadProblem(f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:
        raise LoadProblem(f"larger than {max_bytes:,} bytes; a {what} is never that big")
    if b"\x00" in raw:
        at = raw.index(b"\x00")
        raise LoadProblem(
            f"contains a NUL byte (byte {at}): a binary file, not a {what}",
            raw.count(b"\n", 0, at) + 1,
        )
    try:
        return raw.decode("utf-8-sig"), raw
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise LoadProblem(f"not valid UTF-8 (byte {exc.start}); save it as UTF-8", line) from None


def _has_lone_surrogate(text: str) -> bool:
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# -- YAML ------------------------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as written, bounds nesting while composing (the composer recurses)
    and records every duplicate key of every mapping (compared as loaded values)."""

    def __init__(self, stream: str, max_depth: int, line_offset: int) -> None:
        super().__init__(stream)
        self._max_depth = max_depth
        self._line_offset = line_offset
        self._depth = 0
        # (mapping node, key node, key node of the first occurrence)
        self.duplicates: list[tuple[yaml.MappingNode, yaml.Node, yaml.Node]] = []

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if not self.check_event(yaml.SequenceStartEvent, yaml.MappingStartEvent):
            return super().compose_node(parent, index)  # a scalar or an alias: no nesting
        self._depth += 1
        try:
            if self._depth > self._max_depth:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise LoadProblem(
                    f"nesting too deep (at most {self._max_depth} levels)",
                    mark.line + 1 + self._line_offset,
                    mark.column + 1,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, yaml.Node] = {}
            for key_node, _ in node.value:
                if key_node.tag == _MERGE or not isinstance(key_node, yaml.ScalarNode):
                    continue  # merged keys may be overridden; complex keys fail as unhashable
                key = self.construct_object(key_node, deep=True)
                first = seen.get(key)
                if first is not None:
                    self.duplicates.append((node, key_node, first))
                else:
                    seen[key] = key_node
        return dict(super().construct_mapping(node, deep=deep))


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(node.value)


_StrictLoader.add_constructor(_TIMESTAMP, _timestamp_as_text)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _measure(root: yaml.Node, offset: int, max_depth: int) -> None:
    """Refuse a graph whose aliases refer to their own ancestor, use more than MAX_ALIASES aliases,
    or expand to more than MAX_NODES nodes or ``max_depth`` levels: measured bottom-up with
    memoisation, so a billion-laughs document is judged without being expanded."""
    sizes: dict[int, tuple[int, int]] = {}  # node id -> (expanded nodes, depth)
    active: set[int] = set()
    aliases = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        nid = id(node)
        children = _children(node)
        if done:
            active.discard(nid)
            size = 1 + sum(sizes[id(c)][0] for c in children)
            own = 0 if isinstance(node, yaml.ScalarNode) else 1  # levels count collections
            depth = own + max((sizes[id(c)][1] for c in children), default=0)
            line = node.start_mark.line + 1 + offset
            if size > MAX_NODES:
                raise LoadProblem(
                    f"too many aliases: they expand the document to more than {MAX_NODES:,} nodes "
                    "(a 'billion laughs' file?); write the values out instead",
                    line,
                )
            if depth > max_depth:
                raise LoadProblem(f"nesting too deep (at most {max_depth} levels)", line)
            sizes[nid] = (size, depth)
            continue
        if nid in sizes:
            aliases += 1
            if aliases > MAX_ALIASES:
                raise LoadProblem(
                    f"too many aliases (more than {MAX_ALIASES:,}); write the values out instead",
                    node.start_mark.line + 1 + offset,
                )
            continue
        if isinstance(node, yaml.ScalarNode) and _has_lone_surrogate(str(node.value)):
            raise LoadProblem(
                "a string contains a lone UTF-16 surrogate (\\ud800-\\udfff escape), which is "
                "not text",
                node.start_mark.line + 1 + offset,
            )
        active.add(nid)
        stack.append((node, True))
        for child in children:
            if id(child) in active:
                raise LoadProblem(
                    "self-referencing alias: an alias refers to a mapping or list that contains it",
                    child.start_mark.line + 1 + offset,
                )
            stack.append((child, False))


def _node_paths(root: yaml.Node) -> dict[int, str]:
    """Node id -> dotted path (``checks.FAIR001``, ``waivers[2]``) of the first place it is reached."""
    paths: dict[int, str] = {id(root): ""}
    stack = [root]
    while stack:
        node = stack.pop()
        base = paths[id(node)]
        if isinstance(node, yaml.MappingNode):
            pairs = [(str(k.value), v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
            items = [(f"{base}.{key}" if base else key, v) for key, v in pairs]
        elif isinstance(node, yaml.SequenceNode):
            items = [(f"{base}[{i}]", v) for i, v in enumerate(node.value)]
        else:
            items = []
        for path, child in items:
            if id(child) not in paths:
                paths[id(child)] = path
                stack.append(child)
    return paths


def _duplicate_problem(loader: _StrictLoader, root: yaml.Node, offset: int) -> LoadProblem:
    paths = _node_paths(root)
    found: list[tuple[str, int]] = []
    for mapping, key_node, first in loader.duplicates:
        base = paths.get(id(mapping), "")
        key = f"{base}.{key_node.value}" if base else str(key_node.value)
        first_line = first.start_mark.line + 1 + offset
        before = (
            f"first given on line {first_line}"
            if first.value == key_node.value
            else f"the same key as {first.value!r} on line {first_line}"
        )
        found.append((f"duplicate key {key!r} ({before}): a key may appear once in a mapping; "
                      "remove one of them", key_node.start_mark.line + 1 + offset))  # fmt: skip
    found.sort(key=lambda item: item[1])
    (message, line), *rest = found
    column = next(
        (k.start_mark.column + 1 for _, k, _ in loader.duplicates
         if k.start_mark.line + 1 + offset == line),
        None,
    )  # fmt: skip
    return LoadProblem(message, line, column, tuple(rest))


@dataclass(frozen=True)
class YamlDocument:
    """A parsed YAML document: its node graph (for line numbers) and its Python value."""

    node: yaml.Node | None
    data: Any


def compose_yaml(text: str, *, line_offset: int = 0, max_depth: int = MAX_DEPTH) -> YamlDocument:
    """Parse one YAML document strictly and within the limits; raises :class:`LoadProblem`.

    ``line_offset`` is added to every line (front matter that starts on line 2 of a README)."""
    loader = _StrictLoader(text, max_depth, line_offset)
    try:
        try:
            node = loader.get_single_node()
            if node is None:
                return YamlDocument(None, None)
            _measure(node, line_offset, max_depth)
            data = loader.construct_document(node)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            if mark is None:
                raise LoadProblem(f"invalid YAML: {problem}") from None
            raise LoadProblem(
                f"invalid YAML: {problem}", mark.line + 1 + line_offset, mark.column + 1
            ) from None
        except RecursionError:  # not expected: nesting is bounded while composing
            raise LoadProblem(f"nesting too deep (at most {max_depth} levels)") from None
        if loader.duplicates:
            raise _duplicate_problem(loader, node, line_offset)
        return YamlDocument(node, data)
    finally:
        loader.dispose()


def parse_yaml(text: str, *, line_offset: int = 0, max_depth: int = MAX_DEPTH) -> Any:
    """The Python value of one YAML document (see :func:`compose_yaml`)."""
    return compose_yaml(text, line_offset=line_offset, max_depth=max_depth).data


class YamlLoadError(ConfigError):
    """A YAML file people wrote cannot be used (exit 2). ``problems`` has one line per problem
    (``path:line: message``): every duplicate key, where the message names only the first."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems


def load_yaml(path: Path, *, what: str = "YAML file") -> Any:
    """Read and parse a YAML file people wrote (config, policy pack); any problem is a
    :class:`YamlLoadError` (exit 2) whose message starts with ``path:line:column:``."""
    return load_yaml_with_bytes(path, what=what)[0]


def load_yaml_with_bytes(path: Path, *, what: str = "YAML file") -> tuple[Any, bytes]:
    """:func:`load_yaml`, plus the exact bytes read (for a sha256 of what was parsed)."""
    try:
        text, raw = read_document(path, what=what)
        return parse_yaml(text), raw
    except LoadProblem as exc:
        more = ""
        if exc.others:
            n = len(exc.others)
            more = f" (and {n} more duplicate key{'s' if n != 1 else ''})"
        raise YamlLoadError(f"{exc.where(path)}: {exc.message}{more}", exc.lines(path)) from None


# -- JSON ------------------------------------------------------------------------------------------


class _DuplicateKey(Exception):
    pass


class _Constant(Exception):
    pass


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _DuplicateKey
    return out


def _no_constant(name: str) -> NoReturn:
    raise _Constant(name)


# a string (skipped whole), a bracket, a separator or a non-standard constant
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|NaN|-?Infinity')


def _line(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def _scan_json(text: str, max_depth: int) -> LoadProblem | None:
    """The first duplicate key, constant or too-deep bracket in ``text``, with its line: walked
    token by token (slow, only on the error path, after the fast parser refused the text)."""
    # per open container: (is object, expecting a key, keys seen -> line, path, next index)
    stack: list[tuple[bool, list[bool], dict[str, int], str, list[int]]] = []
    last_key = ""
    for m in _JSON_TOKEN.finditer(text):
        tok = m.group()
        if tok in ("{", "["):
            if len(stack) >= max_depth:
                line, col = _line(text, m.start())
                return LoadProblem(f"nesting too deep (at most {max_depth} levels)", line, col)
            if stack:
                obj, _, _, base, index = stack[-1]
                path = (
                    (f"{base}.{last_key}" if base else last_key) if obj else f"{base}[{index[0]}]"
                )
            else:
                path = ""
            stack.append((tok == "{", [tok == "{"], {}, path, [0]))
        elif tok in ("}", "]"):
            if stack:
                stack.pop()
        elif tok == ",":
            if stack:
                stack[-1][1][0] = stack[-1][0]
                stack[-1][4][0] += 1
        elif tok.startswith('"'):
            if stack and stack[-1][0] and stack[-1][1][0]:
                stack[-1][1][0] = False
                try:
                    key = json.loads(tok)
                except ValueError:
                    return None
                line, col = _line(text, m.start())
                seen, base = stack[-1][2], stack[-1][3]
                dotted = f"{base}.{key}" if base else key
                if key in seen:
                    return LoadProblem(
                        f"duplicate key {dotted!r} (first given on line {seen[key]}): a key may "
                        "appear once in an object; remove one of them",
                        line,
                        col,
                    )
                seen[key] = line
                last_key = key
        elif tok != ":":  # NaN, Infinity, -Infinity outside a string
            line, col = _line(text, m.start())
            return LoadProblem(f"not valid JSON: {tok} is not a JSON number", line, col)
    return None


def _depth_and_text(data: Any, max_depth: int, check_surrogates: bool) -> tuple[bool, bool]:
    """(too deep, has a lone surrogate) of parsed JSON, walked iteratively."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            if level > max_depth:
                return True, False
            if check_surrogates and any(_has_lone_surrogate(k) for k in node):
                return False, True
            stack.extend((v, level + 1) for v in node.values())
        elif isinstance(node, list):
            if level > max_depth:
                return True, False
            stack.extend((v, level + 1) for v in node)
        elif check_surrogates and isinstance(node, str) and _has_lone_surrogate(node):
            return False, True
    return False, False


def parse_json(text: str, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON strictly (no duplicate keys, no NaN/Infinity, no lone surrogates) and within
    ``max_depth`` levels; raises :class:`LoadProblem` with the line."""
    try:
        data = json.loads(text, object_pairs_hook=_unique_pairs, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise LoadProblem(f"not valid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except (_DuplicateKey, _Constant, RecursionError) as exc:
        found = _scan_json(text, max_depth)  # the place, and the key or token
        if found is None:
            found = LoadProblem(
                "duplicate key in an object"
                if isinstance(exc, _DuplicateKey)
                else f"not valid JSON: {exc} is not a JSON number"
                if isinstance(exc, _Constant)
                else f"nesting too deep (at most {max_depth} levels)"
            )
        raise found from None
    surrogates = _HAS_SURROGATE_ESCAPE.search(text) is not None
    too_deep, lone = _depth_and_text(data, max_depth, surrogates)
    if too_deep:
        raise _scan_json(text, max_depth) or LoadProblem(
            f"nesting too deep (at most {max_depth} levels)"
        )
    if lone:
        m = _LONE_SURROGATE_ESCAPE.search(text)
        line, col = _line(text, m.start()) if m else (None, None)
        raise LoadProblem(
            "a string contains a lone UTF-16 surrogate (\\ud800-\\udfff escape), which is not text",
            line,
            col,
        )
    return data
