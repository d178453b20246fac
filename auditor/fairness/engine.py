"""Cached building blocks for the checks: encoded features and group counts, shared via ctx.measure."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from ..context import Context
from ..errors import ConfigError
from .counts import GroupCounts, count_groupings
from .encode import Encoded, encode_feature, resolve_groupings
from .names import columns_of
from .options import GroupOptions
from .outcomes import Outcomes, check_prediction_values, outcomes, validate_columns

__all__ = ["columns_of", "encoded_features", "grouped", "groupings", "validate_group_options"]


def _freeze(x: Any) -> Any:
    if isinstance(x, dict) or hasattr(x, "items"):
        return tuple(sorted((k, _freeze(v)) for k, v in x.items()))
    if isinstance(x, (list, tuple)):
        return tuple(_freeze(v) for v in x)
    return x


def encoded_features(
    ctx: Context, opts: GroupOptions, columns: Sequence[str] | None = None
) -> dict[str, Encoded]:
    """The sensitive features ``columns`` (default: every one) encoded once per (bins, missing
    values, max groups). Only the columns a check compares are encoded, so a numeric feature the
    check does not use (``age`` for LL144) never stops it with a binning error."""
    out = {}
    for name in ctx.sensitive if columns is None else columns:
        spec = opts.bins.get(name)
        key = f"fairness.encode|{name}|{_freeze(spec)}|{_freeze(opts.missing_values)}|{opts.max_groups}"
        if ctx.source is not None:  # engines hook: levels from engine-side value counts
            from . import lazy

            out[name] = lazy.encoded(ctx, name, spec, opts.missing_values, opts.max_groups)
            continue
        compute = functools.partial(
            encode_feature,
            ctx.dataset[name],
            name=name,
            unknown=opts.missing_values,
            bins=spec,
            max_groups=opts.max_groups,
        )
        out[name] = ctx.measure(key, compute)
    return out


def groupings(ctx: Context, opts: GroupOptions) -> list[tuple[str, ...]]:
    return resolve_groupings(ctx.sensitive, opts.intersections)


def grouped(
    ctx: Context,
    opts: GroupOptions,
    *,
    positive: str = "prediction",
    use_labels: bool = True,
    threshold: float | None = None,
    features: Sequence[tuple[str, ...]] | None = None,
) -> tuple[list[GroupCounts], Outcomes]:
    """Group counts for every grouping in one pass (cached per outcome definition and options)."""
    groups = list(features) if features is not None else groupings(ctx, opts)
    key = (
        f"fairness.counts|{positive}|{use_labels}|{threshold!r}|{opts.sample_weight}|{groups}|"
        f"{_freeze(opts.bins)}|{_freeze(opts.missing_values)}|{opts.max_groups}"
    )
    if ctx.source is not None:  # engines hook: the same GroupCounts from an engine-side group-by
        from . import lazy

        return ctx.measure(
            key,
            lambda: lazy.grouped(
                ctx, opts, groups, positive=positive, use_labels=use_labels, threshold=threshold
            ),
        )
    enc = encoded_features(ctx, opts, columns_of(groups))

    def compute() -> tuple[list[GroupCounts], Outcomes]:
        out = outcomes(
            ctx,
            positive=positive,
            use_labels=use_labels,
            weight=opts.sample_weight,
            threshold=threshold,
        )
        counts = count_groupings(enc, groups, out.cell, weight=out.weight)
        return counts, out

    return ctx.measure(key, compute)


def validate_group_options(
    ctx: Context, opts: GroupOptions, features: Sequence[tuple[str, ...]] | None = None
) -> None:
    """Plan-time validation shared by the group checks (raises ConfigError / InputError).

    ``features``: the groupings the check compares (default: every sensitive feature and the
    requested intersections); only their columns are encoded (and so binned or refused).
    """
    validate_columns(ctx, bins=opts.bins, weight=opts.sample_weight)
    check_prediction_values(ctx)
    groups = list(features) if features is not None else groupings(ctx, opts)
    enc = encoded_features(ctx, opts, columns_of(groups))
    for feature, value in opts.privileged.items():
        cols = next((g for g in groups if "×".join(g) == feature), None)
        if cols is None:
            raise ConfigError(
                f"privileged.{feature}: not a sensitive feature or intersection "
                f"(groupings: {', '.join('×'.join(g) for g in groups)})"
            )
        parts = value.split("×")
        for col, part in zip(cols, parts, strict=False):
            if part not in enc[col].levels:
                raise ConfigError(
                    f"privileged.{feature}: {part!r} is not a value of {col!r} "
                    f"(values: {', '.join(enc[col].levels[:20])})"
                )
    if opts.reference == "privileged":
        missing = ["×".join(g) for g in groups if "×".join(g) not in opts.privileged]
        if missing:
            raise ConfigError(
                f"reference: privileged needs a privileged group for every grouping; missing: "
                f"{', '.join(missing)} (e.g. privileged: {{{missing[0]}: VALUE}})"
            )
