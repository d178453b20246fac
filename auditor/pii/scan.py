"""Scan one column: seeded row sample, per-column dedup, vectorised prefilter, batched Presidio.

Every count is in *sampled non-null rows* (a unique value's hits count once per row holding it).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .batch import Span, analyze_values
from .engine import Engine
from .entities import ENTITIES, IDENTIFYING
from .lexicon import ICD10, normalise_name, value_category
from .mask import mask
from .names import person_name_mask
from .settings import ScanOptions
from .textify import CellStats, to_text

__all__ = ["ColumnScan", "EntityHits", "column_context", "scan_column", "text_is_free"]

# a value that contains none of these cannot hold any pattern-tier entity (person names in
# structured columns are matched by the vectorised gazetteer instead; in free text the
# capitalised-pair alternative sends them to the gazetteer recognizer)
PREFILTER = re.compile(
    r"[0-9@=]|://|www\.|\.[A-Za-z]{2,}\b|[A-Fa-f0-9]{2}[:-][A-Fa-f0-9]{2}|-----BEGIN",
)
PREFILTER_TEXT = re.compile(PREFILTER.pattern + r"|\b[A-Z][a-z]+\s+(?:[A-Z]\.\s+)?[A-Z][a-z]+")


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
        rx = PREFILTER_TEXT if free else PREFILTER
        candidates = uniques.str.contains(rx).to_numpy(dtype=bool)
    cand_idx = np.flatnonzero(candidates)
    spans_per: list[list[Span]] = []
    if len(cand_idx):
        spans_per = analyze_values(
            engine, uniques.iloc[cand_idx].tolist(), column_context(column), options
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
    if not free and len(uniques):
        short = (uniques.str.len() <= 60).to_numpy()
        idx = np.flatnonzero(short)
        if len(idx):
            is_name, scores = person_name_mask(uniques.iloc[idx])
            for k, sc in zip(idx[is_name], scores[is_name], strict=True):
                if any_pii[k]:
                    continue
                n = int(counts[k])
                h = entities.setdefault("PERSON", EntityHits())
                h.rows += n
                h.unique += 1
                h.score_sum += float(sc) * n
                any_pii[k] = True
                if len(h.examples) < 3:
                    h.examples.append(mask(uniques.iat[k], "PERSON"))

    # --- special-category vocabularies and ICD-10 codes --------------------------------------
    special: Counter[str] = Counter()
    small_domain = len(uniques) <= 12
    if len(uniques) and not free:
        for pos, value in enumerate(uniques.tolist()):
            if len(value) > 40:
                continue
            cat = value_category(value)
            if cat is None and ICD10.fullmatch(value.strip().upper()) and "." in value:
                cat = "health_data"
            if cat:
                special[cat] += int(counts[pos])

    rows_with_pii = int(counts[any_pii].sum()) if len(counts) else 0
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
        special_values=dict(special),
        small_domain=small_domain,
        digit_only_share=round(digit_only, 4),
        cells=cells,
        small_values=uniques.tolist() if small_domain else [],
    )
