"""One vectorised pass: per-group sufficient statistics for every grouping at once.

Rows are coded as ``cell = 2 * label + prediction`` (0 = TN, 1 = FP, 2 = FN, 3 = TP; without labels
every row has label 0). One ``np.bincount`` over the joint code of all sensitive features x cell
gives the full contingency table; each grouping (a feature alone or an intersection) is a
marginal of it. Extra per-row values (scores, squared errors, weights) are summed the same way.
Every metric is then derived from these counts, which is what makes the engine fast and lets
the bootstrap resample counts instead of rows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .encode import INTERSECTION_SEP, Encoded

__all__ = ["CELLS", "GroupCounts", "count_groupings", "feature_label"]

CELLS = ("tn", "fp", "fn", "tp")
JOINT_LIMIT = 1 << 22  # joint tables larger than this are counted per grouping instead


@dataclass(frozen=True, eq=False)
class GroupCounts:
    """Sufficient statistics of one grouping.

    ``cells[g]`` are the (weighted) TN, FP, FN, TP totals of group ``g``; ``counts[g]`` the same
    unweighted; ``sums[name][g]`` per-group sums of extra values. ``missing_*`` hold the same for
    the rows whose group is missing or unknown (left out of comparisons, always shown).
    """

    feature: str
    columns: tuple[str, ...]
    groups: tuple[str, ...]
    cells: np.ndarray
    counts: np.ndarray
    sums: Mapping[str, np.ndarray] = field(default_factory=dict)
    missing_cells: np.ndarray = field(default_factory=lambda: np.zeros(4))
    missing_counts: np.ndarray = field(default_factory=lambda: np.zeros(4, dtype=np.int64))
    missing_sums: Mapping[str, float] = field(default_factory=dict)
    weighted: bool = False

    @property
    def n(self) -> np.ndarray:
        return np.asarray(self.counts.sum(axis=-1))

    @property
    def total(self) -> int:
        """Rows in this table, including those with a missing group."""
        return int(self.counts.sum() + self.missing_counts.sum())

    @property
    def n_missing(self) -> int:
        return int(self.missing_counts.sum())


def feature_label(columns: Sequence[str]) -> str:
    return INTERSECTION_SEP.join(columns)


def _aggregate(
    encoded: Sequence[Encoded],
    cell: np.ndarray,
    weight: np.ndarray | None,
    values: Mapping[str, np.ndarray],
    multiplicity: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Joint tables of shape ``(L1+1, ..., Lk+1, 4)`` (last level of each axis = missing)."""
    sizes = [len(e.levels) + 1 for e in encoded]
    joint = np.zeros(len(cell), dtype=np.int64)
    for e, size in zip(encoded, sizes, strict=True):
        codes = np.where(e.codes < 0, size - 1, e.codes)
        joint *= size
        joint += codes
    n_joint = math.prod(sizes)
    size = n_joint * 4
    idx = joint * 4 + cell
    dropped = cell < 0  # rows excluded before grouping (missing outcome): one spare bin
    any_dropped = bool(dropped.any())
    if any_dropped:
        idx[dropped] = size
        joint[dropped] = n_joint
    if multiplicity is None:
        counts = np.bincount(idx, minlength=size + 1)[:size].reshape(*sizes, 4)
    else:  # engines: each input row is a count-table row standing for ``multiplicity`` rows
        counts = np.bincount(idx, weights=multiplicity, minlength=size + 1)[:size]
        counts = np.rint(counts).astype(np.int64).reshape(*sizes, 4)
    cells = (
        np.bincount(idx, weights=weight, minlength=size + 1)[:size].reshape(*sizes, 4)
        if weight is not None
        else counts
    )
    sums = {
        name: np.bincount(joint, weights=v, minlength=n_joint + 1)[:n_joint].reshape(sizes)
        for name, v in values.items()
    }
    return counts, cells, sums


def _marginal(table: np.ndarray, keep: Sequence[int], ndim: int) -> np.ndarray:
    drop = tuple(i for i in range(ndim) if i not in keep)
    return table.sum(axis=drop) if drop else table


def _split(
    table: np.ndarray, levels: Sequence[int], trailing: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Known-group block flattened to ``(G, ...)`` and the total over rows with any missing level."""
    known = table[tuple(slice(0, n) for n in levels)]
    tail = table.shape[len(levels) :] if trailing else ()
    flat = known.reshape(-1, *tail)
    missing = table.reshape(-1, *tail).sum(axis=0) - flat.sum(axis=0)
    return flat, missing


def count_groupings(
    encoded: Mapping[str, Encoded],
    groupings: Sequence[tuple[str, ...]],
    cell: np.ndarray,
    *,
    weight: np.ndarray | None = None,
    values: Mapping[str, np.ndarray] | None = None,
    keep_empty: bool = False,
    multiplicity: np.ndarray | None = None,
) -> list[GroupCounts]:
    """Sufficient statistics for each grouping (tuple of feature names), in one pass when possible.

    ``cell`` is the per-row cell code 0..3 (-1: row left out, counted by the caller); ``weight`` optional sample weights; ``values`` extra
    per-row values summed per group; ``multiplicity`` (engines) makes each input row stand
    for that many rows of a pre-aggregated count table. Intersections keep observed combinations only; single
    features keep every level (``keep_empty`` keeps unobserved combinations too).
    """
    values = dict(values or {})
    cell = np.asarray(cell, dtype=np.int64)
    if weight is not None or values:
        keep = cell >= 0
        values = {k: np.where(keep, np.nan_to_num(v), 0.0) for k, v in values.items()}
    names = list(dict.fromkeys(c for g in groupings for c in g))
    sizes = [len(encoded[c].levels) + 1 for c in names]
    passes: list[tuple[list[str], tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]]] = []
    if math.prod(sizes) * 4 <= JOINT_LIMIT:
        passes.append(
            (names, _aggregate([encoded[c] for c in names], cell, weight, values, multiplicity))
        )
    out: list[GroupCounts] = []
    for grouping in groupings:
        if passes:
            axes_names, (counts, cells, sums) = passes[0]
        else:
            axes_names = list(grouping)
            counts, cells, sums = _aggregate(
                [encoded[c] for c in grouping], cell, weight, values, multiplicity
            )
        ndim = len(axes_names)
        order = [axes_names.index(c) for c in grouping]
        kept = sorted(order)
        # marginalise, then put the axes in the grouping's order
        perm = [kept.index(i) for i in order]
        g_counts = np.moveaxis(_marginal(counts, kept, ndim), perm, range(len(perm)))
        g_cells = np.moveaxis(_marginal(cells, kept, ndim), perm, range(len(perm)))
        levels = [len(encoded[c].levels) for c in grouping]
        flat_counts, miss_counts = _split(g_counts, levels, trailing=True)
        flat_cells, miss_cells = _split(g_cells, levels, trailing=True)
        flat_sums: dict[str, np.ndarray] = {}
        miss_sums: dict[str, float] = {}
        for name, table in sums.items():
            t = np.moveaxis(_marginal(table, kept, ndim), perm, range(len(perm)))
            f, m = _split(t, levels, trailing=False)
            flat_sums[name], miss_sums[name] = f, float(m)
        labels = _labels([encoded[c].levels for c in grouping])
        if len(grouping) > 1 and not keep_empty:
            observed = flat_counts.sum(axis=1) > 0
            flat_counts, flat_cells = flat_counts[observed], flat_cells[observed]
            flat_sums = {k: v[observed] for k, v in flat_sums.items()}
            labels = [lab for lab, o in zip(labels, observed, strict=True) if o]
        out.append(
            GroupCounts(
                feature=feature_label(grouping),
                columns=tuple(grouping),
                groups=tuple(labels),
                cells=np.asarray(flat_cells, dtype=float),
                counts=np.asarray(flat_counts, dtype=np.int64),
                sums=flat_sums,
                missing_cells=np.asarray(miss_cells, dtype=float),
                missing_counts=np.asarray(miss_counts, dtype=np.int64),
                missing_sums=miss_sums,
                weighted=weight is not None,
            )
        )
    return out


def _labels(level_lists: Sequence[Sequence[str]]) -> list[str]:
    labels = [""]
    for i, levels in enumerate(level_lists):
        sep = INTERSECTION_SEP if i else ""
        labels = [f"{a}{sep}{b}" for a in labels for b in levels]
    return labels
