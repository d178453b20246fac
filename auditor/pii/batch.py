"""Run Presidio on many short values at once, then post-process the spans.

Presidio's per-call overhead (recognizer loop, context enhancement, result objects) dominates on
short table cells. We join up to ``MAX_VALUES`` values into one text with a separator no
recognizer can match across (and long enough to keep one value's words out of the next value's
context window), analyse it once, and map spans back by offset; a span that crosses a boundary is
dropped. The equivalence with value-by-value analysis is asserted in the tests.
"""

from __future__ import annotations

import bisect
import importlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from presidio_analyzer import PatternRecognizer

from .engine import BOUNDARY, Engine
from .recognizers import _PHONE_LABEL
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


_NHS_WORD = re.compile(r"(?i)\bnhs\b|national health service|health service")


def _same_range_preferences(
    spans: Sequence[Span], context: Sequence[str], text: str = ""
) -> list[Span]:
    """Readings of one number that Presidio scores too high: a 15-digit Luhn number with IMEI
    context (score >= 0.6) is not a card; a 10-digit number inside a phone-number span
    (``+1 212-555-0113`` or the same digits) is a phone, not a UK NHS number, unless the
    column or the words before it say NHS, and then it is the NHS number, not a phone."""
    imei: set[tuple[int, int]] = set()
    phones: list[Span] = []
    for s in spans:
        if s.entity == "IMEI" and s.score >= 0.6:
            imei.add((s.start, s.end))
        elif s.entity == "PHONE_NUMBER":
            phones.append(s)
    if not imei and not phones:
        return list(spans)
    nhs_column = any("nhs" in c.lower() for c in context)
    drop = set()
    for s in spans:
        if s.entity == "CREDIT_CARD" and (s.start, s.end) in imei:
            drop.add(s)
        if s.entity in CHECKSUM_ONLY:
            inside = [p for p in phones if p.start <= s.start and s.end <= p.end]
            if not inside:
                continue
            said = nhs_column or bool(_NHS_WORD.search(text[max(0, s.start - 40) : s.start]))
            drop.update(inside if said else [s])
    return [s for s in spans if s not in drop]


def resolve_overlaps(
    spans: Sequence[Span], context: Sequence[str] = (), text: str = ""
) -> list[Span]:
    """Keep the best of overlapping spans: higher score, then longer, wins (an e-mail address
    suppresses the URL found on its domain); same-type overlaps merge to the kept span.
    ``text`` is the analysed value (its words decide between an NHS number and a phone)."""
    spans = _same_range_preferences(spans, context, text)
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


try:  # the stdlib regex parser (``sre_parse`` before 3.11): only read, never compiled with
    _PARSER: Any = importlib.import_module("re._parser")
except ImportError:  # pragma: no cover - Python 3.10
    _PARSER = importlib.import_module("sre_parse")
_C = _PARSER  # opcode names live on the parser module (constants re-exported)


def _is_digit_set(items: Any) -> bool:
    """Whether a character class (``[0-9]``, ``\\d``, ``[0-5]``) holds only digits."""
    if not items:
        return False
    for op, av in items:
        if op is _C.LITERAL:
            if not chr(av).isdigit():
                return False
        elif op is _C.RANGE:
            lo, hi = av
            if not (ord("0") <= lo and hi <= ord("9")):
                return False
        elif op is _C.CATEGORY:
            if av is not _C.CATEGORY_DIGIT:
                return False
        else:  # NEGATE and anything else
            return False
    return True


def _mark(ch: str) -> bool:
    """Characters a requirement may name: punctuation and symbols (case folding never
    changes them), not letters, digits or spaces."""
    return not ch.isalnum() and not ch.isspace()


def _single_mark(op: Any, av: Any) -> str | None:
    if op is _C.LITERAL and _mark(chr(av)):
        return chr(av)
    if op is _C.IN and len(av) == 1 and av[0][0] is _C.LITERAL and _mark(chr(av[0][1])):
        return chr(av[0][1])
    return None


def _need(nodes: Any) -> tuple[int, frozenset[str]]:
    """(fewest digits, punctuation marks always present) over every match of a parsed pattern;
    a lower bound: lookarounds, back-references and unknown nodes need nothing."""
    digits = 0
    marks: set[str] = set()
    for op, av in nodes:
        mark = _single_mark(op, av)
        if mark is not None:
            marks.add(mark)
        elif op is _C.LITERAL:
            digits += 1 if chr(av).isdigit() else 0
        elif op is _C.IN:
            digits += 1 if _is_digit_set(av) else 0
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT) or op is getattr(_C, "POSSESSIVE_REPEAT", None):
            lo, _hi, sub = av
            d, m = _need(sub)
            digits += lo * d
            if lo > 0:
                marks |= m
        elif op is _C.SUBPATTERN:
            d, m = _need(av[-1])
            digits, marks = digits + d, marks | m
        elif op is getattr(_C, "ATOMIC_GROUP", None):
            d, m = _need(av)
            digits, marks = digits + d, marks | m
        elif op is _C.BRANCH or op is _C.GROUPREF_EXISTS:
            sides = list(av[1]) if op is _C.BRANCH else [av[1], av[2] or []]
            needs = [_need(b) for b in sides]
            digits += min(d for d, _ in needs)
            marks |= frozenset.intersection(*(m for _, m in needs))
    return digits, frozenset(marks)


def pattern_need(regex: str) -> tuple[int, frozenset[str]]:
    """What a text must hold for ``regex`` to match in it: at least N digits and every one of
    a set of punctuation marks; ``(0, {})`` when unknown (a pattern the stdlib parser cannot
    read, e.g. ``regex``-module syntax)."""
    try:
        return _need(_PARSER.parse(regex))
    except Exception:  # any parse failure means "no bound"
        return 0, frozenset()


def pattern_min_digits(regex: str) -> int:
    """Fewest digits a text must hold for ``regex`` to match in it (0 when unknown)."""
    return pattern_need(regex)[0]


Need = tuple[int, frozenset[str]]
_NO_NEED: Need = (0, frozenset())


def _entity_needs(engine: Engine) -> dict[str, tuple[Need, ...]]:
    """Per entity type, what a value must hold for any of its recognizers to match: one
    (digits, marks) need per pattern; a value meeting none is never sent to them (routing that
    changes no result). Recognizers that do not match by their patterns alone (phones, names,
    IBAN's own ``analyze``, deny lists) need nothing."""
    cached = _NEEDS.get(id(engine))
    if cached is not None and cached[0] is engine:
        return cached[1]
    out: dict[str, list[Need]] = {}
    for rec in engine.analyzer.registry.recognizers:
        needs: list[Need] = [_NO_NEED]
        if (
            isinstance(rec, PatternRecognizer)
            and type(rec).analyze is PatternRecognizer.analyze
            and not getattr(rec, "deny_list", None)
        ):
            patterns: list[Any] = list(getattr(rec, "patterns", None) or [])
            if patterns:
                needs = [pattern_need(str(p.regex)) for p in patterns]
        for entity in rec.supported_entities:
            out.setdefault(entity, []).extend(needs)
    result = {e: tuple(set(n)) for e, n in out.items()}
    _NEEDS[id(engine)] = (engine, result)
    return result


def _entity_min_digits(engine: Engine) -> dict[str, int]:
    """Per entity type, the fewest digits a value must hold for any of its recognizers to match."""
    return {e: min(d for d, _ in needs) for e, needs in _entity_needs(engine).items()}


_NEEDS: dict[int, tuple[Engine, dict[str, tuple[Need, ...]]]] = {}

# needs the character-level reading above cannot express: every Presidio URL pattern ends its
# host with ``[.]`` and a top-level domain from a list whose entries all begin with a letter
# (tests/pii/test_routing.py re-reads the patterns to keep this true)
SHAPE_NEEDS: dict[str, re.Pattern[str]] = {"URL": re.compile(r"\.[^\W\d_]")}


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
    word_rx = {e: re.compile("|".join(map(re.escape, words[e])) or "(?!)") for e in candidates}
    needs = {e: n for e, n in _entity_needs(engine).items() if _NO_NEED not in n and ROUTING}
    marks = frozenset(m for n in needs.values() for _, ms in n for m in ms)
    mark_rx = re.compile("[" + re.escape("".join(sorted(marks))) + "]") if marks else None
    shaped = {e: rx for e, rx in SHAPE_NEEDS.items() if ROUTING and e in engine.entities}
    out: list[frozenset[str]] = []
    cache: dict[
        tuple[bool, tuple[str, ...], int, frozenset[str], tuple[str, ...]], frozenset[str]
    ] = {}
    for v in values:
        low = v.lower() if in_text else ""
        kept = tuple(e for e in candidates if in_text and word_rx[e].search(low))
        has_letters = bool(_LETTER.search(v))
        digits = len(_DIGIT.findall(v))
        present = frozenset(mark_rx.findall(v)) if mark_rx is not None else frozenset()
        unshaped = tuple(e for e, rx in shaped.items() if not rx.search(v))
        key = (has_letters, kept, digits, present, unshaped)
        if key not in cache:
            skip = {e for e in candidates if e not in kept}
            if not has_letters:
                skip |= NEED_LETTERS
            # entity types none of whose patterns can match here: too few digits or a
            # required mark ("@", ".", ":") absent
            skip |= {
                e for e, n in needs.items() if not any(d <= digits and m <= present for d, m in n)
            }
            skip.update(unshaped)
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


# routing by what a value can hold (digits, marks, whole e-mails, letter codes); it changes no
# result, and the tests compare it with ``ROUTING = False`` span for span
ROUTING = True
# a value that is one e-mail address and nothing else
_EMAIL_SHAPED = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
# one token of letters glued to digits (``ORD-00012591``, ``LOT-2024-00483``): every phone
# reading inside it has letters before it, which :func:`recognizers.not_a_phone` rejects
_LETTER_CODE = re.compile(r"([^\W\d_]+)([-_/]?)(\d+(?:[-_/]\d+)*)")


def _code_only(value: str) -> bool:
    """Whether ``value`` is a single letter-prefixed code no phone reading survives in; a
    prefix that is a phone label (``tel``, ``ph``, ``m``) keeps the phone pass."""
    m = _LETTER_CODE.fullmatch(value) if ROUTING else None
    if m is None:
        return False
    prefix = m.group(1)
    return not (_PHONE_LABEL.match(prefix) or _PHONE_LABEL.match(prefix + m.group(2)))


def _whole_emails(
    engine: Engine,
    values: Sequence[str],
    ctx: list[str] | None,
    options: ScanOptions,
    out: list[list[Span]],
) -> set[int]:
    """Values that are one valid e-mail address: the e-mail span (score 1.0, the whole value)
    wins every overlap, so no other recognizer can change their result; they get the e-mail
    recognizer alone. Values where it does not cover the whole value at 1.0 go the usual way."""
    if not ROUTING or "EMAIL_ADDRESS" not in engine.entities:
        return set()
    idx = [i for i, v in enumerate(values) if _EMAIL_SHAPED.fullmatch(v)]
    if not idx:
        return set()
    trial: list[list[Span]] = [[] for _ in values]
    _run(engine.fast or engine.analyzer, values, idx, ctx, ["EMAIL_ADDRESS"], options, trial)
    done: set[int] = set()
    for i in idx:
        spans = trial[i]
        if any(s.start == 0 and s.end == len(values[i]) and s.score >= 1.0 for s in spans):
            out[i] = [s for s in spans if s.start == 0 and s.end == len(values[i])][:1]
            done.add(i)
    return done


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
    done = _whole_emails(engine, values, ctx, options, out) if not (allow or allow_rx) else set()
    for i, skip in enumerate(_skips(engine, values, context, options)):
        if i in done:
            continue
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
            if len(_DIGIT.findall(v)) >= 7 and not _covered(v, out[i]) and not _code_only(v)
        ]
        for nlp in (True, False):
            chosen = [i for i in phone_idx if needs_nlp[i] is nlp]
            if chosen:
                analyzer = engine.analyzer if nlp else engine.fast
                _run(analyzer, values, chosen, ctx, ["PHONE_NUMBER"], options, out)
    for idx, spans in enumerate(out):
        if not spans:
            continue
        spans = resolve_overlaps(spans, context, values[idx])
        if allow or allow_rx:
            spans = [s for s in spans if not _allowed(values[idx], s, allow, allow_rx)]
        out[idx] = spans
    return out
