"""Reading an ``audit.json`` back (``auditor render``, ``auditor diff``, ``--baseline``,
:meth:`auditor.Report.from_json`): strict, bounded, and validated up front.

A report given back to auditor is hostile input like any other: it may be truncated, hand-edited,
of another schema version, or crafted. :func:`load_report` reads it with :mod:`auditor.safeload`
(size cap, UTF-8, no duplicate keys, bounded nesting) and validates it against the JSON Schema the
report was written to (``auditor/schema/report.schema.json``; schema_version 1 is that schema with
the finding fields version 2 added left optional) before anything renders, compares or runs. The
first problem is one line naming the file and the path inside it (``results[3].status``), exit 2.

``jsonschema`` is a test dependency only, so validation is done here by :class:`SchemaValidator`, a
small interpreter of the JSON Schema keywords the schema uses (draft 2020-12 semantics; the test
suite checks that it knows every keyword in the schema and that it agrees with ``jsonschema``).
No new runtime dependency, and one behaviour whatever is installed.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from .errors import UsageError
from .resources import schema_path
from .safeload import MAX_REPORT_BYTES, MAX_REPORT_DEPTH, LoadProblem, parse_json, read_document

__all__ = [
    "FINDING_CONTRACT",
    "KEYWORDS",
    "READABLE_VERSIONS",
    "READ_CONTRACT",
    "SchemaValidator",
    "load_report",
    "report_problems",
    "report_schema",
]

#: the schema versions ``render`` reads (``diff`` and ``--baseline`` then compare like with like)
READABLE_VERSIONS = (1, 2)
#: fields of a finding that schema_version 2 added (optional in a version 1 report)
_V2_FINDING_FIELDS = ("detail", "evidence_level", "related")

#: JSON Schema keywords SchemaValidator applies; annotations it ignores by design
KEYWORDS = frozenset({
    "type", "enum", "const", "required", "properties", "additionalProperties",
    "patternProperties", "propertyNames", "minProperties", "maxProperties", "items",
    "prefixItems", "minItems", "maxItems", "uniqueItems", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern", "format",
    "allOf", "anyOf", "oneOf", "not", "$ref",
})  # fmt: skip
ANNOTATIONS = frozenset({
    "$schema", "$id", "$defs", "$comment", "title", "description", "default", "examples",
    "deprecated", "readOnly", "writeOnly",
})  # fmt: skip

_TYPE_NAMES = {
    "object": "an object", "array": "an array", "string": "a string", "number": "a number",
    "integer": "an integer", "boolean": "true or false", "null": "null",
}  # fmt: skip
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_SAFE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,63}$")
MAX_PROBLEMS = 100  # stop looking after this many (the message names the first)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def _is_type(value: Any, name: str) -> bool:
    actual = _json_type(value)
    if name == "number":
        return actual in ("integer", "number")
    if name == "integer":
        return actual == "integer" or (actual == "number" and float(value).is_integer())
    return actual == name


def _equal(a: Any, b: Any) -> bool:
    """JSON equality: ``true`` is not ``1``, ``1.0`` is ``1``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    return bool(type(a) is type(b) or (_is_type(a, "number") and _is_type(b, "number"))) and bool(
        a == b
    )


def _literal(value: Any) -> str:
    return (
        json.dumps(value) if value is None or isinstance(value, (bool, int, float)) else repr(value)
    )


def _got(value: Any, allowed: list[Any]) -> str:
    """``, got an integer`` when ``value``'s type is none of the allowed values' types (the value
    itself is never shown: it may be personal data)."""
    kind = _json_type(value)
    if any(_json_type(a) == kind for a in allowed):
        return ""
    return f", got {_TYPE_NAMES.get(kind, 'a value')}"


def _date_time_ok(text: str) -> bool:
    if not _DATE_TIME.match(text):
        return False
    try:
        dt.datetime.fromisoformat(re.sub(r"[Zz]$", "+00:00", text.replace("t", "T")))
    except ValueError:
        return False
    return True


def show_path(parts: tuple[str | int, ...]) -> str:
    """``results[3].findings[0].severity``; a key that is not a plain name is shown as ``[…]``
    (keys can come from data, and a message must not carry data)."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _SAFE_KEY.match(part):
            out += f".{part}" if out else part
        else:
            out += "[…]"
    return out or "(the top level)"


class SchemaValidator:
    """The JSON Schema keywords in :data:`KEYWORDS`, applied to parsed JSON. ``$ref`` may point
    anywhere inside the same schema (``#/$defs/finding``). Messages never quote the value found
    (it may be personal data), only its type and what was expected."""

    def __init__(self, schema: Mapping[str, Any]) -> None:
        self.root = schema

    def _resolve(self, ref: str) -> Mapping[str, Any]:
        if not ref.startswith("#"):
            raise ValueError(f"only local $ref are supported, got {ref!r}")
        node: Any = self.root
        for token in ref[1:].split("/")[1:]:
            node = node[token.replace("~1", "/").replace("~0", "~")]
        if not isinstance(node, Mapping):
            raise ValueError(f"$ref {ref!r} does not point to a schema")
        return node

    def valid(self, value: Any, schema: Mapping[str, Any] | bool) -> bool:
        return next(self.problems(value, schema), None) is None

    def problems(
        self,
        value: Any,
        schema: Mapping[str, Any] | bool | None = None,
        path: tuple[str | int, ...] = (),
    ) -> Iterator[tuple[tuple[str | int, ...], str]]:
        """Every ``(path, message)`` where ``value`` breaks ``schema`` (default: the root), the
        containing object's own problems before those of its members, members in document order."""
        if schema is None:
            schema = self.root
        if schema is True:
            return
        if schema is False:
            yield path, "no value is allowed here"
            return
        assert isinstance(schema, Mapping)
        if "$ref" in schema:
            yield from self.problems(value, self._resolve(schema["$ref"]), path)
        types = schema.get("type")
        if types is not None:
            names = [types] if isinstance(types, str) else list(types)
            if not any(_is_type(value, t) for t in names):
                wanted = " or ".join(_TYPE_NAMES.get(t, t) for t in names)
                yield (
                    path,
                    f"expected {wanted}, got {_TYPE_NAMES.get(_json_type(value), 'a value')}",
                )
                return  # the other keywords would only repeat it
        if "const" in schema and not _equal(value, schema["const"]):
            yield path, f"expected {_literal(schema['const'])}{_got(value, [schema['const']])}"
        if "enum" in schema and not any(_equal(value, e) for e in schema["enum"]):
            allowed = ", ".join(_literal(e) for e in schema["enum"])
            yield path, f"expected one of {allowed}{_got(value, schema['enum'])}"
        yield from self._combinators(value, schema, path)
        if isinstance(value, str):
            yield from self._string(value, schema, path)
        elif _is_type(value, "number"):
            yield from self._number(value, schema, path)
        elif isinstance(value, list):
            yield from self._array(value, schema, path)
        elif isinstance(value, Mapping):
            yield from self._object(value, schema, path)

    def _combinators(
        self, value: Any, schema: Mapping[str, Any], path: tuple[str | int, ...]
    ) -> Iterator[tuple[tuple[str | int, ...], str]]:
        for sub in schema.get("allOf", ()):
            yield from self.problems(value, sub, path)
        if "anyOf" in schema and not any(self.valid(value, s) for s in schema["anyOf"]):
            yield path, "matches none of the allowed forms"
        if "oneOf" in schema:
            matched = sum(1 for s in schema["oneOf"] if self.valid(value, s))
            if matched != 1:
                yield (
                    path,
                    (
                        "matches none of the allowed forms"
                        if matched == 0
                        else "matches more than one of the allowed forms"
                    ),
                )
        if "not" in schema and self.valid(value, schema["not"]):
            yield path, "has a form that is not allowed here"

    def _string(
        self, value: str, schema: Mapping[str, Any], path: tuple[str | int, ...]
    ) -> Iterator[tuple[tuple[str | int, ...], str]]:
        if "minLength" in schema and len(value) < schema["minLength"]:
            yield path, f"expected at least {schema['minLength']} character(s)"
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            yield path, f"expected at most {schema['maxLength']} characters"
        if "pattern" in schema and not re.search(schema["pattern"], value):
            yield path, f"does not match the pattern {schema['pattern']}"
        if schema.get("format") == "date-time" and not _date_time_ok(value):
            yield path, "expected a date and time (RFC 3339, e.g. 2026-03-02T10:00:00+00:00)"

    def _number(
        self, value: float, schema: Mapping[str, Any], path: tuple[str | int, ...]
    ) -> Iterator[tuple[tuple[str | int, ...], str]]:
        if "minimum" in schema and value < schema["minimum"]:
            yield path, f"expected a number >= {schema['minimum']}"
        if "maximum" in schema and value > schema["maximum"]:
            yield path, f"expected a number <= {schema['maximum']}"
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            yield path, f"expected a number > {schema['exclusiveMinimum']}"
        if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
            yield path, f"expected a number < {schema['exclusiveMaximum']}"

    def _array(
        self, value: list[Any], schema: Mapping[str, Any], path: tuple[str | int, ...]
    ) -> Iterator[tuple[tuple[str | int, ...], str]]:
        if "minItems" in schema and len(value) < schema["minItems"]:
            yield path, f"expected at least {schema['minItems']} item(s)"
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            yield path, f"expected at most {schema['maxItems']} items"
        if schema.get("uniqueItems"):
            for i, item in enumerate(value):
                if any(_equal(item, other) for other in value[:i]):
                    yield (*path, i), "repeats an earlier item (items must be unique)"
                    break
        prefix = schema.get("prefixItems", ())
        for i, item in enumerate(value):
            if i < len(prefix):
                yield from self.problems(item, prefix[i], (*path, i))
            elif "items" in schema:
                yield from self.problems(item, schema["items"], (*path, i))

    def _object(
        self, value: Mapping[str, Any], schema: Mapping[str, Any], path: tuple[str | int, ...]
    ) -> Iterator[tuple[tuple[str | int, ...], str]]:
        for key in schema.get("required", ()):
            if key not in value:
                yield path, f"missing the required key {key!r}"
        if "minProperties" in schema and len(value) < schema["minProperties"]:
            yield path, f"expected at least {schema['minProperties']} key(s)"
        if "maxProperties" in schema and len(value) > schema["maxProperties"]:
            yield path, f"expected at most {schema['maxProperties']} keys"
        props = schema.get("properties", {})
        patterns = schema.get("patternProperties", {})
        extra = schema.get("additionalProperties", True)
        names = schema.get("propertyNames")
        for key, item in value.items():
            at = (*path, key)
            if names is not None:
                for _, message in self.problems(key, names, at):
                    yield at, f"the key name: {message}"
            matched = False
            if key in props:
                matched = True
                yield from self.problems(item, props[key], at)
            for pattern, sub in patterns.items():
                if re.search(pattern, key):
                    matched = True
                    yield from self.problems(item, sub, at)
            if not matched and extra is not True:
                if extra is False:
                    yield at, "is not an allowed key here"
                else:
                    yield from self.problems(item, extra, at)


def _schema_keywords(schema: Any) -> set[str]:
    """Every keyword used anywhere in ``schema`` (for the test that the validator knows them)."""
    found: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, Mapping):
            for key, sub in node.items():
                found.add(key)
                if key in ("properties", "patternProperties", "$defs"):
                    stack.extend(sub.values())
                elif key not in ("enum", "const", "required", "examples", "default"):
                    stack.append(sub)
    return found


_COUNT = {"type": "integer", "minimum": 0}
#: what the renderers, ``diff`` and the baseline read where the schema leaves the shape open
#: (auditor always writes these shapes): checked with the schema, so a hand-edited report is a
#: usage error naming the place, not a crash in a template
READ_CONTRACT: Mapping[str, Any] = {
    "properties": {
        "policy": {
            "properties": {
                "path": {"type": ["string", "null"]},
                "resolved": {
                    "type": "object",
                    "properties": {
                        "checks": {"type": "object", "additionalProperties": {"type": "object"}},
                        "waivers": {"type": "array", "items": {"type": "object"}},
                        "regressions": {"type": "array", "items": {"type": "object"}},
                    },
                },
            },
        },
        "inputs": {
            "properties": {
                "documents": {
                    "items": {
                        "properties": {
                            "kind": {"type": "string"},
                            "path": {"type": "string"},
                            "sha256": {"type": ["string", "null"]},
                        }
                    }
                }
            }
        },
        "summary": {
            "properties": {
                "checks": _COUNT,
                "findings": _COUNT,
                "waived": _COUNT,
                "waived_by_severity": {"type": "object", "additionalProperties": _COUNT},
            }
        },
    }
}
FINDING_CONTRACT: Mapping[str, Any] = {
    "properties": {
        "discriminator": {"type": "string"},
        "recommendation": {"type": "string"},
        "evidence": {
            "properties": {
                "groups": {
                    "type": "array",
                    "items": {  # a list of group names or of per-group objects
                        "patternProperties": {
                            "_ci$": {
                                "type": ["array", "null"],
                                "items": {"type": ["number", "null"]},
                            }
                        },
                    },
                }
            }
        },
    }
}


@cache
def report_schema(version: int = 2) -> Mapping[str, Any]:
    """The JSON Schema of a report of ``version`` (1 or 2), as written in
    ``auditor/schema/report.schema.json``, parsed once."""
    schema: dict[str, Any] = json.loads(schema_path().read_text(encoding="utf-8"))
    if version == 2:
        return schema
    old = copy.deepcopy(schema)
    old["properties"]["schema_version"] = {"const": version}
    finding = old["$defs"]["finding"]
    finding["required"] = [k for k in finding["required"] if k not in _V2_FINDING_FIELDS]
    return old


@cache
def _read_schema(version: int) -> Mapping[str, Any]:
    """:func:`report_schema` plus :data:`READ_CONTRACT` and :data:`FINDING_CONTRACT`."""
    schema = copy.deepcopy(dict(report_schema(version)))
    schema["allOf"] = [*schema.get("allOf", []), READ_CONTRACT]
    schema["$defs"]["finding"] = {"allOf": [schema["$defs"]["finding"], FINDING_CONTRACT]}
    return schema


def report_problems(data: Any) -> list[tuple[str, str]]:
    """``(path, message)`` of the first :data:`MAX_PROBLEMS` problems of parsed report ``data``,
    in document order (empty: a valid report of a version in :data:`READABLE_VERSIONS`)."""
    if not isinstance(data, Mapping):
        return [("(the top level)", f"expected an object, got {_TYPE_NAMES.get(_json_type(data))}")]
    version: Any = data.get("schema_version")
    if "schema_version" not in data:
        return [("(the top level)", "missing the required key 'schema_version'")]
    if not _is_type(version, "integer") or int(version) not in READABLE_VERSIONS:
        shown = version if _is_type(version, "integer") else _json_type(version)
        return [(
            "schema_version",
            f"{shown} is not a report version this auditor reads "
            f"({' or '.join(map(str, READABLE_VERSIONS))})",
        )]  # fmt: skip
    validator = SchemaValidator(_read_schema(int(version)))
    out: list[tuple[str, str]] = []
    for path, message in validator.problems(data):
        out.append((show_path(path), message))
        if len(out) >= MAX_PROBLEMS:
            break
    return out or _scope_problems(data)


def _scope_problems(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """A documentation-only report (``inputs.scope: documentation``) has no dataset, no model and
    at least one document: the renderers then write "Documentation review of ...", which a
    report with a dataset would make false."""
    inputs = data.get("inputs")
    if not isinstance(inputs, Mapping) or inputs.get("scope") != "documentation":
        return []
    out = [
        (f"inputs.{key}", "must be null in a documentation-only report (inputs.scope is "
         f"'documentation'), got {_TYPE_NAMES.get(_json_type(inputs.get(key)))}")
        for key in ("dataset", "model")
        if inputs.get(key) is not None
    ]  # fmt: skip
    if not inputs.get("documents"):
        out.append(
            ("inputs.documents", "a documentation-only report (inputs.scope is 'documentation') "
             "names the model card or datasheet it audited; the list is empty")
        )  # fmt: skip
    return out


def load_report(path: str | Path, *, what: str = "report") -> tuple[dict[str, Any], bytes]:
    """Read, parse and validate an ``audit.json``: ``(data, the bytes read)``. Any problem is a
    :class:`UsageError` (exit 2) naming ``what`` (``baseline``), the file and the first bad place:
    ``baseline old/audit.json: not a valid auditor report: results[3].status: expected one of ...``.
    """
    from .paths import require_file

    p = require_file(path, what if what != "report" else "report (audit.json)", error=UsageError)
    label = f"{what} {p}" if what != "report" else str(p)
    try:
        text, raw = read_document(p, what="report (audit.json)", max_bytes=MAX_REPORT_BYTES)
        data = parse_json(text, max_depth=MAX_REPORT_DEPTH)
    except LoadProblem as exc:
        prefix = f"{what} " if what != "report" else ""
        raise UsageError(f"{prefix}{exc.where(p)}: {exc.message}") from None
    problems = report_problems(data)
    if problems:
        (at, message), *rest = problems
        more = ""
        if rest:
            n = f"{len(rest)}+" if len(problems) >= MAX_PROBLEMS else str(len(rest))
            more = f" (and {n} more problem{'s' if len(rest) != 1 else ''})"
        raise UsageError(f"{label}: not a valid auditor report: {at}: {message}{more}")
    assert isinstance(data, dict)
    return data, raw
