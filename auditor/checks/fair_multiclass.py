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
One finding per (feature, class) (``feature:sex/class:hire``), with evidence as in FAIR001 and one
Holm correction over every class's comparisons.
Binary predictions are skipped (FAIR001/FAIR002 cover them).

On a lazy engine (Parquet, Dask, Spark, Polars) the group x class counts come from one engine
group-by; the tables equal the in-memory ones.

Fails example: "hire" predicted for 30% of men and 15% of women (ratio 0.50).

References: fairlearn issue #1212 (multiclass demographic parity); 6 RCNY §5-301(b).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Annotated, Any

from ..check import Skip, check
from ..fairness.options import GroupOptions, SeverityName, Thresholds
from ..findings import Finding, Severity, Table
from ..options import Range, Ratio

if TYPE_CHECKING:
    from ..context import Context
    from ..fairness.counts import GroupCounts
    from ..fairness.tables import GroupDetail


@dataclass(frozen=True)
class Options(GroupOptions):
    threshold: Ratio | None = 0.8
    thresholds: Thresholds = field(default_factory=dict)
    max_classes: Annotated[int, Range(ge=2)] = 20
    insufficient_evidence_severity: SeverityName = "low"


def _validate(ctx: Context, options: Options) -> None:
    from ..fairness.engine import validate_group_options
    from ..fairness.runner import checked_thresholds

    validate_group_options(ctx, options)
    checked_thresholds(options.thresholds)


def _per_class(
    ctx: Context, options: Options, classes: list[Any]
) -> Iterator[tuple[Any, list[GroupCounts]]]:
    """One-vs-rest group counts per class: cell ``2 * (label == class) + (prediction == class)``;
    rows with a missing prediction or label left out."""
    import numpy as np

    from ..fairness.counts import count_groupings
    from ..fairness.engine import encoded_features, groupings

    if ctx.source is not None:  # engines: every class from one engine group-by
        from ..fairness import lazy_tables as fair_tables

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
    lazy=True,  # runs on lazy engine sources (auditor.fairness.lazy_tables)
)
def multiclass_parity(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    import pandas as pd

    from ..fairness.assess import assess
    from ..fairness.findings import Wording, subject_findings
    from ..fairness.runner import checked_thresholds, spec_from
    from ..fairness.tables import disparity_rows, group_rows, replicates

    if ctx.source is not None:  # engines: the classes from the engine's value counts
        from ..fairness import lazy_tables as fair_tables

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
    details: list[GroupDetail] = []
    spec = spec_from(ctx, options, threshold=options.threshold)
    spec = replace(spec, has_labels=has_labels)
    for cls, counted in _per_class(ctx, options, classes):
        for gc in counted:
            reps = replicates(gc, spec)
            rows, dets, ref = group_rows(gc, spec, reps)
            for r in rows:  # the class first, the same dict (the details point at it)
                tagged = {"class": str(cls), **r}
                r.clear()
                r.update(tagged)
            groups_out.extend(rows)
            details.extend(dets)
            for r in disparity_rows(gc, metrics, spec, thresholds, reps=reps, reference=ref):
                disp_out.append({"class": str(cls), **r})
    # one Holm correction over every class's comparisons: the check tested all of them
    breaches, tests = assess(groups_out, details, disp_out, spec, ("demographic_parity_ratio",))
    findings: list[Finding] = []
    for cls in classes:
        mine = [b for b in breaches if b.row.get("class") == str(cls)]
        for f in subject_findings(
            mine,
            [r for r in groups_out if r["class"] == str(cls)],
            [r for r in disp_out if r["class"] == str(cls)],
            wording=Wording("selection", reference=options.reference),
            tests=tests,
            confidence=spec.confidence,
            decide_on=spec.decide_on,
            threshold=spec.threshold,
            inconclusive_severity=Severity.parse(options.insufficient_evidence_severity),
            report_insufficient=False,
            min_group_size=spec.min_group_size,
            scoring_words=(
                f"are predicted {cls!s}",
                f"were predicted {cls!s}",
                f"rate of {cls!s} predictions",
            ),
        ):
            findings.append(
                replace(
                    f,
                    message=f"Outcome {cls!s}: {f.message[:1].lower()}{f.message[1:]}",
                    location=f"{f.location}/class:{cls!s}",
                    discriminator=f"parity:{cls!s}",
                )
            )
    yield Table(
        "class_groups", tuple(groups_out), "One-vs-rest per predicted class: groups table per class"
    )
    yield Table("class_disparities", tuple(disp_out), "One-vs-rest disparities per class")
    yield from findings
