"""Metric names as cards write them (``Accuracy``, ``F1 score``, ``recall``, ``AUC``, ``disparate impact``)
mapped to the names the fairness measurements use (``accuracy``, ``f1``, ``tpr``, ``roc_auc``, ``impact_ratio``)."""

from __future__ import annotations

import re

__all__ = ["FAIRNESS_METRICS", "GROUP_COLUMNS", "PERFORMANCE_METRICS", "canonical_metric"]

PERFORMANCE_METRICS = {
    "accuracy": ("accuracy", "acc", "classification accuracy"),
    "precision": ("precision", "ppv", "positive predictive value"),
    "tpr": ("tpr", "recall", "sensitivity", "true positive rate", "hit rate"),
    "fpr": ("fpr", "false positive rate", "fall out"),
    "tnr": ("tnr", "specificity", "true negative rate"),
    "fnr": ("fnr", "false negative rate", "miss rate"),
    "f1": ("f1", "f1 score", "f1-score", "f measure", "f-1"),
    "selection_rate": ("selection rate", "positive rate", "selection_rate"),
    "base_rate": ("base rate", "prevalence"),
    "roc_auc": ("roc auc", "auc", "roc_auc", "auroc", "area under the roc curve", "roc auc score"),
    "brier": ("brier", "brier score", "brier loss"),
}
FAIRNESS_METRICS = {
    "impact_ratio": ("impact ratio", "disparate impact", "adverse impact ratio", "disparate impact ratio",
                     "selection rate ratio", "four fifths ratio"),
    "demographic_parity_ratio": ("demographic parity ratio", "statistical parity ratio"),
    "demographic_parity_difference": ("demographic parity difference", "statistical parity difference"),
    "equalized_odds_difference": ("equalized odds difference", "equalised odds difference"),
    "equal_opportunity_difference": ("equal opportunity difference", "tpr difference"),
}  # fmt: skip
# metrics that a ``groups`` table row carries per group
GROUP_COLUMNS = ("selection_rate", "impact_ratio", "tpr", "fpr", "precision", "accuracy", "base_rate",
                 "tnr", "fnr")  # fmt: skip

_SYNONYMS: dict[str, str] = {}
for _canon, _names in (*PERFORMANCE_METRICS.items(), *FAIRNESS_METRICS.items()):
    for _n in (_canon, *_names):
        _SYNONYMS[re.sub(r"[^a-z0-9]+", " ", _n.lower()).strip()] = _canon


def canonical_metric(name: str) -> str | None:
    """``"F1 score"`` -> ``"f1"``; None when the metric is not one auditor measures."""
    key = re.sub(r"[^a-z0-9]+", " ", str(name).lower()).strip()
    if key in _SYNONYMS:
        return _SYNONYMS[key]
    key = re.sub(r"\b(score|overall|test|val|validation|eval|binary|weighted|micro)\b", " ", key)
    key = " ".join(key.split())
    return _SYNONYMS.get(key)
