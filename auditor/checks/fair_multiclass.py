"""FAIR006 multiclass-parity: one-vs-rest selection rates and impact ratios for every predicted class.

What: when predictions take more than two values (e.g. reject / interview / hire, or leadership
styles an AEDT assigns), each class in turn is treated as the positive outcome (one-vs-rest): per
group the share predicted that class, its impact ratio against the highest-rate group, Wilson
interval and p-value (``class_groups`` table, the ``groups`` columns plus ``class``), and per class
the demographic parity difference/ratio and, with labels, equal opportunity difference/ratio
(``class_disparities``).

Why: fairlearn defines demographic parity only for binary outcomes (fairlearn #1212); LL144
§5-301(b)(4) asks for the tables for each class when a tool classifies candidates into groups.

Passes: in every class, every eligible group's impact ratio is at least ``threshold`` (0.80).
Binary predictions are skipped (FAIR001/FAIR002 cover them).

On a lazy engine (Parquet, Dask, Spark, Polars) the group x class counts come from one engine
group-by; the tables equal the in-memory ones.

Fails example: "hire" predicted for 30% of men and 15% of women (ratio 0.50).

References: fairlearn issue #1212 (multiclass demographic parity); 6 RCNY §5-301(b).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from ..check import Skip, check
from ..context import Context
from ..fairness.counts import GroupCounts, count_groupings
from ..fairness.engine import encoded_features, groupings, validate_group_options
from ..fairness.findings import location
from ..fairness.options import GroupOptions
from ..fairness.runner import checked_thresholds, spec_from
from ..fairness.tables import disparity_rows, group_rows, replicates
from ..findings import Finding, Severity, Table


@dataclass(frozen=True)
class Options(GroupOptions):
    threshold: float | None = 0.8
    thresholds: Mapping[str, float | None] = field(default_factory=dict)
    max_classes: int = 20


def _validate(ctx: Context, options: Options) -> None:
    validate_group_options(ctx, options)
    checked_thresholds(options.thresholds)


def _per_class(
    ctx: Context, options: Options, classes: list[Any]
) -> Iterator[tuple[Any, list[GroupCounts]]]:
    """One-vs-rest group counts per class: cell ``2 * (label == class) + (prediction == class)``;
    rows with a missing prediction or label left out."""
    if ctx.source is not None:  # engines: every class from one engine group-by
        from ..engines import fair_tables

        yield from fair_tables.class_counts(ctx, options, groupings(ctx, options), classes)
        return
    enc = encoded_features(ctx, options)
    pred = ctx.y_pred
    y = ctx.dataset[ctx.target] if ctx.target is not None else None
    keep = pred.notna().to_numpy() & (y.notna().to_numpy() if y is not None else True)
    for cls in classes:
        p = pred.eq(cls).to_numpy(dtype=bool)
        lab = y.eq(cls).to_numpy(dtype=bool) if y is not None else np.zeros(len(p), dtype=bool)
        cell = np.where(keep, 2 * lab.astype(np.int64) + p.astype(np.int64), -1)
        yield cls, count_groupings(enc, groupings(ctx, options), cell)


@check(
    "FAIR006",
    "multiclass-parity",
    severity=Severity.HIGH,
    options=Options,
    references=("https://github.com/fairlearn/fairlearn/issues/1212",),
    requires=("predictions", "sensitive"),
    validate=_validate,
    lazy=True,  # runs on lazy engine sources (auditor.engines.fair_tables)
)
def multiclass_parity(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    if ctx.source is not None:  # engines: the classes from the engine's value counts
        from ..engines import fair_tables

        assert ctx.prediction is not None
        pred = fair_tables.classes(ctx, ctx.prediction)
    else:
        pred = ctx.y_pred
    classes = list(pd.unique(pred.dropna()))
    if len(classes) <= 2:
        raise Skip(
            f"predictions have {len(classes)} classes: binary outcomes are covered by FAIR001/FAIR002"
        )
    if len(classes) > options.max_classes:
        raise Skip(f"predictions have {len(classes)} classes (> max_classes {options.max_classes})")
    with contextlib.suppress(TypeError):
        classes = sorted(classes)
    has_labels = ctx.target is not None
    thresholds = checked_thresholds(options.thresholds)
    metrics = ["demographic_parity_difference", "demographic_parity_ratio"]
    if has_labels:
        metrics += ["equal_opportunity_difference", "equal_opportunity_ratio"]
    groups_out: list[dict[str, Any]] = []
    disp_out: list[dict[str, Any]] = []
    findings: list[Finding] = []
    for cls, counted in _per_class(ctx, options, classes):
        spec = replace(spec_from(ctx, options, threshold=options.threshold), has_labels=has_labels)
        for gc in counted:
            reps = replicates(gc, spec)
            rows, details, ref = group_rows(gc, spec, reps)
            groups_out.extend({"class": str(cls), **r} for r in rows)
            for r in disparity_rows(gc, metrics, spec, thresholds, reps=reps, reference=ref):
                disp_out.append({"class": str(cls), **r})
            for d in details:
                if d.row["status"] == "fail":
                    findings.append(
                        Finding(
                            message=(
                                f"class {cls!s}: {gc.feature}={d.row['group']} predicted "
                                f"{d.row['selection_rate']:.1%} vs {d.reference_rate:.1%} for "
                                f"{d.row['reference_group']}: impact ratio {d.row['impact_ratio']:.3f} "
                                f"< {options.threshold:.2f}"
                            ),
                            location=location(gc.feature, d.row["group"]) + f"/class:{cls!s}",
                            evidence={
                                "class": str(cls),
                                "n": d.row["n"],
                                "rate": d.row["selection_rate"],
                                "reference_rate": d.reference_rate,
                                "impact_ratio": d.row["impact_ratio"],
                                "impact_ratio_ci": list(d.ratio_ci),
                                "p_value": d.row["p_value"],
                            },
                            discriminator=f"impact_ratio:{cls!s}",
                        )
                    )
    yield Table(
        "class_groups", tuple(groups_out), "One-vs-rest per predicted class: groups table per class"
    )
    yield Table("class_disparities", tuple(disp_out), "One-vs-rest disparities per class")
    yield from findings
