"""FAIR005 calibration-by-group: per-group reliability table, expected calibration error and Brier score.

What: for probability scores in [0, 1] and binary labels, splits each group's scores into
``n_bins`` equal-width bins and reports, per bin, the count, mean score and observed positive
rate (``reliability`` table); per group the expected calibration error (ECE: count-weighted mean
|mean score - observed rate| over bins) and the Brier score (``calibration`` table).

Why: a score that means "70% likely" for one group and "50% likely" for another treats equal
scores unequally (sufficiency / calibration within groups, Kleinberg et al. 2016; Chouldechova
2017). Decision makers reading the score cannot see this from accuracy alone.

Passes: every group with at least ``min_group_size`` rows has ECE <= ``max_ece`` (0.10) and the
gap between the best and worst calibrated groups is <= ``max_ece_gap`` (0.05).

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
from typing import Any

import numpy as np
import pandas as pd

from ..check import Skip, check
from ..context import Context
from ..fairness.encode import row_codes
from ..fairness.engine import encoded_features, groupings, validate_group_options
from ..fairness.findings import location
from ..fairness.options import GroupOptions
from ..fairness.outcomes import binary_labels, require_binary_target
from ..fairness.rates import divide
from ..fairness.scores import CalibrationRows, calibration_sums, score_bins
from ..findings import Finding, Severity, Table


@dataclass(frozen=True)
class Options(GroupOptions):
    n_bins: int = 10
    max_ece: float = 0.1
    max_ece_gap: float = 0.05

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 2 <= self.n_bins <= 100:
            raise ValueError(f"n_bins must be between 2 and 100, got {self.n_bins}")


def _f(x: Any) -> float | None:
    v = float(x)
    return v if np.isfinite(v) else None


def _data_rows(ctx: Context, n_bins: int) -> CalibrationRows:
    """The in-memory rows for :func:`calibration_sums`: one row each (``n = 1``)."""
    y, present = binary_labels(ctx)
    s = pd.to_numeric(ctx.y_score, errors="coerce").to_numpy(dtype=float)
    ok = present & np.isfinite(s)
    low, high = (float(s[ok].min()), float(s[ok].max())) if ok.any() else (None, None)
    s, yf = np.nan_to_num(s), y.astype(float)
    return CalibrationRows(
        kept=ok, bins=score_bins(s, n_bins), n=1.0, ssum=s, pos=yf, sq=(s - yf) ** 2,
        low=low, high=high,
    )  # fmt: skip


@check(
    "FAIR005",
    "calibration-by-group",
    severity=Severity.MEDIUM,
    options=Options,
    references=("https://arxiv.org/abs/1609.05807", "https://arxiv.org/abs/1706.04599"),
    requires=("scores", "target", "sensitive"),
    validate=lambda ctx, o: validate_group_options(ctx, o),
    lazy=True,  # runs on lazy engine sources (auditor.engines.fair_tables)
)
def calibration_by_group(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    require_binary_target(ctx, "calibration")  # a regression target: skipped, not an error
    groups = groupings(ctx, options)
    if ctx.source is not None:  # engines: groups x bins x labels counted by one engine group-by
        from ..engines import fair_tables

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
    for cols in groups:
        feature = "×".join(cols)
        codes, labels = row_codes([enc[c] for c in cols])
        count, ssum, pos, ece, brier = calibration_sums(
            np.where(rows.kept, codes, -1), len(labels), rows.bins, rows.n, rows.ssum,
            rows.pos, rows.sq, options.n_bins,
        )  # fmt: skip
        n = count.sum(axis=1)
        eligible = n >= options.min_group_size
        for g, label in enumerate(labels):
            status = "insufficient_evidence"
            if eligible[g]:
                status = "fail" if ece[g] > options.max_ece else "pass"
            summary.append(
                {
                    "feature": feature, "group": label, "n": int(n[g]), "ece": _f(ece[g]),
                    "brier": _f(brier[g]), "threshold": options.max_ece, "status": status,
                    "note": None if eligible[g] else f"n={int(n[g])} < min_group_size {options.min_group_size}",
                }
            )  # fmt: skip
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
        good = [
            r for r in summary if r["feature"] == feature and r["status"] != "insufficient_evidence"
        ]
        for r in good:
            if r["status"] == "fail":
                yield Finding(
                    message=(
                        f"{feature}={r['group']}: expected calibration error {r['ece']:.3f} "
                        f"> {options.max_ece:g}"
                    ),
                    location=location(feature, r["group"]),
                    evidence={k: r[k] for k in ("n", "ece", "brier", "threshold")},
                    discriminator="ece",
                    recommendation="Recalibrate (per group if justified) and re-check the reliability table.",
                )
        if len(good) >= 2:
            lo = min(good, key=lambda r: r["ece"])
            hi = max(good, key=lambda r: r["ece"])
            if hi["ece"] - lo["ece"] > options.max_ece_gap:
                yield Finding(
                    message=(
                        f"{feature}: calibration gap {hi['ece'] - lo['ece']:.3f} between "
                        f"{hi['group']} (ECE {hi['ece']:.3f}) and {lo['group']} (ECE "
                        f"{lo['ece']:.3f}) > {options.max_ece_gap:g}"
                    ),
                    location=location(feature),
                    evidence={"worst": hi, "best": lo, "threshold": options.max_ece_gap},
                    discriminator="ece_gap",
                )
    yield Table(
        "calibration",
        tuple(summary),
        f"ECE over {options.n_bins} equal-width bins and Brier score per group",
    )
    yield Table(
        "reliability", tuple(reliability), "Reliability table: observed positive rate per score bin"
    )
