"""Is a field really filled in? Empty values, TODO/TBD, bare N/A, ``[More Information Needed]`` and lorem ipsum
count as missing; an explicit ``not_applicable: {reason: ...}`` (or "N/A: <reason>") is accepted and shown."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..redact import mask_text
from .document import FieldValue

__all__ = ["Assessment", "assess", "assess_field", "excerpt", "strip_markdown", "unmitigated"]

PRESENT, PLACEHOLDER, NOT_APPLICABLE = "present", "placeholder", "not_applicable"

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_PLACEHOLDER_TEXT = re.compile(
    r"""^(
        \[?\s*more\ information\ needed\s*\]? |
        \[?\s*more\ info(rmation)?\ (is\ )?needed\s*\]? |
        todo | tbd | tba | tbc | fixme | xxx+ | wip | pending | \?+ | \.{2,} | …  | -+ | —+ | –+ |
        to\ be\ (determined|defined|decided|completed|added|confirmed|written|filled(\ in)?) |
        coming\ soon | fill\ (me|this)(\ in)? | (insert|add|describe)\ .{0,40}\ here |
        unknown | not\ (yet\ )?(known|specified|documented|available|provided) | none\ provided |
        n/?a | n\.\ ?a | not\ applicable | none | null | nil | -/- | model\ id
    )[\s.!:]*$""",
    re.I | re.X,
)
# sentences the Hugging Face template writes by default: boilerplate, not an answer
_BOILERPLATE = re.compile(
    r"^(users \(both direct and downstream\) should be made aware of the risks, biases and limitations"
    r"|carbon emissions can be estimated using the"
    r"|use the code below to get started with the model"
    r"|<details>|</details>|<summary>.*</summary>"
    r"|this model card has been automatically generated"
    r"|more information needed)",
    re.I,
)
# a leading marker: "TODO describe", "todo: describe", "[TBD] ...", but not "Todo list app classifier"
_PLACEHOLDER_PREFIX = re.compile(
    r"^\s*(?:(?i:todo|tbd|fixme)\s*[:(\-–—]|\[\s*(?i:todo|tbd|fixme)\s*\]|(?:TODO|TBD|FIXME)\b)"
)
# "[TODO]", "(TBD)", "<n/a>": a placeholder inside brackets is still a placeholder
_BRACKETED = re.compile(r"^[\[(<{]\s*(?P<inner>[^\[\]()<>{}]*?)\s*[\])>}]$")
MIN_REASON = 3  # non-space characters a not-applicable reason needs (both written forms)
_LOREM = re.compile(r"lorem\s+ipsum|dolor\s+sit\s+amet", re.I)
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|^<[^<>]{1,60}>$")
_NA_WITH_REASON = re.compile(
    r"^\s*(n/?a|not\s+applicable)\s*(?:[:,;(\-–—]|because|as|since)\s*(?P<reason>.+?)\)?\s*$",
    re.I | re.S,
)
_BULLET_LABEL = re.compile(r"^\s*(?:[-*+]|\d+\.)?\s*(?:\*\*|__)?[^*_:\n]{1,60}?:?(?:\*\*|__)?:\s*")


@dataclass(frozen=True)
class Assessment:
    """``status`` is present, placeholder or not_applicable; ``reason`` explains it."""

    status: str
    reason: str = ""


def strip_markdown(text: str) -> str:
    """Body text without HTML comments, images, emphasis markers and blank lines (for excerpts and tests)."""
    text = _COMMENT.sub("", text)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"(\*\*|__|`)", "", text)
    return "\n".join(ln.rstrip() for ln in text.splitlines() if ln.strip())


def _text_is_placeholder(text: str) -> str | None:
    """Why ``text`` is a placeholder, or None when it is real content."""
    t = text.strip().strip("\"'")
    if not t:
        return "empty"
    inner = _BRACKETED.match(t)
    if _PLACEHOLDER_TEXT.match(t) or (
        inner and _PLACEHOLDER_TEXT.match(inner.group("inner") or "-")
    ):
        return f"placeholder text {t[:40]!r}"
    if _PLACEHOLDER_PREFIX.match(t):
        return f"placeholder text {t[:40]!r}"
    if _LOREM.search(t):
        return "lorem ipsum filler"
    if _TEMPLATE.search(t):
        return f"unfilled template marker {_TEMPLATE.search(t).group(0)[:40]!r}"  # type: ignore[union-attr]
    return None


def _assess_markdown(text: str) -> Assessment:
    """A section body: placeholder when every line is a placeholder (bullet labels like
    ``- **Developed by:** [More Information Needed]`` are judged by their value)."""
    body = _COMMENT.sub("", text)
    lines = [ln for ln in (ln.strip() for ln in body.splitlines()) if ln and not ln.startswith("#")]
    if not lines:
        return Assessment(PLACEHOLDER, "empty")
    na = _NA_WITH_REASON.match(" ".join(lines))
    if na:
        return _not_applicable_text(na.group("reason"))
    reasons = []
    for ln in lines:
        value = _BULLET_LABEL.sub("", ln, count=1) if _BULLET_LABEL.match(ln) else ln
        value = re.sub(r"^[-*+]\s+", "", value).strip().strip("*_ ")
        if value.startswith("```") or _BOILERPLATE.match(value):
            continue
        why = _text_is_placeholder(value)
        if why is None:
            return Assessment(PRESENT)
        reasons.append(why)
    return Assessment(PLACEHOLDER, reasons[0] if reasons else "empty")


def assess(value: Any, markdown: bool = False) -> Assessment:
    """Judge a field value. ``markdown`` marks a card section body (comments and bullet labels ignored)."""
    if value is None:
        return Assessment(PLACEHOLDER, "empty")
    if isinstance(value, bool):
        return Assessment(PRESENT)
    if isinstance(value, (int, float)):
        return Assessment(PRESENT) if value == value else Assessment(PLACEHOLDER, "NaN")
    if isinstance(value, str):
        if markdown:
            return _assess_markdown(value)
        na = _NA_WITH_REASON.match(value.strip())
        if na:
            return _not_applicable_text(na.group("reason"))
        why = _text_is_placeholder(value)
        return Assessment(PLACEHOLDER, why) if why else Assessment(PRESENT)
    if isinstance(value, Mapping):
        if "not_applicable" in value:
            return _assess_not_applicable(value)
        if not value:
            return Assessment(PLACEHOLDER, "empty mapping")
        inner = [assess(v) for v in value.values()]
        if any(a.status == PRESENT for a in inner):
            return Assessment(PRESENT)
        if inner and all(a.status == NOT_APPLICABLE for a in inner):
            return inner[0]
        return Assessment(PLACEHOLDER, next((a.reason for a in inner), "empty"))
    if isinstance(value, (list, tuple)):
        if not value:
            return Assessment(PLACEHOLDER, "empty list")
        inner = [assess(v, markdown) for v in value]
        if any(a.status == PRESENT for a in inner):
            return Assessment(PRESENT)
        if all(a.status == NOT_APPLICABLE for a in inner):
            return inner[0]
        return Assessment(PLACEHOLDER, inner[0].reason)
    return Assessment(PRESENT)


def _assess_not_applicable(value: Mapping[str, Any]) -> Assessment:
    na = value.get("not_applicable")
    reason: Any = None
    if isinstance(na, Mapping):
        reason = na.get("reason")
    elif isinstance(na, str):
        reason = na
    elif na is True:
        reason = value.get("reason")
    if isinstance(reason, str) and reason.strip():
        return _not_applicable_text(reason)
    return Assessment(PLACEHOLDER, "not_applicable without a reason")


def _not_applicable_text(reason: str) -> Assessment:
    """Not applicable with ``reason`` when it is a real reason (the same rule for both written forms:
    ``not_applicable: {reason: ...}`` and "N/A: <reason>"), else a placeholder saying why."""
    if _real_reason(reason):
        return Assessment(NOT_APPLICABLE, reason.strip())
    return Assessment(
        PLACEHOLDER,
        f"not applicable without a real reason ({reason.strip()[:40]!r}; a reason needs at least "
        f"{MIN_REASON} characters and must not be a placeholder)",
    )


def _real_reason(text: str) -> bool:
    """A not-applicable reason: at least MIN_REASON non-space characters and not itself a placeholder."""
    return len(re.sub(r"\s", "", text)) >= MIN_REASON and _text_is_placeholder(text) is None


def assess_field(fv: FieldValue) -> Assessment:
    """Judge one field value as found in a document: a value of the wrong type is a placeholder
    (``wrong type: expected a list, got int (5)``), and so is a ``risks`` list in which no risk states
    its mitigation; anything else as :func:`assess`."""
    if fv.problem:
        return Assessment(PLACEHOLDER, f"wrong type: {fv.problem}")
    a = assess(fv.value, markdown=fv.source.startswith("section"))
    if a.status == PRESENT and fv.key == "risks" and isinstance(fv.value, list):
        named = [r for r in fv.value if isinstance(r, Mapping)]
        if named and len(unmitigated(fv.value)) == len(named):
            return Assessment(PLACEHOLDER, "no risk states its mitigation")
    return a


def unmitigated(risks: Any) -> list[int]:
    """Indexes of the ``risks`` entries (``{name, mitigation}``) whose mitigation is missing or a
    placeholder."""
    if not isinstance(risks, list):
        return []
    return [
        i
        for i, r in enumerate(risks)
        if isinstance(r, Mapping) and assess(r.get("mitigation")).status == PLACEHOLDER
    ]


def excerpt(value: Any, limit: int = 80) -> str:
    """A short one-line rendering of a value for the ``fields`` table, personal data in it masked
    (:func:`auditor.redact.mask_text`: e-mail and IP addresses, identifier-like numbers, person
    names), each text masked before it is shortened."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = mask_text(" ".join(strip_markdown(value).split()))
    elif isinstance(value, Mapping) and "not_applicable" in value:
        a = _assess_not_applicable(value)
        text = (
            f"not applicable: {mask_text(a.reason)}"
            if a.status == NOT_APPLICABLE
            else "not_applicable"
        )
    elif isinstance(value, (list, tuple)):
        text = "; ".join(excerpt(v, limit) for v in value[:5]) + ("; …" if len(value) > 5 else "")
    elif isinstance(value, Mapping):
        text = ", ".join(f"{k}={excerpt(v, 30)}" for k, v in list(value.items())[:6])
    else:
        text = mask_text(str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"
