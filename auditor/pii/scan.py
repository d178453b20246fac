"""Scan one column: seeded row sample, per-column dedup, vectorised prefilter, batched Presidio.

Every count is in *sampled non-null rows* (a unique value's hits count once per row holding it).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from ..mask import mask
from .batch import Span, analyze_values, resolve_overlaps
from .dates import DateProfile, date_profile
from .engine import Engine
from .entities import ENTITIES, IDENTIFYING
from .lexicon import (
    ICD10,
    ambiguous_value,
    name_hint,
    normalise_name,
    offence_name_hint,
    special_category_of,
    value_category,
)
from .locations import UrlProfile, url_profile
from .names import everyday_mask, name_shaped, person_name_mask
from .settings import REGEX_FLAGS, WINDOW_CHARS, WINDOW_OVERLAP, ScanOptions, compile_regex
from .text_names import may_hold_name
from .textify import CellStats, to_text

__all__ = [
    "PREFILTER",
    "ColumnScan",
    "EntityHits",
    "column_context",
    "prefilter_mask",
    "scan_column",
    "text_is_free",
    "windows",
]

# a value that contains none of these cannot hold any pattern-tier entity (person names in
# structured columns are matched by the vectorised gazetteer instead; in free text the
# capitalised-pair alternative, and for the rest :func:`auditor.pii.text_names.may_hold_name`
# (titles, role words, initials, known first names in any case, CJK honorifics), send them to
# the text name recognizer). Deny-list terms and custom recognizer patterns from the policy
# are added per scan (:func:`prefilter_mask`).
PREFILTER = re.compile(
    r"[0-9@=]|://|www\.|\.[A-Za-z]{2,}\b|[A-Fa-f0-9]{2}[:-][A-Fa-f0-9]{2}|-----BEGIN",
)
_TEXT_NAMES = r"|\b[A-Z][a-z]+\s+(?:[A-Z]\.\s+)?[A-Z][a-z]+"
PREFILTER_TEXT = re.compile(PREFILTER.pattern + _TEXT_NAMES)


@lru_cache(maxsize=64)
def _prefilters(
    deny: tuple[str, ...], custom: tuple[str, ...], free: bool
) -> tuple[re.Pattern[str], tuple[Any, ...]]:
    """The vectorised prefilter extended with the deny-list terms (case-insensitive, as
    Presidio matches them), and the custom patterns compiled as Presidio compiles them."""
    pattern = PREFILTER.pattern + (_TEXT_NAMES if free else "")
    terms = sorted({t for t in deny if t}, key=len, reverse=True)
    if terms:
        pattern += "|(?i:" + "|".join(re.escape(t) for t in terms) + ")"
    return re.compile(pattern), tuple(compile_regex(c, REGEX_FLAGS) for c in custom)


def prefilter_mask(uniques: pd.Series, options: ScanOptions, free: bool) -> np.ndarray:
    """Which values can hold an entity: the built-in shapes, a deny-list term or a match of a
    policy's custom recognizer (values failing all three are never sent to Presidio)."""
    deny = tuple(v for values in options.deny_list.values() for v in values)
    custom = tuple(c.pattern for c in options.custom_recognizers)
    rx, extra = _prefilters(deny, custom, free)
    out = np.array(uniques.str.contains(rx).to_numpy(dtype=bool), dtype=bool)
    if free and not out.all():
        # names in lower case, after a title or before a CJK honorific (no capitalised pair)
        rest = np.flatnonzero(~out)
        out[rest] = may_hold_name([str(uniques.iat[int(k)]) for k in rest])
    if extra:
        for k in np.flatnonzero(~out):
            value = str(uniques.iat[int(k)])
            if any(c.search(value) for c in extra):
                out[k] = True
    return out


def windows(text: str, width: int = WINDOW_CHARS, overlap: int = WINDOW_OVERLAP) -> list[int]:
    """Start offsets of the overlapping windows a long text is scanned in (``[0]`` when it
    fits in one): consecutive windows share ``overlap`` characters and the last one reaches
    the end of the text."""
    if len(text) <= width:
        return [0]
    step = width - overlap
    return list(range(0, len(text) - overlap, step))


@dataclass
class EntityHits:
    rows: int = 0
    unique: int = 0
    score_sum: float = 0.0
    examples: list[str] = field(default_factory=list)

    @property
    def mean_score(self) -> float:
        return self.score_sum / self.rows if self.rows else 0.0


@dataclass
class ColumnScan:
    """Raw measurements of one column (classification happens in :mod:`auditor.pii.classify`)."""

    column: str
    dtype: str
    rows_total: int
    non_null: int
    rows_scanned: int
    unique_scanned: int
    analyzed_unique: int  # values sent to Presidio after the prefilter
    entities: dict[str, EntityHits]
    rows_with_pii: int  # rows with at least one identifying entity
    is_free_text: bool
    mean_tokens: float
    numeric: dict[str, float]  # for numeric columns: min, max, share > 89, share >= 4 decimals
    special_values: dict[str, int]  # special category -> rows whose value is in its vocabulary
    small_domain: bool  # <= 12 distinct values (categorical)
    digit_only_share: float  # share of scanned rows that are bare digit strings
    cells: CellStats
    small_values: list[str] = field(default_factory=list)  # distinct values of <= 12-value columns
    error: str = ""
    # share of scanned rows shaped like a person's name (1-4 capitalised alphabetic words);
    # measured for columns whose name suggests a person only
    name_shape_share: float = 0.0
    zero_padded: int = 0  # rows of 3-4 digit integers read as ZIP codes, padded to 5 digits
    dates: DateProfile | None = None  # values read as dates in national formats (auditor.pii.dates)
    urls: UrlProfile | None = None  # person-page / product-page URL shares (auditor.pii.locations)


def column_context(column: object) -> list[str]:
    """Context words for Presidio: the lower-cased name and its tokens (``e_mail`` -> ``email``)."""
    norm = normalise_name(column).strip("_")
    tokens = [t for t in norm.split("_") if t]
    words = [norm.replace("_", " "), norm.replace("_", ""), *tokens]
    return list(dict.fromkeys(w for w in words if w))


def text_is_free(mean_tokens: float, mean_len: float) -> bool:
    """Free text: on average more than 5 words, or longer than 60 characters with spaces."""
    return mean_tokens > 5.0 or (mean_len > 60 and mean_tokens > 3)


def _sample(s: pd.Series, options: ScanOptions, seed: int, index: int) -> pd.Series:
    notna = s.notna().to_numpy()
    positions = np.flatnonzero(notna)
    size = options.sample_size
    if size == "all" or len(positions) <= size:
        return s.iloc[positions]
    rng = np.random.default_rng([seed, index])
    chosen = np.sort(rng.choice(positions, size=int(size), replace=False))
    return s.iloc[chosen]


def _numeric_stats(s: pd.Series) -> dict[str, float]:
    x = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)
    x = x[np.isfinite(x)]
    if len(x) == 0:
        return {}
    frac = np.abs(x - np.round(x, 3))
    return {
        "min": float(x.min()),
        "max": float(x.max()),
        "share_over_89": float(np.mean(x > 89)),
        "share_integer": float(np.mean(x == np.round(x))),
        "share_4_decimals": float(np.mean(frac > 1e-9)),
    }


def _zip_padded(texts: pd.Series) -> tuple[pd.Series, int]:
    """ZIP codes read as integers (``2139`` for ``02139``): when 95 % of the rows are
    integers of 3-5 digits (``2139`` or ``2139.0``), pad them to 5 digits."""
    plain = texts.str.replace(r"\.0$", "", regex=True)
    shaped = plain.str.fullmatch(r"\d{3,5}").to_numpy(dtype=bool)
    if not len(texts) or shaped.mean() < 0.95:
        return texts, 0
    short = shaped & (plain.str.len() < 5).to_numpy(dtype=bool)
    out = texts.copy()
    out[shaped] = plain[shaped].str.zfill(5)
    return out, int(short.sum())


def _analyze_long(
    engine: Engine,
    values: list[str],
    lengths: np.ndarray,
    context: list[str],
    options: ScanOptions,
    free: bool,
) -> list[list[Span]]:
    """Spans per value (``lengths``: their lengths); values longer than one window are cut into
    overlapping windows and their spans mapped back (an entity in an overlap is found once).
    Windows the prefilter rules out are not analysed (outside the ``ner`` tier), so a 1 MB
    document costs what its PII-bearing windows cost. Shorter values are analysed whole."""
    is_long = np.asarray(lengths) > WINDOW_CHARS
    if not is_long.any():
        return analyze_values(engine, values, context, options)
    long: list[int] = np.flatnonzero(is_long).tolist()
    short: list[int] = np.flatnonzero(~is_long).tolist()
    out: list[list[Span]] = [[] for _ in values]
    if short:
        found = analyze_values(engine, [values[i] for i in short], context, options)
        for i, spans in zip(short, found, strict=True):
            out[i] = spans
    pieces: list[str] = []
    owner: list[tuple[int, int]] = []
    for i in long:
        v = values[i]
        for start in windows(v):
            pieces.append(v[start : start + WINDOW_CHARS])
            owner.append((i, start))
    if engine.tier != "ner":
        keep = prefilter_mask(pd.Series(pieces, dtype=object), options, free)
        pieces = [p for p, ok in zip(pieces, keep, strict=True) if ok]
        owner = [o for o, ok in zip(owner, keep, strict=True) if ok]
    merged: dict[int, set[Span]] = {i: set() for i in long}
    found = analyze_values(engine, pieces, context, options)
    for (i, start), spans in zip(owner, found, strict=True):
        for sp in spans:
            merged[i].add(Span(sp.entity, sp.start + start, sp.end + start, sp.score))
    for i, m in merged.items():
        out[i] = resolve_overlaps(sorted(m, key=lambda x: (x.start, x.entity)), context)
    return out


def _special_values(uniques: pd.Series, counts: np.ndarray, named: str | None) -> dict[str, int]:
    """Rows per special category whose value is in its vocabulary (or an ICD-10 code). A
    category found only through everyday words (``white``, ``black``: colours too) counts
    only when the column name names it."""
    special: Counter[str] = Counter()
    clear: set[str] = set()
    for pos, value in enumerate(uniques.tolist()):
        if len(value) > 80:  # vocabulary words, codes, offence descriptions and citations
            continue
        cat = value_category(value)
        if cat is None and ICD10.fullmatch(value.strip().upper()) and "." in value:
            cat = "health_data"
        if cat:
            special[cat] += int(counts[pos])
            if not ambiguous_value(value):
                clear.add(cat)
    return {c: n for c, n in special.items() if c in clear or c == named}


def scan_column(
    engine: Engine,
    s: pd.Series,
    column: str,
    index: int,
    options: ScanOptions,
    seed: int,
    *,
    as_text: bool = False,
) -> ColumnScan:
    """Measure column ``s``; ``as_text`` treats it as free text whatever its length (outputs)."""
    sample = _sample(s, options, seed, index)
    texts, cells = to_text(sample, options.max_cell_chars)
    texts = texts[texts.notna()]
    texts = texts[texts.str.strip().str.len() > 0]
    hint = name_hint(column)
    zero_padded = 0
    if hint is not None and hint.entity == "US_ZIP" and not as_text:
        texts, zero_padded = _zip_padded(texts)
    codes, uniques_arr = pd.factorize(texts, sort=False)
    counts = np.bincount(codes, minlength=len(uniques_arr)) if len(codes) else np.zeros(0, int)
    uniques = pd.Series(uniques_arr, dtype=object)
    rows_scanned = len(texts)
    entities: dict[str, EntityHits] = {}
    rows_with_pii = 0
    numeric = {}
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        numeric = _numeric_stats(sample)
    elif rows_scanned and uniques.str.fullmatch(r"[-+]?\d+(\.\d+)?").mean() > 0.95:
        numeric = _numeric_stats(texts)

    if len(uniques):
        lengths = uniques.str.len().to_numpy()
        ntok = uniques.str.count(r"\S+").to_numpy()
        mean_tokens = float(np.average(ntok, weights=counts))
        mean_len = float(np.average(lengths, weights=counts))
    else:
        lengths = ntok = np.zeros(0, int)
        mean_tokens = mean_len = 0.0
    free = as_text or text_is_free(mean_tokens, mean_len)
    digit_only = 0.0
    if len(uniques):
        bare = uniques.str.fullmatch(r"\s*\d+\s*").to_numpy(dtype=bool)
        digit_only = float(counts[bare].sum() / max(1, rows_scanned))

    # --- Presidio on the values that can match anything --------------------------------------
    if engine.tier == "ner":
        candidates = np.ones(len(uniques), dtype=bool)
    else:
        candidates = prefilter_mask(uniques, options, free)
    cand_idx = np.flatnonzero(candidates)
    spans_per: list[list[Span]] = []
    if len(cand_idx):
        spans_per = _analyze_long(
            engine,
            uniques.iloc[cand_idx].tolist(),
            lengths[cand_idx],
            column_context(column),
            options,
            free,
        )
    any_pii = np.zeros(len(uniques), dtype=bool)
    for k, spans in zip(cand_idx, spans_per, strict=True):
        if not spans:
            continue
        value = uniques.iat[k]
        n = int(counts[k])
        best: dict[str, Span] = {}
        for sp in spans:
            if sp.entity not in best or sp.score > best[sp.entity].score:
                best[sp.entity] = sp
        for ent, sp in best.items():
            h = entities.setdefault(ent, EntityHits())
            h.rows += n
            h.unique += 1
            h.score_sum += sp.score * n
            if len(h.examples) < 3:
                ex = mask(value[sp.start : sp.end], ent)
                if ex and ex not in h.examples:
                    h.examples.append(ex)
        if any(e in IDENTIFYING or e not in ENTITIES for e in best) or (not free and best):
            any_pii[k] = True

    # --- person names from the gazetteer (structured short values) ---------------------------
    person_hint = hint is not None and hint.entity == "PERSON"
    offence_named = offence_name_hint(column)  # charge, statute: offences when the values say so
    named_special = special_category_of(column) or (offence_named.entity if offence_named else None)
    if not free and len(uniques) and named_special is None:
        _gazetteer_names(uniques, counts, ntok, person_hint, any_pii, entities)
    name_shape = 0.0
    if person_hint and not free and rows_scanned:
        shaped = np.fromiter((name_shaped(v) for v in uniques), dtype=bool, count=len(uniques))
        name_shape = float(counts[shaped].sum() / rows_scanned)

    # --- special-category vocabularies and ICD-10 codes --------------------------------------
    small_domain = len(uniques) <= 12
    special = _special_values(uniques, counts, named_special) if len(uniques) and not free else {}

    rows_with_pii = int(counts[any_pii].sum()) if len(counts) else 0
    # dates in national formats (birth dates by name or by value) and what URLs point to
    dates: DateProfile | None = None
    urls: UrlProfile | None = None
    dob_named = hint is not None and hint.entity == "DATE_OF_BIRTH"
    if not free and len(uniques) and (not numeric or dob_named):
        dates = date_profile(uniques, counts, allow_compact=dob_named)
        if "URL" in entities or (hint is not None and hint.entity == "URL"):
            urls = url_profile(uniques, counts)
    return ColumnScan(
        column=column,
        dtype=str(s.dtype),
        rows_total=len(s),
        non_null=int(s.notna().sum()),
        rows_scanned=rows_scanned,
        unique_scanned=len(uniques),
        analyzed_unique=len(cand_idx),
        entities=entities,
        rows_with_pii=rows_with_pii,
        is_free_text=free,
        mean_tokens=round(mean_tokens, 2),
        numeric=numeric,
        special_values=special,
        small_domain=small_domain,
        digit_only_share=round(digit_only, 4),
        cells=cells,
        small_values=uniques.tolist() if small_domain else [],
        name_shape_share=round(name_shape, 4),
        zero_padded=zero_padded,
        dates=dates,
        urls=urls,
    )


#: column-level name inference (no person column name): share of sampled rows whose value the
#: name lexicons score (real first, last and full names 0.80-0.96; colours, cities, job titles,
#: brands, product names and common words 0.20-0.52, measured in ``docs/pii.md``), and for
#: multi-word values the share scored at least 0.5 (a known given name and surname, a title)
NAME_COLUMN_SHARE = 0.65
NAME_COLUMN_STRONG_SHARE = 0.3


#: distinct values (case-folded) per sampled row a names column has at least: names are
#: diverse (1,000 real defendants: 0.65 first names, 0.78 surnames), colours and brands repeat
NAME_COLUMN_DISTINCT = 0.2


def names_column(
    uniques: pd.Series, counts: np.ndarray, ntok: np.ndarray, named: np.ndarray, scores: np.ndarray
) -> bool:
    """Whether a column without a person name holds people's names from its values alone:
    more than 12 distinct values, case-folded at least :data:`NAME_COLUMN_DISTINCT` per row, of
    which enough rows are known names that are not everyday words (:data:`NAME_COLUMN_SHARE`;
    ``Brown``, ``May``, ``Rot`` do not count), multi-word values with a known pair or title
    (:data:`NAME_COLUMN_STRONG_SHARE`). ``named``/``scores`` are per unique value."""
    rows = int(counts.sum())
    if not rows or len(counts) <= 12 or len(counts) < NAME_COLUMN_DISTINCT * rows:
        return False
    if float(counts[named].sum()) / rows < NAME_COLUMN_SHARE:  # cheap test first
        return False
    everyday = np.zeros(len(named), dtype=bool)
    everyday[named] = everyday_mask(uniques[named])
    if float(counts[named & ~everyday].sum()) / rows < NAME_COLUMN_SHARE:
        return False
    distinct = uniques.astype(str).str.casefold().nunique()
    if distinct <= 12 or distinct < NAME_COLUMN_DISTINCT * rows:
        return False
    multi = float(counts[ntok >= 2].sum()) / rows
    strong = float(counts[scores >= 0.5].sum()) / rows
    return multi < 0.5 or strong >= NAME_COLUMN_STRONG_SHARE


def _gazetteer_names(
    uniques: pd.Series,
    counts: np.ndarray,
    ntok: np.ndarray,
    person_hint: bool,
    any_pii: np.ndarray,
    entities: dict[str, EntityHits],
) -> None:
    """PERSON hits from the name lexicons (:func:`auditor.pii.names.name_score`), added to
    ``entities``.

    In a column that holds names as a whole (:func:`names_column`: many distinct values, most
    of them known names, in any case) every value the lexicons score counts, so a column of
    colours, months, cities, brands or job titles, where a few values are names too (``May``,
    ``Ford``, ``Brown``), stays clean. In a column whose name says person, values scored 0.5 or
    more count (a lone known name, a title; not one known word among several, as in a ``name``
    column of product slogans); elsewhere only a known given name with a known surname. Without a
    person name, values of a special-category vocabulary (``White``, ``Christian``) are never
    names.
    """
    short = (uniques.str.len() <= 60).to_numpy()
    idx = np.flatnonzero(short & ~any_pii)
    if not len(idx):
        return
    is_name, scores = person_name_mask(uniques.iloc[idx])
    named = np.zeros(len(uniques), dtype=bool)
    named[idx] = is_name
    all_scores = np.zeros(len(uniques), dtype=float)
    all_scores[idx] = scores
    whole = names_column(uniques, counts, ntok, named, all_scores)
    for k, sc, multi in zip(idx[is_name], scores[is_name], ntok[idx][is_name] >= 2, strict=True):
        if not whole and not (person_hint and sc >= 0.5) and not (multi and sc >= 0.85):
            continue
        value = str(uniques.iat[int(k)])
        if not person_hint and value_category(value) is not None:
            continue
        n = int(counts[k])
        h = entities.setdefault("PERSON", EntityHits())
        h.rows += n
        h.unique += 1
        h.score_sum += float(sc) * n
        any_pii[k] = True
        if len(h.examples) < 3:
            h.examples.append(mask(value, "PERSON"))
