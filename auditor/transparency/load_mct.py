"""Loader for Google Model Card Toolkit JSON (``schema/v0.0.2/model_card.schema.json``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..errors import suggest
from ..safeload import LoadProblem, parse_json
from .document import Builder, Document
from .metrics import FAIRNESS_METRICS, canonical_metric
from .yamlnodes import MAX_DEPTH, Parsed, YamlProblem, parse_with_lines

__all__ = ["MCT_KEYS", "load_mct_json"]

# the v0.0.2 schema's properties (all objects there have additionalProperties: false)
MCT_KEYS: dict[str, Any] = {
    "schema_version": None,
    "model_details": {
        "name": None, "overview": None, "documentation": None, "owners": None, "version": None,
        "licenses": None, "references": None, "citations": None, "path": None,
    },
    "model_parameters": {
        "model_architecture": None, "data": None, "input_format": None, "input_format_map": None,
        "output_format": None, "output_format_map": None,
    },
    "quantitative_analysis": {"performance_metrics": None, "graphics": None},
    "considerations": {
        "users": None, "use_cases": None, "limitations": None, "tradeoffs": None,
        "ethical_considerations": None,
    },
}  # fmt: skip

ARRAYS = {
    "owners", "licenses", "references", "citations", "data", "input_format_map", "output_format_map",
    "performance_metrics", "users", "use_cases", "limitations", "tradeoffs", "ethical_considerations",
}  # fmt: skip
_SLICE = re.compile(r"^\s*(?P<feature>[^=:]+?)\s*[=:]\s*(?P<group>.+?)\s*$")


def _descriptions(items: Any) -> list[str]:
    """MCT lists of ``{description: ...}`` (or plain strings) -> list of strings."""
    out = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, Mapping):
            text = item.get("description") or item.get("reference") or item.get("citation")
            if text is not None:
                out.append(str(text))
        elif item is not None:
            out.append(str(item))
    return out


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(str(value).strip().rstrip("%"))
    except ValueError:
        return None


class _Lines:
    def __init__(self, parsed: Parsed | None, text: str) -> None:
        self.parsed, self.text = parsed, text

    def __call__(self, *path: Any) -> int | None:
        if self.parsed is not None:
            return self.parsed.line(path, 1)
        key = next((p for p in reversed(path) if isinstance(p, str)), None)
        if key is None:
            return 1
        idx = self.text.find(f'"{key}"')
        return self.text.count("\n", 0, idx) + 1 if idx >= 0 else 1


def _check_keys(data: Mapping[str, Any], line: _Lines, b: Builder) -> None:
    for key, value in data.items():
        if key not in MCT_KEYS:
            b.issue(
                f"unknown top-level key {key!r}{suggest(key, MCT_KEYS)} (MCT schema v0.0.2)",
                line(key),
                key,
            )
            continue
        known = MCT_KEYS[key]
        if isinstance(known, dict):
            if not isinstance(value, Mapping):
                b.issue(f"{key}: expected an object, got {type(value).__name__}", line(key), key)
                continue
            for sub in value:
                if sub in ARRAYS and not isinstance(value[sub], list):
                    b.issue(
                        f"{key}.{sub}: expected an array, got {type(value[sub]).__name__} (ignored)",
                        line(key, sub),
                        f"{key}.{sub}",
                    )
                if sub not in known:
                    b.issue(
                        f"unknown key {key}.{sub}{suggest(sub, known)} (MCT schema v0.0.2)",
                        line(key, sub),
                        f"{key}.{sub}",
                    )


def load_mct_json(text: str, path: str) -> Document:
    b = Builder(path, "mct-json", "card")
    try:  # strict and bounded: duplicate keys, NaN, nesting deeper than MAX_DEPTH are refused
        data = parse_json(text, max_depth=MAX_DEPTH)
    except LoadProblem as exc:
        message = exc.message.replace("not valid JSON", "invalid JSON")
        b.issue(message, exc.line or 1, fatal=True)
        return b.build()
    if not isinstance(data, Mapping):
        b.issue(f"expected a JSON object, got {type(data).__name__}", 1, fatal=True)
        return b.build()
    try:
        parsed: Parsed | None = parse_with_lines(text)
    except YamlProblem:
        parsed = None
    line = _Lines(parsed, text)
    _check_keys(data, line, b)
    version = data.get("schema_version")
    if version is not None and str(version) not in ("0.0.1", "0.0.2"):
        b.issue(
            f"schema_version {version!r}: this loader reads MCT schema 0.0.2",
            line("schema_version"),
        )

    def obj(key: str) -> Mapping[str, Any]:
        v = data.get(key)
        return v if isinstance(v, Mapping) else {}

    md, mp, qa, co = (
        obj("model_details"),
        obj("model_parameters"),
        obj("quantitative_analysis"),
        obj("considerations"),
    )
    if "name" in md:
        b.add("model.name", md["name"], line("model_details", "name"), "model_details.name")
    if "overview" in md:
        b.add(
            "model.description",
            md["overview"],
            line("model_details", "overview"),
            "model_details.overview",
        )
    owners = [o for o in _list(md.get("owners")) if isinstance(o, Mapping)]
    if "owners" in md:
        names = [o.get("name") for o in owners if o.get("name")]
        contacts = [o.get("contact") for o in owners if o.get("contact")]
        b.add(
            "provider.name", names, line("model_details", "owners"), "model_details.owners[].name"
        )
        b.add(
            "provider.contact",
            contacts,
            line("model_details", "owners"),
            "model_details.owners[].contact",
        )
    version_obj = _mapping(md.get("version"))
    for sub, field in (
        ("name", "model.version"),
        ("date", "model.release_date"),
        ("diff", "changelog"),
    ):
        if sub in version_obj:
            b.add(
                field,
                version_obj[sub],
                line("model_details", "version", sub),
                f"model_details.version.{sub}",
            )
    licenses = md.get("licenses")
    if isinstance(licenses, list):
        for i, lic in enumerate(licenses):
            if isinstance(lic, Mapping) and lic.get("identifier"):
                b.add(
                    "license",
                    lic["identifier"],
                    line("model_details", "licenses", i),
                    "model_details.licenses",
                )
            elif isinstance(lic, Mapping) and lic.get("custom_text"):
                b.add("license", {"text": lic["custom_text"]}, line("model_details", "licenses", i),
                      "model_details.licenses")  # fmt: skip
            else:
                b.issue("model_details.licenses[]: needs identifier or custom_text (the schema's only "
                        "required constraint)", line("model_details", "licenses", i), "license")  # fmt: skip
    for key, field in (("references", "references"), ("citations", "citation")):
        if key in md:
            b.add(field, _descriptions(md[key]), line("model_details", key), f"model_details.{key}")
    if "model_architecture" in mp:
        b.add("model.architecture", mp["model_architecture"], line("model_parameters", "model_architecture"),
              "model_parameters.model_architecture")  # fmt: skip
    for key, field in (("input_format", "io.input_spec"), ("output_format", "io.output_spec")):
        value = mp.get(key) or mp.get(f"{key}_map")
        if value is not None:
            b.add(field, value, line("model_parameters", key), f"model_parameters.{key}")
    datasets = [d for d in _list(mp.get("data")) if isinstance(d, Mapping)]
    training: list[tuple[dict[str, Any], int | None]] = []
    evaluation: list[tuple[dict[str, Any], int | None]] = []
    sensitive: list[tuple[str, int | None]] = []
    for i, d in enumerate(datasets):
        entry = {k: d[k] for k in ("name", "link", "description") if d.get(k) is not None}
        is_eval = re.search(r"eval|test|valid|holdout", str(d.get("name", "")), re.I)
        (evaluation if is_eval else training).append((entry, line("model_parameters", "data", i)))
        sens = _mapping(d.get("sensitive"))
        for s in _list(sens.get("sensitive_data")):
            sensitive.append((str(s), line("model_parameters", "data", i, "sensitive")))
    for field, items in (("data.training", training), ("data.evaluation", evaluation)):
        if items:
            b.add(
                field,
                [e for e, _ in items],
                items[0][1],
                "model_parameters.data",
                [ln for _, ln in items],
            )
    if sensitive:
        b.add("data.sensitive_attributes", [s for s, _ in sensitive], sensitive[0][1],
              "model_parameters.data[].sensitive.sensitive_data", [ln for _, ln in sensitive])  # fmt: skip
    _performance(qa, line, b)
    for key, field in (("users", "use.intended_users"), ("use_cases", "use.intended"),
                       ("limitations", "limitations"), ("tradeoffs", "tradeoffs")):  # fmt: skip
        if key in co:
            b.add(
                field, _descriptions(co[key]), line("considerations", key), f"considerations.{key}"
            )
    if "ethical_considerations" in co:
        risks = [
            {"name": e.get("name"), "mitigation": e.get("mitigation_strategy")}
            for e in _list(co["ethical_considerations"])
            if isinstance(e, Mapping)
        ]
        b.add(
            "risks",
            risks,
            line("considerations", "ethical_considerations"),
            "considerations.ethical_considerations",
        )
    return b.build()


def _performance(qa: Mapping[str, Any], line: _Lines, b: Builder) -> None:
    overall: list[tuple[dict[str, Any], int | None]] = []
    by_group: list[tuple[dict[str, Any], int | None]] = []
    claims: list[tuple[dict[str, Any], int | None]] = []
    names: list[str] = []
    for i, pm in enumerate(_list(qa.get("performance_metrics"))):
        ln = line("quantitative_analysis", "performance_metrics", i)
        if not isinstance(pm, Mapping) or not pm.get("type"):
            b.issue(f"quantitative_analysis.performance_metrics[{i}]: needs a type", ln, "results")
            continue
        names.append(str(pm["type"]))
        value = _number(pm.get("value"))
        if value is None:
            b.issue(f"quantitative_analysis.performance_metrics[{i}].value: not a number ({pm.get('value')!r})",
                    ln, "results")  # fmt: skip
            continue
        metric = canonical_metric(str(pm["type"])) or str(pm["type"])
        row: dict[str, Any] = {"metric": metric, "value": value}
        ci = _mapping(pm.get("confidence_interval"))
        lo, hi = _number(ci.get("lower_bound")), _number(ci.get("upper_bound"))
        if lo is not None and hi is not None:
            row |= {"ci_low": lo, "ci_high": hi}
        slice_ = str(pm.get("slice") or "").strip()
        if slice_ and slice_.lower() not in ("overall", "all", "full"):
            m = _SLICE.match(slice_)
            row |= (
                {"feature": m["feature"], "group": m["group"]}
                if m
                else {"feature": slice_, "group": None}
                if metric in FAIRNESS_METRICS  # a feature-level claim: slice "sex"
                else {"feature": None, "group": slice_}
            )
            (claims if metric in FAIRNESS_METRICS else by_group).append((row, ln))
        elif metric in FAIRNESS_METRICS:
            claims.append((row, ln))
        else:
            overall.append((row, ln))
    if names:
        b.add("metrics", sorted(set(names)), line("quantitative_analysis", "performance_metrics"),
              "quantitative_analysis.performance_metrics[].type")  # fmt: skip
    for field, rows in (
        ("results.overall", overall),
        ("results.by_group", by_group),
        ("fairness.claims", claims),
    ):
        if rows:
            b.add(field, [r for r, _ in rows], rows[0][1], "quantitative_analysis.performance_metrics",
                  [ln for _, ln in rows])  # fmt: skip
