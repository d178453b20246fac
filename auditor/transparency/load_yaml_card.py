"""Loader for auditor's own ``model_card.yaml`` (schema in :mod:`.schema`): unknown keys and wrong types
become load issues with their line, never a crash."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import suggest
from .document import Builder, Document
from .schema import SCHEMA, as_bool, describe, type_problem
from .yamlnodes import Parsed, YamlProblem, parse_with_lines

__all__ = ["load_yaml_card", "looks_like_auditor_card"]


def looks_like_auditor_card(data: Any) -> bool:
    """A YAML mapping whose top-level keys are mostly our schema's (vs. a datasheet or foreign YAML)."""
    if not isinstance(data, Mapping) or not data:
        return False
    known = sum(1 for k in data if k in SCHEMA)
    return known >= max(1, len(data) // 2)


def _walk(
    b: Builder, parsed: Parsed, value: Any, spec: Mapping[str, Any], path: tuple[Any, ...]
) -> None:
    for key, sub_value in value.items():
        kpath = (*path, key)
        dotted = ".".join(map(str, kpath))
        line = parsed.line(kpath)
        if key not in spec:
            where = f"{'.'.join(map(str, path))}." if path else ""
            known = (
                f"known keys under {where}: {', '.join(sorted(map(str, spec)))}"
                if where
                else "see the schema in docs/transparency.md"
            )
            b.issue(
                f"unknown key {dotted!r}{suggest(str(key), spec)} ({known}); put custom data "
                "under `extra:`",
                line,
                dotted,
            )
            continue
        tp = spec[key]
        problem = type_problem(sub_value, tp)
        answer = as_bool(sub_value) if tp == "bool" else None
        if problem and answer is not None:  # contains_pii: "no" is an answer, written as text
            b.issue(f"{dotted}: {problem}; read as {str(answer).lower()}", line, dotted)
            b.add(dotted, answer, line, f"key {dotted}")
            continue
        if problem:
            b.issue(f"{dotted}: {problem}", line, dotted)
            b.add(dotted, sub_value, line, f"key {dotted}", problem=problem)
            continue
        if (
            isinstance(tp, Mapping)
            and isinstance(sub_value, Mapping)
            and "not_applicable" not in sub_value
        ):
            b.add(dotted, dict(sub_value), line, f"key {dotted}")
            _walk(b, parsed, sub_value, tp, kpath)
        elif isinstance(tp, list) and isinstance(sub_value, list):
            items: list[Any] = []
            lines: list[int | None] = []
            key_lines: list[dict[str, int]] = []
            for i, item in enumerate(sub_value):
                ipath = (*kpath, i)
                if not isinstance(item, Mapping):
                    b.issue(
                        f"{dotted}[{i}]: expected a mapping with keys {', '.join(tp[0])}, got "
                        f"{type(item).__name__}",
                        parsed.line(ipath),
                        dotted,
                    )
                    continue
                for ikey, ivalue in item.items():
                    if ikey not in tp[0]:
                        b.issue(
                            f"unknown key {dotted}[{i}].{ikey}{suggest(str(ikey), tp[0])} "
                            f"(known: {', '.join(tp[0])})",
                            parsed.line((*ipath, ikey)),
                            dotted,
                        )
                        continue
                    ip = type_problem(ivalue, tp[0][ikey])
                    if ip:
                        b.issue(f"{dotted}[{i}].{ikey}: {ip}", parsed.line((*ipath, ikey)), dotted)
                items.append(dict(item))
                lines.append(parsed.line(ipath))
                key_lines.append(
                    {str(k): ln for k in item if (ln := parsed.line((*ipath, k))) is not None}
                )
            if sub_value and not items:  # no item is a mapping: a wrong type, not an answer
                b.add(dotted, sub_value, line, f"key {dotted}",
                      problem=f"expected a list of mappings with keys {', '.join(tp[0])}")  # fmt: skip
                continue
            b.add(dotted, items, line, f"key {dotted}", lines, key_lines)
        else:
            item_lines = (
                [parsed.line((*kpath, i)) for i in range(len(sub_value))]
                if isinstance(sub_value, list)
                else []
            )
            b.add(dotted, sub_value, line, f"key {dotted}", item_lines)


def load_yaml_card(text: str, path: str) -> Document:
    b = Builder(path, "auditor-yaml", "card")
    try:
        parsed = parse_with_lines(text)
    except YamlProblem as exc:
        b.issue(str(exc), exc.line, fatal=True)
        return b.build()
    if parsed.data is None:
        b.issue("the model card is empty", 1, fatal=True)
        return b.build()
    if not isinstance(parsed.data, Mapping):
        b.issue(
            f"expected a mapping of card sections at the top level, got {type(parsed.data).__name__}",
            1,
            fatal=True,
        )
        return b.build()
    version = parsed.data.get("schema_version", 1)
    if version not in (1, "1"):
        b.issue(
            f"schema_version {version!r} is not supported (this auditor reads schema_version 1)",
            parsed.line(("schema_version",)),
            "schema_version",
        )
    _walk(b, parsed, parsed.data, SCHEMA, ())
    return b.build()


def schema_summary() -> list[tuple[str, str]]:
    """``(key, type)`` rows of the schema, for docs."""
    from .schema import iter_leaves

    return [(k, describe(t)) for k, t in iter_leaves()]
