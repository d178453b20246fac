"""Values and texts made safe to print: error lines, crash details and card excerpts never carry
the personal data they quote.

Built on :func:`auditor.mask.mask` (the masker of the report's PII examples), without
Presidio, so it is cheap enough for any error path. A value module of the lowest layer: errors,
inputs, the card loaders and the PII family all mask with it without importing each other:

- :func:`show_value` / :func:`show_values`: data values for an error line. Plain labels pass
  (short numbers, one character, booleans, lower-case words that are not person names, common
  outcome words such as ``yes``/``approved``); anything else is masked (``j***@e***.org``,
  ``***-**-1120``, ``J*** C***``).
- :func:`mask_text`: free text (an exception message, a card field) with e-mail addresses, IP
  addresses, digit runs that can be identifiers (SSNs, phone, card and account numbers) and
  person names (a gazetteer first name followed by a capitalised word) masked in place.
"""

from __future__ import annotations

import contextlib
import importlib
import itertools
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from .mask import mask

__all__ = ["LABEL_WORDS", "mask_text", "show_value", "show_values"]

#: outcome labels shown as they are in error lines (compared lower-case): they name a decision,
#: never a person
LABEL_WORDS = frozenset(
    [
        "yes", "no", "y", "n", "true", "false", "t", "f", "pos", "neg", "positive", "negative",
        "pass", "fail", "passed", "failed", "ok", "accept", "accepted", "reject", "rejected",
        "approve", "approved", "deny", "denied", "decline", "declined", "review", "hire", "hired",
        "selected", "advance", "advanced", "interview", "default", "churn", "fraud", "spam", "ham",
        "good", "bad", "high", "low", "medium", "none", "null", "nan", "na", "n/a", "unknown",
        "other",
    ]
)  # fmt: skip

# the Faker locales of auditor.pii.names (kept here so this module never imports Presidio)
_LOCALES = (
    "en_US", "en_GB", "en_IE", "de_DE", "fr_FR", "es_ES", "es_MX", "it_IT", "nl_NL", "pt_PT",
    "sv_SE", "pl_PL",
)  # fmt: skip
_TITLES = frozenset(["mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame"])


@lru_cache(maxsize=1)
def _names() -> tuple[frozenset[str], frozenset[str]]:
    """(first names, last names), lower-cased, from Faker's person providers."""
    first: set[str] = set()
    last: set[str] = set()
    for loc in _LOCALES:
        try:
            prov = importlib.import_module(f"faker.providers.person.{loc}").Provider
        except (ImportError, AttributeError):
            continue
        for attr, into in (
            ("first_names", first),
            ("first_names_male", first),
            ("first_names_female", first),
            ("last_names", last),
        ):
            names = getattr(prov, attr, None)
            if isinstance(names, (dict, list, tuple, set)):
                into.update(str(n).strip().lower() for n in names if str(n).strip())
    return frozenset(first), frozenset(last)


_SHORT_NUMBER = re.compile(r"[+-]?\d{1,4}(?:\.\d+)?")
_LOWER_WORDS = re.compile(r"[a-z][a-z _/-]{0,23}")


def _plain_label(text: str) -> bool:
    """Whether ``text`` is a label that cannot be personal data (shown unmasked)."""
    t = text.strip()
    if len(t) <= 1 or _SHORT_NUMBER.fullmatch(t) or t.lower() in LABEL_WORDS:
        return True
    if not _LOWER_WORDS.fullmatch(t):
        return False
    first, last = _names()
    return not any(w in first or w in last for w in re.split(r"[ _/-]+", t) if w)


def show_value(value: Any) -> str:
    """One data value for an error line: ``1``, ``0.5``, ``True``, ``'yes'``, or masked
    (``'j***@e***.org'``). Numbers with more than four integer digits are masked too (an SSN or a
    phone number read as an integer)."""
    value = _py(value)
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(value) if abs(value) < 10_000 else repr(mask(str(value)))
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) < 10_000:
            return f"{value:g}"
        return repr(mask(f"{value:.0f}"))
    if isinstance(value, str):
        return repr(value) if _plain_label(value) else repr(mask(value) or "***")
    return repr(mask(str(value)) or "***")


def show_values(values: Sequence[Any], limit: int = 10) -> str:
    """Up to ``limit`` values for an error line (``0, 1`` or ``'j***@e***.org', ...; 40 distinct
    values, masked``): plain labels as they are, anything that could be personal data masked."""
    shown = [show_value(v) for v in values[:limit]]
    masked = any(s != _unmasked(v) for s, v in zip(shown, values[:limit], strict=False))
    text = ", ".join(shown)
    if len(values) > limit:
        text += ", ..."
    if masked:
        text += f"; {len(values):,} distinct value{'s' if len(values) != 1 else ''}, masked"
    return text


def _py(value: Any) -> Any:
    """A numpy scalar as the Python value."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        with contextlib.suppress(TypeError, ValueError):
            return value.item()
    return value


def _unmasked(value: Any) -> str:
    value = _py(value)
    return f"{value:g}" if isinstance(value, float) else repr(value)


_EMAIL = re.compile(r"[\w.%+'-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])")
# a run of digits with at most two separator characters between digits (SSN, phone, card, IBAN)
_DIGITS = re.compile(r"(?<![\w./-])\+?\(?\d(?:[ ./()-]{0,2}\d)*\)?(?![\w])")
_NOT_ID = re.compile(r"\d{4}-\d{2}-\d{2}|\d{4}/\d{2}/\d{2}|\d+\.\d+")
_CAPITAL = re.compile(r"\b(?:[A-Z][a-zà-ÿ]+(?:['’-][A-Z]?[a-zà-ÿ]+)*\.?|[A-Z]\.)(?!['’]?\w)")
# organisations, places and products: a first name before them is not a person
_NOT_PERSON = frozenset(
    [
        "and", "inc", "llc", "ltd", "plc", "group", "co", "corp", "corporation", "company", "gmbh",
        "ag", "sa", "bv", "lake", "port", "mount", "fort", "east", "west", "north", "south", "new",
        "city", "county", "street", "st", "avenue", "ave", "road", "the", "of", "for", "with",
    ]
)  # fmt: skip


def _digits(m: re.Match[str]) -> str:
    text = m.group(0)
    n = sum(c.isdigit() for c in text)
    if n < 6 or _NOT_ID.fullmatch(text.strip("()+")):
        return text
    return mask(text)


def _is_initial(word: str) -> bool:
    return len(word) == 2 and word.endswith(".")


def _spaced(text: str, words: Sequence[re.Match[str]]) -> bool:
    """Whether only spaces (no line break, no punctuation) separate consecutive ``words``."""
    return all(
        text[a.end() : b.start()].strip(" \t") == "" and a.end() < b.start()
        for a, b in itertools.pairwise(words)
    )


def _people(text: str) -> list[tuple[int, int]]:
    """Spans of person names: a title, a gazetteer first name or an initial followed (after
    whitespace, an optional middle initial between) by a capitalised word."""
    first, last = _names()
    words = list(_CAPITAL.finditer(text))
    spans: list[tuple[int, int]] = []
    for i, m in enumerate(words[:-1]):
        a = m.group(0).rstrip(".").lower()
        j = i + 1
        if (
            _is_initial(words[j].group(0))
            and j + 1 < len(words)
            and _spaced(text, words[j - 1 : j + 2])
        ):
            j += 1  # middle initial
        nxt = words[j]
        b = nxt.group(0).rstrip(".").lower()
        if not _spaced(text, words[i : i + 2]):
            continue
        if a in _NOT_PERSON or b in _NOT_PERSON or b in _TITLES:
            continue
        if a in _TITLES or (a in first and len(a) > 1) or (_is_initial(m.group(0)) and b in last):
            end = nxt.end() - (1 if nxt.group(0).endswith(".") and len(b) > 1 else 0)
            if spans and spans[-1][1] > m.start():
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((m.start(), end))
    return spans


def _mask_people(text: str) -> str:
    out, pos = [], 0
    for start, end in _people(text):
        out += [text[pos:start], mask(text[start:end], "PERSON")]
        pos = end
    return "".join(out) + text[pos:]


def mask_text(text: str) -> str:
    """``text`` with e-mail and IP addresses, identifier-like digit runs (6+ digits; dates and
    decimals kept) and person names (``Jane Canary``, ``Dr. Smith``, ``J. Doe``) masked."""
    if not text:
        return text
    out = _EMAIL.sub(lambda m: mask(m.group(0), "EMAIL_ADDRESS"), text)
    out = _IPV4.sub(lambda m: mask(m.group(0), "IP_ADDRESS"), out)
    out = _DIGITS.sub(_digits, out)
    return _mask_people(out)
