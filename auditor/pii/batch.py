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

from .engine import Engine
from .settings import ScanOptions

__all__ = ["SEPARATOR", "Span", "analyze_values", "resolve_overlaps"]

# blank lines and six punctuation tokens: >5 tokens, so Presidio's context window (5 tokens
# before a match) never reaches into the neighbouring value
SEPARATOR = "\n\n; ; ; ; ; ;\n\n"
MAX_VALUES = 400
MAX_CHARS = 40_000


@dataclass(frozen=True)
class Span:
    entity: str
    start: int
    end: int
    score: float


def resolve_overlaps(spans: Sequence[Span]) -> list[Span]:
    """Keep the best of overlapping spans: higher score, then longer, wins (an e-mail address
    suppresses the URL found on its domain); same-type overlaps merge to the kept span."""
    ordered = sorted(spans, key=lambda s: (-s.score, -(s.end - s.start), s.start, s.entity))
    kept: list[Span] = []
    for s in ordered:
        if all(s.end <= k.start or s.start >= k.end for k in kept):
            kept.append(s)
    return sorted(kept, key=lambda s: (s.start, s.entity))


def _allowed(
    text: str, span: Span, allow: frozenset[str], patterns: Sequence[re.Pattern[str]]
) -> bool:
    piece = text[span.start : span.end]
    return piece in allow or piece.strip() in allow or any(p.fullmatch(piece) for p in patterns)


def analyze_values(
    engine: Engine,
    values: Sequence[str],
    context: Sequence[str],
    options: ScanOptions,
) -> list[list[Span]]:
    """Spans per value (thresholded, overlaps resolved, allow-listed values removed)."""
    allow = frozenset(options.allow_list)
    allow_rx = [re.compile(p) for p in options.allow_patterns]
    out: list[list[Span]] = [[] for _ in values]
    ctx = list(context) or None
    i = 0
    n = len(values)
    while i < n:
        # one batch: values i..j-1
        starts: list[int] = []
        parts: list[str] = []
        pos = 0
        j = i
        while j < n and j - i < MAX_VALUES and (pos < MAX_CHARS or j == i):
            starts.append(pos)
            parts.append(values[j])
            pos += len(values[j]) + len(SEPARATOR)
            j += 1
        text = SEPARATOR.join(parts)
        results = engine.analyzer.analyze(text=text, language="en", context=ctx)
        for r in results:
            k = bisect.bisect_right(starts, r.start) - 1
            if k < 0:
                continue
            base = starts[k]
            end_of_value = base + len(parts[k])
            if r.end > end_of_value:
                continue  # crosses into the separator: not a match inside one value
            score = float(r.score)
            if score < options.threshold(r.entity_type):
                continue
            out[i + k].append(Span(r.entity_type, r.start - base, r.end - base, score))
        i = j
    for idx, spans in enumerate(out):
        if not spans:
            continue
        spans = resolve_overlaps(spans)
        if allow or allow_rx:
            spans = [s for s in spans if not _allowed(values[idx], s, allow, allow_rx)]
        out[idx] = spans
    return out
