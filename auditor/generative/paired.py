"""Paired statistics of a correspondence test: every base case answered once per group.

Because each base case is its own control, the tests compare *within* cases, which needs far
fewer cases than comparing group rates from independent samples:

- **Decisions (binary)**, two groups: **McNemar's test** on the discordant pairs (``b``: cases
  selected for group A only, ``c``: for group B only). With fewer than ``exact_below`` (25)
  discordant pairs the exact two-sided binomial test of ``b`` out of ``b + c`` at 0.5
  (scipy's ``binomtest``); otherwise the chi-square statistic with continuity correction,
  ``max(|b - c| - 1, 0)**2 / (b + c)`` on 1 degree of freedom (the clamp at 0 keeps ``b == c``
  at p = 1). Concordant cases carry no information about the difference and do not enter.
- **More than two groups**: **Cochran's Q** over the cases with a decision for every group
  (``Q = (k-1) * (k * sum(C_j**2) - N**2) / (k*N - sum(R_i**2))``, chi-square on ``k-1``
  degrees of freedom), then McNemar for every pair of groups with **Holm's** step-down
  correction of the pairwise p-values.
- **Scores**: the **Wilcoxon signed-rank test** on the paired differences (scipy; zero
  differences dropped, the ``wilcox`` convention; exact distribution for small samples without
  ties, else the normal approximation), and for more than two groups **Friedman's test**
  (scipy) then pairwise Wilcoxon with Holm.
- **Unpaired per-group rates** for the regulatory tables: selection rate with a Wilson interval
  (:func:`auditor.fairness.intervals.wilson`, the fairness family's code), and the impact ratio
  (rate / the highest rate, the LL144 and four-fifths definition) with a percentile interval from
  a bootstrap over *base cases* (a resampled case keeps all its variants, so the interval
  respects the pairing; seeded, so a re-run gives the same interval).

A case whose decision is missing for a group (refusal, unparseable answer, excluded request) is
left out of the paired tests for every group it is missing for (``n_incomplete`` counts the
cases left out of an omnibus test) and out of that group's rate; the missing answers are
reported separately (:func:`auditor.generative.decisions.tally`), never imputed.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ..fairness.intervals import rng_for, wilson

__all__ = [
    "CochranQ",
    "GroupRate",
    "McNemar",
    "PairedBinary",
    "PairedScores",
    "WilcoxonPaired",
    "cochran_q",
    "holm",
    "mcnemar",
    "paired_binary",
    "paired_matrix",
    "paired_scores",
    "selection_rates",
    "wilcoxon_paired",
]

EXACT_BELOW = 25
_BOOT_CELLS = 4_000_000  # (replicates x cases x groups) drawn at once in the bootstrap


@dataclass(frozen=True)
class McNemar:
    """McNemar's test of group ``a`` against group ``b`` over ``n_pairs`` complete cases."""

    group_a: str
    group_b: str
    n_pairs: int
    a_only: int  # b: selected as group a, not as group b
    b_only: int  # c: selected as group b, not as group a
    both: int
    neither: int
    statistic: float  # the chi-square statistic, or b (the exact test's count)
    p_value: float
    method: str  # "exact binomial" | "chi-square (continuity-corrected)" | "chi-square"
    p_adjusted: float | None = None  # Holm-adjusted, for a pairwise comparison

    @property
    def discordant(self) -> int:
        return self.a_only + self.b_only


@dataclass(frozen=True)
class CochranQ:
    groups: tuple[str, ...]
    n_cases: int
    statistic: float
    df: int
    p_value: float


@dataclass(frozen=True)
class WilcoxonPaired:
    group_a: str
    group_b: str
    n_pairs: int
    n_nonzero: int
    median_difference: float  # median of (a - b) over the pairs
    statistic: float
    p_value: float
    p_adjusted: float | None = None


@dataclass(frozen=True)
class PairedBinary:
    """The paired tests of binary decisions: ``omnibus`` (McNemar for two groups, Cochran's Q for
    more) and ``pairwise`` McNemar tests (Holm-adjusted when there are several)."""

    groups: tuple[str, ...]
    n_cases: int
    n_complete: int
    n_incomplete: int
    omnibus: McNemar | CochranQ
    pairwise: tuple[McNemar, ...]


@dataclass(frozen=True)
class PairedScores:
    groups: tuple[str, ...]
    n_cases: int
    n_complete: int
    n_incomplete: int
    omnibus_statistic: float
    omnibus_p_value: float
    omnibus_method: str  # "wilcoxon signed-rank" | "friedman"
    pairwise: tuple[WilcoxonPaired, ...]


@dataclass(frozen=True)
class GroupRate:
    group: str
    selected: int
    n: int
    rate: float
    ci_low: float
    ci_high: float
    impact_ratio: float
    ir_ci_low: float | None
    ir_ci_high: float | None
    reference: bool


def mcnemar(
    a_only: int, b_only: int, *, exact_below: int = EXACT_BELOW, correction: bool = True
) -> tuple[float, float, str]:
    """(statistic, two-sided p, method) of McNemar's test on the discordant counts."""
    b, c = int(a_only), int(b_only)
    if b < 0 or c < 0:
        raise ValueError("discordant counts must be >= 0")
    n = b + c
    if n == 0:
        return 0.0, 1.0, "exact binomial"
    if n < exact_below:
        p = float(stats.binomtest(b, n, 0.5, alternative="two-sided").pvalue)
        return float(b), min(1.0, p), "exact binomial"
    diff = abs(b - c)
    if correction:
        stat = max(diff - 1, 0) ** 2 / n
        method = "chi-square (continuity-corrected)"
    else:
        stat = diff**2 / n
        method = "chi-square"
    return float(stat), float(stats.chi2.sf(stat, 1)), method


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values, in the input order (NaN stays NaN)."""
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(np.isfinite(p))
    m = ok.size
    if m == 0:
        return [float(v) for v in out]
    order = ok[np.argsort(p[ok], kind="stable")]
    adjusted = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    out[order] = adjusted
    return [float(x) for x in out]


def cochran_q(matrix: np.ndarray) -> tuple[float, int, float]:
    """(Q, df, p) of Cochran's Q for a complete ``(cases, groups)`` 0/1 matrix."""
    x = np.asarray(matrix, dtype=float)
    if x.ndim != 2 or x.shape[1] < 2:
        raise ValueError("Cochran's Q needs a (cases, groups) matrix with >= 2 groups")
    if np.isnan(x).any() or not np.isin(x, (0.0, 1.0)).all():
        raise ValueError("Cochran's Q needs a complete 0/1 matrix")
    k = x.shape[1]
    col = x.sum(axis=0)
    row = x.sum(axis=1)
    total = row.sum()
    denom = k * total - np.sum(row**2)
    if denom == 0:  # every case decided the same for all groups: no evidence of a difference
        return 0.0, k - 1, 1.0
    q = (k - 1) * (k * np.sum(col**2) - total**2) / denom
    return float(q), k - 1, float(stats.chi2.sf(q, k - 1))


def paired_matrix(
    case_ids: Sequence[Hashable],
    groups: Sequence[Hashable],
    values: Sequence[float | bool | None] | np.ndarray,
    *,
    group_order: Sequence[str] | None = None,
) -> tuple[np.ndarray, list[str], list[str]]:
    """The ``(cases, groups)`` float matrix (NaN where a case has no value for a group), its case
    ids and its groups. A (case, group) given twice is an error: a suite renders each once."""
    if not len(case_ids) == len(groups) == len(values):
        raise ValueError("case_ids, groups and values must have the same length")
    vals = pd.to_numeric(pd.Series(list(values), dtype=object), errors="coerce").astype(float)
    frame = pd.DataFrame(
        {"case": [str(c) for c in case_ids], "group": [str(g) for g in groups], "value": vals}
    )
    dup = frame.duplicated(["case", "group"])
    if dup.any():
        case, group = frame.loc[dup.idxmax(), ["case", "group"]]
        raise ValueError(f"case {case!r} has more than one answer for group {group!r}")
    table = frame.pivot(index="case", columns="group", values="value")
    order = list(group_order) if group_order is not None else list(dict.fromkeys(frame["group"]))
    missing = [g for g in order if g not in table.columns]
    if missing:
        raise ValueError(f"no answers at all for group(s) {missing}")
    table = table.reindex(columns=order)
    cases = list(dict.fromkeys(frame["case"]))
    table = table.reindex(index=cases)
    return table.to_numpy(dtype=float), cases, [str(g) for g in order]


def _mcnemar_pair(x: np.ndarray, a: str, b: str, exact_below: int, correction: bool) -> McNemar:
    keep = ~np.isnan(x).any(axis=1)
    pa, pb = x[keep, 0] == 1, x[keep, 1] == 1
    a_only = int(np.sum(pa & ~pb))
    b_only = int(np.sum(~pa & pb))
    stat, p, method = mcnemar(a_only, b_only, exact_below=exact_below, correction=correction)
    return McNemar(
        group_a=a,
        group_b=b,
        n_pairs=int(keep.sum()),
        a_only=a_only,
        b_only=b_only,
        both=int(np.sum(pa & pb)),
        neither=int(np.sum(~pa & ~pb)),
        statistic=stat,
        p_value=p,
        method=method,
    )


def _check_binary(x: np.ndarray) -> None:
    finite = x[~np.isnan(x)]
    if not np.isin(finite, (0.0, 1.0)).all():
        raise ValueError("decisions must be 0/1 (True/False), or None where missing")


def paired_binary(
    case_ids: Sequence[Hashable],
    groups: Sequence[Hashable],
    selected: Sequence[bool | float | None] | np.ndarray,
    *,
    group_order: Sequence[str] | None = None,
    exact_below: int = EXACT_BELOW,
    correction: bool = True,
) -> PairedBinary:
    """McNemar (two groups) or Cochran's Q + Holm-corrected pairwise McNemar (more)."""
    x, cases, names = paired_matrix(case_ids, groups, selected, group_order=group_order)
    _check_binary(x)
    complete = ~np.isnan(x).any(axis=1)
    pairs = list(itertools.combinations(range(len(names)), 2))
    tests = [
        _mcnemar_pair(x[:, [i, j]], names[i], names[j], exact_below, correction) for i, j in pairs
    ]
    omnibus: McNemar | CochranQ
    if len(names) == 2:
        omnibus = tests[0]
    else:
        q, df, p = cochran_q(x[complete])
        omnibus = CochranQ(tuple(names), int(complete.sum()), q, df, p)
        adjusted = holm([t.p_value for t in tests])
        tests = [_with_adjusted(t, a) for t, a in zip(tests, adjusted, strict=True)]
    return PairedBinary(
        groups=tuple(names),
        n_cases=len(cases),
        n_complete=int(complete.sum()),
        n_incomplete=int((~complete).sum()),
        omnibus=omnibus,
        pairwise=tuple(tests),
    )


def _with_adjusted(t: McNemar, p: float) -> McNemar:
    return McNemar(**{**t.__dict__, "p_adjusted": p})


def wilcoxon_paired(
    a: np.ndarray, b: np.ndarray, group_a: str = "a", group_b: str = "b"
) -> WilcoxonPaired:
    """Wilcoxon signed-rank test of paired scores ``a`` and ``b`` (pairs with a NaN dropped)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    keep = ~(np.isnan(a) | np.isnan(b))
    d = a[keep] - b[keep]
    nonzero = int(np.count_nonzero(d))
    median = float(np.median(d)) if d.size else math.nan
    if nonzero == 0:
        return WilcoxonPaired(group_a, group_b, int(d.size), 0, median, 0.0, 1.0)
    res = stats.wilcoxon(d, zero_method="wilcox", alternative="two-sided")
    return WilcoxonPaired(
        group_a, group_b, int(d.size), nonzero, median, float(res.statistic), float(res.pvalue)
    )


def paired_scores(
    case_ids: Sequence[Hashable],
    groups: Sequence[Hashable],
    scores: Sequence[float | None] | np.ndarray,
    *,
    group_order: Sequence[str] | None = None,
) -> PairedScores:
    """Wilcoxon signed-rank (two groups) or Friedman + Holm-corrected pairwise Wilcoxon (more)."""
    x, cases, names = paired_matrix(case_ids, groups, scores, group_order=group_order)
    complete = ~np.isnan(x).any(axis=1)
    pairs = list(itertools.combinations(range(len(names)), 2))
    tests = [wilcoxon_paired(x[:, i], x[:, j], names[i], names[j]) for i, j in pairs]
    if len(names) == 2:
        stat, p, method = tests[0].statistic, tests[0].p_value, "wilcoxon signed-rank"
    else:
        full = x[complete]
        if full.shape[0] < 2 or np.all(full == full[:, :1]):
            stat, p = 0.0, 1.0
        else:
            res = stats.friedmanchisquare(*(full[:, j] for j in range(full.shape[1])))
            stat, p = float(res.statistic), float(res.pvalue)
        method = "friedman"
        adjusted = holm([t.p_value for t in tests])
        tests = [
            WilcoxonPaired(**{**t.__dict__, "p_adjusted": a})
            for t, a in zip(tests, adjusted, strict=True)
        ]
    return PairedScores(
        groups=tuple(names),
        n_cases=len(cases),
        n_complete=int(complete.sum()),
        n_incomplete=int((~complete).sum()),
        omnibus_statistic=float(stat),
        omnibus_p_value=float(p),
        omnibus_method=method,
        pairwise=tuple(tests),
    )


def selection_rates(
    case_ids: Sequence[Hashable],
    groups: Sequence[Hashable],
    selected: Sequence[bool | float | None] | np.ndarray,
    *,
    group_order: Sequence[str] | None = None,
    reference: str | None = None,
    confidence: float = 0.95,
    n_boot: int = 2000,
    seed: int = 0,
) -> list[GroupRate]:
    """Per group: selection rate with a Wilson interval, and the impact ratio (rate / the
    reference group's rate; by default the highest rate) with a case-bootstrap interval.

    The bootstrap draws base cases with replacement (``n_boot`` times, seeded by ``seed``) and
    recomputes every group's rate over the drawn cases, so the correlation of the groups' answers
    within a case is kept. An interval is None when more than 5 % of the replicates leave the
    ratio undefined (the reference group selected no one)."""
    x, _, names = paired_matrix(case_ids, groups, selected, group_order=group_order)
    _check_binary(x)
    present = ~np.isnan(x)
    k = np.nansum(x, axis=0)
    n = present.sum(axis=0).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n > 0, k / n, np.nan)
    if reference is None:
        ref = int(np.nanargmax(rate)) if np.isfinite(rate).any() else 0
    elif reference in names:
        ref = names.index(reference)
    else:
        raise ValueError(f"reference group {reference!r} is not one of {names}")
    low, high = wilson(k, n, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = rate / rate[ref]
    ir_low: list[float | None] = [None] * len(names)
    ir_high: list[float | None] = [None] * len(names)
    if n_boot > 0 and x.shape[0] > 0:
        rng = rng_for(seed, "generative", "impact_ratio")
        n_cases, n_groups = x.shape
        filled = np.nan_to_num(x)
        counted = present.astype(float)
        kb = np.empty((n_boot, n_groups))
        nb = np.empty((n_boot, n_groups))
        block = max(1, _BOOT_CELLS // (n_cases * n_groups))  # bounded memory per block
        for start in range(0, n_boot, block):
            stop = min(n_boot, start + block)
            idx = rng.integers(0, n_cases, size=(stop - start, n_cases))
            kb[start:stop] = filled[idx].sum(axis=1)
            nb[start:stop] = counted[idx].sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            rb = kb / nb
            reps = rb / rb[:, [ref]]
        alpha = (1 - confidence) / 2
        for j in range(len(names)):
            col = reps[:, j]
            fin = col[np.isfinite(col)]
            if fin.size >= 0.95 * n_boot:
                lo, hi = np.quantile(fin, [alpha, 1 - alpha])
                ir_low[j], ir_high[j] = float(lo), float(hi)
    return [
        GroupRate(
            group=names[j],
            selected=int(k[j]),
            n=int(n[j]),
            rate=float(rate[j]),
            ci_low=float(low[j]),
            ci_high=float(high[j]),
            impact_ratio=float(ratio[j]),
            ir_ci_low=ir_low[j],
            ir_ci_high=ir_high[j],
            reference=j == ref,
        )
        for j in range(len(names))
    ]
