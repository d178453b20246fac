"""The Presidio analyzer for a tier, built once per settings and cached (never a bare AnalyzerEngine()).

- ``patterns``: Presidio's ``NoOpNlpEngine``: regex/checksum recognizers; context only from
  the column name passed explicitly.
- ``context`` (default): a blank spaCy English tokenizer plus a lower-case lemma component, so
  in-text context words ("my ssn is ...") raise scores. No model files.
- ``ner``: an installed spaCy pipeline (name or path) adds PERSON, LOCATION and NRP. NER
  DATE/TIME is left unmapped (it fires on card numbers and phone fragments). When the pipeline
  is not installed the engine falls back to ``context`` and says so (:attr:`Engine.note`).
"""

from __future__ import annotations

import bisect
import copy
import os
import re
import threading
import warnings
from dataclasses import dataclass
from typing import Any

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from presidio_analyzer import (
    AnalyzerEngine,
    EntityRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerRegistry,
    RecognizerResult,
)
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpEngineProvider, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import (
    UkNinoRecognizer,
    UsMbiRecognizer,
)

from .names import gazetteer
from .national_ids import national_id_recognizers, presidio_national_id_recognizers
from .recognizers import PhoneNumberRecognizer, extra_recognizers
from .settings import ScanOptions
from .text_names import TextNameRecognizer, common_words

__all__ = ["BOUNDARY", "Engine", "get_engine", "ner_available"]

BOUNDARY = "§§§"  # token that separates joined values; context never crosses it

# Presidio's no-op NLP engine: no tokens, so context only from the words passed explicitly
_NOOP_CONF = {"nlp_engine_name": "no_op", "models": [{"lang_code": "en", "model_name": "no_op"}]}
_NER_IGNORE = [
    "ORGANIZATION", "CARDINAL", "EVENT", "LANGUAGE", "LAW", "MONEY", "ORDINAL", "PERCENT",
    "PRODUCT", "QUANTITY", "WORK_OF_ART", "DATE", "TIME",
]  # fmt: skip
_NER_MAP = {
    "PERSON": "PERSON", "PER": "PERSON", "NORP": "NRP", "FAC": "LOCATION", "LOC": "LOCATION",
    "GPE": "LOCATION", "ORG": "ORGANIZATION",
}  # fmt: skip


@dataclass(frozen=True)
class Engine:
    """A built analyzer: the tier actually used, and a note when it differs from the request."""

    analyzer: AnalyzerEngine
    tier: str
    requested_tier: str
    note: str = ""
    model: str | None = None
    entities: tuple[str, ...] = ()
    # same recognizers on Presidio's no-op NLP engine: values that contain no recognizer
    # context word (``context_words``) get identical results from it without the spaCy
    # tokenizer; both are set in the context tier only, always together
    fast: AnalyzerEngine | None = None
    context_words: re.Pattern[str] | None = None


class _BlankSpacyNlpEngine(SpacyNlpEngine):
    """spaCy tokenizer only, with ``lemma_ = lower_`` so Presidio's lemma context matching works."""

    def load(self) -> None:
        import spacy
        from spacy.language import Language

        if "auditor_lower_lemma" not in Language.factories:

            @Language.component("auditor_lower_lemma")
            def _lower_lemma(doc: Any) -> Any:
                for tok in doc:
                    tok.lemma_ = tok.lower_
                return doc

        nlp = spacy.blank("en")
        nlp.add_pipe("auditor_lower_lemma")
        self.nlp = {"en": nlp}  # type: ignore[assignment]


class _BoundedEnhancer(LemmaContextAwareEnhancer):
    """Presidio's lemma context enhancer with three changes: the token of a match is found by
    bisection (Presidio scans every token for every match, quadratic on long texts); the
    context walk stops at :data:`BOUNDARY`, so joined values never lend each other context;
    and recognizer context words Presidio can never match are matched: stop words (``call``
    is a spaCy stop word, so Presidio drops it from the window) and phrases of two or three
    words (``medical record``, ``patient id``: Presidio compares single tokens only).

    ``vocabulary`` is every recognizer context word (lower case); stop-word tokens and n-grams
    of the window count only when they equal one, so nothing else changes."""

    def __init__(self, vocabulary: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.vocabulary = vocabulary
        self.max_words = max((len(w.split()) for w in vocabulary), default=1)

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: Any,
        recognizers: list[Any],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """Same rule as Presidio's (+0.35, floor 0.4, cap 1.0 when a recognizer's context word
        is near the match or in ``context``) without deep-copying every result."""
        by_id = {r.id: r for r in recognizers}
        extra = [w.lower() for w in context or []]
        out: list[RecognizerResult] = []
        for raw in raw_results:
            res = copy.copy(raw)
            out.append(res)
            meta = res.recognition_metadata or {}
            rec = by_id.get(meta.get(RecognizerResult.RECOGNIZER_IDENTIFIER_KEY))
            if rec is None or not rec.context:
                continue
            if meta.get(RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY):
                continue
            words = self._extract_surrounding_words(nlp_artifacts, "", res.start) + extra
            if self._find_supportive_word_in_context(
                words, rec.context, self.context_matching_mode
            ):
                res.score = min(
                    max(
                        res.score + self.context_similarity_factor,
                        self.min_score_with_context_similarity,
                    ),
                    1.0,
                )
        return out

    def _extract_surrounding_words(self, nlp_artifacts: Any, word: str, start: int) -> list[str]:
        tokens = nlp_artifacts.tokens if nlp_artifacts is not None else None
        if not tokens:
            return [""]
        cache = getattr(nlp_artifacts, "_auditor_cache", None)
        if cache is None:
            texts = [t.text for t in tokens]
            ends = [i + len(t) for i, t in zip(nlp_artifacts.tokens_indices, texts, strict=True)]
            # whitespace-separated words (spaCy splits "id" into "i" + "d", "id:" into three)
            word_of: list[int] = []
            words_text: list[str] = []
            glued = False
            for t in tokens:
                space = t.text.isspace()
                if glued and not space:
                    words_text[-1] += t.text
                else:
                    words_text.append("" if space else t.text)
                word_of.append(len(words_text) - 1)
                glued = not space and not t.whitespace_
            words_text = [w.lower().strip(_PUNCT) for w in words_text]
            cache = (texts, ends, set(nlp_artifacts.keywords), nlp_artifacts.lemmas, word_of,
                     words_text)  # fmt: skip
            nlp_artifacts._auditor_cache = cache
        texts, ends, keywords, lemmas, word_of, words_text = cache
        index = bisect.bisect_right(ends, start)
        if index >= len(texts):
            return [""]
        words: list[str] = []
        visited: set[int] = set()
        for step, count in ((-1, self.context_prefix_count), (1, self.context_suffix_count)):
            i, remaining = index, count + 1
            while 0 <= i < len(texts) and remaining > 0:
                if BOUNDARY[0] in texts[i]:
                    break
                lemma = lemmas[i].lower()
                visited.add(word_of[i])
                if lemma in keywords:
                    words.append(lemma)
                    remaining -= 1
                i += step
        if self.vocabulary:
            run = sorted(visited)
            for size in range(1, self.max_words + 1):
                for j in range(len(run) - size + 1):
                    if run[j + size - 1] - run[j] == size - 1:  # adjacent words only
                        phrase = " ".join(words_text[run[j] : run[j] + size])
                        if phrase in self.vocabulary:
                            words.append(phrase)
        return list(set(words))


_PUNCT = ".,;:!?()[]{}<>\"'"


_NER_NAME = "SpacyRecognizer"
_NER_WEAK = frozenset({"PERSON", "LOCATION", "NRP"})


def _drop_weak_ner(text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
    """NER PERSON/LOCATION/NRP spans the text contradicts (a small English model on tickets in
    any language reads ``Llamar al 933107669`` and ``Corso Cochi`` as persons): spans with
    digits, spans overlapping another recognizer's confident finding of another type (a street
    address, a national id), and one-word persons that are no known name (``Colis``) or an
    everyday word (``Der``)."""
    key = RecognizerResult.RECOGNIZER_NAME_KEY
    ner = [r for r in results if (r.recognition_metadata or {}).get(key) == _NER_NAME]
    if not ner:
        return results
    others = [
        r
        for r in results
        if (r.recognition_metadata or {}).get(key) != _NER_NAME and r.score >= 0.5
    ]
    first, last = gazetteer()
    drop: set[int] = set()
    for r in ner:
        if r.entity_type not in _NER_WEAK:
            continue
        piece = text[r.start : r.end]
        word = piece.strip(_PUNCT).lower()
        if (
            any(c.isdigit() for c in piece)
            or BOUNDARY[0] in piece
            or any(o.entity_type != r.entity_type and o.start < r.end and r.start < o.end
                   for o in others)
            or (r.entity_type == "PERSON" and " " not in word
                and ((word not in first and word not in last) or word in common_words()))
        ):  # fmt: skip
            drop.add(id(r))
    return [r for r in results if id(r) not in drop]


class _Analyzer(AnalyzerEngine):
    """AnalyzerEngine whose recognizer-level context step groups results by recognizer once
    (Presidio filters all results once per recognizer: recognizers x results), and which drops
    the NER spans the text contradicts (:func:`_drop_weak_ner`)."""

    def _enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: Any,
        recognizers: list[Any],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        raw_results = _drop_weak_ner(text, raw_results)
        key = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY
        by_id: dict[str, list[RecognizerResult]] = {}
        for r in raw_results:
            by_id.setdefault(r.recognition_metadata[key], []).append(r)
        results: list[RecognizerResult] = []
        for rec in recognizers:
            own = by_id.get(rec.id, [])
            if type(rec).enhance_using_context is EntityRecognizer.enhance_using_context:
                results.extend(own)  # the base implementation returns its input unchanged
                continue
            others = [r for r in raw_results if r.recognition_metadata[key] != rec.id]
            results.extend(
                rec.enhance_using_context(
                    text=text,
                    raw_recognizer_results=own,
                    other_raw_recognizer_results=others,
                    nlp_artifacts=nlp_artifacts,
                    context=context,
                )
            )
        return self.context_aware_enhancer.enhance_using_context(
            text=text,
            raw_results=results,
            nlp_artifacts=nlp_artifacts,
            recognizers=recognizers,
            context=context,
        )


def ner_available(model: str) -> bool:
    """Whether the spaCy pipeline ``model`` (package name or directory) can be loaded offline."""
    import importlib.util
    from pathlib import Path

    if Path(model).is_dir():
        return (Path(model) / "meta.json").is_file() or (Path(model) / "config.cfg").is_file()
    return importlib.util.find_spec(model) is not None


def _nlp_engine(options: ScanOptions) -> tuple[Any, str, str]:
    tier = options.tier
    if tier == "ner":
        if ner_available(options.ner_model):
            conf = {
                "nlp_engine_name": "spacy",
                "models": [{"lang_code": "en", "model_name": options.ner_model}],
                "ner_model_configuration": {
                    "model_to_presidio_entity_mapping": _NER_MAP,
                    "low_confidence_score_multiplier": 0.4,
                    "low_score_entity_names": ["ORG"],
                    "labels_to_ignore": _NER_IGNORE,
                },
            }
            return NlpEngineProvider(nlp_configuration=conf).create_engine(), "ner", ""
        note = (
            f"NER pipeline {options.ner_model!r} is not installed; fell back to the context tier "
            "(no PERSON/LOCATION from NER: names come from the gazetteer and from name-shaped "
            "values in person-named columns). "
            "Install it with: pip install 'auditor[ner]'"
        )
        tier = "context"
    else:
        note = ""
    if tier == "context":
        eng = _BlankSpacyNlpEngine(models=[{"lang_code": "en", "model_name": "blank"}])
        eng.load()
        return eng, "context", note
    return NlpEngineProvider(nlp_configuration=_NOOP_CONF).create_engine(), "patterns", note


def _analyzer(nlp: Any, registry: RecognizerRegistry, vocabulary: frozenset[str]) -> _Analyzer:
    """The analyzer on ``nlp`` with the recognizers of ``registry`` (no score floor: thresholds
    are applied per entity type afterwards) and the bounded context enhancer."""
    with warnings.catch_warnings():
        # no_op engine: "cannot use context words from the analyzed text" is expected there;
        # context from the column name (passed explicitly) still applies
        warnings.simplefilter("ignore", UserWarning)
        return _Analyzer(
            nlp_engine=nlp,
            registry=registry,
            supported_languages=["en"],
            default_score_threshold=0.0,
            context_aware_enhancer=_BoundedEnhancer(vocabulary),
        )


def _build(options: ScanOptions) -> Engine:
    nlp, tier, note = _nlp_engine(options)
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=nlp)
    if tier != "ner":
        # no NER model: the spaCy recognizer can find nothing, and the entity types it
        # declares (AGE, EMAIL, ID, ...) would be requested from recognizers that lack them
        registry.remove_recognizer("SpacyRecognizer")
    registry.remove_recognizer("PhoneRecognizer")
    registry.remove_recognizer("CreditCardRecognizer")  # PaymentCardRecognizer: every network
    registry.remove_recognizer("NhsRecognizer")  # needs context: national_ids._PRESIDIO
    registry.add_recognizer(
        PhoneNumberRecognizer(
            boundary=BOUNDARY,
            supported_regions=tuple(options.phone_regions),
            context=["phone", "telephone", "tel", "mobile", "cell", "fax", "call", "number"],
        )
    )
    for rec in extra_recognizers():
        registry.add_recognizer(rec)
    # disabled by default in Presidio, cheap and specific: UK National Insurance, US Medicare
    registry.add_recognizer(UkNinoRecognizer())
    registry.add_recognizer(UsMbiRecognizer())
    # PERSON without NER: titles, lexicon pairs in any case, initials, CJK honorifics
    registry.add_recognizer(TextNameRecognizer())
    # national ids validated by check digit or format rule (ours, and Presidio's country
    # recognizers for the others), for every language the analyzer scans
    for lang in registry.supported_languages:
        for rec in (*national_id_recognizers(lang), *presidio_national_id_recognizers(lang)):
            registry.add_recognizer(rec)
    for i, c in enumerate(options.custom_recognizers):
        registry.add_recognizer(
            PatternRecognizer(
                supported_entity=c.entity,
                name=f"custom_{i}_{c.entity}",
                patterns=[Pattern(c.entity.lower(), c.pattern, c.score)],
                context=list(c.context),
            )
        )
    for entity, values in options.deny_list.items():
        if values:
            registry.add_recognizer(
                PatternRecognizer(
                    supported_entity=entity,
                    name=f"deny_{entity}",
                    deny_list=list(values),
                    deny_list_score=1.0,
                )
            )
    vocabulary = frozenset(
        str(w).lower().strip() for rec in registry.recognizers for w in (rec.context or []) if w
    )
    analyzer = _analyzer(nlp, registry, vocabulary)
    model = options.ner_model if tier == "ner" else None
    entities = tuple(sorted(analyzer.get_supported_entities("en")))
    fast = None
    words_rx = None
    if tier == "context":
        # the same recognizers (no SpacyRecognizer outside the ner tier) on the no-op engine
        fast = _analyzer(
            NlpEngineProvider(nlp_configuration=_NOOP_CONF).create_engine(), registry, vocabulary
        )
        ordered = sorted(vocabulary, key=len, reverse=True)
        words_rx = re.compile("|".join(re.escape(w) for w in ordered))
    return Engine(analyzer, tier, options.tier, note, model, entities, fast, words_rx)


_CACHE: dict[str, Engine] = {}
_LOCK = threading.Lock()


def get_engine(options: ScanOptions) -> Engine:
    """The engine for these options, built once per process and settings."""
    key = options.engine_key()
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = _build(options)
        return _CACHE[key]
