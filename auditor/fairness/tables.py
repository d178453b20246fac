"""The ``groups`` and ``disparities`` report tables (contract shared by every renderer)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .counts import GroupCounts
from .disparity import disparity, is_ratio
from .encode import MISSING_GROUP
from .evidence import metric_p, ratio_below_p
from .intervals import bootstrap_cells, fisher_p, percentile_interval, rng_for, wilson, z_test_p
from .rates import RATES, cross_ratio, divide, rate_parts
from .reference import choose_reference

__all__ = [
    "GROUP_COLUMNS",
    "GroupDetail",
    "TableSpec",
    "disparity_rows",
    "group_rows",
    "replicates",
]

GROUP_COLUMNS = (
    "feature", "group", "n", "share", "selected", "selection_rate", "base_rate", "tpr", "fpr",
    "fnr", "tnr", "precision", "npv", "accuracy", "reference_group", "impact_ratio", "ci_low",
    "ci_high", "ir_ci_low", "ir_ci_high", "p_value", "p_threshold", "p_adjusted", "evidence",
    "status", "excluded", "note",
)  # fmt: skip
LABEL_RATES = ("base_rate", "tpr", "fpr", "fnr", "tnr", "precision", "npv", "accuracy")


@dataclass(frozen=True)
class TableSpec:
    """How a check wants its groups compared (built from the check's options)."""

    rate: str = "selection_rate"  # the compared rate: selection_rate or base_rate
    scoring: bool = False  # LL144 scoring mode: above_median / scoring_rate columns
    has_labels: bool = False
    reference: str = "max_rate"
    privileged: Mapping[str, str] = field(default_factory=dict)
    min_group_size: int = 30
    threshold: float | None = 0.8
    decide_on: str = "evidence"  # or "estimate": fail on the point estimate (see fairness.assess)
    confidence: float = 0.95
    n_boot: int = 1000
    significance_test: str = "auto"
    exclude_below_share: float = 0.0
    exclusion_justification: str = ""
    fail_status: str = "fail"
    #: status of a group below min_group_size whose estimate is below the threshold: it is not
    #: compared as a pass or a fail (``inconclusive``); LL144 flags every category (its flag)
    small_breach_status: str = "inconclusive"
    seed: int = 0


@dataclass(frozen=True)
class GroupDetail:
    """What findings need beyond the row: interval of the impact ratio, both p-values, and the
    unweighted counts of the group and its reference the tests used (``k, n, k_ref, n_ref``)."""

    row: Mapping[str, Any]
    reference_rate: float | None
    ratio_ci: tuple[float | None, float | None]
    z_p: float | None
    fisher_p: float | None
    counts: tuple[float, float, float, float] | None = None


def _f(x: Any) -> float | None:
    v = float(x)
    return v if np.isfinite(v) else None


def replicates(gc: GroupCounts, spec: TableSpec) -> np.ndarray:
    """Bootstrap replicates ``(B, G, 4)`` of the group cells (weighted: scaled by mean weights)."""
    if spec.n_boot <= 0 or not len(gc.groups):
        return np.zeros((0, len(gc.groups), 4))
    reps = bootstrap_cells(gc.counts, spec.n_boot, rng_for(spec.seed, gc.feature, spec.rate))
    if gc.weighted:
        reps = reps * divide(gc.cells, gc.counts)
        reps = np.nan_to_num(reps)
    return reps


def _ineligible_reason(gc: GroupCounts, spec: TableSpec, i: int) -> str:
    """Why group ``i`` cannot be compared, phrased after its name ("has n=10 < ...")."""
    n = gc.n
    share = n[i] / gc.total if gc.total else 0.0
    if share < spec.exclude_below_share:
        return f"is excluded from the impact ratio ({share:.2%} of the data)"
    if n[i] < spec.min_group_size:
        return f"has n={int(n[i])} < min_group_size {spec.min_group_size}"
    return f"has an undefined {spec.rate.replace('_', ' ')} (0/0)"


def _eligibility(gc: GroupCounts, spec: TableSpec) -> tuple[np.ndarray, np.ndarray, list[str]]:
    n = gc.n
    total = gc.total
    share = n / total if total else np.zeros(len(n))
    excluded = share < spec.exclude_below_share
    _, den = rate_parts(gc.cells, spec.rate)
    notes = []
    eligible = np.zeros(len(n), dtype=bool)
    for i in range(len(n)):
        if excluded[i]:
            notes.append(
                f"{share[i]:.2%} of the data < {spec.exclude_below_share:.0%}: excluded from the "
                f"impact ratio ({spec.exclusion_justification})"
            )
        elif n[i] < spec.min_group_size:
            notes.append(f"n={int(n[i])} < min_group_size {spec.min_group_size}")
        elif den[i] == 0:
            notes.append(f"{spec.rate.replace('_', ' ')} undefined (0/0)")
        else:
            notes.append("")
            eligible[i] = True
    return eligible, excluded, notes


def _p_values(k1: float, n1: float, k2: float, n2: float, test: str) -> tuple[float, float, float]:
    z = z_test_p(k1, n1, k2, n2)
    fisher = fisher_p(int(k1), int(n1), int(k2), int(n2))
    if test == "z":
        chosen = z
    elif test == "fisher":
        chosen = fisher
    else:
        pooled = (k1 + k2) / (n1 + n2) if n1 + n2 else 0.0
        small = min(n1, n2) < 30 or min(n1, n2) * min(pooled, 1 - pooled) < 5
        chosen = fisher if small else z
    return chosen, z, fisher


def group_rows(
    gc: GroupCounts, spec: TableSpec, reps: np.ndarray | None = None
) -> tuple[list[dict[str, Any]], list[GroupDetail], int | None]:
    """Rows of the ``groups`` table for one grouping, the per-group details and the reference index."""
    if reps is None:
        reps = replicates(gc, spec)
    n = gc.n
    total = gc.total
    eligible, excluded, notes = _eligibility(gc, spec)
    num, den = rate_parts(gc.cells, spec.rate)
    rates = divide(num, den)
    ref = choose_reference(
        spec.reference, gc.groups, rates, n, eligible, spec.privileged.get(gc.feature), gc.feature
    )
    # a reference that cannot be assessed itself makes every comparison with it unassessable
    ref_note = ""
    if ref is not None and not eligible[ref]:
        ref_note = f"reference group {gc.groups[ref]!r} {_ineligible_reason(gc, spec, ref)}"
        if spec.reference == "privileged":
            notes[ref] = (notes[ref] + "; " if notes[ref] else "") + "privileged group not eligible"
    if spec.reference == "overall":
        ref_num, ref_den = num.sum(), den.sum()
        ref_name: str | None = "(overall)"
    elif ref is not None:
        ref_num, ref_den = num[ref], den[ref]
        ref_name = gc.groups[ref]
    else:
        ref_num, ref_den, ref_name = np.float64(0), np.float64(0), None
    ratios = cross_ratio(num, den, np.full(len(n), ref_num), np.full(len(n), ref_den))
    # impact-ratio replicates: the reference is re-chosen in each resample for max_rate/overall
    ratio_reps = _ratio_replicates(reps, spec, eligible, ref)
    k_count, n_count = rate_parts(gc.counts, spec.rate)
    w_low, w_high = wilson(
        divide(num, den) * n_count if gc.weighted else k_count, n_count, spec.confidence
    )
    label_rates = {name: divide(*RATES[name](gc.cells)) for name in LABEL_RATES}
    sel = divide(*rate_parts(gc.cells, "selection_rate"))
    rows: list[dict[str, Any]] = []
    details: list[GroupDetail] = []
    for i, group in enumerate(gc.groups):
        ratio = _f(ratios[i]) if not excluded[i] else None
        p_val = z_p = f_p = p_thr = None
        counts = None
        if ref_name is not None and i != ref and not excluded[i]:
            if ref is None:  # overall: group against every other known row
                k2, n2 = k_count.sum() - k_count[i], n_count.sum() - n_count[i]
            else:
                k2, n2 = k_count[ref], n_count[ref]
            chosen, z, fisher = _p_values(k_count[i], n_count[i], k2, n2, spec.significance_test)
            p_val, z_p, f_p = _f(chosen), _f(z), _f(fisher)
            counts = (float(k_count[i]), float(n_count[i]), float(k2), float(n2))
            if spec.threshold is not None and eligible[i] and not ref_note:
                p_thr = _f(ratio_below_p(k_count[i], n_count[i], k2, n2, spec.threshold))
        status, note = _status(i, ref, ratio, eligible, excluded, notes, spec, ref_note)
        row = _row(gc, spec, i, group, n, total, label_rates, sel)
        ci = (
            percentile_interval(ratio_reps[:, i], spec.confidence)
            if len(ratio_reps) and ratio is not None
            else (None, None)
        )
        row.update(
            reference_group=ref_name,
            impact_ratio=ratio,
            ci_low=_f(w_low[i]),
            ci_high=_f(w_high[i]),
            ir_ci_low=ci[0],
            ir_ci_high=ci[1],
            p_value=p_val,
            p_threshold=p_thr,
            p_adjusted=None,
            evidence=None,
            status=status,
            excluded=bool(excluded[i]),
            note=note or None,
        )
        rows.append(row)
        details.append(GroupDetail(row, _f(divide(ref_num, ref_den)), ci, z_p, f_p, counts))
    if gc.n_missing:
        rows.append(_missing_row(gc, spec, total))
    return rows, details, ref


def _ratio_replicates(
    reps: np.ndarray, spec: TableSpec, eligible: np.ndarray, ref: int | None
) -> np.ndarray:
    if not len(reps):
        return np.zeros((0, len(eligible)))
    r = divide(*rate_parts(reps, spec.rate))
    if spec.reference == "overall":
        rn, rd = rate_parts(reps, spec.rate)
        base = divide(rn.sum(-1), rd.sum(-1))[:, None]
    elif spec.reference == "max_rate":
        with np.errstate(all="ignore"):
            masked = np.where(eligible, r, np.nan)
            base = np.nanmax(np.where(np.isfinite(masked), masked, -np.inf), axis=-1)[:, None]
        base = np.where(np.isfinite(base), base, np.nan)
    elif ref is not None:
        base = r[:, ref : ref + 1]
    else:
        return np.full(r.shape, np.nan)
    return divide(r, base)


def _status(
    i: int,
    ref: int | None,
    ratio: float | None,
    eligible: np.ndarray,
    excluded: np.ndarray,
    notes: list[str],
    spec: TableSpec,
    ref_note: str = "",
) -> tuple[str, str]:
    """The row's status on the point estimate: ``fail_status`` when the impact ratio is below the
    threshold (``fairness.assess`` later turns an unsettled breach into ``inconclusive`` when the
    check decides on evidence); a group below ``min_group_size`` whose estimate is below the
    threshold is ``inconclusive`` (it is never compared as a pass or a fail)."""
    note = notes[i]
    if excluded[i]:
        return "excluded", note
    if ref is not None and i == ref and eligible[i]:
        return "reference", note
    if not eligible[i]:
        both = f"{note}; {ref_note}" if ref_note and i != ref else note
        small = ratio is not None and spec.threshold is not None and ratio < spec.threshold
        return (
            spec.small_breach_status if small and not ref_note else "insufficient_evidence"
        ), both
    if ref_note:  # eligible group, but the reference it is compared with is not
        return "insufficient_evidence", ref_note
    if ratio is None:
        return (
            "insufficient_evidence",
            "impact ratio undefined: the reference rate is 0 or undefined",
        )
    if spec.threshold is None:
        return "reported", note
    return (spec.fail_status if ratio < spec.threshold else "pass"), note


def _row(
    gc: GroupCounts,
    spec: TableSpec,
    i: int,
    group: str,
    n: np.ndarray,
    total: int,
    label_rates: Mapping[str, np.ndarray],
    sel: np.ndarray,
) -> dict[str, Any]:
    selected = float(gc.cells[i, 1] + gc.cells[i, 3])
    row: dict[str, Any] = {"feature": gc.feature, "group": group, "n": int(n[i])}
    row["share"] = float(n[i] / total) if total else None
    selected_key, rate_key = (
        ("above_median", "scoring_rate") if spec.scoring else ("selected", "selection_rate")
    )
    if spec.rate == "base_rate":
        row[selected_key], row[rate_key] = None, None
    else:
        row[selected_key] = int(selected) if not gc.weighted else selected
        row[rate_key] = _f(sel[i])
    for name in LABEL_RATES:
        row[name] = _f(label_rates[name][i]) if spec.has_labels else None
    if spec.rate == "base_rate":  # data-level: the compared rate is the label rate
        row["base_rate"] = _f(label_rates["base_rate"][i])
    return row


def _missing_row(gc: GroupCounts, spec: TableSpec, total: int) -> dict[str, Any]:
    cells = gc.missing_cells[None, :]
    n = np.array([gc.n_missing])
    label_rates = {name: divide(*RATES[name](cells)) for name in LABEL_RATES}
    sel = divide(*rate_parts(cells, "selection_rate"))
    fake = GroupCounts(
        gc.feature,
        gc.columns,
        (MISSING_GROUP,),
        cells,
        gc.missing_counts[None, :],
        weighted=gc.weighted,
    )
    row = _row(fake, spec, 0, MISSING_GROUP, n, total, label_rates, sel)
    row.update(
        reference_group=None, impact_ratio=None, ci_low=None, ci_high=None, ir_ci_low=None,
        ir_ci_high=None, p_value=None, p_threshold=None, p_adjusted=None, evidence=None,
        status="excluded", excluded=True,
        note="missing or unknown value: counted here, left out of every comparison",
    )  # fmt: skip
    return row


def disparity_rows(
    gc: GroupCounts,
    metrics: Sequence[str],
    spec: TableSpec,
    thresholds: Mapping[str, float | None],
    *,
    method: str = "between_groups",
    reps: np.ndarray | None = None,
    reference: int | None = None,
) -> list[dict[str, Any]]:
    """Rows of the ``disparities`` table: one per metric, with bootstrap interval and status."""
    if reps is None:
        reps = replicates(gc, spec)
    n = gc.n
    share = n / gc.total if gc.total else np.zeros(len(n))
    eligible = (n >= spec.min_group_size) & ~(share < spec.exclude_below_share)
    rows = []
    for metric in metrics:
        value = _f(disparity(gc.cells, metric, eligible, method=method, reference=reference))
        low, high = (None, None)
        thr = thresholds.get(metric)
        p_thr = None
        if len(reps) and value is not None:
            values = disparity(reps, metric, eligible, method=method, reference=reference)
            low, high = percentile_interval(values, spec.confidence)
            if thr is not None:
                p_thr = metric_p(value, values, thr, is_ratio(metric))
        status = _disparity_status(metric, value, thr)
        note = None
        if status == "fail" and is_ratio(metric):
            # a zero rate in the ratio (a group with no false positives) is an artefact of an
            # empty cell: the bootstrap cannot move it either (a cell of probability 0)
            note = _zero_cells(gc, metric, eligible) or None
        rows.append(
            {
                "feature": gc.feature,
                "metric": metric,
                "value": value,
                "ci_low": low,
                "ci_high": high,
                "threshold": thr,
                "p_threshold": p_thr,
                "p_adjusted": None,
                "evidence": None,
                "status": status,
                "note": note,
            }
        )
    return rows


#: what the empty cell of a zero rate is, for people (rate -> "numerator of denominator")
ZERO_CELL = {
    "selection_rate": "no one selected",
    "base_rate": "no one with the favourable label",
    "tpr": "no true positives (no one with the favourable label was selected)",
    "fpr": "no false positives (no one without the favourable label was selected)",
    "fnr": "no false negatives",
    "tnr": "no true negatives",
    "precision": "no true positives among those selected",
    "npv": "no true negatives among those not selected",
    "accuracy": "no correct prediction",
}


def _zero_cells(gc: GroupCounts, metric: str, eligible: np.ndarray) -> str:
    """Which eligible group has a zero rate that makes a ratio metric 0, with its counts."""
    from .disparity import RATIO_METRICS

    rates, _ = RATIO_METRICS[metric]
    out = []
    for name in rates:
        k, n = rate_parts(gc.counts, name)
        for i in np.flatnonzero(eligible & (k == 0) & (n > 0)):
            out.append(f"{gc.groups[i]}: {ZERO_CELL[name]} (0 of {int(n[i])})")
    return "; ".join(out)


def _disparity_status(metric: str, value: float | None, thr: float | None) -> str:
    """On the point estimate (``fairness.assess`` weighs the evidence): ratios fail when strictly
    below the threshold, differences when their absolute value is strictly above it."""
    if value is None:
        return "insufficient_evidence"
    if thr is None:
        return "reported"
    if is_ratio(metric):
        return "fail" if value < thr else "pass"
    return "fail" if abs(value) > thr else "pass"
