"""The fairness family's vocabulary, in pure Python: metric names, reference strategies, the
values read as an unknown group, and which columns a list of groupings uses.

No numpy or pandas here: :mod:`auditor.fairness.options` (the options every FAIR check declares)
builds on it, so ``auditor checks`` lists the checks without importing the numeric stack, and
the lazy-engine modules share :func:`columns_of` with the in-memory path.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "DEFAULT_UNKNOWN",
    "DIFFERENCE_METRICS",
    "DISPARITY_METRICS",
    "RATIO_METRICS",
    "SPECIAL",
    "STRATEGIES",
    "columns_of",
]

#: Values treated as an unknown category (compared after strip + lower-case), besides NaN/None.
DEFAULT_UNKNOWN: tuple[str, ...] = ("", "unknown", "nan", "none", "n/a", "not disclosed")

#: reference-group strategies (``reference`` option)
STRATEGIES = ("max_rate", "privileged", "majority", "overall")

# metric -> (rates it compares, aggregation over the rates: "worst_case" or "mean")
DIFFERENCE_METRICS: dict[str, tuple[tuple[str, ...], str]] = {
    "demographic_parity_difference": (("selection_rate",), "worst_case"),
    "equalized_odds_difference": (("tpr", "fpr"), "worst_case"),
    "equalized_odds_difference_mean": (("tpr", "fpr"), "mean"),
    "equal_opportunity_difference": (("tpr",), "worst_case"),
    "predictive_parity_difference": (("precision",), "worst_case"),
    "accuracy_score_difference": (("accuracy",), "worst_case"),
    "false_negative_rate_difference": (("fnr",), "worst_case"),
    "false_positive_rate_difference": (("fpr",), "worst_case"),
    "base_rate_difference": (("base_rate",), "worst_case"),
}
RATIO_METRICS: dict[str, tuple[tuple[str, ...], str]] = {
    "demographic_parity_ratio": (("selection_rate",), "worst_case"),
    "equalized_odds_ratio": (("tpr", "fpr"), "worst_case"),
    "equalized_odds_ratio_mean": (("tpr", "fpr"), "mean"),
    "equal_opportunity_ratio": (("tpr",), "worst_case"),
    "predictive_parity_ratio": (("precision",), "worst_case"),
    "accuracy_score_ratio": (("accuracy",), "worst_case"),
    "base_rate_ratio": (("base_rate",), "worst_case"),
}
SPECIAL = ("average_odds_difference",)
DISPARITY_METRICS: tuple[str, ...] = (*DIFFERENCE_METRICS, *RATIO_METRICS, *SPECIAL)


def columns_of(groups: Sequence[tuple[str, ...]]) -> list[str]:
    """The sensitive columns a list of groupings uses, in first-use order."""
    return list(dict.fromkeys(c for g in groups for c in g))
