"""Cells to text: bytes, nested JSON, numbers and huge cells, with every exclusion counted."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .settings import WINDOW_CHARS

__all__ = ["CellStats", "to_text"]


@dataclass
class CellStats:
    """What happened to the sampled cells of one column on their way to text.

    Cells up to the cap (``max_cell_chars``) are scanned whole, in windows of
    :data:`~auditor.pii.settings.WINDOW_CHARS` when longer (``windowed``); a cell over the cap is
    scanned on its first ``max_cell_chars`` characters (``truncated``) and the characters left
    out are counted (``chars_not_scanned``).
    """

    binary: int = 0  # bytes that are not UTF-8 text (not scanned; possible biometric/image data)
    nested: int = 0  # dict/list cells flattened to JSON text
    truncated: int = 0  # cells longer than max_cell_chars (scanned on their first part)
    mixed_types: dict[str, int] = field(default_factory=dict)
    chars_not_scanned: int = 0  # characters of truncated cells beyond max_cell_chars
    windowed: int = 0  # cells scanned (after the cap) longer than WINDOW_CHARS: in windows


def _cap(text: str, stats: CellStats, limit: int) -> str:
    if min(len(text), limit) > WINDOW_CHARS:  # what is scanned, after the cut
        stats.windowed += 1
    if len(text) > limit:
        stats.truncated += 1
        stats.chars_not_scanned += len(text) - limit
        return text[:limit]
    return text


def _one(value: Any, stats: CellStats, limit: int) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        text = value
    elif isinstance(value, (bytes, bytearray, memoryview)):
        raw = bytes(value)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            stats.binary += 1
            return None
        if any(ord(c) < 9 for c in text[:256]):
            stats.binary += 1
            return None
    elif isinstance(value, (dict, list, tuple)):
        stats.nested += 1
        try:
            text = json.dumps(value, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            text = str(value)
    elif isinstance(value, np.ndarray):
        stats.nested += 1
        text = json.dumps(value.tolist(), default=str)
    elif isinstance(value, float):
        if math.isnan(value):
            return None
        text = repr(value)
    else:
        text = str(value)
    return _cap(text, stats, limit)


def to_text(values: pd.Series, limit: int) -> tuple[pd.Series, CellStats]:
    """Sampled non-null cells -> strings (None for cells that cannot be scanned), each cut to
    ``limit`` characters (what is cut off is counted in the returned stats)."""
    stats = CellStats()
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype(str), stats
    if pd.api.types.is_integer_dtype(values.dtype):
        return values.astype("int64").astype(str), stats
    if pd.api.types.is_float_dtype(values.dtype):
        return pd.Series([repr(float(v)) for v in values], index=values.index, dtype=object), stats
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values.astype(str), stats
    if pd.api.types.is_string_dtype(values.dtype) and not pd.api.types.is_object_dtype(
        values.dtype
    ):
        s = values.astype(object)
        lengths = s.str.len()
        stats.windowed = int((lengths.clip(upper=limit) > WINDOW_CHARS).sum())
        long = lengths > limit
        if long.any():
            stats.truncated = int(long.sum())
            stats.chars_not_scanned = int((lengths[long] - limit).sum())
            s = s.where(~long, s.str.slice(0, limit))
        return s, stats
    types: dict[str, int] = {}
    out = []
    for v in values.tolist():
        name = type(v).__name__
        types[name] = types.get(name, 0) + 1
        out.append(_one(v, stats, limit))
    if len(types) > 1:
        stats.mixed_types = dict(sorted(types.items()))
    return pd.Series(out, index=values.index, dtype=object), stats
