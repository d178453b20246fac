"""Findings the group checks share: impact ratios below threshold, failed disparities, thin evidence."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..findings import Finding, Severity
from .ll144 import FLAG_STATUS
from .tables import GroupDetail

__all__ = ["disparity_findings", "impact_findings", "insufficient_findings", "location"]


#: statuses of a row that was compared (against a threshold, reported as measured, or flagged
#: against the EEOC reference by LL144)
ASSESSED = ("pass", "fail", "reported", FLAG_STATUS)


def location(feature: str, group: str | None = None) -> str:
    return f"feature:{feature}" + (f"/group:{group}" if group is not None else "")


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.1%}"


def impact_findings(
    details: Sequence[GroupDetail],
    *,
    fail_status: str,
    rate_label: str,
    threshold: float | None,
    reference_label: str,
    recommendation: str,
    severity: Severity | None = None,
) -> Iterator[Finding]:
    """One finding per group whose status is ``fail_status``."""
    for d in details:
        row = d.row
        if row["status"] != fail_status:
            continue
        rate_key = "scoring_rate" if "scoring_rate" in row else "selection_rate"
        rate = row.get(rate_key) if row.get(rate_key) is not None else row.get("base_rate")
        low, high = d.ratio_ci
        yield Finding(
            message=(
                f"{row['feature']}={row['group']}: {rate_label} {_pct(rate)} is "
                f"{row['impact_ratio']:.3f} of {row['reference_group']} ({_pct(d.reference_rate)}), "
                f"below {reference_label} ({threshold:.2f})"
            ),
            location=location(row["feature"], row["group"]),
            evidence={
                "n": row["n"],
                "rate": rate,
                "reference_group": row["reference_group"],
                "reference_rate": d.reference_rate,
                "impact_ratio": row["impact_ratio"],
                "impact_ratio_ci": [low, high],
                "threshold": threshold,
                "rate_ci": [row["ci_low"], row["ci_high"]],
                "p_value": row["p_value"],
                "z_test_p_value": d.z_p,
                "fisher_exact_p_value": d.fisher_p,
            },
            discriminator="impact_ratio",
            severity=severity,
            recommendation=recommendation,
        )


def _disparity_message(row: Mapping[str, Any]) -> str:
    metric, value, thr = row["metric"], row["value"], row["threshold"]
    if metric.endswith(("_ratio", "_ratio_mean")):
        return f"{row['feature']}: {metric} = {value:.3f} is below the threshold {thr:.2f}"
    if value < 0:  # signed (average_odds_difference): the absolute value is compared
        return (
            f"{row['feature']}: |{metric}| = {abs(value):.3f} exceeds {thr:.2f} (value {value:.3f})"
        )
    return f"{row['feature']}: {metric} = {value:.3f} is above the threshold {thr:.2f}"


def disparity_findings(rows: Sequence[Mapping[str, Any]], recommendation: str) -> Iterator[Finding]:
    for row in rows:
        if row["status"] != "fail":
            continue
        yield Finding(
            message=_disparity_message(row),
            location=location(row["feature"]),
            evidence={k: row[k] for k in ("metric", "value", "ci_low", "ci_high", "threshold")},
            discriminator=row["metric"],
            recommendation=recommendation,
        )


def insufficient_findings(
    rows: Sequence[Mapping[str, Any]], what: str, severity: Severity = Severity.LOW
) -> Iterator[Finding]:
    """One finding per feature where some groups (or metrics) could not be assessed.

    Low severity by default: a thin group is a limit of the evidence, not a failure. A pack that
    wants "not assessable" to block the gate raises ``severity`` (the checks' option
    ``insufficient_evidence_severity``). When nothing of the feature could be assessed the
    message says so.
    """
    by_feature: dict[str, list[Mapping[str, Any]]] = {}
    assessed: dict[str, int] = {}
    for row in rows:
        status = str(row.get("status"))
        if status == "insufficient_evidence":
            by_feature.setdefault(row["feature"], []).append(row)
        elif status in ASSESSED:
            assessed[row["feature"]] = assessed.get(row["feature"], 0) + 1
    for feature, bad in by_feature.items():
        names = [str(r.get("group", r.get("metric"))) for r in bad]
        why = "fewer than two groups with enough rows and a defined rate"
        listed = "; ".join(
            f"{n}: {r.get('note') or why}" for n, r in zip(names[:5], bad, strict=False)
        )
        more = "; ..." if len(bad) > 5 else ""
        head = (
            f"{len(bad)} {what} could not be assessed"
            if assessed.get(feature)
            else f"none of the {len(bad)} {what} could be assessed"
        )
        yield Finding(
            message=(
                f"{feature}: {head} (insufficient evidence: {listed}{more}); this is not a pass"
            ),
            location=location(feature),
            evidence={
                "items": names,
                "notes": [r.get("note") for r in bad],
                "assessed": assessed.get(feature, 0),
            },
            discriminator=f"insufficient:{what}",
            severity=severity,
            recommendation=(
                "Collect more data for these groups, lower min_group_size with a documented "
                "reason, or merge categories; report them as not assessed."
            ),
        )
