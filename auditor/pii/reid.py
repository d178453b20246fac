"""Re-identification risk: k-anonymity of quasi-identifier combinations and l-diversity."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

__all__ = [
    "KAnon",
    "LDiv",
    "k_anonymity",
    "l_diversity",
    "qi_combinations",
    "reidentification_location",
]


def reidentification_location(columns: Sequence[str]) -> str:
    """Where PII004 reports the k-anonymity of these quasi-identifiers
    (``dataset:zip_code+date_of_birth+age+sex``); PII001's quasi-identifier finding relates to it."""
    return "dataset:" + "+".join(columns)


@dataclass(frozen=True)
class KAnon:
    columns: tuple[str, ...]
    records: int
    classes: int
    min_k: int
    median_k: float
    records_below_k: int
    share_below_k: float
    unique_records: int  # records alone in their class (k = 1)


@dataclass(frozen=True)
class LDiv:
    sensitive: str
    columns: tuple[str, ...]
    min_l: int
    records_below_l: int
    share_below_l: float


def _hashable(df: pd.DataFrame) -> pd.DataFrame:
    """Unhashable cells (lists, dicts) are compared by their text form."""
    out: pd.DataFrame = df.copy()
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = out[c].map(lambda v: v if isinstance(v, (str, int, float, bool)) else str(v))
    return out


def _class_sizes(df: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    try:
        sizes = df.groupby(list(columns), dropna=False, sort=False).size()
    except TypeError:
        sizes = _hashable(df[list(columns)]).groupby(list(columns), dropna=False).size()
    return sizes


def k_anonymity(df: pd.DataFrame, columns: Sequence[str], k: int) -> KAnon:
    """Equivalence classes over ``columns`` (missing values form their own class)."""
    sizes = _class_sizes(df, columns).to_numpy()
    below = sizes[sizes < k]
    n = int(sizes.sum())
    return KAnon(
        columns=tuple(columns),
        records=n,
        classes=len(sizes),
        min_k=int(sizes.min()) if len(sizes) else 0,
        median_k=float(np.median(np.repeat(sizes, sizes))) if n <= 5_000_000 else float("nan"),
        records_below_k=int(below.sum()),
        share_below_k=float(below.sum() / n) if n else 0.0,
        unique_records=int((sizes == 1).sum()),
    )


def l_diversity(df: pd.DataFrame, columns: Sequence[str], sensitive: str, l_min: int) -> LDiv:
    """Distinct ``sensitive`` values per equivalence class (distinct l-diversity)."""
    cols = list(columns)
    frame = df[[*cols, sensitive]]
    try:
        g = frame.groupby(cols, dropna=False, sort=False)[sensitive]
        distinct = g.nunique(dropna=False)
        size = g.size()
    except TypeError:
        frame = _hashable(frame)
        g = frame.groupby(cols, dropna=False, sort=False)[sensitive]
        distinct = g.nunique(dropna=False)
        size = g.size()
    low = (distinct < l_min).to_numpy()
    n = int(size.sum())
    below = int(size.to_numpy()[low].sum())
    return LDiv(
        sensitive=sensitive,
        columns=tuple(cols),
        min_l=int(distinct.min()) if len(distinct) else 0,
        records_below_l=below,
        share_below_l=below / n if n else 0.0,
    )


def qi_combinations(columns: Sequence[str], max_size: int = 3) -> list[tuple[str, ...]]:
    """Every combination of 1..max_size quasi-identifiers, then the full set (deduplicated)."""
    out: list[tuple[str, ...]] = []
    cols = list(columns)
    for size in range(1, min(max_size, len(cols)) + 1):
        out.extend(combinations(cols, size))
    if len(cols) > max_size:
        out.append(tuple(cols))
    return out
