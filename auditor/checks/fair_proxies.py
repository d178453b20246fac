"""FAIR009 proxy-features: features strongly associated with a sensitive attribute (possible proxies).

What: for every model feature (the configured ``features``, the model's own, or every other
column) and every sensitive attribute: Cramér's V of their contingency table, the mutual
information (nats) and the uncertainty coefficient U = I(feature; attribute) / H(attribute), the
share of the attribute's uncertainty the feature removes (how well it predicts the attribute).
Numeric features go into ``bins`` quantile bins; text features keep their ``max_levels`` most
frequent values. Identifier-like columns (almost every value distinct) are listed as skipped.
Table ``proxies``.

Why: dropping the sensitive attribute does not remove it from the model when a ZIP code, first
name or school stands in for it (redlining by proxy). Reviewers need the list of stand-ins.

Passes: no feature reaches ``strong`` (Cramér's V >= 0.5 by default); ``moderate`` (>= 0.3) is
shown in the table without a finding. A strong proxy is ``significant`` when its chi-square test
rejects after Holm's correction over every pair tested and its bias-corrected Cramér's V
(Bergsma 2013) is still strong; otherwise ``inconclusive`` (low, not blocking under
``decide_on: evidence``).

On a lazy engine (Parquet, Dask, Spark, Polars) each feature's contingency table with the
sensitive attributes comes from one engine group-by (quantile bins from exact engine quantiles).
The ``max_levels - 1`` most frequent values are chosen by count; values tied at that cut are
ordered by value there (by first appearance in memory), which the report lists as an
approximation when it happens.

Fails example: ``zip_code`` vs ``race`` with V = 0.72.

References: Datta et al. (2017) Proxy Non-Discrimination in Data-Driven Systems; Credo AI
DataFairness proxy detection.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from ..check import Skip, check
from ..errors import ConfigError
from ..fairness.options import GroupOptions
from ..findings import Evidence, Finding, Severity, Table
from ..options import Range, Ratio

if TYPE_CHECKING:
    from ..context import Context
    from ..fairness.encode import Encoded


@dataclass(frozen=True)
class Options(GroupOptions):
    strong: Ratio = 0.5
    moderate: Ratio = 0.3
    feature_bins: Annotated[int, Range(ge=2, le=100)] = 10
    max_levels: Annotated[int, Range(ge=2)] = 20
    columns: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    identifier_share: Ratio = 0.5

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 0 < self.moderate <= self.strong <= 1:
            raise ValueError("expected 0 < moderate <= strong <= 1")


def _validate(ctx: Context, options: Options) -> None:
    from ..fairness.engine import encoded_features

    for key in ("columns", "exclude"):
        for col in getattr(options, key):
            if col not in ctx.dataset.columns:
                raise ConfigError(f"{key}: column {col!r} not found in the data")
    encoded_features(ctx, options)


def _candidates(ctx: Context, options: Options) -> list[str]:
    if options.columns:
        cols = list(options.columns)
    elif ctx.source is not None:  # engines: the same columns, from the schema
        from ..fairness import lazy_tables as fair_tables

        cols = fair_tables.feature_columns(ctx)
    else:
        cols = [str(c) for c in ctx.feature_frame.columns]
    skip = set(ctx.sensitive) | set(options.exclude)
    skip |= {c for c in (ctx.target, ctx.prediction, ctx.score) if c is not None}
    return [c for c in cols if c not in skip]


@check(
    "FAIR009",
    "proxy-features",
    severity=Severity.MEDIUM,
    options=Options,
    references=("https://arxiv.org/abs/1705.07807",),
    requires=("sensitive",),
    validate=_validate,
    lazy=True,  # runs on lazy engine sources (auditor.fairness.lazy_tables)
)
def proxy_features(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    from ..fairness.association import association, discretise
    from ..fairness.engine import encoded_features
    from ..fairness.evidence import holm

    cols = _candidates(ctx, options)
    if not cols:
        raise Skip("no candidate features besides the sensitive, target and output columns")
    rows: list[dict[str, Any]] = []
    n_rows = ctx.n_rows
    profile = None
    encoded: dict[str, Encoded] = {}
    if ctx.source is not None:  # engines: exact distinct counts of every candidate, one pass
        from ..fairness import lazy_tables as fair_tables

        profile = fair_tables.column_profile(ctx, cols)
    else:
        encoded = encoded_features(ctx, options)
    for col in cols:
        weights = None
        if profile is not None:
            distinct, numeric = profile[col]
        else:
            series = ctx.dataset[col]
            distinct = series.nunique(dropna=True)
            numeric = series.dtype.kind in "biuf"
        if not numeric and n_rows >= 20 and distinct > options.identifier_share * n_rows:
            for s in ctx.sensitive:
                rows.append(
                    {"feature": col, "sensitive": s, "n": n_rows, "cramers_v": None,
                     "cramers_v_corrected": None, "mutual_information": None,
                     "uncertainty_coefficient": None, "chi2_p_value": None,
                     "discretised": f"{distinct} distinct values", "status": "skipped",
                     "note": "identifier-like column (almost every value distinct)"}
                )  # fmt: skip
            continue
        if profile is not None:  # engines: feature x sensitive contingency, one group-by
            # the sensitive features encoded per row of that count table (``weights`` rows each)
            codes, k, how, sens, weights = fair_tables.proxy_counts(
                ctx, options, col, options.feature_bins, options.max_levels
            )
        else:
            codes, k, how = discretise(series, options.feature_bins, options.max_levels)
            sens = encoded
        for s in ctx.sensitive:
            e = sens[s]
            stats = association(codes, k, e.codes, len(e.levels), weights=weights)
            v = stats["cramers_v"]
            status = "insufficient_evidence"
            if v is not None:
                status = (
                    "strong"
                    if v >= options.strong
                    else "moderate"
                    if v >= options.moderate
                    else "weak"
                )
            rows.append(
                {"feature": col, "sensitive": s, **stats, "discretised": how, "status": status,
                 "note": None if v is not None else "fewer than two levels with data"}
            )  # fmt: skip
    rows.sort(key=lambda r: -(r["cramers_v"] or 0.0))
    alpha = 1 - options.confidence
    tested = [r for r in rows if r.get("chi2_p_value") is not None]
    for r in rows:
        r["p_adjusted"] = None
    for r, p_adj in zip(tested, holm([r["chi2_p_value"] for r in tested]), strict=True):
        r["p_adjusted"] = float(p_adj)
    yield Table(
        "proxies",
        tuple(rows),
        f"Association of each feature with each sensitive attribute; strong >= {options.strong:g}, "
        f"moderate >= {options.moderate:g} (Cramér's V)",
    )
    for r in rows:
        if r["status"] != "strong":
            continue
        corrected = r.get("cramers_v_corrected")
        sig = (
            r.get("p_adjusted") is not None
            and r["p_adjusted"] < alpha
            and corrected is not None
            and corrected >= options.strong
        )
        level = Evidence.SIGNIFICANT if sig else Evidence.INCONCLUSIVE
        counts = sig or options.decide_on == "estimate"
        share = r.get("uncertainty_coefficient") or 0.0
        head = (
            f"Column '{r['feature']}' can stand in for {r['sensitive']}: knowing it removes "
            f"{share:.0%} of the uncertainty about a person's {r['sensitive']} (Cramér's V "
            f"{r['cramers_v']:.2f}, {r['n']:,} rows; the limit for a strong proxy is "
            f"{options.strong:g})"
        )
        if not sig:
            head += (
                ", but this is not conclusive: corrected for its small-sample bias V is "
                f"{(corrected or 0.0):.2f}" + ("" if counts else " (not blocking)")
            )
        yield Finding(
            message=head + ".",
            location=f"column:{r['feature']}/sensitive:{r['sensitive']}",
            evidence={
                k: r.get(k)
                for k in (
                    "n",
                    "cramers_v",
                    "cramers_v_corrected",
                    "mutual_information",
                    "uncertainty_coefficient",
                    "chi2_p_value",
                    "p_adjusted",
                    "discretised",
                )
            }
            | {"evidence": level.value, "counts_for_gate": counts, "tests": len(tested)},
            discriminator=f"proxy:{r['sensitive']}",
            severity=None if counts else Severity.LOW,
            recommendation=(
                f"Check whether '{r['feature']}' is needed; if it is, compare the model's group "
                f"metrics for {r['sensitive']} with and without it and document the "
                "justification (a proxy carries the attribute into the model even when the "
                "attribute itself is left out)."
            ),
            detail=(
                f"Cramér's V {r['cramers_v']:.3f} (bias-corrected {(corrected or 0.0):.3f}), "
                f"uncertainty coefficient {share:.3f}, chi-square p adjusted (Holm over "
                f"{len(tested)} pairs) {r.get('p_adjusted')}; {r['discretised']}."
            ),
            evidence_level=level,
            relates_to=(f"column:{r['feature']}",),
        )
