"""A lazy data source on an engine: the frame, its schema, cached engine-side aggregates, and
what the report says about the engine (rows it counted, passes, approximations)."""

from __future__ import annotations

import threading
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pandas as pd

from ..errors import UsageError

__all__ = ["COUNT", "EngineRunError", "LazySource", "pandas_engine_dict"]

T = TypeVar("T")
COUNT = "__auditor_n"


class EngineRunError(UsageError):
    """An engine failed while computing an aggregate (e.g. an unreadable partition): exit 2 when
    it happens while the inputs are loaded, an errored check when it happens in a check."""


@dataclass(eq=False)
class LazySource:
    """Data that stays in the engine. ``schema`` is a 0-row pandas frame with the real columns
    and dtypes (``ctx.dataset`` on a lazy run); every aggregate comes back through
    :meth:`collect`, small by construction (group-by results, samples)."""

    engine: str
    native: Any
    origin: str
    schema: pd.DataFrame
    files: tuple[str, ...] = ()
    metadata_rows: int | None = None
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    approximations: list[dict[str, Any]] = field(default_factory=list)
    rows_counted: int | None = None
    passes: int = 0
    engine_seconds: float = 0.0
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)
    _lock: Any = field(default_factory=threading.RLock, repr=False)

    # -- frames ------------------------------------------------------------------------------
    def frame(self) -> Any:
        """A fresh narwhals LazyFrame over the source."""
        import narwhals as nw

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            lf = nw.from_native(self.native)
        if isinstance(lf, nw.DataFrame):
            lf = lf.lazy()
        return lf

    def collect(self, lf: Any, what: str) -> pd.DataFrame:
        """Run ``lf`` on the engine and return the (small) result as pandas."""
        t0 = time.perf_counter()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FutureWarning)
                kwargs: dict[str, Any] = {"engine": "streaming"} if self.engine == "polars" else {}
                table = lf.collect(backend="pyarrow", **kwargs).to_native()
            out: pd.DataFrame = table.to_pandas()
        except Exception as exc:
            text = " ".join(str(exc).split())[:400] or type(exc).__name__
            raise EngineRunError(
                f"engine {self.engine}: {what} failed on {self.origin}: {type(exc).__name__}: {text}"
            ) from None
        finally:
            self.passes += 1
            self.engine_seconds += time.perf_counter() - t0
        return out

    def cached(self, key: str, compute: Callable[[], T]) -> T:
        with self._lock:
            if key not in self._cache:
                self._cache[key] = compute()
            return self._cache[key]  # type: ignore[no-any-return]

    # -- shared aggregates -------------------------------------------------------------------
    def value_counts(self, column: str) -> pd.DataFrame:
        """``column`` and ``COUNT``: every distinct value (null included) with its row count."""
        import narwhals as nw

        def compute() -> pd.DataFrame:
            lf = self.frame().group_by(column, drop_null_keys=False).agg(nw.len().alias(COUNT))
            out = self.collect(lf, f"distinct values of {column!r}")
            out[COUNT] = out[COUNT].astype("int64")
            self.count_rows_from(int(out[COUNT].sum()))
            return out

        return self.cached(f"value_counts|{column}", compute)

    def values(self, column: str) -> pd.Series:
        """The distinct values of ``column`` (nulls kept), dtype as pandas would read it."""
        vc = self.value_counts(column)
        out: pd.Series = vc[column].reset_index(drop=True)
        return out

    def non_null(self, column: str) -> int:
        vc = self.value_counts(column)
        return int(vc.loc[vc[column].notna(), COUNT].sum())

    def count_rows(self) -> int:
        import narwhals as nw

        def compute() -> int:
            out = self.collect(self.frame().select(nw.len().alias(COUNT)), "row count")
            n = int(out[COUNT].iloc[0])
            self.count_rows_from(n)
            return n

        return self.cached("count_rows", compute)

    def count_rows_from(self, n: int) -> None:
        """Record the engine's row count (every full aggregate counts every row)."""
        if self.rows_counted is None:
            self.rows_counted = n
        elif self.rows_counted != n:
            self.notes.append(
                f"row counts differ between engine passes ({self.rows_counted} vs {n}): the "
                "source changed during the audit"
            )

    @property
    def rows(self) -> int:
        if self.rows_counted is not None:
            return self.rows_counted
        if self.metadata_rows is not None:
            return self.metadata_rows
        return self.count_rows()

    def approximate(self, what: str, method: str, error_bound: str) -> None:
        item = {"what": what, "method": method, "error_bound": error_bound}
        if item not in self.approximations:
            self.approximations.append(item)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.engine,
            "lazy": True,
            "reason": self.reason or None,
            "source": self.origin,
            "files": len(self.files) or None,
            "rows_metadata": self.metadata_rows,
            "rows_counted": self.rows_counted,
            "passes": self.passes,
            "engine_seconds": round(self.engine_seconds, 3),
            "approximations": [dict(a) for a in self.approximations],
            "notes": list(self.notes),
        }


def pandas_engine_dict(reason: str = "") -> Mapping[str, Any]:
    """The ``inputs.engine`` entry of an in-memory run."""
    return {"name": "pandas", "lazy": False, "reason": reason or None, "approximations": []}
