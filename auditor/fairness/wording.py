"""Plain-language names and numbers for fairness findings ("Women are selected at 62% of men's rate").

Groups are named the way a reader would say them: a sex or gender value becomes ``women`` /
``men`` (and qualifies the other part of an intersection: ``Black or African American women``);
any other value is ``the <value> group``. Percentages carry no more digits than the data support.
Everything here is text assembled from audited values: renderers escape it for their format.
"""

from __future__ import annotations

import re

from .encode import INTERSECTION_SEP

__all__ = [
    "count_phrase",
    "group_name",
    "is_sex_feature",
    "pct",
    "possessive",
    "ratio_pct",
    "sentence",
    "short_name",
    "threshold_phrase",
]

_SEX_FEATURE = re.compile(r"(^|[^a-z])(sex|gender)([^a-z]|$)", re.IGNORECASE)
_SEX_WORDS = {
    "female": ("women", "woman"), "f": ("women", "woman"), "woman": ("women", "woman"),
    "women": ("women", "woman"), "girl": ("girls", "girl"),
    "male": ("men", "man"), "m": ("men", "man"), "man": ("men", "man"), "men": ("men", "man"),
    "boy": ("boys", "boy"),
    "non-binary": ("non-binary people", "non-binary person"),
    "nonbinary": ("non-binary people", "non-binary person"),
}  # fmt: skip


def is_sex_feature(column: str) -> bool:
    return bool(_SEX_FEATURE.search(column.replace("_", " ")))


def _parts(feature: str, group: str) -> list[tuple[str, str]]:
    cols = feature.split(INTERSECTION_SEP)
    vals = group.split(INTERSECTION_SEP)
    if len(cols) != len(vals):
        return [(feature, group)]
    return list(zip(cols, vals, strict=True))


def _sex_noun(column: str, value: str) -> str | None:
    if not is_sex_feature(column):
        return None
    words = _SEX_WORDS.get(value.strip().lower())
    return words[0] if words else None


def group_name(feature: str, group: str) -> str:
    """``women``; ``Black or African American women``; ``the Hispanic or Latino group``;
    ``the Female × Asian group`` when no part is a recognised sex value."""
    parts = _parts(feature, group)
    nouns = [_sex_noun(c, v) for c, v in parts]
    if any(nouns):
        noun = next(n for n in nouns if n)
        others = [v for (c, v), n in zip(parts, nouns, strict=True) if not n]
        return " ".join([*others, noun])
    label = " × ".join(v for _, v in parts)
    return f"the {label} group"


def short_name(feature: str, group: str) -> str:
    """A group in a list: ``Hispanic or Latino women``; ``Hispanic or Latino``."""
    name = group_name(feature, group)
    if name.startswith("the ") and name.endswith(" group"):
        return name[4:-6]
    return name


def possessive(name: str) -> str:
    """``men's``; ``the Two or More Races group's``; ``non-binary people's``."""
    return f"{name}'" if name.endswith("s") and not name.endswith("group") else f"{name}'s"


def sentence(text: str) -> str:
    """Capitalise the first letter (``the Asian group is ...`` -> ``The Asian group is ...``)."""
    return text[:1].upper() + text[1:] if text else text


def pct(x: float | None, digits: int = 1) -> str:
    """``0.2183`` -> ``21.8%``; a value under 1% keeps two significant digits."""
    if x is None:
        return "n/a"
    v = 100 * x
    if 0 < abs(v) < 1:
        return f"{v:.2g}%"
    return f"{v:.{digits}f}%"


def ratio_pct(x: float | None) -> str:
    """An impact ratio as a share: ``0.617`` -> ``62%``, ``0.0`` -> ``0%``."""
    if x is None:
        return "n/a"
    return f"{100 * x:.0f}%"


def count_phrase(n: int, name: str) -> str:
    """``962 women``; ``581 in the Black or African American group``."""
    if name.startswith("the ") and name.endswith(" group"):
        return f"{n:,} in {name}"
    return f"{n:,} {name}"


def threshold_phrase(threshold: float, reference: str) -> str:
    """``the four-fifths guideline is 80%`` (0.8 against the highest-rate group), else the
    policy's threshold."""
    if abs(threshold - 0.8) < 1e-12 and reference == "max_rate":
        return "the four-fifths guideline is 80%"
    return f"the policy's threshold is {ratio_pct(threshold)}"
