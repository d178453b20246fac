"""Compare a run with a baseline report: finding states, metric deltas and regression rules.

A finding is matched on its stable id (sha256 of check, location and discriminator):
``new`` (not in the baseline), ``unchanged`` (same severity, status, message and evidence),
``updated`` (matched, but something moved) and ``absent`` (in the baseline only: resolved, listed
separately). Measured metrics are compared row by row in every table the two runs share (rows
matched on their identity columns: feature, group, column, field, metric, ...), and policy
``regressions:`` rules fail the gate when a metric worsens by more than its tolerance, even while
it is still above its absolute threshold::

    regressions:
      FAIR101.impact_ratio: {max_drop: 0.02}   # check id or prefix, then the metric
      hit_rate: {max_rise: 0.0}                # any check
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ConfigError, UsageError

if TYPE_CHECKING:
    from .report import Report

__all__ = [
    "IDENTITY_COLUMNS",
    "METRIC_COLUMNS",
    "RegressionRule",
    "apply_baseline",
    "compare_reports",
    "findings_by_id",
    "format_value",
    "load_baseline",
    "parse_regressions",
    "regression_text",
    "split_fail_on",
]

IDENTITY_COLUMNS = ("feature", "group", "column", "field", "metric", "category", "entity", "name")
METRIC_COLUMNS = (
    "selection_rate", "scoring_rate", "impact_ratio", "base_rate", "tpr", "fpr", "fnr", "tnr",
    "precision", "accuracy", "value", "hit_rate", "score", "p_value",
)  # fmt: skip
MAX_ROWS = 500
EPS = 1e-12


@dataclass(frozen=True)
class RegressionRule:
    """``metric`` may not drop by more than ``max_drop`` (or rise by more than ``max_rise``)."""

    check: str  # a check id, a prefix (``FAIR``) or "" for every check
    metric: str
    max_drop: float | None = None
    max_rise: float | None = None
    source: str = ""

    def applies(self, check_id: str) -> bool:
        return (
            not self.check
            or check_id == self.check
            or (self.check.isalpha() and check_id.startswith(self.check))
        )

    def describe(self) -> str:
        if self.max_drop is not None:
            return f"drop ≤ {self.max_drop:g}"
        return f"rise ≤ {self.max_rise:g}"

    def to_dict(self) -> dict[str, Any]:
        key = f"{self.check}.{self.metric}" if self.check else self.metric
        bound = {"max_drop": self.max_drop} if self.max_drop is not None else {}
        if self.max_rise is not None:
            bound["max_rise"] = self.max_rise
        return {"key": key, **bound}


def parse_regressions(value: Any, where: str) -> tuple[RegressionRule, ...]:
    """Parse a policy's ``regressions:`` mapping; errors name the file and key."""
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: expected a mapping of [CHECK.]metric: {{max_drop: x}}")
    rules = []
    for raw_key, spec in value.items():
        key = str(raw_key)
        at = f"{where}.{key}"
        check, _, metric = key.rpartition(".")
        if not metric or (check and not check.isalnum()):
            raise ConfigError(f"{at}: expected [CHECK_ID_OR_PREFIX.]metric, got {key!r}")
        if not isinstance(spec, Mapping) or not spec:
            raise ConfigError(f"{at}: expected {{max_drop: x}} or {{max_rise: x}}, got {spec!r}")
        unknown = set(spec) - {"max_drop", "max_rise"}
        if unknown:
            raise ConfigError(
                f"{at}: unknown key {sorted(unknown)[0]!r} (allowed: max_drop, max_rise)"
            )
        if len(spec) != 1:
            raise ConfigError(f"{at}: give one of max_drop (higher is better) or max_rise")
        ((kind, bound),) = spec.items()
        if isinstance(bound, bool) or not isinstance(bound, (int, float)) or bound < 0:
            raise ConfigError(f"{at}.{kind}: expected a number >= 0, got {bound!r}")
        rules.append(
            RegressionRule(
                check=check, metric=metric, source=at,
                max_drop=float(bound) if kind == "max_drop" else None,
                max_rise=float(bound) if kind == "max_rise" else None,
            )
        )  # fmt: skip
    return tuple(rules)


def format_value(x: Any) -> str:
    """A metric value for people: floats to 6 significant digits (``0.617413``), else ``str``."""
    return f"{x:.6g}" if isinstance(x, float) else str(x)


def regression_text(reg: Mapping[str, Any]) -> str:
    """``impact_ratio for feature=g, group=B fell 0.9 -> 0.84 (-0.06); allowed: drop ≤ 0.02``."""
    delta = float(reg.get("delta") or 0.0)
    verb = "fell" if delta < 0 else "rose"
    return (
        f"{reg['metric']} for {reg['subject']} {verb} {format_value(reg['old'])} -> "
        f"{format_value(reg['new'])} ({delta:+.6g}) since the baseline; allowed by the regression "
        f"rule: {reg['rule']}"
    )


def split_fail_on(value: str | None) -> tuple[str | None, bool]:
    """``"new"`` -> ``(None, True)``, ``"new:medium"`` -> ``("medium", True)``, ``"high"`` -> ``("high", False)``."""
    if value is None:
        return None, False
    text = str(value).strip().lower()
    if text == "new":
        return None, True
    if text.startswith("new:"):
        return text[4:] or None, True
    return value, False


def load_baseline(path: str | Path) -> tuple[dict[str, Any], str]:
    """Read a baseline ``audit.json``; returns ``(data, sha256)``. Usage error (exit 2) if unusable."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{p}: baseline report not found") from None
    except OSError as exc:
        raise UsageError(f"{p}: cannot read baseline: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{p}: baseline is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or "results" not in data or "schema_version" not in data:
        raise UsageError(f"{p}: not an auditor report (no schema_version/results)")
    from .report import check_comparable

    check_comparable(data, f"baseline {p}")
    return data, hashlib.sha256(raw).hexdigest()


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(float(value)) else None


def _row_key(row: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple((k, str(row[k])) for k in IDENTITY_COLUMNS if row.get(k) is not None)


def _measures(data: Mapping[str, Any]) -> dict[tuple[str, str, Any], dict[str, float]]:
    """``(check, table, row key) -> {metric: value}``, plus evidence as table ``finding:<location>``."""
    out: dict[tuple[str, str, Any], dict[str, float]] = {}
    for r in data.get("results", []):
        for name, rows in (r.get("tables") or {}).items():
            for i, row in enumerate(rows):
                key = _row_key(row) or (("row", str(i)),)
                values = {k: v for k, v in ((k, _num(row.get(k))) for k in row) if v is not None}
                out[(r["check"], name, key)] = values
        for f in r.get("findings", []):
            ev = {k: v for k, v in ((k, _num(x)) for k, x in (f.get("evidence") or {}).items())}
            out[(r["check"], "evidence", (("finding", f["location"]),))] = {
                k: v for k, v in ev.items() if v is not None
            }
    return out


def _subject(key: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{k}={v}" if k != "finding" else v for k, v in key)


def _pairs(
    old: Mapping[str, Any], new: Mapping[str, Any]
) -> Iterator[tuple[str, str, str, str, float, float]]:
    """``(check, table, subject, metric, old, new)`` for every metric measured in both runs."""
    a, b = _measures(old), _measures(new)
    tabled = {(c, m) for (c, t, _), vals in b.items() if t != "evidence" for m in vals}
    for key in sorted(set(a) & set(b), key=str):
        check, table, row = key
        for metric, nv in b[key].items():
            ov = a[key].get(metric)
            if ov is None or (table == "evidence" and (check, metric) in tabled):
                continue
            yield check, table, _subject(row), metric, ov, nv


def findings_by_id(data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Every finding of a canonical report by its stable id, with its check's id as ``check``."""
    return {
        f["id"]: {**f, "check": r["check"]}
        for r in data.get("results", [])
        for f in r.get("findings", [])
    }


def compare_reports(
    old: Mapping[str, Any], new: Mapping[str, Any], rules: Sequence[RegressionRule] = ()
) -> dict[str, Any]:
    """Finding states by id, resolved findings, metric deltas and evaluated regression rules."""
    old_f = findings_by_id(old)
    states: dict[str, str] = {}
    for r in new.get("results", []):
        for f in r.get("findings", []):
            prev = old_f.get(f["id"])
            if prev is None:
                states[f["id"]] = "new"
            else:
                same = all(
                    prev.get(k) == f.get(k) for k in ("severity", "status", "message", "evidence")
                )
                states[f["id"]] = "unchanged" if same else "updated"
    absent = [
        {k: f.get(k) for k in ("id", "check", "location", "message", "severity", "status")}
        for fid, f in old_f.items()
        if fid not in states
    ]
    deltas: list[dict[str, Any]] = []
    regressions: list[dict[str, Any]] = []
    for check, table, subject, metric, ov, nv in _pairs(old, new):
        delta = nv - ov
        item = {"check": check, "table": table, "subject": subject, "metric": metric,
                "old": ov, "new": nv, "delta": round(delta, 12)}  # fmt: skip
        if metric in METRIC_COLUMNS and abs(delta) > EPS and table != "evidence":
            deltas.append(item)
        for rule in rules:
            if rule.metric == metric and rule.applies(check):
                failed = (rule.max_drop is not None and -delta > rule.max_drop + EPS) or (
                    rule.max_rise is not None and delta > rule.max_rise + EPS
                )
                regressions.append({**item, "rule": rule.describe(), "failed": bool(failed)})
    deltas.sort(key=lambda d: -abs(d["delta"]))
    regressions.sort(key=lambda d: (not d["failed"], -abs(d["delta"])))
    counts = {s: sum(1 for v in states.values() if v == s) for s in ("new", "updated", "unchanged")}
    return {
        "states": states,
        "counts": {**counts, "absent": len(absent)},
        "absent": absent,
        "deltas": deltas[:MAX_ROWS],
        "deltas_total": len(deltas),
        "regressions": regressions[:MAX_ROWS],
        "rules": [r.to_dict() for r in rules],
    }


def apply_baseline(
    report: Report,
    old: Mapping[str, Any],
    rules: Sequence[RegressionRule] = (),
    *,
    path: str | None = None,
    sha256: str | None = None,
) -> Report:
    """``report`` with ``baseline_state`` on every finding and the ``baseline`` block filled in."""
    cmp = compare_reports(old, report.to_dict(), rules)
    states = cmp.pop("states")
    results = tuple(
        replace(r, findings=tuple(replace(f, baseline_state=states.get(f.id)) for f in r.findings))
        for r in report.results
    )
    run = old.get("run") or {}
    block = {
        "path": path,
        "sha256": sha256,
        "run_id": run.get("id"),
        "started_at": run.get("started_at"),
        "verdict": old.get("verdict"),
        **cmp,
    }
    return replace(report, results=results, baseline=block)
