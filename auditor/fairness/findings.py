"""The group checks' findings: one per subject (a feature or an intersection), in plain words.

A subject's finding names the groups and the metrics beyond their thresholds (worst first, the
statistically significant ones before the rest), says in its headline what that means for people
("Women are selected at 62% of men's rate ..."), states the evidence (significant, inconclusive,
degenerate; see :mod:`auditor.fairness.assess`) and what would settle an open question. Groups
that could not be assessed (too small, undefined rate) are listed in the same finding; a subject
with nothing beyond its thresholds but unassessable groups gets one low "could not be assessed"
finding. The per-group and per-metric numbers are in the evidence and the tables, never separate
findings.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..findings import Evidence, Finding, Severity
from .assess import Breach
from .disparity import RATIO_METRICS, is_ratio
from .encode import MISSING_GROUP
from .wording import (
    count_phrase,
    group_name,
    pct,
    possessive,
    ratio_pct,
    sentence,
    short_name,
    threshold_phrase,
)

__all__ = ["Wording", "location", "subject_findings"]

#: statuses of a row that was compared (against a threshold, or as measured)
ASSESSED = ("pass", "fail", "reported", "inconclusive", "below_eeoc_four_fifths")
#: the order metrics are explained in when several are beyond their threshold
METRIC_ORDER = (
    "equal_opportunity_ratio", "equal_opportunity_difference", "equalized_odds_ratio",
    "equalized_odds_difference", "false_positive_rate_difference",
    "false_negative_rate_difference", "equalized_odds_ratio_mean",
    "equalized_odds_difference_mean", "average_odds_difference", "predictive_parity_ratio",
    "predictive_parity_difference", "accuracy_score_ratio", "accuracy_score_difference",
    "demographic_parity_ratio", "demographic_parity_difference", "base_rate_ratio",
    "base_rate_difference",
)  # fmt: skip
RANK = {Evidence.SIGNIFICANT: 0, Evidence.INCONCLUSIVE: 1, Evidence.DEGENERATE: 2}


def location(feature: str, group: str | None = None) -> str:
    return f"feature:{feature}" + (f"/group:{group}" if group is not None else "")


@dataclass(frozen=True)
class Wording:
    """How a check's comparisons read: ``kind`` is ``selection`` (decisions), ``scoring``
    (scores above a cut), ``base_rate`` (labels in the data), ``errors`` (error rates) or
    ``ll144`` (the LL144 table's EEOC flag); ``target`` and ``positive`` name the label."""

    kind: str
    reference: str = "max_rate"
    target: str | None = None
    positive: Any = None
    mitigation: str = ""


#: kind -> (present tense, past tense for "none of them ...", the rate's name); the present
#: tense is plural ("women are selected"), made singular for "the X group" by :func:`_singular`
VERB = {
    "selection": ("are selected", "were selected", "selection rate"),
    "ll144": ("are selected", "were selected", "selection rate"),
    "scoring": ("score above the median", "scored above the median", "scoring rate"),
    "base_rate": ("have the favourable label", "had the favourable label", "base rate"),
}
_SINGULAR = {"are": "is", "have": "has", "score": "scores", "were": "was"}


def _singular(verb: str) -> str:
    first, _, rest = verb.partition(" ")
    return " ".join(x for x in (_SINGULAR.get(first, first), rest) if x)


def _conj(who: str, verb: str) -> str:
    """``the X group`` is one subject: ``is selected``; ``women are selected``."""
    return _singular(verb) if who.startswith("the ") and who.endswith(" group") else verb


def _label(w: Wording, has: bool = True) -> str:
    """``qualified = 1`` (or ``qualified ≠ 1`` for the people without the favourable label)."""
    if w.target is None:
        return "the favourable outcome" if has else "not the favourable outcome"
    return f"{w.target} {'=' if has else '≠'} {w.positive}"


def _verbs(w: Wording, scoring_words: tuple[str, str, str] | None) -> tuple[str, str, str]:
    present, past, noun = scoring_words or VERB.get(w.kind, VERB["selection"])
    if w.kind == "base_rate":
        present, past = f"{present} ({_label(w)})", f"{past} ({_label(w)})"
    return present, past, noun


def _group_headline(
    b: Breach, w: Wording, scoring_words: tuple[str, str, str] | None, level: str = "95%"
) -> str:
    row, det = b.row, b.detail
    present, past, _ = _verbs(w, scoring_words)
    who = group_name(b.feature, b.name)
    ref = str(row.get("reference_group"))
    overall = ref == "(overall)"
    ref_name = "everyone" if overall else group_name(b.feature, ref)
    rate_key = next(
        (k for k in ("scoring_rate", "selection_rate") if row.get(k) is not None), "base_rate"
    )
    rate, ref_rate = row.get(rate_key), det.reference_rate if det is not None else None
    n = int(row.get("n") or 0)
    if rate == 0:
        people = f"{n:,} people in {who}" if who.startswith("the ") else f"{n:,} {who}"
        return sentence(f"none of the {people} {past}, against {pct(ref_rate)} of {ref_name}")
    low, high = det.ratio_ci if det is not None else (None, None)
    ci = (
        f"{level} CI {ratio_pct(low).rstrip('%')}–{ratio_pct(high)}; "
        if low is not None and high is not None
        else ""
    )
    counts = count_phrase(n, who)
    if det is not None and det.counts:
        n_ref = int(det.counts[3])
        counts += f" and {n_ref:,} others" if overall else f", {count_phrase(n_ref, ref_name)}"
    rate_of = "the overall rate" if overall else f"{possessive(ref_name)} rate"
    return sentence(
        f"{who} {_conj(who, present)} at {ratio_pct(row.get('impact_ratio'))} of {rate_of} "
        f"({pct(rate)} vs {pct(ref_rate)}; {ci}{counts})"
    )


def _rate_extremes(
    rows: Sequence[Mapping[str, Any]], rate: str, min_n: int = 0
) -> tuple[Mapping[str, Any], Mapping[str, Any]] | None:
    """The groups with the lowest and highest ``rate`` among those a disparity metric compares
    (not excluded, at least ``min_n`` people, a defined rate)."""
    ok = [
        r
        for r in rows
        if r.get(rate) is not None and not r.get("excluded") and int(r.get("n") or 0) >= min_n
    ]
    if len(ok) < 2:
        return None
    lo = min(ok, key=lambda r: r[rate])
    hi = max(ok, key=lambda r: r[rate])
    return lo, hi


def _positives(row: Mapping[str, Any]) -> int:
    return round(float(row.get("base_rate") or 0) * int(row.get("n") or 0))


def _metric_headline(
    b: Breach,
    rows: Sequence[Mapping[str, Any]],
    w: Wording,
    min_n: int = 0,
    scoring_words: tuple[str, str, str] | None = None,
) -> str:
    metric = b.name
    feature = b.feature
    if is_ratio(metric):
        rates: tuple[str, ...] = RATIO_METRICS[metric][0]
    else:
        from .disparity import DIFFERENCE_METRICS

        rates = DIFFERENCE_METRICS.get(metric, (("tpr", "fpr"), ""))[0]
    if rates == ("selection_rate",) and any(r.get("scoring_rate") is not None for r in rows):
        rates = ("scoring_rate",)
    # equalized odds: the component with the larger gap
    best: tuple[float, str] | None = None
    for rate in rates:
        ext = _rate_extremes(rows, rate, min_n)
        if ext is None:
            continue
        lo, hi = ext
        gap = float(hi[rate]) - float(lo[rate])
        if best is None or gap > best[0]:
            best = (gap, rate)
    value = b.row.get("value")
    thr = b.row.get("threshold")
    shown = str(b.row.get("metric", metric)).replace("_", " ")
    what = f"{shown} {value:.3f}" if isinstance(value, (int, float)) else shown
    if best is None:
        return sentence(f"{feature}: {what} is beyond the policy's threshold ({thr})")
    rate = best[1]
    ext = _rate_extremes(rows, rate, min_n)
    assert ext is not None
    lo, hi = ext
    lo_name, hi_name = group_name(feature, str(lo["group"])), group_name(feature, str(hi["group"]))
    label = _label(w)
    if rate == "tpr":
        text = (
            f"of the people with the favourable label ({label}), {pct(lo[rate])} of {lo_name} "
            f"are selected against {pct(hi[rate])} of {hi_name} (true positive rate; "
            f"{_positives(lo):,} and {_positives(hi):,} people with the label)"
        )
    elif rate == "fpr":
        text = (
            f"of the people without the favourable label ({_label(w, False)}), {pct(hi[rate])} of {hi_name} "
            f"are selected against {pct(lo[rate])} of {lo_name} (false positive rate; "
            f"{int(hi['n']) - _positives(hi):,} and {int(lo['n']) - _positives(lo):,} people "
            "without the label)"
        )
    elif rate == "fnr":
        text = (
            f"of the people with the favourable label ({label}), {pct(hi[rate])} of {hi_name} "
            f"are rejected against {pct(lo[rate])} of {lo_name} (false negative rate)"
        )
    elif rate == "precision":
        text = (
            f"of the people selected, {pct(lo[rate])} of {lo_name} have the favourable label "
            f"({label}) against {pct(hi[rate])} of {hi_name} (precision)"
        )
    elif rate == "accuracy":
        text = (
            f"the predictions are right for {pct(lo[rate])} of {lo_name} against "
            f"{pct(hi[rate])} of {hi_name} (accuracy; {int(lo['n']):,} and {int(hi['n']):,} people)"
        )
    elif rate == "selection_rate":
        text = (
            f"{pct(lo[rate])} of {lo_name} are selected against {pct(hi[rate])} of {hi_name} "
            f"({int(lo['n']):,} and {int(hi['n']):,} people)"
        )
    elif rate == "scoring_rate":
        verb = scoring_words[0] if scoring_words else "score above the cut"
        text = (
            f"{pct(lo[rate])} of {lo_name} {verb} against {pct(hi[rate])} of "
            f"{hi_name} ({int(lo['n']):,} and {int(hi['n']):,} people)"
        )
    elif rate == "base_rate":
        text = (
            f"in the data, {pct(lo[rate])} of {lo_name} have the favourable label ({label}) "
            f"against {pct(hi[rate])} of {hi_name} ({int(lo['n']):,} and {int(hi['n']):,} people)"
        )
    else:
        text = f"{rate.replace('_', ' ')} is {pct(lo[rate])} for {lo_name} and {pct(hi[rate])} for {hi_name}"
    return sentence(text)


def _metric_text(b: Breach, level: str = "95%") -> str:
    row = b.row
    low, high = row.get("ci_low"), row.get("ci_high")
    ci = f", {level} CI {low:.3f}–{high:.3f}" if low is not None and high is not None else ""
    p = row.get("p_adjusted")
    pt = f", adjusted p {_p(p)}" if p is not None else ""
    name, value = str(row.get("metric", b.name)), float(row["value"])
    if is_ratio(b.name):
        text = f"{name} {value:.3f} < {row['threshold']:g}"
    elif value < 0:  # signed (average_odds_difference): its absolute value is compared
        text = f"|{name}| {abs(value):.3f} > {row['threshold']:g} (signed value {value:.3f})"
    else:
        text = f"{name} {value:.3f} > {row['threshold']:g}"
    return f"{text}{ci}{pt}: {b.evidence.value}"


def _p(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def _group_text(b: Breach, level: str = "95%") -> str:
    row = b.row
    ratio = row.get("impact_ratio")
    low, high = b.detail.ratio_ci if b.detail is not None else (None, None)
    ci = f", {level} CI {low:.3f}–{high:.3f}" if low is not None and high is not None else ""
    p = row.get("p_adjusted")
    pt = f", adjusted p {_p(p)}" if p is not None else ""
    return f"{b.name} (n={row.get('n')}): impact ratio {ratio:.3f}{ci}{pt}: {b.evidence.value}" + (
        f" ({b.reason})" if b.reason else ""
    )


def _order(b: Breach) -> tuple[Any, ...]:
    if b.kind == "group":
        return (RANK[b.evidence], 0, float(b.row.get("impact_ratio") or 0.0), b.name)
    idx = METRIC_ORDER.index(b.name) if b.name in METRIC_ORDER else len(METRIC_ORDER)
    return (RANK[b.evidence], 1, idx, b.name)


def _level(breaches: Sequence[Breach]) -> Evidence:
    return min((b.evidence for b in breaches), key=lambda e: RANK[e])


def _group_evidence(b: Breach) -> dict[str, Any]:
    row, det = b.row, b.detail
    rate_key = next(
        (k for k in ("scoring_rate", "selection_rate", "base_rate") if row.get(k) is not None), None
    )
    return {
        "group": b.name,
        "n": row.get("n"),
        "rate": row.get(rate_key) if rate_key else None,
        "reference_group": row.get("reference_group"),
        "reference_n": int(det.counts[3]) if det is not None and det.counts else None,
        "reference_rate": det.reference_rate if det is not None else None,
        "impact_ratio": row.get("impact_ratio"),
        "impact_ratio_ci": list(det.ratio_ci) if det is not None else [None, None],
        "p_value": row.get("p_value"),
        "z_test_p_value": det.z_p if det is not None else None,
        "fisher_exact_p_value": det.fisher_p if det is not None else None,
        **_judgement(b),
    }


def _judgement(b: Breach) -> dict[str, Any]:
    """What the test said of a breach, the same for a group and a metric."""
    return {
        "p_threshold": b.row.get("p_threshold"),
        "p_adjusted": b.row.get("p_adjusted"),
        "evidence": b.evidence.value,
        "counts_for_gate": b.blocking_basis,
        "reason": b.reason or None,
        "would_settle": b.settle or None,
    }


def _metric_evidence(b: Breach) -> dict[str, Any]:
    row = b.row
    return {
        "metric": b.name,
        "value": row.get("value"),
        "ci": [row.get("ci_low"), row.get("ci_high")],
        "threshold": row.get("threshold"),
        **_judgement(b),
    }


def _names(bs: Sequence[Breach], feature: str) -> str:
    names = [
        group_name(feature, b.name) if b.kind == "group" else b.name.replace("_", " ") for b in bs
    ]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _recommendation(breaches: Sequence[Breach], feature: str, w: Wording) -> str:
    out = []
    sig = [b for b in breaches if b.evidence is Evidence.SIGNIFICANT]
    inc = [b for b in breaches if b.evidence is Evidence.INCONCLUSIVE]
    deg = [b for b in breaches if b.evidence is Evidence.DEGENERATE]
    if sig:
        who = _names([b for b in sig if b.kind == "group"], feature) or f"the groups of {feature}"
        out.append(
            f"For {who}: {w.mitigation or 'find what drives the gap (features associated with ' + feature + ', see FAIR009), document a business-necessity review or mitigate (per-group thresholds, reweighing, retraining), then re-run the audit.'}"
        )
    settle = [b for b in inc if b.settle]
    if settle:
        items = "; ".join(
            f"{group_name(feature, b.name) if b.kind == 'group' else b.name}: {b.settle}"
            for b in settle[:4]
        )
        out.append(
            f"Not settled yet: collect more data before acting on these gaps ({items}), or merge small groups."
        )
    elif inc:
        out.append(
            "Not settled yet: the gaps may be noise; collect more data or merge small groups before acting on them."
        )
    if deg:
        out.append(
            "A ratio of 0 here rests on an empty cell ("
            + "; ".join(b.reason for b in deg[:2])
            + "): look at the counts rather than the ratio, or merge small groups."
        )
    return " ".join(out)


def _headline(
    mine: Sequence[Breach],
    rows: Sequence[Mapping[str, Any]],
    feature: str,
    level: Evidence,
    counts: bool,
    *,
    wording: Wording,
    threshold: float | None,
    decide_on: str,
    confidence: float,
    scoring_words: tuple[str, str, str] | None,
    min_group_size: int,
) -> str:
    """The finding's one sentence: the lead (worst) breach in plain words, the other groups
    below the threshold, and what the evidence allows one to conclude."""
    lead = mine[0]
    if lead.kind == "group":
        head = _group_headline(lead, wording, scoring_words, f"{confidence:.0%}")
        if wording.kind == "ll144" and threshold is not None:
            head += (
                f"; that is below the EEOC four-fifths reference ({ratio_pct(threshold)}), "
                "which LL144 itself does not use as a pass mark"
            )
        elif threshold is not None:
            head += f"; {threshold_phrase(threshold, wording.reference)}"
        others = [b for b in mine[1:] if b.kind == "group"]
        if others:
            listed = ", ".join(
                f"{short_name(feature, b.name)} {ratio_pct(b.row.get('impact_ratio'))}"
                for b in others[:3]
            )
            more = f" and {len(others) - 3} more" if len(others) > 3 else ""
            head += f". Also below: {listed}{more}"
    else:
        head = _metric_headline(lead, rows, wording, min_group_size, scoring_words)
        thr = lead.row.get("threshold")
        if thr is not None:
            head += (
                f"; the policy's limit is a ratio of {ratio_pct(thr)}"
                if is_ratio(lead.name)
                else f"; the policy allows a difference of {100 * float(thr):.0f} points"
            )
    if decide_on == "estimate" and wording.kind != "ll144":
        four_fifths = (
            threshold is not None
            and abs(threshold - 0.8) < 1e-12
            and wording.reference == "max_rate"
        )
        rule = "as 29 CFR 1607.4(D) does" if four_fifths else "as the policy says"
        if level is Evidence.SIGNIFICANT:
            head += f" (decided on the point estimate, {rule}; statistically significant too)"
        else:
            caveat = (
                "; the guidelines allow that a gap resting on small numbers may not be adverse "
                "impact"
                if four_fifths
                else ""
            )
            head += (
                f" (decided on the point estimate, {rule}; not statistically significant: "
                f"{lead.reason}{caveat})"
            )
    elif level is Evidence.INCONCLUSIVE:
        head += f", but this is not yet conclusive: {lead.reason}"
    elif level is Evidence.DEGENERATE:
        head += f", but the ratio is an artefact of an empty cell ({lead.reason})"
    if not counts and decide_on == "evidence" and level is not Evidence.SIGNIFICANT:
        head += " (not blocking)"
    return head + "."


def _detail(
    mine: Sequence[Breach],
    not_assessed: Sequence[Mapping[str, Any]],
    *,
    threshold: float | None,
    decide_on: str,
    tests: int,
    confidence: float,
) -> str:
    """The technical reading: every breach with its interval, adjusted p and evidence, what
    could not be assessed, and the decision basis."""
    level = f"{confidence:.0%}"
    group_bs = [b for b in mine if b.kind == "group"]
    metric_bs = [b for b in mine if b.kind == "metric"]
    parts = []
    if group_bs:
        ref = group_bs[0].row.get("reference_group")
        intro = (
            f"Impact ratios below {threshold:g} against {ref}: "
            if threshold is not None
            else "Groups: "
        )
        parts.append(intro + "; ".join(_group_text(b, level) for b in group_bs) + ".")
    if metric_bs:
        parts.append(
            "Metrics beyond their thresholds: "
            + "; ".join(_metric_text(b, level) for b in metric_bs)
            + "."
        )
    if not_assessed:
        listed = "; ".join(
            f"{x.get('group', x.get('metric'))} ({x.get('note')})" for x in not_assessed[:8]
        )
        parts.append(f"Not assessed: {listed}{'; ...' if len(not_assessed) > 8 else ''}.")
    if decide_on == "evidence":
        parts.append(
            f"Decided on the evidence (Holm correction over {tests} tests of this check, "
            f"alpha {1 - confidence:g})."
        )
    else:
        parts.append(
            "Decided on the point estimate (the rule of the policy); evidence shown for "
            "information."
        )
    return " ".join(parts)


def subject_findings(
    breaches: Sequence[Breach],
    groups: Sequence[Mapping[str, Any]],
    disparities: Sequence[Mapping[str, Any]],
    *,
    wording: Wording,
    tests: int,
    confidence: float,
    decide_on: str,
    threshold: float | None,
    inconclusive_severity: Severity,
    report_insufficient: bool = True,
    scoring_words: tuple[str, str, str] | None = None,
    breach_severity: Severity | None = None,
    min_group_size: int = 0,
) -> Iterator[Finding]:
    """One finding per subject (feature or intersection) with a breach or an unassessable
    group; severity: ``breach_severity`` (default: the check's) when a breach counts under
    ``decide_on``, else ``inconclusive_severity``."""
    features: list[str] = []
    for row in (*groups, *disparities):
        if str(row["feature"]) not in features:
            features.append(str(row["feature"]))
    alpha = 1 - confidence
    for feature in features:
        mine = sorted((b for b in breaches if b.feature == feature), key=_order)
        rows = [r for r in groups if r["feature"] == feature]
        unassessed = [
            r
            for r in rows
            if r.get("status") == "insufficient_evidence" and r.get("group") != MISSING_GROUP
        ]
        bad_metrics = [
            r
            for r in disparities
            if r["feature"] == feature and r.get("status") == "insufficient_evidence"
        ]
        not_assessed = [
            {"group": r["group"], "n": r.get("n"), "note": r.get("note")} for r in unassessed
        ] + [
            {
                "metric": r["metric"],
                "note": "fewer than two groups with enough rows and a defined rate",
            }
            for r in bad_metrics
        ]
        if not mine:
            if not_assessed and report_insufficient:
                yield _unassessed_finding(
                    feature, rows, unassessed, bad_metrics, not_assessed, inconclusive_severity
                )
            continue
        level = _level(mine)
        counts = any(b.blocking_basis for b in mine)
        head = _headline(
            mine, rows, feature, level, counts, wording=wording, threshold=threshold,
            decide_on=decide_on, confidence=confidence, scoring_words=scoring_words,
            min_group_size=min_group_size,
        )  # fmt: skip
        group_bs = [b for b in mine if b.kind == "group"]
        metric_bs = [b for b in mine if b.kind == "metric"]
        detail = _detail(
            mine, not_assessed, threshold=threshold, decide_on=decide_on, tests=tests,
            confidence=confidence,
        )  # fmt: skip
        yield Finding(
            message=head,
            location=location(feature),
            evidence={
                "evidence": level.value,
                "decided_on": decide_on,
                "counts_for_gate": counts,
                "tests": tests,
                "correction": "holm",
                "alpha": alpha,
                "threshold": threshold,
                "groups": [_group_evidence(b) for b in group_bs],
                "metrics": [_metric_evidence(b) for b in metric_bs],
                "not_assessed": not_assessed,
            },
            discriminator="parity",
            severity=breach_severity if counts else inconclusive_severity,
            recommendation=_recommendation(mine, feature, wording),
            detail=detail,
            evidence_level=level,
        )


def _unassessed_finding(
    feature: str,
    rows: Sequence[Mapping[str, Any]],
    unassessed: Sequence[Mapping[str, Any]],
    bad_metrics: Sequence[Mapping[str, Any]],
    not_assessed: list[dict[str, Any]],
    severity: Severity,
) -> Finding:
    assessed = sum(1 for r in rows if r.get("status") in ASSESSED or r.get("status") == "reference")
    names = ", ".join(f"{r['group']} ({r.get('n')})" for r in unassessed[:5])
    more = f" and {len(unassessed) - 5} more" if len(unassessed) > 5 else ""
    why = "too few people or an undefined rate"
    if any(str(r.get("note") or "").startswith("reference group") for r in unassessed):
        why = "too few people, an undefined rate, or a reference group too small to compare with"
    if unassessed and not assessed:
        head = (
            f"none of the {len(unassessed)} groups of {feature} could be assessed ({why}: "
            f"{names}{more}); this is not a pass."
        )
    elif unassessed:
        head = (
            f"{len(unassessed)} group{'s' if len(unassessed) != 1 else ''} of {feature} could not "
            f"be assessed ({why}: {names}{more}); this is not a pass."
        )
    else:
        head = (
            f"none of the {len(bad_metrics)} disparity metric{'s' if len(bad_metrics) != 1 else ''} "
            f"of {feature} could be computed (fewer than two groups with enough people and a "
            "defined rate); this is not a pass."
        )
    return Finding(
        message=sentence(head),
        location=location(feature),
        evidence={
            "evidence": Evidence.INCONCLUSIVE.value,
            "not_assessed": not_assessed,
            "assessed": assessed,
        },
        discriminator="parity",
        severity=severity,
        recommendation=(
            "Collect more data for these groups, lower min_group_size with a documented reason, or "
            "merge categories; until then report them as not assessed."
        ),
        detail="Not assessed: "
        + "; ".join(
            f"{x.get('group', x.get('metric'))}: {x.get('note')}" for x in not_assessed[:10]
        )
        + ".",
        evidence_level=Evidence.INCONCLUSIVE,
    )
