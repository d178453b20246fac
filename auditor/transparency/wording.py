"""Plain-language words for transparency findings ("The model card claims an accuracy of 0.91;
the audit measured 0.746 on 2,000 rows (tolerance 0.02).").

The technical reading (field keys, locations, differences) stays in the claim's ``message``,
which becomes the finding's ``detail``; the headline built from these words is its ``message``.
"""

from __future__ import annotations

from ..text import join, plural

__all__ = [
    "OPERATOR_WORDS",
    "document_name",
    "join",
    "metric_phrase",
    "number",
    "numbers",
    "plural",
    "short_hash",
]

# metric names with their article, as a sentence uses them ("claims an accuracy of 0.91")
_METRICS = {
    "accuracy": "an accuracy",
    "precision": "a precision (share of selected rows with a positive label)",
    "tpr": "a true positive rate (recall)",
    "fpr": "a false positive rate",
    "tnr": "a true negative rate",
    "fnr": "a false negative rate",
    "f1": "an F1 score",
    "selection_rate": "a selection rate",
    "base_rate": "a base rate (share of positive labels)",
    "roc_auc": "a ROC AUC",
    "brier": "a Brier score",
    "impact_ratio": "an impact ratio",
    "demographic_parity_ratio": "a demographic parity ratio",
    "demographic_parity_difference": "a demographic parity difference",
    "equalized_odds_difference": "an equalized odds difference",
    "equal_opportunity_difference": "an equal opportunity difference",
}
OPERATOR_WORDS = {">=": "at least ", ">": "more than ", "<=": "at most ", "<": "less than "}


def metric_phrase(metric: str) -> str:
    """``tpr`` -> ``a true positive rate (recall)``; an unknown name keeps its spelling."""
    if metric in _METRICS:
        return _METRICS[metric]
    name = str(metric).replace("_", " ")
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def document_name(location: str) -> str:
    """``card:model_card.yaml:12`` -> ``model card``; ``datasheet:...`` -> ``datasheet``."""
    return "datasheet" if str(location).startswith("datasheet") else "model card"


def numbers(a: float, b: float) -> tuple[str, str]:
    """Two numbers at the same precision: three significant digits, more when both would print
    the same (a claim of 0.8504 and a measurement of 0.85 must not both read 0.85)."""
    for digits in (3, 4, 5, 6):
        x, y = f"{a:.{digits}g}", f"{b:.{digits}g}"
        if x != y:
            return x, y
    return f"{a:.6g}", f"{b:.6g}"


def number(value: float) -> str:
    """``0.7455`` -> ``0.746``: three significant digits."""
    return f"{value:.3g}"


def short_hash(value: object) -> str:
    """The first 12 characters of a digest, for a sentence (the full one is in the evidence)."""
    text = str(value).strip()
    text = text.split(":", 1)[1] if text.lower().startswith(("sha256:", "sha-256:")) else text
    return f"{text[:12]}…" if len(text) > 12 else text
