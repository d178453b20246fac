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
(0.80) and every reference group occurs in the data. One finding per feature; the shortfall is
tested with an exact one-sided binomial test of share < ``min_ratio`` x expected (Holm over the
groups): significant, or inconclusive (low, not blocking under ``decide_on: evidence``). Without
a reference population, groups smaller than ``min_group_size`` are reported as a low-severity
finding (too few to audit).

On a lazy engine (Parquet, Dask, Spark, Polars) the group counts come from one engine group-by.

Fails example: women are 12% of the data against 47% of the applicant pool (ratio 0.26).

References: Gebru et al. (2021) Datasheets for Datasets (composition); 29 CFR 1607.4(D) (labour
force comparisons); Suresh & Guttag (2021) representation bias.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..check import check
from ..errors import ConfigError
from ..fairness.options import GroupOptions
from ..findings import Evidence, Finding, Severity, Table
from ..options import Ratio, Share

if TYPE_CHECKING:
    from ..context import Context


@dataclass(frozen=True)
class Options(GroupOptions):
    reference_population: Mapping[str, Mapping[str, Share]] = field(default_factory=dict)
    min_ratio: Ratio = 0.8


def _validate(ctx: Context, options: Options) -> None:
    from ..fairness.engine import groupings, validate_group_options

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
    import numpy as np

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
    lazy=True,  # runs on lazy engine sources (auditor.fairness.lazy_tables)
)
def representation(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    import numpy as np
    from scipy import stats

    from ..fairness.counts import count_groupings
    from ..fairness.encode import MISSING_GROUP
    from ..fairness.engine import encoded_features, groupings
    from ..fairness.evidence import holm
    from ..fairness.intervals import wilson

    if ctx.source is not None:  # engines: rows per group from one engine group-by
        from ..fairness import lazy_tables as fair_tables

        counted = fair_tables.group_counts(ctx, options, groupings(ctx, options))
    else:
        cell = np.zeros(len(ctx.dataset), dtype=np.int64)
        counted = count_groupings(encoded_features(ctx, options), groupings(ctx, options), cell)
    rows: list[dict[str, Any]] = []
    tests: list[tuple[dict[str, Any], float]] = []
    absent: dict[str, list[tuple[str, float]]] = {}
    features: list[str] = []
    for gc in counted:
        features.append(gc.feature)
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
            p_val = p_under = None
            if exp is not None and known:
                p_val = float(stats.binomtest(int(n[i]), known, exp).pvalue)
                # one-sided: is the share below min_ratio x the expected share?
                p_under = float(
                    stats.binomtest(
                        int(n[i]), known, min(1.0, options.min_ratio * exp), alternative="less"
                    ).pvalue
                )
                expected_counts.append(exp * known)
                observed.append(n[i])
            status = "reported"
            if ratio is not None:
                status = "fail" if ratio < options.min_ratio else "pass"
            elif n[i] < options.min_group_size:
                status = "insufficient_evidence"
            row = {"feature": gc.feature, "group": g, "n": int(n[i]), "share": _f(share),
                   "ci_low": _f(low[i]), "ci_high": _f(high[i]), "expected_share": exp,
                   "representation_ratio": _f(ratio) if ratio is not None else None,
                   "p_value": p_val, "p_threshold": p_under, "p_adjusted": None, "evidence": None,
                   "status": status,
                   "note": f"n={int(n[i])} < min_group_size {options.min_group_size}"
                   if n[i] < options.min_group_size else None}  # fmt: skip
            rows.append(row)
            if p_under is not None:
                tests.append((row, p_under))
        for g in ref:
            if g not in gc.groups:
                absent.setdefault(gc.feature, []).append((g, ref[g]))
        if len(observed) >= 2:
            exp_arr = np.array(expected_counts)
            exp_arr = exp_arr * (sum(observed) / exp_arr.sum())
            chi = stats.chisquare(np.array(observed, dtype=float), exp_arr)
            rows.append(
                {"feature": gc.feature, "group": "(goodness of fit)", "n": known, "share": None,
                 "ci_low": None, "ci_high": None, "expected_share": None, "representation_ratio": None,
                 "p_value": float(chi.pvalue), "p_threshold": None, "p_adjusted": None,
                 "evidence": None, "status": "reported",
                 "note": f"chi-square {float(chi.statistic):.4g} over the groups with a reference share"}
            )  # fmt: skip
        if gc.n_missing:
            rows.append(
                {"feature": gc.feature, "group": MISSING_GROUP, "n": gc.n_missing,
                 "share": gc.n_missing / gc.total, "ci_low": None, "ci_high": None,
                 "expected_share": None, "representation_ratio": None, "p_value": None,
                 "p_threshold": None, "p_adjusted": None, "evidence": None,
                 "status": "excluded", "note": "missing or unknown value (share of all rows)"}
            )  # fmt: skip
    alpha = 1 - options.confidence
    for (row, _), p_adj in zip(tests, holm([p for _, p in tests]), strict=True):
        row["p_adjusted"] = float(p_adj)
        if row["status"] == "fail":
            sig = p_adj < alpha
            row["evidence"] = (Evidence.SIGNIFICANT if sig else Evidence.INCONCLUSIVE).value
            if not sig and options.decide_on == "evidence":
                row["status"] = "inconclusive"
    findings: list[Finding] = []
    for feature in features:
        mine = [r for r in rows if r["feature"] == feature]
        under = sorted(
            (r for r in mine if r["evidence"] is not None), key=lambda r: r["representation_ratio"]
        )
        missing = absent.get(feature, [])
        if under or missing:
            findings.append(_under_finding(feature, under, missing, options, len(tests)))
        elif not options.reference_population.get(feature):
            small = [r for r in mine if r["status"] == "insufficient_evidence"]
            if small:
                findings.append(_small_finding(feature, small, options))
    yield Table(
        "representation", tuple(rows), "Group counts and shares (of rows with a known value)"
    )
    yield from findings


def _under_finding(
    feature: str,
    under: list[dict[str, Any]],
    missing: list[tuple[str, float]],
    options: Options,
    m: int,
) -> Finding:
    from ..fairness.findings import location
    from ..fairness.wording import group_name, sentence, short_name

    sig = [r for r in under if r["evidence"] == Evidence.SIGNIFICANT.value]
    level = Evidence.SIGNIFICANT if sig or missing else Evidence.INCONCLUSIVE
    counts = bool(sig or missing) or options.decide_on == "estimate"
    parts = []
    if under:
        r = under[0]
        who = group_name(feature, str(r["group"]))
        parts.append(
            f"{who} {'make' if not who.startswith('the ') else 'makes'} up {r['share']:.1%} of the "
            f"data ({options.confidence:.0%} CI {r['ci_low']:.1%}–{r['ci_high']:.1%}; {r['n']:,} people) against "
            f"{r['expected_share']:.1%} of the reference population (ratio "
            f"{r['representation_ratio']:.2f}; the minimum is {options.min_ratio:g})"
        )
        if len(under) > 1:
            parts.append(
                "also under-represented: "
                + ", ".join(
                    f"{short_name(feature, str(x['group']))} ({x['representation_ratio']:.2f})"
                    for x in under[1:4]
                )
            )
    if missing:
        parts.append(
            "absent from the data although in the reference population: "
            + ", ".join(f"{g} ({share:.1%})" for g, share in missing)
        )
    head = sentence("; ".join(parts))
    if level is Evidence.INCONCLUSIVE:
        head += ", but the shortfall is not statistically significant after correction"
    head += "."
    return Finding(
        message=head,
        location=location(feature),
        evidence={
            "evidence": level.value,
            "counts_for_gate": counts,
            "tests": m,
            "correction": "holm",
            "groups": [
                {
                    k: r[k]
                    for k in (
                        "group",
                        "n",
                        "share",
                        "ci_low",
                        "ci_high",
                        "expected_share",
                        "representation_ratio",
                        "p_adjusted",
                        "evidence",
                    )
                }
                for r in under
            ],
            "absent": [{"group": g, "expected_share": share} for g, share in missing],
        },
        discriminator="representation",
        severity=None if counts else Severity.LOW,
        recommendation=(
            "Collect or re-weight data for the under-represented groups so that every group's "
            "metrics rest on enough people, and say in the datasheet how the sample was drawn."
        ),
        detail="; ".join(
            f"{r['group']}: share {r['share']:.4f} vs expected {r['expected_share']:.4f}, "
            f"one-sided binomial p (share < {options.min_ratio:g} x expected) adjusted "
            f"{'< 0.001' if r['p_adjusted'] < 0.001 else format(r['p_adjusted'], '.3f')}: {r['evidence']}"
            for r in under
        )
        + (f". Holm over {m} tests." if under else ""),
        evidence_level=level,
    )


def _small_finding(feature: str, small: list[dict[str, Any]], options: Options) -> Finding:
    from ..fairness.findings import location
    from ..fairness.wording import short_name

    names = ", ".join(f"{short_name(feature, str(r['group']))} ({r['n']})" for r in small[:5])
    more = f" and {len(small) - 5} more" if len(small) > 5 else ""
    return Finding(
        message=(
            f"{len(small)} group{'s' if len(small) != 1 else ''} of {feature} "
            f"{'have' if len(small) != 1 else 'has'} fewer than {options.min_group_size} people, "
            f"too few to assess: {names}{more}."
        ),
        location=location(feature),
        evidence={"groups": [r["group"] for r in small], "n": [r["n"] for r in small]},
        discriminator="small_groups",
        severity=Severity.LOW,
        recommendation=(
            "Collect more data for these groups or merge categories (with a documented "
            "reason); until then, every fairness check reports them as not assessed."
        ),
    )
