"""Audits beyond one machine: Parquet larger than memory, Dask / Spark / Polars frames in place.

The engine computes only small aggregates (per-group count tables, value counts, samples); the
rest of the audit runs on them exactly as on the in-memory path. See ``docs/scale.md``.
"""

from __future__ import annotations

from .backends import ENGINES, LAZY_ENGINES, EngineError
from .select import open_data, uses_engines
from .source import EngineRunError, LazySource

__all__ = [
    "ENGINES",
    "LAZY_ENGINES",
    "EngineError",
    "EngineRunError",
    "LazySource",
    "open_data",
    "uses_engines",
]
