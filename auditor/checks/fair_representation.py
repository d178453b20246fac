"""FAIR008 representation: group shares in the data, optionally against a reference population.

What: the number and share of rows in each group of every sensitive feature and intersection,
with a Wilson interval of the share, the count of missing/unknown values, and, when the policy
gives ``reference_population`` (e.g. ``{sex: {F: 0.51, M: 0.49}}``, shares of the relevant labour
market or customer base), the expected share, the representation ratio (observed / expected), an
exact binomial p-value per group and a chi-square goodness-of-fit p-value per feature.

Why: a group that is rare in the training or audit data gets unreliable metrics and often a worse
model; a sample that under-represents a group against the population it serves misstates every
other fairness number.

Passes: every group with a reference share has a representation ratio of at least ``min_ratio``
(0.80) and every reference group occurs in the data. Without a reference population, groups
smaller than ``min_group_size`` are reported as a low-severity finding (too few to audit).

On a lazy engine (Parquet, Dask, Spark, Polars) the group counts come from one engine group-by.

Fails example: women are 12% of the data against 47% of the applicant pool (ratio 0.26).

References: Gebru et al. (2021) Datasheets for Datasets (composition); 29 CFR 1607.4(D) (labour
force comparisons); Suresh & Guttag (2021) representation bias.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats

from ..check import check
from ..context import Context
from ..errors import ConfigError
from ..fairness.counts import count_groupings
from ..fairness.encode import MISSING_GROUP
from ..fairness.engine import encoded_features, groupings, validate_group_options
from ..fairness.findings import location
from ..fairness.intervals import wilson
from ..fairness.options import GroupOptions
from ..findings import Finding, Severity, Table


@dataclass(frozen=True)
class Options(GroupOptions):
    reference_population: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    min_ratio: float = 0.8


def _validate(ctx: Context, options: Options) -> None:
    validate_group_options(ctx, options)
    features = {"×".join(g) for g in groupings(ctx, options)}
    for feature, shares in options.reference_population.items():
        if feature not in features:
            raise ConfigError(
                f"reference_population.{feature}: not a sensitive feature or intersection "
                f"(groupings: {', '.join(sorted(features))})"
            )
        total = sum(shares.values())
        if any(v < 0 for v in shares.values()) or not 0.98 <= total <= 1.02:
            raise ConfigError(
                f"reference_population.{feature}: shares must be >= 0 and sum to 1 (sum {total:.4g})"
            )


def _f(x: Any) -> float | None:
    v = float(x)
    return v if np.isfinite(v) else None


@check(
    "FAIR008",
    "representation",
    severity=Severity.MEDIUM,
    options=Options,
    references=("https://arxiv.org/abs/1803.09010", "https://arxiv.org/abs/1901.10002"),
    requires=("sensitive",),
    validate=_validate,
    lazy=True,  # runs on lazy engine sources (auditor.engines.fair_tables)
)
def representation(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    if ctx.source is not None:  # engines: rows per group from one engine group-by
        from ..engines import fair_tables

        counted = fair_tables.group_counts(ctx, options, groupings(ctx, options))
    else:
        cell = np.zeros(len(ctx.dataset), dtype=np.int64)
        counted = count_groupings(encoded_features(ctx, options), groupings(ctx, options), cell)
    rows: list[dict[str, Any]] = []
    findings: list[Finding] = []
    for gc in counted:
        n = gc.n
        known = int(n.sum())
        ref = options.reference_population.get(gc.feature, {})
        low, high = wilson(n, np.full(len(n), known), options.confidence)
        expected_counts = []
        observed = []
        for i, g in enumerate(gc.groups):
            share = n[i] / known if known else np.nan
            exp = ref.get(g)
            ratio = share / exp if exp else None
            p_val = None
            if exp is not None and known:
                p_val = float(stats.binomtest(int(n[i]), known, exp).pvalue)
                expected_counts.append(exp * known)
                observed.append(n[i])
            status = "reported"
            if ratio is not None:
                status = "fail" if ratio < options.min_ratio else "pass"
            elif n[i] < options.min_group_size:
                status = "insufficient_evidence"
            rows.append(
                {"feature": gc.feature, "group": g, "n": int(n[i]), "share": _f(share),
                 "ci_low": _f(low[i]), "ci_high": _f(high[i]), "expected_share": exp,
                 "representation_ratio": _f(ratio) if ratio is not None else None,
                 "p_value": p_val, "status": status,
                 "note": f"n={int(n[i])} < min_group_size {options.min_group_size}"
                 if n[i] < options.min_group_size else None}
            )  # fmt: skip
            if status == "fail":
                findings.append(
                    Finding(
                        message=(
                            f"{gc.feature}={g} is {share:.1%} of the data against {exp:.1%} of the "
                            f"reference population (ratio {ratio:.2f} < {options.min_ratio:g})"
                        ),
                        location=location(gc.feature, g),
                        evidence={
                            "n": int(n[i]),
                            "share": _f(share),
                            "expected_share": exp,
                            "p_value": p_val,
                        },
                        discriminator="representation",
                    )
                )
        for g in ref:
            if g not in gc.groups:
                findings.append(
                    Finding(
                        message=f"{gc.feature}={g} is in the reference population ({ref[g]:.1%}) but absent from the data",
                        location=location(gc.feature, g),
                        evidence={"expected_share": ref[g]},
                        discriminator="absent",
                    )
                )
        if len(observed) >= 2:
            exp_arr = np.array(expected_counts)
            exp_arr = exp_arr * (sum(observed) / exp_arr.sum())
            chi = stats.chisquare(np.array(observed, dtype=float), exp_arr)
            rows.append(
                {"feature": gc.feature, "group": "(goodness of fit)", "n": known, "share": None,
                 "ci_low": None, "ci_high": None, "expected_share": None, "representation_ratio": None,
                 "p_value": float(chi.pvalue), "status": "reported",
                 "note": f"chi-square {float(chi.statistic):.4g} over the groups with a reference share"}
            )  # fmt: skip
        if gc.n_missing:
            rows.append(
                {"feature": gc.feature, "group": MISSING_GROUP, "n": gc.n_missing,
                 "share": gc.n_missing / gc.total, "ci_low": None, "ci_high": None,
                 "expected_share": None, "representation_ratio": None, "p_value": None,
                 "status": "excluded", "note": "missing or unknown value (share of all rows)"}
            )  # fmt: skip
        if not ref:
            small = [
                r
                for r in rows
                if r["feature"] == gc.feature and r["status"] == "insufficient_evidence"
            ]
            if small:
                findings.append(
                    Finding(
                        message=(
                            f"{gc.feature}: {len(small)} groups have fewer than {options.min_group_size} "
                            f"rows ({', '.join(str(r['group']) for r in small[:5])}"
                            f"{', ...' if len(small) > 5 else ''}): too few to audit"
                        ),
                        location=location(gc.feature),
                        evidence={
                            "groups": [r["group"] for r in small],
                            "n": [r["n"] for r in small],
                        },
                        discriminator="small_groups",
                        severity=Severity.LOW,
                    )
                )
    yield Table(
        "representation", tuple(rows), "Group counts and shares (of rows with a known value)"
    )
    yield from findings
