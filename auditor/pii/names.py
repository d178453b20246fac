"""Person names without NER: a first/last-name gazetteer built from Faker's locale name lists.

Faker (MIT, a core dependency) ships curated first- and last-name frequency lists per locale
(US Census, national statistics offices). We read the lists of several Latin-script locales
once, lower-cased. Names outside the lists (``Wei Li``, ``Nguyen Van An``) are found by shape
instead: a column whose name says person (``customer_name``) holding 1-4 capitalised words per
value (:func:`name_shaped`, scored in :mod:`auditor.pii.classify`).
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from presidio_analyzer import EntityRecognizer, RecognizerResult

__all__ = ["LOCALES", "NameGazetteerRecognizer", "gazetteer", "name_shaped", "person_name_mask"]

LOCALES = (
    "en_US", "en_GB", "en_IE", "en_CA", "de_DE", "fr_FR", "es_ES", "es_MX", "it_IT", "nl_NL",
    "pt_PT", "sv_SE", "pl_PL",
)  # fmt: skip

# tokens that make a value an organisation, product or place rather than a person
_NOT_PERSON = frozenset(
    [
        "and",
        "&",
        "inc",
        "inc.",
        "llc",
        "ltd",
        "ltd.",
        "plc",
        "group",
        "co",
        "co.",
        "corp",
        "corporation",
        "company",
        "gmbh",
        "ag",
        "sa",
        "bv",
        "lake",
        "port",
        "mount",
        "fort",
        "east",
        "west",
        "north",
        "south",
        "new",
        "city",
        "county",
        "street",
        "st",
        "avenue",
        "ave",
        "road",
        "the",
        "of",
        "for",
        "with",
        "steel",
        "wooden",
        "plastic",
    ]
)


def _names(attr: Any) -> set[str]:
    if not isinstance(attr, (dict, list, tuple, set)):
        return set()
    items = list(attr)
    return {str(n).strip().lower() for n in items if str(n).strip()}


@lru_cache(maxsize=1)
def gazetteer() -> tuple[frozenset[str], frozenset[str]]:
    """(first names, last names), lower-cased, from Faker's person providers."""
    first: set[str] = set()
    last: set[str] = set()
    for loc in LOCALES:
        try:
            mod = importlib.import_module(f"faker.providers.person.{loc}")
        except ImportError:
            continue
        prov = mod.Provider
        for attr in ("first_names", "first_names_male", "first_names_female"):
            first |= _names(getattr(prov, attr, None))
        last |= _names(getattr(prov, "last_names", None))
    return frozenset(first), frozenset(last)


_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
_TITLES = frozenset(["mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame"])


def _score_name(value: str, first: frozenset[str], last: frozenset[str]) -> float:
    """0.85 for ``First Last`` (both in the gazetteer), 0.6 for ``Last, First`` or a lone first
    name, 0.5 for a lone last name; 0 when the value is not a plausible person name."""
    if any(ch.isdigit() for ch in value) or "@" in value or len(value) > 60:
        return 0.0
    tokens = [t.lower() for t in _TOKEN.findall(value)]
    tokens = [t for t in tokens if t not in _TITLES]
    if not tokens or len(tokens) > 4 or any(t in _NOT_PERSON for t in tokens):
        return 0.0
    if len(tokens) == 1:
        t = tokens[0]
        return 0.6 if t in first else (0.5 if t in last else 0.0)
    if "," in value and tokens[0] in last and tokens[-1] in first:
        return 0.6
    if tokens[0] in first and tokens[-1] in last:
        return 0.85
    if tokens[0] in first and tokens[-1] in first:
        return 0.5
    return 0.0


def name_shaped(value: str) -> bool:
    """1-4 capitalised alphabetic words (initials and ``O'Neil``/``Smith-Jones`` allowed):
    the shape of a person's name, whatever the language (``Wei Li``, ``Nguyen Van An``)."""
    words = value.split()
    if not 1 <= len(words) <= 4 or len(value) > 60:
        return False
    for w in words:
        core = w.rstrip(".,")
        if not core or not core[0].isupper() or not _TOKEN.fullmatch(core):
            return False
    return not any(w.lower().rstrip(".,") in _NOT_PERSON for w in words)


def person_name_mask(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """For unique string values: (is a person name, score) using the gazetteer."""
    first, last = gazetteer()
    scores = np.fromiter(
        (_score_name(v, first, last) for v in values.astype(str)), dtype=float, count=len(values)
    )
    return scores > 0, scores


class NameGazetteerRecognizer(EntityRecognizer):
    """PERSON in free text without NER: capitalised ``First Last`` pairs found in the gazetteer."""

    WORD = re.compile(r"\b[A-Z][a-zà-ÿ'’-]+\b|\b[A-Z]\.")

    def __init__(self) -> None:
        super().__init__(
            supported_entities=["PERSON"], name="NameGazetteerRecognizer", supported_language="en"
        )

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: Any = None
    ) -> list[RecognizerResult]:
        first, last = gazetteer()
        out: list[RecognizerResult] = []
        words = list(self.WORD.finditer(text))
        for i, m in enumerate(words[:-1]):
            a = m.group(0).lower()
            if a not in first or a in _NOT_PERSON:
                continue
            j = i + 1
            if words[j].group(0).endswith(".") and j + 1 < len(words):
                j += 1  # middle initial
            nxt = words[j]
            gap = text[m.end() : nxt.start()]
            b = nxt.group(0).lower()
            if gap.strip(" .") or b not in last or b in _NOT_PERSON:
                continue
            out.append(
                RecognizerResult(
                    "PERSON",
                    m.start(),
                    nxt.end(),
                    0.6,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: "NameGazetteerRecognizer",
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    },
                )
            )
        return out
