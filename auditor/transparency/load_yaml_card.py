"""Loader for auditor's own ``model_card.yaml`` (schema in :mod:`.schema`): unknown keys and wrong types
become load issues with their line, never a crash."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from ..errors import suggest
from .document import Builder, Document
from .schema import LICENSE_KEYS, SCHEMA, as_bool, describe, type_problem
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
            meant = difflib.get_close_matches(str(key), [str(k) for k in spec], n=1, cutoff=0.55)
            if meant:  # a field under the misspelt key (`modle:`) belongs at that key's line
                b.anchor(".".join(map(str, (*path, meant[0]))), line)
            continue
        tp = spec[key]
        b.anchor(dotted, line)  # the nearest existing parent of the fields below this key
        if tp == "license" and isinstance(sub_value, list):
            _licenses(b, parsed, sub_value, kpath)
            continue
        if tp == "license" and isinstance(sub_value, Mapping):
            _license_keys(b, parsed, sub_value, kpath)
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


def _license_keys(
    b: Builder, parsed: Parsed, value: Mapping[Any, Any], kpath: tuple[Any, ...]
) -> None:
    """A license mapping's keys beyond the known ones (``{identifer: MIT}``) are load issues."""
    dotted = ".".join(map(str, kpath))
    for k in value:
        if k not in LICENSE_KEYS and k != "not_applicable":
            b.issue(
                f"unknown key {dotted}.{k}{suggest(str(k), LICENSE_KEYS)} (a license is an SPDX "
                f"id or a mapping with {', '.join(LICENSE_KEYS)})",
                parsed.line((*kpath, k)),
                dotted,
            )


def _licenses(b: Builder, parsed: Parsed, value: list[Any], kpath: tuple[Any, ...]) -> None:
    """``license: [MIT, {identifier: Apache-2.0}]`` (several licenses, as MCT's ``licenses[]``): each
    one is a value of its own at its own line, so TRN207 judges each."""
    dotted = ".".join(map(str, kpath))
    if not value:
        b.add(dotted, value, parsed.line(kpath), f"key {dotted}")
        return
    for i, item in enumerate(value):
        ipath = (*kpath, i)
        problem = type_problem(item, "license")
        if problem:
            b.issue(f"{dotted}[{i}]: {problem}", parsed.line(ipath), dotted)
        elif isinstance(item, Mapping):
            _license_keys(b, parsed, item, ipath)
        b.add(dotted, item, parsed.line(ipath), f"key {dotted}[{i}]", problem=problem or "")


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
