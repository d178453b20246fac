"""Model outputs: which text outputs to scan, and known-value leakage by hashed set lookup."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from ..context import Context

__all__ = ["KnownValues", "Leak", "find_leaks", "known_values", "text_outputs"]

MIN_KNOWN_LEN = 5  # shorter values ("Bob", "M") match by chance; never used as known values
MAX_NGRAM = 4


def _is_text(s: pd.Series) -> bool:
    if pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
        return False
    sample = s.dropna().head(200)
    return bool(len(sample)) and bool(sample.map(lambda v: isinstance(v, str)).mean() > 0.5)


def text_outputs(ctx: Context, columns: Sequence[str]) -> dict[str, pd.Series]:
    """Text outputs: the given columns, the prediction column when it holds text, else the
    model's ``predict`` output when it is text."""
    out: dict[str, pd.Series] = {}
    for c in columns:
        out[c] = ctx.dataset[c]
    if ctx.prediction is not None and ctx.prediction not in out:
        s = ctx.dataset[ctx.prediction]
        if _is_text(s):
            out[ctx.prediction] = s
    elif ctx.prediction is None and ctx.model is not None and not out:
        s = ctx.y_pred
        if _is_text(s):
            out["model.predict"] = s
    return out


def _norm(values: pd.Series) -> pd.Series:
    return values.astype(str).str.strip().str.casefold().str.replace(r"\s+", " ", regex=True)


def _hash(values: pd.Series) -> np.ndarray:
    return pd.util.hash_array(values.to_numpy(dtype=object)).astype(np.uint64)


@dataclass(frozen=True)
class KnownValues:
    """Hashes (uint64, sorted) of identifier values per source column; no value is kept."""

    hashes: dict[str, np.ndarray]

    @property
    def size(self) -> int:
        return sum(len(h) for h in self.hashes.values())


def known_values(df: pd.DataFrame, columns: Sequence[str]) -> KnownValues:
    """Every distinct value (>= MIN_KNOWN_LEN characters) of ``columns``, hashed."""
    out: dict[str, np.ndarray] = {}
    for c in columns:
        s = df[c].dropna()
        if s.empty:
            continue
        v = _norm(s.map(lambda x: x if isinstance(x, str) else str(x)))
        v = v[v.str.len() >= MIN_KNOWN_LEN].drop_duplicates()
        out[c] = np.unique(_hash(v))
    return KnownValues(out)


_TOKEN = re.compile(r"[^\s,;:!?()\[\]{}\"'<>]+")


def _candidates(text: str) -> list[str]:
    """The whole text, and every 1..MAX_NGRAM-token window (trailing dots stripped)."""
    toks = [t.rstrip(".") for t in _TOKEN.findall(text)]
    cands = [text]
    for size in range(1, MAX_NGRAM + 1):
        for i in range(len(toks) - size + 1):
            cands.append(" ".join(toks[i : i + size]))
    return cands


@dataclass(frozen=True)
class Leak:
    rows: int  # output rows containing at least one known value
    rows_scanned: int
    by_source: dict[str, int]  # source column -> output rows with one of its values


def find_leaks(outputs: pd.Series, known: KnownValues, max_chars: int = 10_000) -> Leak:
    """Output rows that contain a known identifier verbatim (case/space-insensitive)."""
    texts = outputs.dropna().astype(str).str.slice(0, max_chars)
    codes, uniques = pd.factorize(texts)
    counts = np.bincount(codes, minlength=len(uniques)) if len(codes) else np.zeros(0, int)
    leaked = np.zeros(len(uniques), dtype=bool)
    by_source: dict[str, int] = {}
    for i, text in enumerate(uniques):
        cands = pd.Series(_candidates(str(text)), dtype=object)
        cands = _norm(cands)
        cands = cands[cands.str.len() >= MIN_KNOWN_LEN]
        if cands.empty:
            continue
        h = np.unique(_hash(cands))
        for col, hashes in known.hashes.items():
            if np.isin(h, hashes, assume_unique=True).any():
                leaked[i] = True
                by_source[col] = by_source.get(col, 0) + int(counts[i])
    return Leak(int(counts[leaked].sum()) if len(counts) else 0, len(texts), by_source)
