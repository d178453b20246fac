"""Run Presidio on many short values at once, then post-process the spans.

Presidio's per-call overhead (recognizer loop, context enhancement, result objects) dominates on
short table cells. We join up to ``MAX_VALUES`` values into one text with a separator no
recognizer can match across (and long enough to keep one value's words out of the next value's
context window), analyse it once, and map spans back by offset; a span that crosses a boundary is
dropped. The equivalence with value-by-value analysis is asserted in the tests.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .engine import BOUNDARY, Engine
from .settings import ScanOptions, compile_regex

__all__ = ["CHECKSUM_ONLY", "SEPARATOR", "Span", "analyze_values", "resolve_overlaps"]

# blank lines around a boundary token: no recognizer matches across it, and the context
# enhancer stops at it, so one value's words never become the next value's context
SEPARATOR = f"\n\n{BOUNDARY}\n\n"
MAX_VALUES = 400
MAX_CHARS = 40_000


@dataclass(frozen=True)
class Span:
    entity: str
    start: int
    end: int
    score: float


# checksum-only readings of a bare 10-digit number: a passing check proves nothing against a
# phone number (the NHS mod-11 check passes for 1 in 11 numbers), so they never stop the
# phone pass and lose to a phone reading of the same digits
CHECKSUM_ONLY = frozenset({"UK_NHS"})


def _same_range_preferences(spans: Sequence[Span], context: Sequence[str]) -> list[Span]:
    """Readings of one number that Presidio scores too high: a 15-digit Luhn number with IMEI
    context (score >= 0.6) is not a card; a 10-digit number inside a phone-number span
    (``+1 212-555-0113`` or the same digits) is a phone, not a UK NHS number, unless the
    context says ``nhs``."""
    imei: set[tuple[int, int]] = set()
    phones: list[Span] = []
    for s in spans:
        if s.entity == "IMEI" and s.score >= 0.6:
            imei.add((s.start, s.end))
        elif s.entity == "PHONE_NUMBER":
            phones.append(s)
    if not imei and not phones:
        return list(spans)
    nhs_context = any("nhs" in c.lower() for c in context)
    drop = set()
    for s in spans:
        if s.entity == "CREDIT_CARD" and (s.start, s.end) in imei:
            drop.add(s)
        if (
            s.entity in CHECKSUM_ONLY
            and not nhs_context
            and any(p.start <= s.start and s.end <= p.end for p in phones)
        ):
            drop.add(s)
    return [s for s in spans if s not in drop]


def resolve_overlaps(spans: Sequence[Span], context: Sequence[str] = ()) -> list[Span]:
    """Keep the best of overlapping spans: higher score, then longer, wins (an e-mail address
    suppresses the URL found on its domain); same-type overlaps merge to the kept span."""
    spans = _same_range_preferences(spans, context)
    ordered = sorted(spans, key=lambda s: (-s.score, -(s.end - s.start), s.start, s.entity))
    kept: list[Span] = []
    for s in ordered:
        if all(s.end <= k.start or s.start >= k.end for k in kept):
            kept.append(s)
    return sorted(kept, key=lambda s: (s.start, s.entity))


def _allowed(text: str, span: Span, allow: frozenset[str], patterns: Sequence[Any]) -> bool:
    piece = text[span.start : span.end]
    return piece in allow or piece.strip() in allow or any(p.fullmatch(piece) for p in patterns)


def _run(
    analyzer: Any,
    values: Sequence[str],
    index: Sequence[int],
    ctx: list[str] | None,
    entities: list[str],
    options: ScanOptions,
    out: list[list[Span]],
) -> None:
    """Analyse ``values[i] for i in index`` in joined batches; append spans to ``out[i]``."""
    n = len(index)
    i = 0
    while i < n:
        starts: list[int] = []
        parts: list[str] = []
        pos = 0
        j = i
        while j < n and j - i < MAX_VALUES and (pos < MAX_CHARS or j == i):
            starts.append(pos)
            parts.append(values[index[j]])
            pos += len(parts[-1]) + len(SEPARATOR)
            j += 1
        text = SEPARATOR.join(parts)
        results = analyzer.analyze(text=text, language="en", context=ctx, entities=entities)
        for r in results:
            k = bisect.bisect_right(starts, r.start) - 1
            if k < 0 or r.end > starts[k] + len(parts[k]):
                continue  # crosses into the separator: not a match inside one value
            score = float(r.score)
            if score < options.threshold(r.entity_type):
                continue
            base = starts[k]
            out[index[i + k]].append(Span(r.entity_type, r.start - base, r.end - base, score))
        i = j


_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[^\W\d_]")

# entity types none of whose patterns can match a value without letters (e-mail TLDs, "MRN",
# street suffixes, key prefixes, IBAN country codes, ...)
NEED_LETTERS = frozenset(
    {
        "EMAIL_ADDRESS", "URL", "CREDENTIAL", "AGE_OVER_89", "STREET_ADDRESS", "UK_NINO", "US_MBI",
        "MEDICAL_LICENSE", "IBAN_CODE", "PERSON", "VIN", "LOCATION", "NRP",
    }
)  # fmt: skip
# best score without context, for values without letters: below the threshold, these entity
# types can only be reported when context raises them
NO_CONTEXT_MAX = {
    "US_BANK_NUMBER": 0.05,
    "US_DRIVER_LICENSE": 0.3,
    "US_PASSPORT": 0.1,
    "US_ZIP": 0.1,
    "MEDICAL_RECORD_NUMBER": 0.01,
}


def _context_words(engine: Engine) -> dict[str, list[str]]:
    """Recognizer context words per context-dependent entity type (lower case)."""
    out: dict[str, list[str]] = {}
    for entity in NO_CONTEXT_MAX:
        words = {
            str(cw).lower()
            for rec in engine.analyzer.registry.recognizers
            if entity in rec.supported_entities
            for cw in (rec.context or [])
        }
        out[entity] = sorted(words)
    return out


def _skips(
    engine: Engine, values: Sequence[str], context: Sequence[str], options: ScanOptions
) -> list[frozenset[str]]:
    """Per value, the entity types that cannot reach their threshold there, so skipping them
    changes no result: types whose best score without context is under the threshold, with no
    context word of theirs in the column context nor (context and ner tiers) in the value;
    and, for values without letters, types whose patterns all need letters."""
    col = [w.lower() for w in context]
    words = _context_words(engine)
    candidates = [
        e
        for e, best in NO_CONTEXT_MAX.items()
        if best < options.threshold(e)
        and e in engine.entities
        and not any(w in c for w in words[e] for c in col)
    ]
    in_text = engine.tier != "patterns"
    out: list[frozenset[str]] = []
    cache: dict[tuple[bool, tuple[str, ...]], frozenset[str]] = {}
    for v in values:
        low = v.lower() if in_text else ""
        kept = tuple(e for e in candidates if in_text and any(w in low for w in words[e]))
        has_letters = bool(_LETTER.search(v))
        key = (has_letters, kept)
        if key not in cache:
            skip = {e for e in candidates if e not in kept}
            if not has_letters:
                skip |= NEED_LETTERS
            cache[key] = frozenset(skip)
        out.append(cache[key])
    return out


def _covered(value: str, spans: Sequence[Span]) -> bool:
    """Whether confident spans cover every digit of ``value`` (no phone number can hide);
    checksum-only readings (UK NHS) do not count: the phone pass still runs on them."""
    strong = [s for s in spans if s.score >= 0.6 and s.entity not in CHECKSUM_ONLY]
    if not strong:
        return False
    return all(any(s.start <= m.start() < s.end for s in strong) for m in _DIGIT.finditer(value))


def analyze_values(
    engine: Engine,
    values: Sequence[str],
    context: Sequence[str],
    options: ScanOptions,
) -> list[list[Span]]:
    """Spans per value (thresholded, overlaps resolved, allow-listed values removed).

    The phone recognizer (over half of Presidio's pattern time) runs in a second pass, only on
    values with 7+ digits that the first pass did not already explain with confident spans
    (an IP address, e-mail, card or SSN cannot also be a phone number there).
    """
    allow = frozenset(options.allow_list)
    allow_rx = [compile_regex(p) for p in options.allow_patterns]
    out: list[list[Span]] = [[] for _ in values]
    ctx = list(context) or None
    entities = engine.entities
    groups: dict[tuple[frozenset[str], bool], list[int]] = {}
    # the no-op twin's context-word test (no twin: every value goes to the analyzer)
    rx = engine.context_words if engine.fast is not None else None
    for i, skip in enumerate(_skips(engine, values, context, options)):
        # no recognizer context word in the value: the no-op engine gives the same result
        nlp = rx is None or bool(rx.search(values[i].lower()))
        groups.setdefault((skip, nlp), []).append(i)
    needs_nlp = [False] * len(values)
    for (skip, nlp), group in groups.items():
        wanted = [e for e in entities if e != "PHONE_NUMBER" and e not in skip]
        analyzer = engine.analyzer if nlp else engine.fast
        for i in group:
            needs_nlp[i] = nlp
        if wanted:
            _run(analyzer, values, group, ctx, wanted, options, out)
    if "PHONE_NUMBER" in entities:
        phone_idx = [
            i
            for i, v in enumerate(values)
            if len(_DIGIT.findall(v)) >= 7 and not _covered(v, out[i])
        ]
        for nlp in (True, False):
            chosen = [i for i in phone_idx if needs_nlp[i] is nlp]
            if chosen:
                analyzer = engine.analyzer if nlp else engine.fast
                _run(analyzer, values, chosen, ctx, ["PHONE_NUMBER"], options, out)
    for idx, spans in enumerate(out):
        if not spans:
            continue
        spans = resolve_overlaps(spans, context)
        if allow or allow_rx:
            spans = [s for s in spans if not _allowed(values[idx], s, allow, allow_rx)]
        out[idx] = spans
    return out
