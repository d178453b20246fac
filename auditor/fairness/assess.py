"""Weigh every breach of a check: Holm over the check's tests, then an evidence level per breach.

``assess`` runs once per check over all of its groupings (a feature alone and its intersections),
because the multiple-comparison correction is over every comparison the check tested: each
eligible group's impact ratio against its reference (Farrington-Manning test of the ratio against
the threshold) and each disparity metric with a threshold (bootstrap Wald test). It writes
``p_adjusted`` and ``evidence`` into the table rows and, when the check decides on evidence
(``decide_on: evidence``, the default), turns a breach whose evidence is not significant from
``fail`` into ``inconclusive``. With ``decide_on: estimate`` (the four-fifths pack) a breach of the
point estimate stays ``fail`` and its evidence is still stated.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from scipy import stats

from ..findings import Evidence
from .disparity import is_ratio
from .evidence import holm, more_rows_for_group
from .tables import ZERO_CELL, GroupDetail, TableSpec

__all__ = ["Breach", "assess"]


@dataclass(frozen=True)
class Breach:
    """One comparison whose estimate is beyond its threshold, with what the evidence says."""

    feature: str
    kind: str  # "group" (an impact ratio) or "metric" (a disparity metric)
    name: str  # the group, or the metric
    row: Mapping[str, Any]
    evidence: Evidence
    reason: str  # why it is not significant ("" when it is)
    settle: str  # what would settle it ("" when significant)
    extra_rows: int | None  # rows that would settle it, when one number says it
    blocking_basis: bool  # counts as a failure under the check's decision basis
    detail: GroupDetail | None = None


def _tests(
    groups: Sequence[Mapping[str, Any]],
    disparities: Sequence[Mapping[str, Any]],
    quiet: Sequence[str],
) -> list[tuple[str, int, float | None]]:
    out: list[tuple[str, int, float | None]] = []
    for i, row in enumerate(groups):
        if row.get("p_threshold") is not None:
            out.append(("g", i, row["p_threshold"]))
    for i, row in enumerate(disparities):
        if row.get("p_threshold") is not None and row["metric"] not in quiet:
            out.append(("m", i, row["p_threshold"]))
    return out


def _fmt(x: float) -> str:
    return f"{x:.2f}"


def _p(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def _group_breach(
    row: dict[str, Any],
    detail: GroupDetail,
    spec: TableSpec,
    alpha: float,
    m: int,
    rate_key: str,
) -> Breach:
    thr = float(spec.threshold or 0.0)
    p_adj = row.get("p_adjusted")
    low, high = detail.ratio_ci
    k1, n1, k2, n2 = detail.counts or (0.0, float(row.get("n") or 0), 0.0, 0.0)
    per_test = alpha / max(m, 1)
    extra, factor = more_rows_for_group(k1, n1, k2, n2, thr, per_test)
    small = int(row.get("n") or 0) < spec.min_group_size
    if small:
        short = spec.min_group_size - int(row.get("n") or 0)
        if extra is not None:
            extra = max(extra, short)
        elif factor is None:
            extra = short
        reason = f"only {row.get('n')} people (fewer than min_group_size {spec.min_group_size})"
        evidence = Evidence.INCONCLUSIVE
    elif k1 == 0 and not (p_adj is not None and p_adj < alpha):
        reason = f"{ZERO_CELL[rate_key]} in a group of {int(n1)}: the ratio is 0 only because that count is 0"
        evidence = Evidence.DEGENERATE
    elif p_adj is not None and p_adj < alpha and (high is None or high < thr):
        reason, evidence = "", Evidence.SIGNIFICANT
    else:
        evidence = Evidence.INCONCLUSIVE
        if high is not None and high >= thr:
            reason = (
                f"the {spec.confidence:.0%} interval of the ratio ({_fmt(low or 0)}–{_fmt(high)}) "
                f"reaches {_fmt(thr)}"
            )
        elif p_adj is not None:
            reason = (
                f"not statistically significant after correcting for {m} comparisons "
                f"(Holm-adjusted p = {_p(p_adj)})"
            )
        else:
            reason = "no test was possible"
    settle = ""
    if evidence is not Evidence.SIGNIFICANT:
        if extra is not None:
            settle = f"about {extra:,} more people in this group (at the rates observed)"
        elif factor is not None and factor > 100:
            ratio = row.get("impact_ratio")
            settle = (
                f"no realistic amount of data: the ratio ({ratio:.2f}) is too close to the "
                f"threshold ({thr:.2f}) to tell apart"
                if isinstance(ratio, (int, float))
                else "no realistic amount of data"
            )
        elif factor is not None:
            settle = (
                f"about {factor:,.0f} times as many people in this group and its reference "
                "(the reference group is small too)"
            )
    return Breach(
        feature=str(row["feature"]),
        kind="group",
        name=str(row["group"]),
        row=row,
        evidence=evidence,
        reason=reason,
        settle=settle,
        extra_rows=extra,
        blocking_basis=False,
        detail=detail,
    )


def _beyond(row: Mapping[str, Any]) -> bool:
    """The metric's interval lies wholly on the failing side of its threshold."""
    low, high, thr = row.get("ci_low"), row.get("ci_high"), row.get("threshold")
    if low is None or high is None or thr is None:
        return True  # no interval: the test alone decides
    if is_ratio(str(row["metric"])):
        return bool(high < thr)
    if str(row["metric"]) == "average_odds_difference":
        return bool(low > thr or high < -thr)
    return bool(low > thr)


def _metric_breach(
    row: dict[str, Any], alpha: float, m: int, rows_in_feature: int, confidence: float
) -> Breach:
    metric = str(row["metric"])
    p_raw, p_adj = row.get("p_threshold"), row.get("p_adjusted")
    extra = None
    settle = ""
    if is_ratio(metric) and row.get("note"):
        evidence = Evidence.DEGENERATE
        reason = (
            f"the ratio is {'0' if row.get('value') == 0 else 'pulled down'} by an empty cell: "
            f"{row['note']}"
        )
    elif p_adj is None:
        evidence, reason = Evidence.INCONCLUSIVE, "no interval (bootstrap resamples off: n_boot 0)"
    elif p_adj < alpha and _beyond(row):
        evidence, reason = Evidence.SIGNIFICANT, ""
    else:
        evidence = Evidence.INCONCLUSIVE
        if not _beyond(row):
            reason = (
                f"the {confidence:.0%} interval ({_fmt(row['ci_low'])}–{_fmt(row['ci_high'])}) "
                f"reaches the threshold {_fmt(row['threshold'])}"
            )
        else:
            reason = (
                f"not statistically significant after correcting for {m} comparisons "
                f"(Holm-adjusted p = {_p(p_adj)})"
            )
    if evidence is Evidence.INCONCLUSIVE and p_raw is not None and 0 < p_raw < 0.5:
        z_obs = float(stats.norm.ppf(p_raw))
        need = float(stats.norm.ppf(1 - alpha / max(m, 1)) + stats.norm.ppf(0.8))
        factor = (need / z_obs) ** 2
        if math.isfinite(factor) and factor > 1:
            extra = math.ceil((factor - 1) * rows_in_feature)
            settle = f"about {factor:.1f} times the data (about {extra:,} more people)"
    return Breach(
        feature=str(row["feature"]),
        kind="metric",
        name=metric,
        row=row,
        evidence=evidence,
        reason=reason,
        settle=settle,
        extra_rows=extra,
        blocking_basis=False,
    )


def assess(
    groups: list[dict[str, Any]],
    details: Sequence[GroupDetail],
    disparities: list[dict[str, Any]],
    spec: TableSpec,
    quiet: Sequence[str] = (),
) -> tuple[list[Breach], int]:
    """Adjust the check's tests (Holm), write ``p_adjusted``/``evidence``/``status`` into the
    rows (in place) and return every breach with its evidence, plus the number of tests.
    ``quiet`` metrics restate the impact ratios (the demographic parity ratio against the
    highest-rate group): they are neither tested separately nor reported as breaches."""
    alpha = 1 - spec.confidence
    tests = _tests(groups, disparities, quiet)
    adjusted = holm([p for _, _, p in tests])
    m = len(tests)
    for (kind, i, _), p_adj in zip(tests, adjusted, strict=True):
        (groups if kind == "g" else disparities)[i]["p_adjusted"] = float(p_adj)
    by_row = {id(d.row): d for d in details}
    rate_key = "base_rate" if spec.rate == "base_rate" else "selection_rate"
    breaches: list[Breach] = []
    for row in groups:
        status = row.get("status")
        if status not in (spec.fail_status, "inconclusive") or id(row) not in by_row:
            continue
        b = _group_breach(row, by_row[id(row)], spec, alpha, m, rate_key)
        small = int(row.get("n") or 0) < spec.min_group_size
        fails = (
            status == spec.fail_status
            and not small
            and (spec.decide_on == "estimate" or b.evidence is Evidence.SIGNIFICANT)
        )
        if status == spec.fail_status and not fails and spec.fail_status == "fail":
            row["status"] = "inconclusive"
        row["evidence"] = b.evidence.value
        if b.reason and not small:  # a small group's note already says why
            row["note"] = "; ".join(x for x in (row.get("note"), b.reason) if x)
        breaches.append(replace(b, blocking_basis=fails))
    known: dict[str, int] = {}
    for row in groups:
        if not row.get("excluded"):
            known[str(row["feature"])] = known.get(str(row["feature"]), 0) + int(row.get("n") or 0)
    for row in disparities:
        if row.get("status") != "fail" or row["metric"] in quiet:
            continue
        b = _metric_breach(row, alpha, m, known.get(str(row["feature"]), 0), spec.confidence)
        fails = spec.decide_on == "estimate" or b.evidence is Evidence.SIGNIFICANT
        if not fails:
            row["status"] = "inconclusive"
        row["evidence"] = b.evidence.value
        breaches.append(replace(b, blocking_basis=fails))
    return breaches, m
