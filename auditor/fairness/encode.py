"""Sensitive features to integer group codes: missing/unknown values counted, numeric features binned."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ConfigError, InputError
from .names import DEFAULT_UNKNOWN

__all__ = [
    "DEFAULT_UNKNOWN",
    "INTERSECTION_SEP",
    "MISSING_GROUP",
    "Encoded",
    "check_bins",
    "check_plain_values",
    "encode_feature",
    "kinds_phrase",
    "resolve_groupings",
    "row_codes",
    "value_kind",
]

INTERSECTION_SEP = "×"
MISSING_GROUP = "(missing)"


@dataclass(frozen=True, eq=False)
class Encoded:
    """One sensitive feature as codes: ``codes[i]`` indexes ``levels`` or is -1 (missing/unknown)."""

    name: str
    codes: np.ndarray
    levels: tuple[str, ...]
    missing: int
    binned: str = ""  # how a numeric feature was binned, for the report


def check_bins(name: str, dtype: Any, spec: int | Sequence[float]) -> int | list[float]:
    """``bins.<name>`` checked against the feature's dtype: the quantile-bin count (at least 2)
    or the bin edges as floats (increasing); a :class:`ConfigError` naming the key otherwise.
    Shared by the in-memory binning and the lazy engines' (:mod:`auditor.fairness.lazy_keys`)."""
    if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        raise ConfigError(
            f"bins.{name}: feature {name!r} is not numeric ({dtype}); only numeric features are binned"
        )
    if isinstance(spec, int):
        if spec < 2:
            raise ConfigError(f"bins.{name}: expected at least 2 quantile bins, got {spec}")
        return spec
    edges = [float(e) for e in spec]
    if len(edges) < 2 or any(b <= a for a, b in itertools.pairwise(edges)):
        raise ConfigError(f"bins.{name}: expected increasing bin edges, got {list(spec)!r}")
    return edges


#: the kind of a group value: values of different kinds never compare as one group
def value_kind(value: Any) -> str:
    """``bool``, ``number``, ``text``, ``list``/``map`` (nested) or the type's name."""
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, (int, float, np.number)):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (list, tuple, np.ndarray)):
        return "list"
    if isinstance(value, (dict, set, frozenset)):
        return "map" if isinstance(value, dict) else "set"
    return type(value).__name__


def kinds_phrase(counts: dict[str, int]) -> str:
    """``number: 120 rows, text: 40 rows`` (most rows first)."""
    order = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{k}: {n:,} row{'s' if n != 1 else ''}" for k, n in order)


def check_plain_values(
    series: pd.Series, name: str, unknown: Iterable[str] = DEFAULT_UNKNOWN
) -> None:
    """Refuse (:class:`InputError` naming the feature) a sensitive feature whose values are not one
    plain kind: lists or mappings in its cells, or a mix of kinds such as ``1``, ``True``, ``1.0``
    and ``"1"``. Grouped as they are, ``1``, ``True`` and ``1.0`` merge into one group while
    ``"1"`` becomes a second group under the same label; which values mean the same group is the
    data owner's decision, so the column is refused rather than guessed at. Unknown markers
    (``unknown``, ``n/a``, ...) and missing values do not count (they are left out anyway)."""
    if series.dtype != object:
        return
    inferred = pd.api.types.infer_dtype(series, skipna=True)
    if inferred not in ("mixed", "mixed-integer") and not inferred.startswith("mixed-"):
        return
    unknown_set = {u.strip().lower() for u in unknown}
    counts: dict[str, int] = {}
    for value in series:
        if isinstance(value, str):
            if value.strip().lower() in unknown_set:
                continue
        elif value is None or (isinstance(value, float) and value != value):
            continue
        kind = value_kind(value)
        counts[kind] = counts.get(kind, 0) + 1
    nested = {k: n for k, n in counts.items() if k in ("list", "map", "set")}
    if nested:
        raise InputError(
            f"sensitive feature {name!r} holds lists or mappings ({kinds_phrase(nested)}): a group "
            "is one plain value per row; flatten the column or choose another"
        )
    if len(counts) > 1:
        raise InputError(
            f"sensitive feature {name!r} mixes value types ({kinds_phrase(counts)}): values such "
            "as 1, True, 1.0 and '1' would be merged or split into groups by accident; write the "
            "column with one type (e.g. all text) before the audit"
        )


def _bin(series: pd.Series, spec: int | Sequence[float], name: str) -> tuple[pd.Series, str]:
    checked = check_bins(name, series.dtype, spec)
    if isinstance(checked, int):
        binned = pd.qcut(series, q=checked, duplicates="drop")
        return binned, f"{checked} quantile bins"
    binned = pd.cut(series, bins=checked, right=False)
    return binned, f"edges {checked} (left-closed; values outside count as missing)"


def encode_feature(
    series: pd.Series,
    *,
    name: str | None = None,
    unknown: Iterable[str] = DEFAULT_UNKNOWN,
    bins: int | Sequence[float] | None = None,
    max_groups: int = 50,
) -> Encoded:
    """Factorise ``series`` (sorted levels). NaN, None and ``unknown`` strings become code -1.

    A feature with more than ``max_groups`` distinct values is refused with an :class:`InputError`
    that suggests binning (numeric) or a coarser column (text): hundreds of tiny groups give no
    evidence about anything.
    """
    label = str(name if name is not None else series.name)
    check_plain_values(series, label, unknown)
    how = ""
    if bins is not None:
        series, how = _bin(series, bins, label)
    try:
        codes, uniques = pd.factorize(series, sort=True, use_na_sentinel=True)
    except TypeError:  # mixed types cannot be sorted
        codes, uniques = pd.factorize(series, sort=False, use_na_sentinel=True)
    labels = [str(u) for u in np.asarray(uniques, dtype=object)]
    unknown_set = {u.strip().lower() for u in unknown}
    keep = np.array([lab.strip().lower() not in unknown_set for lab in labels], dtype=bool)
    codes = np.asarray(codes, dtype=np.int64)
    if not keep.all():
        remap = np.full(len(labels) + 1, -1, dtype=np.int64)
        remap[:-1][keep] = np.arange(int(keep.sum()))
        codes = remap[codes]  # code -1 indexes the last slot, which stays -1
        labels = [lab for lab, k in zip(labels, keep, strict=True) if k]
    if len(labels) > max_groups:
        numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
        hint = (
            f"bin it with the option bins: {{{label}: 4}} (quantile bins) or "
            f"bins: {{{label}: [18, 25, 40, 65]}} (edges), for every FAIR check in the policy "
            f"YAML (checks: {{FAIR: {{options: {{bins: {{{label}: 4}}}}}}}}) or for one check "
            f"on the command line (--set FAIR001.bins='{{{label}: 4}}')"
            if numeric
            else f"map it to fewer categories, or raise max_groups (now {max_groups})"
        )
        raise InputError(
            f"sensitive feature {label!r} has {len(labels)} distinct values"
            f"{' (numeric)' if numeric else ''}: too many groups to compare; {hint}"
        )
    missing = int((codes < 0).sum())
    return Encoded(name=label, codes=codes, levels=tuple(labels), missing=missing, binned=how)


def resolve_groupings(
    sensitive: Sequence[str], intersections: str | Sequence[Sequence[str]]
) -> list[tuple[str, ...]]:
    """Each sensitive feature alone, then the requested intersections.

    ``intersections``: ``"none"``; ``"all"`` (every combination of two or more features);
    ``"full"`` (only the combination of all features); or a list such as ``[[sex, race]]``.
    """
    out: list[tuple[str, ...]] = [(s,) for s in sensitive]
    if isinstance(intersections, str):
        if intersections == "none" or len(sensitive) < 2:
            return out
        if intersections == "full":
            return [*out, tuple(sensitive)]
        if intersections == "all":
            for k in range(2, len(sensitive) + 1):
                out.extend(itertools.combinations(sensitive, k))
            return out
        raise ConfigError(
            f"intersections: expected 'none', 'all', 'full' or a list of column lists, got {intersections!r}"
        )
    for combo in intersections:
        cols = tuple(combo)
        unknown = [c for c in cols if c not in sensitive]
        if unknown:
            raise ConfigError(
                f"intersections: {unknown[0]!r} is not a sensitive feature (sensitive: {', '.join(sensitive)})"
            )
        if len(cols) < 2 or len(set(cols)) != len(cols):
            raise ConfigError(
                f"intersections: {list(cols)!r} must name two or more different features"
            )
        if cols not in out:
            out.append(cols)
    return out


def row_codes(encoded: Sequence[Encoded]) -> tuple[np.ndarray, tuple[str, ...]]:
    """Per-row code of the (intersection) group, -1 when any part is missing; observed labels only."""
    joint = np.zeros(len(encoded[0].codes), dtype=np.int64)
    missing = np.zeros(len(joint), dtype=bool)
    labels = [""]
    for i, e in enumerate(encoded):
        joint = joint * max(len(e.levels), 1) + np.maximum(e.codes, 0)
        missing |= e.codes < 0
        sep = INTERSECTION_SEP if i else ""
        labels = [f"{a}{sep}{b}" for a in labels for b in e.levels]
    joint[missing] = -1
    used, codes = np.unique(joint, return_inverse=True)
    codes = codes.astype(np.int64)
    if len(used) and used[0] == -1:
        codes -= 1
        used = used[1:]
    return codes, tuple(labels[int(u)] for u in used)
