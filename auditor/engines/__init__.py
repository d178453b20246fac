"""Audits beyond one machine: Parquet larger than memory, Dask / Spark / Polars frames in place.

The engine computes only small aggregates (per-group count tables, value counts, samples); the
rest of the audit runs on them exactly as on the in-memory path. See ``docs/scale.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_exports

if TYPE_CHECKING:
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

#: public name -> its submodule, imported on first use (PEP 562): importing one submodule of
#: this package must not load the others (pandas, numpy, Presidio) before they are needed
_LAZY = {
    "ENGINES": "backends",
    "LAZY_ENGINES": "backends",
    "EngineError": "backends",
    "open_data": "select",
    "uses_engines": "select",
    "EngineRunError": "source",
    "LazySource": "source",
}


__getattr__, __dir__ = lazy_exports(__name__, globals(), _LAZY, __all__)
