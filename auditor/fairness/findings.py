"""Findings the group checks share: impact ratios below threshold, failed disparities, thin evidence."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..findings import Finding, Severity
from .tables import GroupDetail

__all__ = ["disparity_findings", "impact_findings", "insufficient_findings", "location"]


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


def disparity_findings(rows: Sequence[Mapping[str, Any]], recommendation: str) -> Iterator[Finding]:
    for row in rows:
        if row["status"] != "fail":
            continue
        ratio = row["metric"].endswith(("_ratio", "_ratio_mean"))
        side = "below" if ratio else "above"
        yield Finding(
            message=(
                f"{row['feature']}: {row['metric']} = {row['value']:.3f} is {side} the threshold "
                f"{row['threshold']:.2f}"
            ),
            location=location(row["feature"]),
            evidence={k: row[k] for k in ("metric", "value", "ci_low", "ci_high", "threshold")},
            discriminator=row["metric"],
            recommendation=recommendation,
        )


def insufficient_findings(rows: Sequence[Mapping[str, Any]], what: str) -> Iterator[Finding]:
    """One low-severity finding per feature where some groups could not be assessed."""
    by_feature: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        if row.get("status") == "insufficient_evidence":
            by_feature.setdefault(row["feature"], []).append(row)
    for feature, bad in by_feature.items():
        names = [str(r.get("group", r.get("metric"))) for r in bad]
        why = "fewer than two groups with enough rows and a defined rate"
        listed = "; ".join(
            f"{n}: {r.get('note') or why}" for n, r in zip(names[:5], bad, strict=False)
        )
        yield Finding(
            message=(
                f"{feature}: {len(bad)} {what} could not be assessed (insufficient evidence: "
                f"{listed}"
                f"{'; ...' if len(bad) > 5 else ''}); this is not a pass"
            ),
            location=location(feature),
            evidence={"items": names, "notes": [r.get("note") for r in bad]},
            discriminator=f"insufficient:{what}",
            severity=Severity.LOW,
            recommendation=(
                "Collect more data for these groups, lower min_group_size with a documented "
                "reason, or merge categories; report them as not assessed."
            ),
        )
