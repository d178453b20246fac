"""FAIR004 score-parity: scoring rates, mean scores and errors by group for score or regression outputs.

What: for a score column (or a model's ``predict_proba``), the share of each group scoring
strictly above the full-sample ``quantile`` (0.5: the median, as NYC LL144 defines the scoring
rate; ties at the threshold do not count) with its impact ratio against the highest-rate group,
Wilson interval and p-value (``groups`` table, columns ``above_median`` / ``scoring_rate``);
the scoring-rate parity difference and ratio with bootstrap intervals (``disparities``); and the
mean score per group plus, when the target is numeric, the MAE and RMSE of the score against it
(``score_groups``).

Why: many hiring and credit tools output a score, not a decision; the group gap in who scores high
is then the disparity that matters. Regression error gaps show a model that is less accurate for
one group.

Passes: every eligible group's scoring-rate impact ratio is at least ``threshold`` (0.80; 0.80
itself passes) and, when ``max_error_ratio`` is set, the worst group MAE is at most that multiple
of the best. One finding per feature or intersection, with evidence as in FAIR001; the MAE
comparison is its own finding (one-sided test of the log MAE ratio, Holm over the features).

Fails example: 34 of 76 women and 50 of 92 men score above the median: 0.447 / 0.543 = 0.82
passes; 15 of 40 vs 18 of 28 gives 0.58 and fails.

Options: ``quantile``, ``threshold``, ``thresholds`` per disparity metric under either name
(``scoring_rate_parity_difference``/``_ratio`` as in the table, or their engine names
``demographic_parity_difference``/``_ratio``), ``max_error_ratio``,
``insufficient_evidence_severity`` (as FAIR001) and the grouping options of FAIR001.

References: 6 RCNY §5-300 (scoring rate); Holistic AI disparate_impact_regression; fairlearn
MetricFrame with regression metrics.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any

from ..check import check
from ..errors import ConfigError
from ..fairness.options import GroupOptions, SeverityName, Thresholds
from ..findings import Evidence, Finding, Severity, Table
from ..options import Level, Range, Ratio

if TYPE_CHECKING:
    from ..context import Context
    from ..fairness.counts import GroupCounts


@dataclass(frozen=True)
class Options(GroupOptions):
    quantile: Level = 0.5
    threshold: Ratio | None = 0.8
    thresholds: Thresholds = field(default_factory=dict)
    # the worst group's mean absolute error at most this multiple of the best group's
    max_error_ratio: Annotated[float, Range(ge=1)] | None = None
    report_insufficient: bool = True
    insufficient_evidence_severity: SeverityName = "low"


#: the names this check reports its disparities under -> the engine's metric names
ALIASES = {
    "scoring_rate_parity_difference": "demographic_parity_difference",
    "scoring_rate_parity_ratio": "demographic_parity_ratio",
}


def _thresholds(raw: Mapping[str, float | None]) -> dict[str, float | None]:
    """Per-metric thresholds under either name (``scoring_rate_parity_*`` as in the table, or
    ``demographic_parity_*``); the same metric given twice with different values is refused."""
    from ..fairness.runner import checked_thresholds

    out: dict[str, float | None] = {}
    given: dict[str, str] = {}
    for key, value in raw.items():
        name = ALIASES.get(key, key)
        if name in out and out[name] != value:
            raise ConfigError(
                f"thresholds: {given[name]!r} and {key!r} name the same metric with different "
                f"thresholds ({out[name]!r} and {value!r}); give one"
            )
        out[name], given[name] = value, key
    return checked_thresholds(out)


def _validate(ctx: Context, options: Options) -> None:
    from ..fairness.engine import validate_group_options

    validate_group_options(ctx, options)
    _thresholds(options.thresholds)


def _score_counts(ctx: Context, options: Options) -> tuple[list[GroupCounts], bool]:
    import numpy as np
    import pandas as pd

    from ..fairness.counts import count_groupings
    from ..fairness.engine import encoded_features, groupings

    if ctx.source is not None:  # engines hook: per-group score sums computed by the engine
        from ..fairness import lazy

        regression = ctx.target is not None and ctx.positive_label is None
        return lazy.score_counts(ctx, options, groupings(ctx, options), regression), regression
    s = pd.to_numeric(ctx.y_score, errors="coerce").to_numpy(dtype=float)
    ok = np.isfinite(s)
    values = {"score": np.where(ok, s, 0.0)}
    regression = False
    if ctx.target is not None and ctx.positive_label is None:
        y = pd.to_numeric(ctx.dataset[ctx.target], errors="coerce").to_numpy(dtype=float)
        ok &= np.isfinite(y)
        err = np.where(ok, s - np.nan_to_num(y), 0.0)
        values.update(abs_err=np.abs(err), sq_err=err * err)
        regression = True
    cell = np.where(ok, 0, -1)
    enc = encoded_features(ctx, options)
    return count_groupings(enc, groupings(ctx, options), cell, values=values), regression


def _score_rows(ctx: Context, options: Options) -> list[dict[str, Any]]:
    import numpy as np

    from ..fairness.rates import divide

    counts, regression = _score_counts(ctx, options)
    rows: list[dict[str, Any]] = []
    for gc in counts:
        n = gc.n
        mean = divide(gc.sums["score"], n)
        mae = divide(gc.sums["abs_err"], n) if regression else np.full(len(n), np.nan)
        rmse = np.sqrt(divide(gc.sums["sq_err"], n)) if regression else np.full(len(n), np.nan)
        for i, g in enumerate(gc.groups):
            rows.append(
                {
                    "feature": gc.feature,
                    "group": g,
                    "n": int(n[i]),
                    "mean_score": _f(mean[i]),
                    "mae": _f(mae[i]),
                    "rmse": _f(rmse[i]),
                    "status": "reported"
                    if n[i] >= options.min_group_size
                    else "insufficient_evidence",
                }
            )
    return rows


def _f(x: Any) -> float | None:
    import numpy as np

    v = float(x)
    return v if np.isfinite(v) else None


@check(
    "FAIR004",
    "score-parity",
    severity=Severity.HIGH,
    options=Options,
    references=("https://codelibrary.amlegal.com/codes/newyorkcity/latest/NYCrules/0-0-0-138530",),
    requires=("scores", "sensitive"),
    validate=_validate,
    lazy=True,  # runs on lazy engine sources (auditor.engines)
)
def score_parity(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    from ..fairness.findings import Wording
    from ..fairness.outcomes import score_threshold
    from ..fairness.runner import compare, emit, spec_from

    thresholds = _thresholds(options.thresholds)
    cut = score_threshold(ctx, options.quantile)
    spec = spec_from(ctx, options, threshold=options.threshold, scoring=True)
    cmp = compare(
        ctx, options, spec, ("demographic_parity_difference", "demographic_parity_ratio"),
        thresholds, positive="score", threshold=cut, quiet=("demographic_parity_ratio",),
    )  # fmt: skip
    for row in cmp.disparities:
        row["metric"] = row["metric"].replace("demographic_parity", "scoring_rate_parity")
    cut_words = "the median" if options.quantile == 0.5 else f"the {options.quantile:g} quantile"
    yield from emit(
        cmp,
        spec=spec,
        wording=Wording(
            "scoring",
            reference=options.reference,
            mitigation=(
                "review what drives the score gap and whether the score is equally valid for "
                "every group (FAIR005 calibration), then re-run the audit."
            ),
        ),
        describe=(
            f"Share of each group scoring strictly above the full-sample {options.quantile:g} "
            f"quantile ({cut:.6g}); impact ratio vs the {options.reference} reference"
        ),
        report_insufficient=options.report_insufficient,
        inconclusive_severity=Severity.parse(options.insufficient_evidence_severity),
        scoring_words=(f"score above {cut_words}", f"scored above {cut_words}", "scoring rate"),
    )
    rows = _score_rows(ctx, options)
    yield Table(
        "score_groups", tuple(rows), "Mean score per group; MAE/RMSE against a numeric target"
    )
    if options.max_error_ratio is not None:
        yield from _error_findings(rows, options)


def _error_findings(rows: list[dict[str, Any]], options: Options) -> Iterator[Finding]:
    """One finding per feature whose worst group's MAE is more than ``max_error_ratio`` times the
    best group's; evidence from a one-sided test of the log ratio (delta-method standard errors
    of each MAE from the group's mean squared error), Holm over the features tested."""
    import numpy as np
    from scipy import stats

    from ..fairness.evidence import holm
    from ..fairness.findings import location
    from ..fairness.wording import group_name, sentence

    assert options.max_error_ratio is not None
    limit = options.max_error_ratio
    by_feature: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        if r["mae"] is not None and r["status"] == "reported":
            by_feature.setdefault(r["feature"], []).append(r)
    tests: list[tuple[str, dict[str, Any], dict[str, Any], float | None]] = []
    for feature, rs in by_feature.items():
        lo, hi = min(rs, key=lambda r: r["mae"]), max(rs, key=lambda r: r["mae"])
        if lo["mae"] <= 0:
            continue
        var = [
            max(0.0, (r["rmse"] or 0.0) ** 2 - r["mae"] ** 2) / max(r["n"], 1) / r["mae"] ** 2
            for r in (hi, lo)
        ]
        se = float(np.sqrt(sum(var)))
        ratio = hi["mae"] / lo["mae"]
        p = float(stats.norm.sf((np.log(ratio) - np.log(limit)) / se)) if se > 0 else None
        tests.append((feature, hi, lo, p))
    alpha = 1 - options.confidence
    adjusted = holm([t[3] for t in tests])
    for (feature, hi, lo, _), p_adj in zip(tests, adjusted, strict=True):
        ratio = hi["mae"] / lo["mae"]
        if ratio <= limit:
            continue
        sig = bool(np.isfinite(p_adj) and p_adj < alpha)
        counts = sig or options.decide_on == "estimate"
        level = Evidence.SIGNIFICANT if sig else Evidence.INCONCLUSIVE
        worst, best = group_name(feature, str(hi["group"])), group_name(feature, str(lo["group"]))
        head = (
            f"The score misses the true value by {ratio:.1f} times as much for {worst} as for "
            f"{best} (mean absolute error {hi['mae']:.3g} vs {lo['mae']:.3g}; {hi['n']:,} and "
            f"{lo['n']:,} people); the limit is {limit:g} times"
        )
        if not sig:
            head += ", but the difference is not statistically significant" + (
                "" if counts else " (not blocking)"
            )
        yield Finding(
            message=sentence(head) + ".",
            location=location(feature),
            evidence={
                "worst": hi,
                "best": lo,
                "ratio": ratio,
                "limit": limit,
                "p_adjusted": float(p_adj) if np.isfinite(p_adj) else None,
                "evidence": level.value,
                "counts_for_gate": counts,
                "tests": len(tests),
            },
            discriminator="mae_ratio",
            severity=None if counts else Severity.parse(options.insufficient_evidence_severity),
            recommendation=(
                f"Find out why the score is less accurate for {worst} (too few examples, "
                "features measured worse for them) and improve it before the score is used for "
                "decisions about them."
            ),
            detail=(
                f"MAE ratio {ratio:.3f} > {limit:g}; one-sided test of the log ratio, Holm over "
                f"{len(tests)} features."
            ),
            evidence_level=level,
        )
