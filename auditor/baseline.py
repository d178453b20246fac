"""Compare a run with a baseline report: finding states, metric deltas and regression rules.

A finding is matched on its stable id (sha256 of check, location and discriminator):
``new`` (not in the baseline), ``unchanged`` (same severity, status, message and evidence),
``updated`` (matched, but something moved). A finding only the baseline has is *resolved*
(``absent``) when its check ran in this run, and *not evaluated* (``not_evaluated``, listed per
check with the reason) when its check did not run: skipped, errored or left out of the plan. A
check that ran in the baseline and is skipped now because an input is missing (``--card`` left
out, ``--engine dask`` keeping rows out of memory: ``missing_inputs`` on the result) fails the
gate (``not_evaluated`` in ``gate.blocking``) unless the policy lists the input under
``dropped_inputs`` with a reason; removing an input cannot silence its checks.

Numbers are compared with a tolerance: two values are the same when they differ by at most
:data:`REL_TOL` relative (floating-point noise between engines: pandas and Polars sum in another
order). Values that depend on the run's seed are sampling noise when the seeds differ: bootstrap
intervals and p-values (``*_ci``, ``ci_low``/``ci_high``, ``p_threshold``, ``p_adjusted`` and,
for fairness checks, the ``reason``/``would_settle`` texts built from them) and, when the PII scan
sampled rows, the sampled counts and rates of PII checks (also when another engine drew the
sample); they are not changes, a note says so, and the messages of those findings are compared
with their numbers masked. Point estimates (an impact ratio, a rate, a count of the whole data)
are always compared.

Measured metrics are compared row by row in every table the two runs share (rows matched on
their identity columns: feature, group, column, field, metric, ...), and policy
``regressions:`` rules fail the gate when a metric worsens by more than its tolerance, even while
it is still above its absolute threshold::

    regressions:
      FAIR101.impact_ratio: {max_drop: 0.02}   # check id or prefix, then the metric
      hit_rate: {max_rise: 0.0}                # any check
      FAIR.*_difference: {max_rise: 0.05, abs: true}  # a row's metric name, a glob; |value|
      PII.column: {new: true}                  # a column flagged that the baseline did not flag
"""

from __future__ import annotations

import fnmatch
import hashlib
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

from .errors import ConfigError
from .render.wording import format_value, regression_text

if TYPE_CHECKING:
    from .report import Report

__all__ = [
    "IDENTITY_COLUMNS",
    "METRIC_COLUMNS",
    "REL_TOL",
    "ROW",
    "ROW_KEYS",
    "Noise",
    "RegressionRule",
    "apply_baseline",
    "compare_reports",
    "finding_changes",
    "findings_by_id",
    "flatten_evidence",
    "format_value",
    "load_baseline",
    "noise_between",
    "parse_regressions",
    "regression_text",
    "same_number",
    "split_fail_on",
]

IDENTITY_COLUMNS = ("feature", "group", "column", "field", "metric", "category", "entity", "name")
METRIC_COLUMNS = (
    "selection_rate", "scoring_rate", "impact_ratio", "base_rate", "tpr", "fpr", "fnr", "tnr",
    "precision", "accuracy", "value", "hit_rate", "score", "p_value",
)  # fmt: skip
MAX_ROWS = 500
EPS = 1e-12
#: two numbers are the same when they differ by at most this, relative (or EPS absolute)
REL_TOL = 1e-9
#: statuses of a check that evaluated its criterion (a finding it no longer reports is resolved)
RAN = ("passed", "failed", "waived")


def same_number(a: float, b: float) -> bool:
    """Equal within :data:`REL_TOL` relative or :data:`EPS` absolute (two NaNs are equal)."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=EPS)


def _is_number(x: Any) -> TypeGuard[float]:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def same_value(a: Any, b: Any) -> bool:
    """``a == b``, with numbers (also inside lists and mappings) compared by :func:`same_number`."""
    if _is_number(a) and _is_number(b):
        return same_number(float(a), float(b))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    return bool(a == b)


ROW = object()  # the marker of an evidence row in :func:`flatten_evidence`
#: what names a row of a per-group / per-metric evidence list (``groups[Female].impact_ratio``)
ROW_KEYS = ("group", "metric", "feature", "column", "field", "entity", "name")


def flatten_evidence(evidence: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """A finding's evidence as flat ``key -> value`` pairs, so a change inside its per-group or
    per-metric rows shows as that row's number: ``groups[Female].impact_ratio`` (rows named by
    :data:`ROW_KEYS`, else their index; ``groups[Female]`` itself marks that the row is there),
    ``gap.ece`` for a nested mapping, a non-finite number by its name (``nan``). Lists of
    plain values stay whole."""
    out: dict[str, Any] = {}
    flags = evidence.get("_nonfinite")
    for key, value in evidence.items():
        if key == "_nonfinite":
            continue
        name = f"{prefix}.{key}" if prefix else str(key)
        if value is None and isinstance(flags, Mapping) and isinstance(flags.get(key), str):
            value = flags[key]  # a non-finite number: "nan", "inf", "-inf"
        if isinstance(value, Mapping):
            out.update(flatten_evidence(value, name))
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            seen: set[str] = set()
            for i, row in enumerate(value):
                by = next((k for k in ROW_KEYS if row.get(k) is not None), None)
                ident = str(row[by]) if by else str(i)
                if ident in seen:
                    ident = f"{ident}#{i}"
                seen.add(ident)
                out[f"{name}[{ident}]"] = ROW
                sub = {k: v for k, v in row.items() if k != by}
                out.update(flatten_evidence(sub, f"{name}[{ident}]"))
        else:
            out[name] = value
    return out


# -- values that depend on the run's seed ------------------------------------------------------
#: bootstrap p-values (any check); intervals are recognised by their names (:func:`_interval`)
BOOTSTRAP_P = frozenset({"p_threshold", "p_adjusted"})
#: fairness texts written from a bootstrap interval or p-value ("the 95% interval (0.39-0.81)
#: reaches 0.80", "about 2.7 times the data")
BOOTSTRAP_TEXT = frozenset({"reason", "would_settle"})
#: what a PII check counts in its row sample (hits, rates, scores, masked examples of the rows
#: drawn, the interval of a sampled share)
SAMPLED = frozenset({
    "hits", "hit_rate", "score", "share", "ci_low", "ci_high", "rows_with_pii",
    "masked_examples", "likelihood", "unique_scanned", "analyzed_unique", "mean_score",
    "entity_rows", "rows_in_vocabulary", "share_in_vocabulary",
})  # fmt: skip
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


def _leaf(key: str) -> str:
    """``groups[Female].impact_ratio_ci`` -> ``impact_ratio_ci``; ``entity_rows.EMAIL`` ->
    ``entity_rows`` (a count per entity type is one value of the sample)."""
    parts = re.sub(r"\[[^\]]*\]", "", key).split(".")
    return parts[-2] if len(parts) > 1 and parts[-2] == "entity_rows" else parts[-1]


def _interval(leaf: str) -> bool:
    return leaf == "ci" or leaf.endswith("_ci") or leaf.startswith("ci_") or "_ci_" in leaf


@dataclass(frozen=True)
class Noise:
    """Which seed-dependent values are sampling noise between two runs (see the module doc)."""

    bootstrap: bool = False  # the seeds differ: bootstrap intervals and p-values moved by chance
    sample: bool = False  # the PII scan sampled rows, with another seed or another engine

    def ignores(self, check: str, key: str) -> bool:
        """Whether a change of ``key`` (a flat evidence key or a table metric) of ``check`` is
        sampling noise."""
        leaf = _leaf(key)
        if self.bootstrap and (
            _interval(leaf)
            or leaf in BOOTSTRAP_P
            or (check.startswith("FAIR") and leaf in BOOTSTRAP_TEXT)
        ):
            return True
        return self.sample and check.startswith("PII") and leaf in SAMPLED

    def masks_numbers(self, check: str) -> bool:
        """Whether the numbers of ``check``'s messages may move with the noise (they are compared
        masked; the evidence behind them is compared value by value)."""
        return (self.bootstrap and check.startswith("FAIR")) or (
            self.sample and check.startswith("PII")
        )


def _sampled(data: Mapping[str, Any]) -> bool:
    """Whether the report's PII scan drew a sample of the rows (the ``scan`` table of PII001)."""
    for r in data.get("results", []):
        for row in (r.get("tables") or {}).get("scan", []):
            size, rows = row.get("sample_size"), row.get("rows")
            if _is_number(size) and _is_number(rows) and rows > size:
                return True
    return False


def _engine(data: Mapping[str, Any]) -> str | None:
    eng = (data.get("inputs") or {}).get("engine")
    return str(eng.get("name")) if isinstance(eng, Mapping) and eng.get("name") else None


def noise_between(old: Mapping[str, Any], new: Mapping[str, Any]) -> Noise:
    """The sampling noise between two reports: their seeds (``run.seed``) and engines."""
    seeds = (old.get("run") or {}).get("seed"), (new.get("run") or {}).get("seed")
    seed_moved = seeds[0] != seeds[1]
    engine_moved = _engine(old) != _engine(new)
    sampled = _sampled(old) or _sampled(new)
    return Noise(bootstrap=seed_moved, sample=sampled and (seed_moved or engine_moved))


@dataclass(frozen=True)
class FindingChanges:
    """What moved in a finding matched between two runs (empty: unchanged)."""

    moves: dict[str, list[Any]]  # severity / status / message: [old, new]
    deltas: dict[str, dict[str, Any]]  # flat evidence key -> {old, new, delta} (numbers)
    evidence: dict[str, list[Any]]  # flat evidence key -> [old, new] (anything else)
    noise: int = 0  # values that moved by sampling noise only (not counted)
    within_tolerance: int = 0  # numbers equal within REL_TOL (not counted)

    @property
    def changed(self) -> bool:
        return bool(self.moves or self.deltas or self.evidence)


def finding_changes(
    old: Mapping[str, Any], new: Mapping[str, Any], noise: Noise | None = None
) -> FindingChanges:
    """Compare a finding of two runs (``check`` set, as in :func:`findings_by_id`): severity,
    status, message and every evidence value, numbers within :data:`REL_TOL`, seed-dependent
    values left out under ``noise`` (a row only one run has is one change, ``present/absent``)."""
    noise = noise or Noise()
    check = str(new.get("check") or old.get("check") or "")
    masked = noise.masks_numbers(check)
    moves: dict[str, list[Any]] = {}
    for k in ("severity", "status", "message"):
        va, vb = old.get(k), new.get(k)
        if va == vb:
            continue
        if k == "message" and masked and _DIGITS.sub("#", str(va)) == _DIGITS.sub("#", str(vb)):
            continue
        moves[k] = [va, vb]
    ev_a = flatten_evidence(old.get("evidence") or {})
    ev_b = flatten_evidence(new.get("evidence") or {})
    deltas: dict[str, dict[str, Any]] = {}
    evidence: dict[str, list[Any]] = {}
    quiet = close = 0
    keys = [*ev_b, *(k for k in ev_a if k not in ev_b)]
    # a row only one run has is one change ("absent -> present"), not one per number in it
    lone = {k for k in keys if (ev_a.get(k) is ROW) != (ev_b.get(k) is ROW)}
    for key in keys:
        va, vb = ev_a.get(key), ev_b.get(key)
        if va is vb or any(key.startswith(f"{row}.") for row in lone):
            continue
        if key in lone:
            evidence[key] = ["present" if va is ROW else "absent",
                             "present" if vb is ROW else "absent"]  # fmt: skip
            continue
        if same_value(va, vb):
            close += va != vb
            continue
        if noise.ignores(check, key):
            quiet += 1
            continue
        if _is_number(va) and _is_number(vb):
            deltas[key] = {"old": va, "new": vb, "delta": vb - va}
        else:
            evidence[key] = [va, vb]
    return FindingChanges(moves, deltas, evidence, noise=quiet, within_tolerance=close)


@dataclass(frozen=True)
class RegressionRule:
    """``metric`` may not drop by more than ``max_drop`` (or rise by more than ``max_rise``);
    with ``new``, no finding of the check may appear about a subject of that kind (``column``)."""

    check: str  # a check id, a prefix (``FAIR``) or "" for every check
    metric: str  # a metric name or a glob (``*_difference``); with ``new``: a location kind
    max_drop: float | None = None
    max_rise: float | None = None
    source: str = ""
    magnitude: bool = False  # ``abs: true``: compare |value| (a signed gap between groups)
    new: bool = False  # ``new: true``: a finding about a subject the baseline did not flag
    min_n: int | None = None  # ``min_n: 30``: a row of fewer people (``n``) in a run cannot fail

    def applies(self, check_id: str) -> bool:
        return (
            not self.check
            or check_id == self.check
            or (self.check.isalpha() and check_id.startswith(self.check))
        )

    def matches(self, metric: str) -> bool:
        """Whether ``metric`` (a metric column, or the name in a row's ``metric`` column) is this
        rule's metric or matches its glob."""
        return self.metric == metric or fnmatch.fnmatchcase(metric, self.metric)

    def describe(self) -> str:
        if self.new:
            return f"no {self.metric} newly flagged"
        size = "|value| " if self.magnitude else ""
        groups = f" for n ≥ {self.min_n}" if self.min_n else ""
        if self.max_drop is not None:
            return f"{size}drop ≤ {self.max_drop:g}{groups}"
        return f"{size}rise ≤ {self.max_rise:g}{groups}"

    def to_dict(self) -> dict[str, Any]:
        key = f"{self.check}.{self.metric}" if self.check else self.metric
        bound: dict[str, Any] = {"max_drop": self.max_drop} if self.max_drop is not None else {}
        if self.max_rise is not None:
            bound["max_rise"] = self.max_rise
        if self.magnitude:
            bound["abs"] = True
        if self.new:
            bound["new"] = True
        if self.min_n:
            bound["min_n"] = self.min_n
        return {"key": key, **bound}


_RULE_KEYS = ("max_drop", "max_rise", "abs", "new", "min_n")
_METRIC = re.compile(r"[A-Za-z0-9_*?]+")


def parse_regressions(value: Any, where: str) -> tuple[RegressionRule, ...]:
    """Parse a policy's ``regressions:`` mapping; errors name the file and key.

    ``[CHECK.]metric: {max_drop: x}`` or ``{max_rise: x}`` (``abs: true`` compares the
    magnitude; ``min_n: k``: a row with fewer than ``k`` people in either run cannot fail), where ``metric`` is a metric column or a row's ``metric`` name, ``*`` and ``?``
    allowed; ``CHECK.kind: {new: true}`` (e.g. ``PII.column``): a finding of the check about a
    ``kind:`` location the baseline did not have, while the check ran in the baseline."""
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: expected a mapping of [CHECK.]metric: {{max_drop: x}}")
    rules = []
    for raw_key, spec in value.items():
        key = str(raw_key)
        at = f"{where}.{key}"
        check, _, metric = key.rpartition(".")
        if not metric or (check and not check.isalnum()) or not _METRIC.fullmatch(metric):
            raise ConfigError(f"{at}: expected [CHECK_ID_OR_PREFIX.]metric, got {key!r}")
        if not isinstance(spec, Mapping) or not spec:
            raise ConfigError(f"{at}: expected {{max_drop: x}} or {{max_rise: x}}, got {spec!r}")
        unknown = set(spec) - set(_RULE_KEYS)
        if unknown:
            raise ConfigError(
                f"{at}: unknown key {sorted(unknown)[0]!r} (allowed: {', '.join(_RULE_KEYS)})"
            )
        for flag in ("abs", "new"):
            if flag in spec and not isinstance(spec[flag], bool):
                raise ConfigError(f"{at}.{flag}: expected true or false, got {spec[flag]!r}")
        if spec.get("new") is True:
            if set(spec) != {"new"}:  # min_n included: a newly flagged column has no group
                raise ConfigError(f"{at}: new: true takes no other key (it has no tolerance)")
            if not check or any(c in metric for c in "*?"):
                raise ConfigError(
                    f"{at}: new: true needs CHECK_ID_OR_PREFIX.kind (e.g. PII.column), got {key!r}"
                )
            rules.append(RegressionRule(check=check, metric=metric, source=at, new=True))
            continue
        min_n = spec.get("min_n")
        if min_n is not None and (
            isinstance(min_n, bool) or not isinstance(min_n, int) or min_n < 1
        ):
            raise ConfigError(f"{at}.min_n: expected a whole number >= 1, got {min_n!r}")
        bounds = [k for k in ("max_drop", "max_rise") if k in spec]
        if len(bounds) != 1:
            raise ConfigError(f"{at}: give one of max_drop (higher is better) or max_rise")
        kind = bounds[0]
        bound = spec[kind]
        if isinstance(bound, bool) or not isinstance(bound, (int, float)) or bound < 0:
            raise ConfigError(f"{at}.{kind}: expected a number >= 0, got {bound!r}")
        rules.append(
            RegressionRule(
                check=check, metric=metric, source=at,
                max_drop=float(bound) if kind == "max_drop" else None,
                max_rise=float(bound) if kind == "max_rise" else None,
                magnitude=spec.get("abs") is True, min_n=min_n,
            )
        )  # fmt: skip
    return tuple(rules)


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
    """Read a baseline ``audit.json``; returns ``(data, sha256)``. Usage error (exit 2) if unusable:
    unreadable, not strict JSON, not valid against the report schema (checked up front, so a
    malformed baseline fails before any check runs, naming the file and the first bad place) or
    of another schema version."""
    from .reportfile import load_report

    p = Path(path)
    data, raw = load_report(p, what="baseline")
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
) -> Iterator[tuple[str, str, str, str, float, float, tuple[str, ...], float | None]]:
    """``(check, table, subject, metric, old, new, names)`` for every metric measured in both
    runs; ``names`` are what a regression rule may name it by: the metric column and, for the
    ``value`` of a row with a ``metric`` column (a disparity), that row's metric name; ``n``:
    the smaller group size of the row in the two runs (None if it has none)."""
    a, b = _measures(old), _measures(new)
    tabled = {(c, m) for (c, t, _), vals in b.items() if t != "evidence" for m in vals}
    for key in sorted(set(a) & set(b), key=str):
        check, table, row = key
        named = dict(row).get("metric") if table != "evidence" else None
        for metric, nv in b[key].items():
            ov = a[key].get(metric)
            if ov is None or (table == "evidence" and (check, metric) in tabled):
                continue
            names = (metric, named) if named and metric == "value" else (metric,)
            sizes = [v for v in (a[key].get("n"), b[key].get("n")) if v is not None]
            yield check, table, _subject(row), metric, ov, nv, names, min(sizes, default=None)


def _newly_flagged(
    old: Mapping[str, Any], new: Mapping[str, Any], states: Mapping[str, str],
    rules: Sequence[RegressionRule],
) -> list[dict[str, Any]]:  # fmt: skip
    """One failed regression per open finding of this run that a ``new: true`` rule names
    (``PII.column``: a finding of a PII check at a ``column:`` location) and the baseline did
    not have, while its check ran in the baseline (a check that did not run flagged nothing)."""
    ran = {r["check"] for r in old.get("results", []) if r.get("status") in RAN}
    out = []
    for r in new.get("results", []):
        if r["check"] not in ran:
            continue
        for rule in rules:
            if not rule.new or not rule.applies(r["check"]):
                continue
            for f in r.get("findings", []):
                location = str(f.get("location", ""))
                if (
                    states.get(f["id"]) == "new"
                    and f.get("status") != "waived"
                    and location.startswith(f"{rule.metric}:")
                ):
                    out.append({"check": r["check"], "table": "findings", "subject": location,
                                "metric": "flagged", "old": 0, "new": 1, "delta": 1,
                                "rule": rule.describe(), "failed": True})  # fmt: skip
    return out


def findings_by_id(data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Every finding of a canonical report by its stable id, with its check's id as ``check``."""
    return {
        f["id"]: {**f, "check": r["check"]}
        for r in data.get("results", [])
        for f in r.get("findings", [])
    }


_BRIEF = ("id", "check", "location", "message", "severity", "status")


def _dropped(data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The policy's ``dropped_inputs`` of a report, by input name."""
    raw = ((data.get("policy") or {}).get("resolved") or {}).get("dropped_inputs") or []
    return {str(d["input"]): dict(d) for d in raw if isinstance(d, Mapping) and d.get("input")}


def _lacking(data: Mapping[str, Any]) -> set[str]:
    """Inputs a report's run certainly did not have (a check skipped now for one of them did
    not need it to run in that report: the other inputs it lacks are the reason)."""
    subject = data.get("subject") or {}
    inputs = data.get("inputs") or {}
    kinds = {str(d.get("kind")) for d in inputs.get("documents") or [] if isinstance(d, Mapping)}
    out = {name for kind, name in (("model_card", "card"), ("datasheet", "datasheet"))
           if kind not in kinds}  # fmt: skip
    if not inputs.get("dataset"):
        out.add("data")  # a documentation-only audit
    if not subject.get("target"):
        out.add("target")
    if not subject.get("sensitive"):
        out.add("sensitive")
    eng = inputs.get("engine")
    if isinstance(eng, Mapping) and eng.get("lazy"):
        out.add("rows")
    return out


def _not_evaluated(
    old: Mapping[str, Any], new: Mapping[str, Any], gone: Mapping[str, Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """One entry per check that ran in the baseline (passed, failed or waived) and did not run
    now: skipped, errored or not planned; with its baseline findings this run did not report.
    ``blocking``: skipped for a missing input the policy does not list under dropped_inputs."""
    now = {r["check"]: r for r in new.get("results", [])}
    dropped = _dropped(new)
    lacked = _lacking(old)
    lacks_now = _lacking(new)
    out = []
    for r in old.get("results", []):
        if r.get("status") not in RAN:
            continue
        cur = now.get(r["check"])
        if cur is not None and cur.get("status") in RAN:
            # it ran, but a finding about a document this run was not given (TRN100 reads the
            # card and the datasheet) was not evaluated: no card, no verdict on the card
            about = {
                role: [f for f in gone.values() if f["check"] == r["check"]
                       and str(f.get("location", "")).startswith(f"{role}:")]
                for role in ("card", "datasheet")
                if role in lacks_now and role not in lacked
            }  # fmt: skip
            for role, findings in about.items():
                if not findings:
                    continue
                name = "model card" if role == "card" else "datasheet"
                out.append(
                    {
                        "check": r["check"],
                        "name": r.get("name"),
                        "severity": cur.get("severity"),
                        "baseline_status": r.get("status"),
                        "status": cur.get("status"),
                        "reason": f"no {name} was given, so its findings were not evaluated",
                        "inputs": [role],
                        "blocking": role not in dropped,
                        "dropped": [dropped[role]] if role in dropped else [],
                        "findings": [{k: f.get(k) for k in _BRIEF} for f in findings],
                    }
                )
            continue
        status = cur.get("status") if cur is not None else "not run"
        inputs = [str(i) for i in (cur or {}).get("missing_inputs") or ()]
        # inputs the baseline had: one of those went missing (TRN100 needs a card *or* a sheet)
        relevant = [i for i in inputs if i not in lacked] or inputs
        declared = [dropped[i] for i in relevant if i in dropped]
        if cur is None:
            reason = "not in this run's plan (the policy does not select it)"
        else:
            reason = (str(cur.get("detail") or "").splitlines() or [str(status)])[0]
        out.append(
            {
                "check": r["check"],
                "name": r.get("name"),
                "severity": (cur or r).get("severity"),
                "baseline_status": r.get("status"),
                "status": status,
                "reason": reason,
                "inputs": inputs,
                "blocking": bool(inputs) and len(declared) < len(relevant),
                "dropped": declared,
                "findings": [
                    {k: f.get(k) for k in _BRIEF} for f in gone.values() if f["check"] == r["check"]
                ],
            }
        )
    return out


def compare_reports(
    old: Mapping[str, Any], new: Mapping[str, Any], rules: Sequence[RegressionRule] = ()
) -> dict[str, Any]:
    """Finding states by id, resolved and not-evaluated findings, metric deltas (numbers within
    :data:`REL_TOL` are the same; seed-dependent values under :func:`noise_between` are noise),
    evaluated regression rules and notes on what was not counted as a change."""
    old_f = findings_by_id(old)
    noise = noise_between(old, new)
    states: dict[str, str] = {}
    quiet: dict[str, int] = {}  # finding id -> values that moved by sampling noise only
    close = 0
    for r in new.get("results", []):
        for f in r.get("findings", []):
            prev = old_f.get(f["id"])
            if prev is None:
                states[f["id"]] = "new"
                continue
            ch = finding_changes(prev, {**f, "check": r["check"]}, noise)
            states[f["id"]] = "updated" if ch.changed else "unchanged"
            close += ch.within_tolerance
            if ch.noise:
                quiet[f["id"]] = ch.noise
    gone = {fid: f for fid, f in old_f.items() if fid not in states}
    not_evaluated = _not_evaluated(old, new, gone)
    unevaluated = {f["id"] for item in not_evaluated for f in item["findings"]}
    absent = [{k: f.get(k) for k in _BRIEF} for fid, f in gone.items() if fid not in unevaluated]
    deltas: list[dict[str, Any]] = []
    regressions: list[dict[str, Any]] = []
    # checks of one family share tables (FAIR001 and FAIR002 both carry the selection-rate
    # groups table): the same row, metric and values is one regression, under the first check
    seen: set[tuple[str, str, str, str, float, float]] = set()
    for check, table, subject, metric, ov, nv, names, n in _pairs(old, new):
        delta = nv - ov
        item = {"check": check, "table": table, "subject": subject, "metric": metric,
                "old": ov, "new": nv, "delta": round(delta, 12)}  # fmt: skip
        moved = not same_number(ov, nv)
        if metric in METRIC_COLUMNS and moved and table != "evidence":
            if noise.ignores(check, metric):
                quiet[f"{check}:{table}"] = quiet.get(f"{check}:{table}", 0) + 1
            else:
                deltas.append(item)
        for rule in rules:  # a rule is evaluated on every value, sampling noise included
            if rule.new or not rule.applies(check) or not any(map(rule.matches, names)):
                continue
            change = abs(nv) - abs(ov) if rule.magnitude else delta
            small = rule.min_n is not None and n is not None and n < rule.min_n
            failed = (
                moved
                and not small
                and (
                    (rule.max_drop is not None and -change > rule.max_drop + EPS)
                    or (rule.max_rise is not None and change > rule.max_rise + EPS)
                )
            )
            same = (rule.describe(), table, subject, metric, ov, nv)
            if same in seen:
                continue
            seen.add(same)
            regressions.append({**item, "rule": rule.describe(), "failed": bool(failed)})
    regressions.extend(_newly_flagged(old, new, states, rules))
    deltas.sort(key=lambda d: -abs(d["delta"]))
    regressions.sort(key=lambda d: (not d["failed"], -abs(d["delta"])))
    counts = {s: sum(1 for v in states.values() if v == s) for s in ("new", "updated", "unchanged")}
    return {
        "states": states,
        "counts": {**counts, "absent": len(absent), "not_evaluated": len(unevaluated)},
        "absent": absent,
        "not_evaluated": not_evaluated,
        "deltas": deltas[:MAX_ROWS],
        "deltas_total": len(deltas),
        "regressions": regressions[:MAX_ROWS],
        "rules": [r.to_dict() for r in rules],
        "notes": _notes(old, new, noise, quiet, close),
    }


def _notes(
    old: Mapping[str, Any], new: Mapping[str, Any], noise: Noise, quiet: Mapping[str, int],
    close: int,
) -> list[str]:  # fmt: skip
    """What the comparison did not count as a change, in words."""
    notes = []
    seeds = (old.get("run") or {}).get("seed"), (new.get("run") or {}).get("seed")
    values = sum(quiet.values())
    findings = sum(1 for k in quiet if ":" not in k)
    counted = (
        f" ({values:,} value{'s' if values != 1 else ''}"
        f"{f' in {findings:,} finding' + ('s' if findings != 1 else '') if findings else ''} "
        f"not counted as {'changes' if values != 1 else 'a change'})"
        if values
        else ""
    )
    if noise.bootstrap:
        notes.append(
            f"bootstrap seed changed {seeds[0]} → {seeds[1]}: interval changes are sampling noise"
            + (", and so are the sampled counts of the PII scan" if noise.sample else "")
            + counted
        )
    elif noise.sample:
        notes.append(
            f"the PII scan sample was drawn by another engine ({_engine(old)} → {_engine(new)}): "
            "changes of sampled counts, rates and examples are sampling noise" + counted
        )
    if close:
        notes.append(
            f"{close:,} number{'s differ' if close != 1 else ' differs'} only by floating-point "
            f"noise (relative difference ≤ {REL_TOL:g}) and count{'' if close != 1 else 's'} as "
            "unchanged"
        )
    return notes


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
