"""GEN002 response-disparity: how a generative model answers each cue group, beyond the decision:
refusals, unparseable answers, response length and sentiment, with intervals and paired tests.

What: on logged interactions (see :mod:`auditor.generative.interactions`; the same options as
GEN001 to read them), per attribute (and their intersection) and group: the refusal rate and the
unparseable rate over answered prompts, with Wilson intervals; the mean response length in
characters with a normal-approximation interval; and the mean VADER compound sentiment (-1 to 1)
with its interval when the ``vadersentiment`` package is installed (``pip install
'auditor[generative]'``; English only; an *indicator*, not a verdict; "not measured" otherwise).
Each group is compared with a reference within base cases: refusal and unparseable rates against
the group with the lowest rate, by McNemar's test when every case has one variant per group
(else the Wilcoxon signed-rank test on per-case rates); length and sentiment against the group
with the highest mean, by the Wilcoxon signed-rank test on per-case means. P-values are
Holm-corrected across the groups of an attribute.

Why: a model that refuses one group's cases more often, or answers them more briefly or more
negatively, treats that group differently even when its parsed decisions agree, and refusals
left out of a selection rate can hide a disparity.

Passes: no paired difference is significant at ``alpha`` with a size of at least
``min_rate_difference`` (refusal, unparseable: 0.05), ``min_length_ratio`` (length: 10% shorter)
or ``min_sentiment_difference`` (0.1 compound). Findings: a refusal disparity is ``high``
(``refusal_severity``), an unparseable disparity ``medium``, length and sentiment ``low``
(indicators). All are ``significant`` evidence; differences that are not significant are shown
in the tables only.

Fails example: a model refusing 25% of prompts with a male-cue name against 0% with a
female-cue name (60 base cases, 15 discordant pairs, exact McNemar p = 6e-5): high.

References: Bertrand & Mullainathan (2004), AER 94(4): 991-1013; Hutto & Gilbert (2014), "VADER:
A Parsimonious Rule-based Model for Sentiment Analysis of Social Media Text", ICWSM;
EU AI Act Art. 10(2)(f)-(g); Colorado SB 24-205.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ..check import check
from ..fairness.options import SeverityName
from ..findings import Evidence, Finding, Severity, Table
from ..generative.interactions import ReadOptions
from ..options import Level, Ratio, Share, check_domains

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from ..context import Context
    from ..generative.interactions import Interactions

VADER_HINT = "not measured: pip install 'auditor[generative]' (vadersentiment) to measure it"


@dataclass(frozen=True)
class Options(ReadOptions):
    alpha: Share = 0.05
    confidence: Level = 0.95
    min_rate_difference: Share = 0.05
    min_length_ratio: Ratio = 0.1
    min_sentiment_difference: Share = 0.1
    sentiment: Literal["auto", "off"] = "auto"
    intersections: Literal["all", "none"] = "all"
    refusal_severity: SeverityName = "high"
    unparseable_severity: SeverityName = "medium"
    indicator_severity: SeverityName = "low"

    def __post_init__(self) -> None:
        check_domains(self)


def _validate(ctx: Context, o: Options) -> None:
    from ..generative.interactions import validate_interactions

    validate_interactions(ctx, o)


def sentiment_scores(texts: pd.Series) -> pd.Series | None:
    """VADER compound score per text (computed once per unique text), or None when VADER is
    not installed."""
    import numpy as np
    import pandas as pd

    try:
        module: Any = importlib.import_module("vaderSentiment.vaderSentiment")
    except ImportError:
        return None
    analyzer = module.SentimentIntensityAnalyzer()
    present = texts.dropna().astype(str)
    uniq = pd.unique(present)
    scores = {t: float(analyzer.polarity_scores(t)["compound"]) for t in uniq}
    return texts.map(lambda t: scores.get(str(t), np.nan) if isinstance(t, str) else np.nan)


def _mean_ci(x: np.ndarray, confidence: float) -> tuple[float, float | None, float | None]:
    import numpy as np
    from scipy import stats

    x = x[np.isfinite(x)]
    if x.size == 0:
        return math.nan, None, None
    m = float(x.mean())
    if x.size < 2:
        return m, None, None
    half = float(stats.norm.ppf(0.5 + confidence / 2) * x.std(ddof=1) / math.sqrt(x.size))
    return m, m - half, m + half


@dataclass(frozen=True)
class _Cmp:
    group: str
    reference: str
    method: str
    n_pairs: int
    p_value: float
    p_adjusted: float


def _paired(
    inter: Interactions, column: str, values: pd.Series, names: list[str], ref: int, binary: bool
) -> dict[str, _Cmp]:
    import numpy as np

    from ..generative.interactions import case_rates
    from ..generative.paired import holm, mcnemar, wilcoxon_paired

    f = inter.frame
    if not inter.paired:
        return {}
    k, n, _ = case_rates(f["case"], f[column], values.to_numpy(dtype=float), names)
    raw: dict[str, tuple[str, int, float]] = {}
    for j, g in enumerate(names):
        if j == ref:
            continue
        both = (n[:, j] > 0) & (n[:, ref] > 0)
        if binary and both.any() and n[both][:, [j, ref]].max() == 1:
            a, b = k[both, j], k[both, ref]
            _, p, method = mcnemar(
                int(((a == 1) & (b == 0)).sum()), int(((a == 0) & (b == 1)).sum())
            )
            raw[g] = (f"mcnemar ({method})", int(both.sum()), p)
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                w = wilcoxon_paired(k[both, j] / n[both, j], k[both, ref] / n[both, ref])
            raw[g] = ("wilcoxon signed-rank", w.n_pairs, w.p_value)
    adjusted = holm([p for _, _, p in raw.values()])
    return {
        g: _Cmp(g, names[ref], m, n_pairs, p, a)
        for (g, (m, n_pairs, p)), a in zip(raw.items(), adjusted, strict=True)
    }


def _features(inter: Interactions, intersections: str) -> list[tuple[str, str]]:
    out = [(a, a) for a in inter.attributes]
    if len(inter.attributes) > 1 and intersections == "all":
        out.append(("×".join(inter.attributes), "group"))
    return out


@check(
    "GEN002",
    "response-disparity",
    severity=Severity.MEDIUM,
    options=Options,
    references=(
        "https://www.aeaweb.org/articles?id=10.1257/0002828042002561",
        "https://ojs.aaai.org/index.php/ICWSM/article/view/14550",
        "https://eur-lex.europa.eu/eli/reg/2024/1689/oj (Art. 10(2)(f)-(g))",
        "https://leg.colorado.gov/bills/sb24-205",
    ),
    requires=("sensitive",),
    validate=_validate,
)
def response_disparity(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    import numpy as np

    from ..fairness.intervals import wilson
    from ..generative.interactions import shared_interactions

    o = options
    inter = shared_interactions(ctx, o)
    f = inter.frame
    answered = f["status"].ne("excluded")
    refusal = f["status"].eq("refusal").astype(float).where(answered)
    unparseable = f["status"].eq("unparseable").astype(float).where(answered)
    length = f["length"].astype(float)
    sentiment = None
    if o.sentiment == "auto":
        ctx_texts = ctx.dataset[o.response_column].where(answered)
        sentiment = sentiment_scores(ctx_texts)
    rows: list[dict[str, Any]] = []
    findings: list[Finding] = []
    for label, col in _features(inter, o.intersections):
        names = sorted({str(g) for g in f[col] if str(g) != "(missing)"})
        if len(names) < 2:
            continue
        stats_by: dict[str, dict[str, Any]] = {}
        for g in names:
            m = (f[col] == g).to_numpy()
            n_ans = int(answered[m].sum())
            r = {"feature": label, "group": g, "n": int(m.sum()), "answered": n_ans}
            for name, series in (("refusal", refusal), ("unparseable", unparseable)):
                k = float(np.nansum(series[m]))
                lo, hi = wilson(np.array([k]), np.array([float(n_ans)]), o.confidence)
                r[f"{name}_rate"] = k / n_ans if n_ans else None
                r[f"{name}_ci_low"] = float(lo[0]) if n_ans else None
                r[f"{name}_ci_high"] = float(hi[0]) if n_ans else None
            mean, lo_, hi_ = _mean_ci(length[m].to_numpy(dtype=float), o.confidence)
            r.update(mean_length=mean if math.isfinite(mean) else None, length_ci_low=lo_,
                     length_ci_high=hi_)  # fmt: skip
            if sentiment is not None:
                mean, lo_, hi_ = _mean_ci(sentiment[m].to_numpy(dtype=float), o.confidence)
                r.update(sentiment=mean if math.isfinite(mean) else None, sentiment_ci_low=lo_,
                         sentiment_ci_high=hi_)  # fmt: skip
            else:
                r["sentiment"] = VADER_HINT if o.sentiment == "auto" else "not measured (off)"
            stats_by[g] = r
        metrics: list[tuple[str, pd.Series, bool, str]] = [
            ("refusal", refusal, True, "refusal_rate"),
            ("unparseable", unparseable, True, "unparseable_rate"),
            ("length", length, False, "mean_length"),
        ]
        if sentiment is not None:
            metrics.append(("sentiment", sentiment, False, "sentiment"))
        for metric, series, binary, key in metrics:
            vals = [stats_by[g][key] for g in names]
            finite = [
                (v, i) for i, v in enumerate(vals) if isinstance(v, float) and math.isfinite(v)
            ]
            if len(finite) < 2:
                continue
            ref = min(finite)[1] if binary else max(finite)[1]
            tests = _paired(inter, col, series, names, ref, binary)
            for g, t in tests.items():
                stats_by[g][f"{metric}_reference"] = t.reference
                stats_by[g][f"{metric}_p_adjusted"] = t.p_adjusted
                finding = _finding(metric, label, stats_by[g], stats_by[t.reference], t, key, o)
                if finding is not None:
                    findings.append(finding)
        rows.extend(stats_by[g] for g in names)
    yield Table(
        "responses",
        tuple(rows),
        "Per group: refusal and unparseable rates over answered prompts (Wilson intervals), mean "
        "response length in characters and mean VADER compound sentiment (normal intervals; an "
        "indicator, English only); *_p_adjusted = paired test against *_reference, Holm-corrected",
    )
    yield from findings


def _finding(
    metric: str,
    feature: str,
    row: dict[str, Any],
    ref: dict[str, Any],
    t: _Cmp,
    key: str,
    o: Options,
) -> Finding | None:
    a, b = row[key], ref[key]
    if a is None or b is None or not math.isfinite(t.p_adjusted) or t.p_adjusted >= o.alpha:
        return None
    g, r = row["group"], ref["group"]
    tail = (
        f"(paired {t.method} over {t.n_pairs:,} base cases, p = {t.p_adjusted:.2g} Holm-adjusted)"
    )
    if metric in ("refusal", "unparseable"):
        if a - b < o.min_rate_difference:
            return None
        what = "refuses" if metric == "refusal" else "gives an unreadable answer to"
        msg = (
            f"The model {what} {a:.0%} of prompts cued {feature}={g} (95% CI "
            f"{row[f'{metric}_ci_low']:.0%}-{row[f'{metric}_ci_high']:.0%}; {row['answered']:,} "
            f"answered) against {b:.0%} for {feature}={r} ({ref['answered']:,} answered) {tail}."
        )
        sev = o.refusal_severity if metric == "refusal" else o.unparseable_severity
    elif metric == "length":
        if b <= 0 or (b - a) / b < o.min_length_ratio:
            return None
        msg = (
            f"Answers to prompts cued {feature}={g} are {(b - a) / b:.0%} shorter on average "
            f"({a:.0f} vs {b:.0f} characters; {row['answered']:,} and {ref['answered']:,} "
            f"answers) than for {feature}={r} {tail}."
        )
        sev = o.indicator_severity
    else:
        if b - a < o.min_sentiment_difference:
            return None
        msg = (
            f"Answers to prompts cued {feature}={g} are more negative by VADER sentiment "
            f"(mean compound {a:.2f} vs {b:.2f} for {feature}={r}) {tail}; an indicator, not a "
            "verdict."
        )
        sev = o.indicator_severity
    return Finding(
        message=msg,
        location=f"feature:{feature}",
        discriminator=f"{metric}:{g}",
        severity=Severity.parse(sev),
        evidence_level=Evidence.SIGNIFICANT,
        evidence={
            "metric": metric,
            "group": g,
            "reference_group": r,
            "value": a,
            "reference_value": b,
            "test": t.method,
            "n_pairs": t.n_pairs,
            "p_value": t.p_value,
            "p_adjusted": t.p_adjusted,
        },
        recommendation=(
            "Read the answers of this group (masked) and review the prompt and system "
            "instructions; a refusal or parse-failure disparity also biases GEN001's rates."
        ),
    )
