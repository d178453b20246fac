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


_TOKEN = re.compile(r"[^\s,;:!?()\[\]{}\"'<>]+")
MAX_WINDOW = 16  # longest known value matched, in tokens (longer ones: whole output text only)
_CHUNK = 1_000_000  # candidate windows hashed and looked up at once (caps the memory used)


def _tokens(text: str) -> list[str]:
    """Case-folded tokens, split at spaces and punctuation, trailing dots stripped: the one
    normal form of known values and of output windows (``(415) 555-0132`` -> ``415 555-0132``)."""
    return [t for t in (t.rstrip(".") for t in _TOKEN.findall(text.casefold())) if t]


def _key(text: str) -> str:
    return " ".join(_tokens(text))


def _hash(values: pd.Series) -> np.ndarray:
    return pd.util.hash_array(values.to_numpy(dtype=object)).astype(np.uint64)


@dataclass(frozen=True)
class KnownValues:
    """Hashes (uint64, sorted) of identifier values per source column, in token normal form;
    ``sizes``: the token counts present (windows of these sizes are looked up). No value is
    kept."""

    hashes: dict[str, np.ndarray]
    sizes: tuple[int, ...] = ()
    too_long: int = 0  # values over MAX_WINDOW tokens (matched against whole outputs only)

    @property
    def size(self) -> int:
        return sum(len(h) for h in self.hashes.values())


def known_values(df: pd.DataFrame, columns: Sequence[str]) -> KnownValues:
    """Every distinct value (>= MIN_KNOWN_LEN characters in normal form) of ``columns``,
    tokenised like the outputs and hashed."""
    out: dict[str, np.ndarray] = {}
    sizes: set[int] = set()
    too_long = 0
    for c in columns:
        s = df[c].dropna()
        if s.empty:
            continue
        text = s.map(lambda x: x if isinstance(x, str) else str(x)).drop_duplicates()
        keys = text.map(_key)
        keys = keys[keys.str.len() >= MIN_KNOWN_LEN].drop_duplicates()
        if keys.empty:
            continue
        ntok = keys.str.count(" ") + 1
        sizes |= {int(n) for n in ntok.unique() if n <= MAX_WINDOW}
        too_long += int((ntok > MAX_WINDOW).sum())
        out[c] = np.unique(_hash(keys))
    return KnownValues(out, tuple(sorted(sizes)), too_long)


def _candidates(text: str, sizes: Sequence[int]) -> list[str]:
    """The whole text and every window of ``sizes`` tokens, in normal form."""
    toks = _tokens(text)
    cands = [" ".join(toks)]
    for size in sizes:
        for i in range(len(toks) - size + 1):
            cands.append(" ".join(toks[i : i + size]))
    return cands


@dataclass(frozen=True)
class Leak:
    rows: int  # output rows containing at least one known value
    rows_scanned: int
    by_source: dict[str, int]  # source column -> output rows with one of its values


def find_leaks(outputs: pd.Series, known: KnownValues, max_chars: int = 1_000_000) -> Leak:
    """Output rows that contain a known identifier verbatim (case-, space- and
    punctuation-insensitive: the same token normal form on both sides)."""
    texts = outputs.dropna().astype(str).str.slice(0, max_chars)
    codes, uniques = pd.factorize(texts)
    counts = np.bincount(codes, minlength=len(uniques)) if len(codes) else np.zeros(0, int)
    hit = {col: np.zeros(len(uniques), dtype=bool) for col in known.hashes}
    cands: list[str] = []
    owner: list[int] = []  # index of the distinct output text each candidate comes from

    def lookup() -> None:
        if not cands:
            return
        h = _hash(pd.Series(cands, dtype=object))
        own = np.asarray(owner, dtype=np.intp)
        for col, hashes in known.hashes.items():
            hit[col][own[np.isin(h, hashes)]] = True
        cands.clear()
        owner.clear()

    if hit:
        for i, text in enumerate(uniques):
            for c in _candidates(str(text), known.sizes):
                if len(c) >= MIN_KNOWN_LEN:
                    cands.append(c)
                    owner.append(i)
            if len(cands) >= _CHUNK:
                lookup()
        lookup()
    leaked = np.zeros(len(uniques), dtype=bool)
    first: dict[str, int] = {}  # first leaking text per source: keeps the key order of by_source
    for col, rows in hit.items():
        if rows.any():
            leaked |= rows
            first[col] = int(np.argmax(rows))
    by_source = {col: int(counts[hit[col]].sum()) for col in sorted(first, key=first.__getitem__)}
    return Leak(int(counts[leaked].sum()) if len(counts) else 0, len(texts), by_source)
