"""FAIR005 calibration-by-group: per-group reliability table, expected calibration error and Brier score.

What: for probability scores in [0, 1] and binary labels, splits each group's scores into
``n_bins`` equal-width bins and reports, per bin, the count, mean score and observed positive
rate (``reliability`` table); per group the expected calibration error (ECE: count-weighted mean
|mean score - observed rate| over bins) and the Brier score (``calibration`` table).

Why: a score that means "70% likely" for one group and "50% likely" for another treats equal
scores unequally (sufficiency / calibration within groups, Kleinberg et al. 2016; Chouldechova
2017). Decision makers reading the score cannot see this from accuracy alone.

Passes: every group with at least ``min_group_size`` rows has ECE <= ``max_ece`` (0.10) and the
gap between the best and worst calibrated groups is <= ``max_ece_gap`` (0.05). One finding per
feature or intersection covers both. Evidence: each group's rows are bootstrapped (``n_boot``)
keeping each bin's mean score; the ECE's small-sample upward bias is removed (``2 * ECE -
mean``) before a one-sided test against the limit, Holm over the check's tests, with a basic
bootstrap interval (``ece_ci_low``/``ece_ci_high``). Under ``decide_on: evidence`` (default) a
breach that is not significant is ``inconclusive`` and reported at
``insufficient_evidence_severity`` (low).

Skipped, with the reason, for a continuous target (no positive label) or scores outside [0, 1].

On a lazy engine (Parquet, Dask, Spark, Polars) the group x bin x label counts and score sums
come from one engine group-by; the tables equal the in-memory ones.

Fails example: a group whose 0.8-0.9 bin has an observed positive rate of 0.45.

References: Kleinberg, Mullainathan, Raghavan (2016) Inherent Trade-Offs in the Fair
Determination of Risk Scores; Guo et al. (2017) On Calibration of Modern Neural Networks (ECE).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from ..check import Skip, check
from ..fairness.options import GroupOptions, SeverityName
from ..findings import Evidence, Finding, Severity, Table
from ..options import Range, Share

if TYPE_CHECKING:
    import numpy as np

    from ..context import Context
    from ..fairness.scores import CalibrationRows


@dataclass(frozen=True)
class Options(GroupOptions):
    n_bins: Annotated[int, Range(ge=2, le=100)] = 10
    max_ece: Share = 0.1
    max_ece_gap: Share = 0.05
    insufficient_evidence_severity: SeverityName = "low"


def _f(x: Any) -> float | None:
    import numpy as np

    v = float(x)
    return v if np.isfinite(v) else None


def _data_rows(ctx: Context, n_bins: int) -> CalibrationRows:
    """The in-memory rows for :func:`calibration_sums`: one row each (``n = 1``)."""
    import numpy as np
    import pandas as pd

    from ..fairness.outcomes import binary_labels
    from ..fairness.scores import CalibrationRows, score_bins

    y, present = binary_labels(ctx)
    s = pd.to_numeric(ctx.y_score, errors="coerce").to_numpy(dtype=float)
    ok = present & np.isfinite(s)
    low, high = (float(s[ok].min()), float(s[ok].max())) if ok.any() else (None, None)
    s, yf = np.nan_to_num(s), y.astype(float)
    return CalibrationRows(
        kept=ok, bins=score_bins(s, n_bins), n=1.0, ssum=s, pos=yf, sq=(s - yf) ** 2,
        low=low, high=high,
    )  # fmt: skip


@dataclass
class _Test:
    """One tested comparison: a group's ECE against ``max_ece``, or a feature's gap."""

    feature: str
    kind: str  # "ece" or "gap"
    row: dict[str, Any]
    value: float
    threshold: float
    p: float | None
    ci: tuple[float | None, float | None]
    p_adj: float | None = None
    evidence: Evidence | None = None
    pair: tuple[str, str] = ("", "")  # a gap's worst and best calibrated groups


def _one_sided(estimate: float, se: float, threshold: float) -> float | None:
    """p-value of H0: true value <= threshold (normal, bootstrap standard error)."""
    import numpy as np
    from scipy import stats

    if not np.isfinite(se) or se <= 0 or not np.isfinite(estimate):
        return None
    return float(stats.norm.cdf((threshold - estimate) / se))


def _basic_ci(
    value: float, reps: np.ndarray, confidence: float
) -> tuple[float | None, float | None]:
    """Basic (reverse-percentile) bootstrap interval, which moves the interval down by the
    replicates' upward bias; clipped at 0."""
    import numpy as np

    finite = reps[np.isfinite(reps)]
    if finite.size < 20:
        return None, None
    a = (1 - confidence) / 2
    q_lo, q_hi = np.quantile(finite, [a, 1 - a])
    return max(0.0, 2 * value - float(q_hi)), max(0.0, 2 * value - float(q_lo))


def _validate(ctx: Context, options: Options) -> None:
    from ..fairness.engine import validate_group_options

    validate_group_options(ctx, options)


@check(
    "FAIR005",
    "calibration-by-group",
    severity=Severity.MEDIUM,
    options=Options,
    references=("https://arxiv.org/abs/1609.05807", "https://arxiv.org/abs/1706.04599"),
    requires=("scores", "target", "sensitive"),
    validate=_validate,
    lazy=True,  # runs on lazy engine sources (auditor.fairness.lazy_tables)
)
def calibration_by_group(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    import numpy as np

    from ..fairness.encode import row_codes
    from ..fairness.engine import encoded_features, groupings
    from ..fairness.evidence import holm
    from ..fairness.intervals import rng_for
    from ..fairness.outcomes import require_binary_target
    from ..fairness.rates import divide
    from ..fairness.scores import calibration_sums, ece_replicates

    require_binary_target(ctx, "calibration")  # a regression target: skipped, not an error
    groups = groupings(ctx, options)
    if ctx.source is not None:  # engines: groups x bins x labels counted by one engine group-by
        from ..fairness import lazy_tables as fair_tables

        enc, rows = fair_tables.calibration_tables(ctx, options, groups, options.n_bins)
    else:
        enc, rows = encoded_features(ctx, options), _data_rows(ctx, options.n_bins)
    if rows.low is not None and rows.high is not None and (rows.low < 0 or rows.high > 1):
        raise Skip(
            f"scores range over [{rows.low:.4g}, {rows.high:.4g}], not probabilities in "
            "[0, 1]: calibration needs probability scores"
        )
    summary: list[dict[str, Any]] = []
    reliability: list[dict[str, Any]] = []
    tests: list[_Test] = []
    features: list[str] = []
    for cols in groups:
        feature = "×".join(cols)
        features.append(feature)
        codes, labels = row_codes([enc[c] for c in cols])
        count, ssum, pos, ece, brier = calibration_sums(
            np.where(rows.kept, codes, -1), len(labels), rows.bins, rows.n, rows.ssum,
            rows.pos, rows.sq, options.n_bins,
        )  # fmt: skip
        reps = ece_replicates(count, ssum, pos, options.n_boot, rng_for(ctx.seed, feature, "ece"))
        n = count.sum(axis=1)
        eligible = n >= options.min_group_size
        corrected = {}
        mine: list[dict[str, Any]] = []
        for g, label in enumerate(labels):
            row: dict[str, Any] = {
                "feature": feature, "group": label, "n": int(n[g]), "ece": _f(ece[g]),
                "ece_ci_low": None, "ece_ci_high": None, "brier": _f(brier[g]),
                "mean_score": _f(divide(ssum[g].sum(), n[g])),
                "observed_rate": _f(divide(pos[g].sum(), n[g])),
                "threshold": options.max_ece, "p_threshold": None, "p_adjusted": None,
                "evidence": None, "status": "insufficient_evidence",
                "note": None if eligible[g] else f"n={int(n[g])} < min_group_size {options.min_group_size}",
            }  # fmt: skip
            if eligible[g] and np.isfinite(ece[g]):
                col = reps[:, g]
                se = float(np.nanstd(col, ddof=1)) if np.isfinite(col).sum() > 1 else float("nan")
                bc = (
                    2 * float(ece[g]) - float(np.nanmean(col))
                    if np.isfinite(col).any()
                    else float(ece[g])
                )
                corrected[g] = (bc, se)
                row["ece_ci_low"], row["ece_ci_high"] = _basic_ci(
                    float(ece[g]), col, options.confidence
                )
                row["p_threshold"] = _one_sided(bc, se, options.max_ece)
                row["status"] = "fail" if ece[g] > options.max_ece else "pass"
                tests.append(
                    _Test(
                        feature,
                        "ece",
                        row,
                        float(ece[g]),
                        options.max_ece,
                        row["p_threshold"],
                        (row["ece_ci_low"], row["ece_ci_high"]),
                    )
                )
            summary.append(row)
            mine.append(row)
            for b in range(options.n_bins):
                if count[g, b]:
                    reliability.append(
                        {
                            "feature": feature, "group": label,
                            "bin": f"[{b / options.n_bins:.2f}, {(b + 1) / options.n_bins:.2f}"
                            + ("]" if b == options.n_bins - 1 else ")"),
                            "n": int(count[g, b]),
                            "mean_score": _f(divide(ssum[g, b], count[g, b])),
                            "observed_rate": _f(divide(pos[g, b], count[g, b])),
                        }
                    )  # fmt: skip
        good = [g for g in corrected]
        if len(good) >= 2:
            lo = min(good, key=lambda g: float(ece[g]))
            hi = max(good, key=lambda g: float(ece[g]))
            gap = float(ece[hi] - ece[lo])
            gap_bc = corrected[hi][0] - corrected[lo][0]
            se = float(np.hypot(corrected[hi][1], corrected[lo][1]))
            diff = reps[:, hi] - reps[:, lo]
            row = {
                "feature": feature, "group": f"(gap: {labels[hi]} vs {labels[lo]})",
                "n": int(n[hi] + n[lo]), "ece": gap, "ece_ci_low": None, "ece_ci_high": None,
                "brier": None, "mean_score": None, "observed_rate": None,
                "threshold": options.max_ece_gap, "p_threshold": _one_sided(gap_bc, se, options.max_ece_gap),
                "p_adjusted": None, "evidence": None,
                "status": "fail" if gap > options.max_ece_gap else "pass",
                "note": f"difference of the ECE of the worst ({labels[hi]}) and best ({labels[lo]}) calibrated groups",
            }  # fmt: skip
            row["ece_ci_low"], row["ece_ci_high"] = _basic_ci(gap, diff, options.confidence)
            summary.append(row)
            tests.append(
                _Test(
                    feature,
                    "gap",
                    row,
                    gap,
                    options.max_ece_gap,
                    row["p_threshold"],
                    (row["ece_ci_low"], row["ece_ci_high"]),
                    pair=(labels[hi], labels[lo]),
                )
            )
    alpha = 1 - options.confidence
    adjusted = holm([t.p for t in tests])
    for t, p_adj in zip(tests, adjusted, strict=True):
        t.p_adj = None if not np.isfinite(p_adj) else float(p_adj)
        t.row["p_adjusted"] = t.p_adj
        if t.value <= t.threshold:
            continue
        low = t.ci[0]
        sig = t.p_adj is not None and t.p_adj < alpha and (low is None or low > t.threshold)
        t.evidence = Evidence.SIGNIFICANT if sig else Evidence.INCONCLUSIVE
        t.row["evidence"] = t.evidence.value
        if options.decide_on == "evidence" and not sig:
            t.row["status"] = "inconclusive"
    yield Table(
        "calibration",
        tuple(summary),
        f"ECE over {options.n_bins} equal-width bins and Brier score per group; ece_ci: basic "
        f"bootstrap interval ({options.n_boot} resamples of each group's rows); p_threshold: "
        f"one-sided test of ECE <= {options.max_ece:g} on the bias-corrected ECE; p_adjusted: Holm "
        "over the check's tests; the gap rows compare the worst and best calibrated groups",
    )
    yield Table(
        "reliability", tuple(reliability), "Reliability table: observed positive rate per score bin"
    )
    severity_low = Severity.parse(options.insufficient_evidence_severity)
    for feature in features:
        yield from _feature_finding(
            feature, [t for t in tests if t.feature == feature and t.evidence is not None],
            [r for r in summary if r["feature"] == feature], options, len(tests), severity_low,
        )  # fmt: skip


def _feature_finding(
    feature: str,
    breaches: list[_Test],
    rows: list[dict[str, Any]],
    options: Options,
    m: int,
    severity_low: Severity,
) -> Iterator[Finding]:
    from ..fairness.findings import location
    from ..fairness.wording import group_name, sentence, short_name

    if not breaches:
        return
    sig = [t for t in breaches if t.evidence is Evidence.SIGNIFICANT]
    level = Evidence.SIGNIFICANT if sig else Evidence.INCONCLUSIVE
    counts = bool(sig) or options.decide_on == "estimate"
    groups = [t for t in breaches if t.kind == "ece"]
    gaps = [t for t in breaches if t.kind == "gap"]
    eligible = [
        r
        for r in rows
        if r["status"] not in ("insufficient_evidence",) and not str(r["group"]).startswith("(gap")
    ]
    parts = []
    if groups:
        eces = [t.value for t in groups]
        who = (
            f"every group of {feature}"
            if len(groups) == len(eligible)
            else ", ".join(group_name(feature, str(t.row["group"])) for t in groups[:4])
            + (f" and {len(groups) - 4} more" if len(groups) > 4 else "")
        )
        span = f"{min(eces):.2f}" if len(eces) == 1 else f"{min(eces):.2f}–{max(eces):.2f}"
        people = sum(int(t.row["n"]) for t in groups)
        parts.append(
            f"scores are off for {who}: on average a score is {span} away from the rate observed "
            f"at that score (expected calibration error; the limit is {options.max_ece:g}; "
            f"{people:,} people)"
        )
    if gaps:
        t = gaps[0]
        worst, best = (short_name(feature, g) for g in t.pair)
        parts.append(
            f"the error is {t.value:.2f} larger for {worst} than for {best} (the limit for this "
            f"gap is {options.max_ece_gap:g})"
        )
    head = sentence("; ".join(parts))
    if level is Evidence.INCONCLUSIVE:
        head += ", but this is not yet conclusive (the intervals reach the limit or the test is not significant after correction)"
        if not counts:
            head += " (not blocking)"
    head += "."
    detail = "; ".join(
        f"{t.row['group']} (n={t.row['n']}): ECE {t.value:.3f}"
        + (
            f", {options.confidence:.0%} CI {t.ci[0]:.3f}–{t.ci[1]:.3f}"
            if t.ci[0] is not None and t.ci[1] is not None
            else ""
        )
        + (
            f", adjusted p {'< 0.001' if t.p_adj < 0.001 else f'{t.p_adj:.3f}'}"
            if t.p_adj is not None
            else ""
        )
        + f": {t.evidence.value if t.evidence else ''}"
        for t in breaches
    )
    yield Finding(
        message=head,
        location=location(feature),
        evidence={
            "evidence": level.value,
            "decided_on": options.decide_on,
            "counts_for_gate": counts,
            "tests": m,
            "correction": "holm",
            "threshold": options.max_ece,
            "gap_threshold": options.max_ece_gap,
            "groups": [
                {
                    k: t.row[k]
                    for k in (
                        "group",
                        "n",
                        "ece",
                        "ece_ci_low",
                        "ece_ci_high",
                        "mean_score",
                        "observed_rate",
                        "p_adjusted",
                        "evidence",
                    )
                }
                for t in groups
            ],
            "gap": (
                {
                    k: gaps[0].row[k]
                    for k in ("group", "ece", "ece_ci_low", "ece_ci_high", "p_adjusted", "evidence")
                }
                if gaps
                else None
            ),
        },
        discriminator="calibration",
        severity=None if counts else severity_low,
        recommendation=(
            "Recalibrate the scores (Platt or isotonic, per group only if that is justified and "
            "lawful) and check the reliability table before anyone reads a score as a probability."
            if sig
            else "Collect more labelled data for these groups before concluding the scores are "
            "miscalibrated; the intervals still reach the limit."
        ),
        detail=f"{detail}. Decided on the {'evidence (Holm over ' + str(m) + ' tests)' if options.decide_on == 'evidence' else 'point estimate'}.",
        evidence_level=level,
    )
