"""Outcome arrays from the audit context: cell codes, exclusions counted, bad inputs explained."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..check import Skip
from ..context import Context
from ..errors import ConfigError, InputError

__all__ = [
    "Outcomes",
    "binary_labels",
    "check_prediction_values",
    "outcomes",
    "require_binary_target",
    "require_positive_label",
    "score_threshold",
    "validate_columns",
]


@dataclass(frozen=True, eq=False)
class Outcomes:
    """Per-row cell codes (``2*label + positive``; -1 = left out) and what was left out, counted."""

    cell: np.ndarray
    has_labels: bool
    exclusions: tuple[tuple[str, int], ...]
    weight: np.ndarray | None = None
    positive: str = "prediction"  # what "positive" means: prediction, label or score

    def exclusion_rows(self) -> list[dict[str, Any]]:
        return [{"reason": r, "rows": n} for r, n in self.exclusions]


def _label_name(ctx: Context) -> str:
    return repr(ctx.positive_label)


def require_positive_label(ctx: Context) -> None:
    """Refuse (InputError) label metrics on a target without a positive label (continuous)."""
    if ctx.positive_label is None:
        raise InputError(
            f"target column {ctx.target!r} is not binary and no positive label is set; give "
            "--positive-label VALUE (continuous targets are audited by FAIR004 score-parity)"
        )


def binary_labels(ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """(is_positive, present) for the target column; refuses continuous targets."""
    values = ctx.y_true
    present = values.notna().to_numpy()
    require_positive_label(ctx)
    return ctx.is_positive(values), present


def require_binary_target(ctx: Context, needs: str) -> None:
    """Skip (with the reason) a check that needs binary labels when the target is continuous.

    A continuous target (a regression audit: float values, no positive label) is a valid input
    for FAIR004; label-based checks do not apply to it, which is a skip, not an error.
    """
    if ctx.target is not None and ctx.positive_label is None:
        raise Skip(
            f"target column {ctx.target!r} is not binary (no positive label): {needs} needs "
            "binary labels; continuous targets are audited by FAIR004 score-parity (give "
            "--positive-label VALUE if the target is a label)"
        )


def check_prediction_values(ctx: Context) -> None:
    """Refuse predictions that are probabilities where labels are expected."""
    if ctx.prediction is None:
        return
    col = ctx.dataset[ctx.prediction]
    if pd.api.types.is_float_dtype(col):
        uniq = np.asarray(pd.unique(col.dropna()), dtype=float)
        fractional = np.count_nonzero(np.mod(uniq, 1) != 0)
        if fractional and len(uniq) > 2:
            raise InputError(
                f"prediction column {ctx.prediction!r} holds {len(uniq)} distinct fractional "
                "values: these look like probabilities or scores, not predicted labels. Pass the "
                "column as --score (scoring-rate and calibration checks), or threshold it into "
                "labels first"
            )


def outcomes(
    ctx: Context,
    *,
    positive: str = "prediction",
    use_labels: bool = True,
    weight: str | None = None,
    threshold: float | None = None,
) -> Outcomes:
    """Cell codes for the rows: ``positive`` is ``prediction`` (selected), ``label`` (data-level)
    or ``score`` (score strictly above ``threshold``). Labels are used when a target exists and
    ``use_labels``; rows with a missing prediction, label, score or weight are left out and counted.
    """
    n = len(ctx.dataset)
    keep = np.ones(n, dtype=bool)
    exclusions: list[tuple[str, int]] = []

    def drop(mask: np.ndarray, reason: str) -> None:
        new = int((mask & keep).sum())
        if new:
            exclusions.append((reason, new))
        keep[mask] = False

    if positive == "prediction":
        check_prediction_values(ctx)
        pred = ctx.y_pred
        drop(~pred.notna().to_numpy(), "prediction missing")
        pos = ctx.is_positive(pred)
    elif positive == "score":
        scores = pd.to_numeric(ctx.y_score, errors="coerce").to_numpy(dtype=float)
        drop(~np.isfinite(scores), "score missing or not a number")
        assert threshold is not None
        pos = np.nan_to_num(scores, nan=-np.inf) > threshold
    elif positive == "label":
        pos, present = binary_labels(ctx)
        drop(~present, "label missing")
    else:
        raise ValueError(positive)
    has_labels = use_labels and ctx.target is not None and positive != "label"
    label = np.zeros(n, dtype=bool)
    if has_labels:
        try:
            label, present = binary_labels(ctx)
        except InputError:
            has_labels = False  # continuous target: label metrics are not defined here
        else:
            drop(~present, "label missing")
    w = None
    if weight is not None:
        w = pd.to_numeric(ctx.dataset[weight], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(w) | (w < 0)
        drop(bad, f"sample weight {weight!r} missing, negative or not a number")
        w = np.where(keep, w, 0.0)
    if positive == "label":  # data-level: label and "outcome" are the same bit (cells TN or TP)
        cell = 3 * pos.astype(np.int64)
    elif has_labels:
        cell = 2 * label.astype(np.int64) + pos.astype(np.int64)
    else:
        cell = pos.astype(np.int64)
    cell = np.where(keep, cell, -1)
    return Outcomes(
        cell=cell, has_labels=has_labels, exclusions=tuple(exclusions), weight=w, positive=positive
    )


def score_threshold(ctx: Context, quantile: float) -> float:
    """The ``quantile`` of every present score (0.5: the full-sample median of LL144 §5-301(c))."""
    if ctx.source is not None:  # engines hook: exact quantile computed by the engine
        from ..engines.quantile import exact_quantile

        assert ctx.score is not None
        return exact_quantile(ctx.source, ctx.score, quantile)
    scores = pd.to_numeric(ctx.y_score, errors="coerce").to_numpy(dtype=float)
    scores = scores[np.isfinite(scores)]
    if not len(scores):
        raise InputError(f"score column {ctx.score!r} has no numeric values")
    return float(np.quantile(scores, quantile))


def validate_columns(
    ctx: Context,
    *,
    bins: Mapping[str, Any] | None = None,
    privileged: Mapping[str, Any] | None = None,
    weight: str | None = None,
    extra: Sequence[tuple[str, str | None]] = (),
) -> None:
    """Plan-time checks of options against the data (ConfigError / InputError, nothing ran yet)."""
    sensitive = set(ctx.sensitive)
    for key in bins or {}:
        if key not in sensitive:
            raise ConfigError(
                f"bins.{key}: {key!r} is not a sensitive feature (sensitive: {', '.join(ctx.sensitive) or 'none'})"
            )
    if weight is not None and weight not in ctx.dataset.columns:
        raise ConfigError(f"sample_weight: column {weight!r} not found in the data")
    for key, column in extra:
        if column is not None and column not in ctx.dataset.columns:
            raise ConfigError(f"{key}: column {column!r} not found in the data")
    for name in ctx.sensitive:
        if ctx.source is not None:  # engines hook: non-null count from the engine
            present = int(ctx.source.non_null(name))
        else:
            present = int(ctx.dataset[name].notna().sum())
        if present == 0:
            raise InputError(
                f"sensitive column {name!r} has no values (every row is missing): nothing to compare"
            )
    del privileged  # checked once the groups are known (choose_reference names the groups)
