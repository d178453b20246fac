"""The documented schema of auditor's own ``model_card.yaml``: a superset of the merged field table
(reporting reference §1.7). Every leaf also accepts ``{not_applicable: {reason: ...}}``.

Types: ``text`` (a string; numbers are accepted), ``date``, ``bool``, ``number``, ``texts`` (a list of strings
or one string), ``license`` (an SPDX/Hub id, or ``{id | name, text, link}``), ``any`` (free form), a nested
mapping, or ``[item]`` (a list of mappings with the given keys).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any

from .yamlnodes import date_problem

__all__ = ["LICENSE_KEYS", "SCHEMA", "as_bool", "describe", "iter_leaves", "type_problem"]

LICENSE_KEYS = ("id", "identifier", "spdx", "name", "text", "custom_text", "link", "url")

DATASET = {
    "id": "text", "name": "text", "link": "text", "description": "text", "version": "text",
    "split": "text", "revision": "text", "sha256": "text", "rows": "number",
}  # fmt: skip
RESULT = {
    "metric": "text", "value": "number", "ci_low": "number", "ci_high": "number",
    "threshold": "number", "dataset": "text", "split": "text", "note": "text",
}  # fmt: skip
GROUP_RESULT = {**RESULT, "feature": "text", "group": "text", "n": "number"}
FAIRNESS_CLAIM = {
    "metric": "text", "feature": "text", "group": "text", "value": "number",
    "operator": "text", "dataset": "text", "note": "text",
}  # fmt: skip

SCHEMA: dict[str, Any] = {
    "schema_version": "number",
    "model": {
        "name": "text", "id": "text", "description": "text", "version": "text",
        "previous_version": "text", "release_date": "date", "sha256": "text", "task": "text",
        "type": "text", "architecture": "text", "base_model": "texts", "language": "texts",
    },
    "provider": {"name": "text", "contact": "text", "address": "text"},
    "license": "license",
    "software": {"dependencies": "texts"},
    "compute": {"hardware": "text", "requirements": "text", "training": "text"},
    "io": {"input_spec": "any", "output_spec": "any"},
    "use": {"intended": "texts", "intended_users": "texts", "affected_persons": "texts",
            "out_of_scope": "texts"},
    "deployment": {"context": "text", "forms": "texts"},
    "data": {
        "training": [DATASET], "evaluation": [DATASET], "provenance": "text",
        "preprocessing": "text", "labelling": "text", "sensitive_attributes": "texts",
        "contains_pii": "bool", "contains_special_category": "bool", "pii_description": "text", "consent": "text",
        "representativeness": "text", "fingerprint": "text",
    },
    "metrics": [{"name": "text", "rationale": "text", "threshold": "number"}],
    "results": {"overall": [RESULT], "by_group": [GROUP_RESULT], "intersectional": "texts"},
    "fairness": {"assessment": "text", "claims": [FAIRNESS_CLAIM]},
    "robustness": "text",
    "security": "text",
    "explainability": "text",
    "limitations": "texts",
    "risks": [{"name": "text", "mitigation": "text"}],
    "tradeoffs": "texts",
    "oversight": {"human": "text"},
    "logging": {"mechanism": "text"},
    "monitoring": {"plan": "text"},
    "changelog": "texts",
    "lifecycle": {"expected_lifetime": "text", "maintenance": "text", "predetermined_changes": "text"},
    "standards_applied": "texts",
    "conformity": {"declaration": "text"},
    "environmental_impact": {"hardware": "text", "hours": "number", "cloud_provider": "text",
                             "region": "text", "co2_kg": "number"},
    "references": "texts",
    "citation": "text",
    "card": {"authors": "texts", "date": "date", "approved_by": "text", "version": "text"},
    "governance": {"inventory_id": "text", "risk_category": "text", "risk_tolerance": "any"},
    "feedback": {"channel": "text"},
    "incident": {"contact": "text"},
    "extra": "any",
}  # fmt: skip


def iter_leaves(spec: Mapping[str, Any] = SCHEMA, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every field key of the schema with its type, parents first (``model``, ``model.name``, ...)."""
    for key, sub in spec.items():
        full = f"{prefix}{key}"
        yield full, sub
        if isinstance(sub, Mapping):
            yield from iter_leaves(sub, f"{full}.")


def describe(tp: Any) -> str:
    if isinstance(tp, Mapping):
        return "mapping"
    if isinstance(tp, list):
        return "list of mappings"
    return str(tp)


def _is_na(value: Any) -> bool:
    return isinstance(value, Mapping) and "not_applicable" in value


def type_problem(value: Any, tp: Any) -> str | None:
    """Why ``value`` does not fit type ``tp`` (None when it fits). Empty values always fit (they are
    judged as placeholders instead)."""
    if value is None or _is_na(value) or tp == "any":
        return None
    if isinstance(tp, Mapping):
        return None if isinstance(value, Mapping) else f"expected a mapping, got {_kind(value)}"
    if isinstance(tp, list):
        return None if isinstance(value, list) else f"expected a list, got {_kind(value)}"
    if tp == "text":
        ok = isinstance(value, (str, int, float, dt.date)) and not isinstance(value, bool)
        return None if ok else f"expected text, got {_kind(value)}"
    if tp == "texts":
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return None
        if isinstance(value, list) and all(
            isinstance(v, (str, int, float, Mapping)) and not isinstance(v, bool) for v in value
        ):
            return None
        return f"expected text or a list of texts, got {_kind(value)}"
    if tp == "number":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return None
        if isinstance(value, str):
            try:
                float(value.strip().rstrip("%"))
                return None
            except ValueError:
                pass
        return f"expected a number, got {_kind(value)}"
    if tp == "bool":
        return None if isinstance(value, bool) else f"expected true or false, got {_kind(value)}"
    if tp == "date":
        if isinstance(value, dt.date):
            return None
        if isinstance(value, str):
            text = value.strip()
            try:
                dt.date.fromisoformat(text[:10])
                return None
            except ValueError:
                pass
            if re.match(r"^\d{4}-\d{2}-\d{2}", text):
                why = date_problem(text[:10]) or "not a calendar date"
                return f"impossible date {text[:30]!r} ({why})"
        return f"expected a date (YYYY-MM-DD), got {_kind(value)}"
    if tp == "license":
        if isinstance(value, Mapping):
            if any(k in LICENSE_KEYS for k in value):
                return None
            keys = ", ".join(map(str, value)) or "none"
            return (
                "expected a license id or a mapping with id, name, text or link, got a mapping "
                f"with keys {keys}"
            )
        if isinstance(value, str):
            return None
        return f"expected a license id or mapping, got {_kind(value)}"
    return None


_YES_NO = {"yes": True, "true": True, "y": True, "no": False, "false": False, "n": False}


def as_bool(value: Any) -> bool | None:
    """A yes/no answer: a boolean, or the text yes/no/true/false/y/n (any case); None otherwise."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _YES_NO.get(value.strip().strip(".").lower())
    return None


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return f"a boolean ({value!r})"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"text ({value[:30]!r})"
    return f"{type(value).__name__} ({value!r})"
