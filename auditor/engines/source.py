"""A lazy data source on an engine: the frame, its schema, cached engine-side aggregates, and
what the report says about the engine (rows it counted, passes, approximations)."""

from __future__ import annotations

import re
import threading
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import unquote

import pandas as pd

from ..errors import UsageError

__all__ = ["COUNT", "EngineRunError", "LazySource", "pandas_engine_dict"]

T = TypeVar("T")
COUNT = "__auditor_n"


class EngineRunError(UsageError):
    """An engine failed while computing an aggregate (e.g. an unreadable partition): exit 2 when
    it happens while the inputs are loaded, an errored check when it happens in a check.
    ``file`` is the Parquet file the engine named, when it named one (Spark does)."""

    def __init__(self, message: str, file: str | None = None) -> None:
        super().__init__(message)
        self.file = file


_SPARK_FILE = re.compile(r"reading file (\S+)")
_SPARK_CLASS = re.compile(r"\[([A-Z_]+(?:\.[A-Z_]+)*)\] Encountered error while reading file")


def engine_message(exc: BaseException, limit: int = 300) -> str:
    """One line from an engine exception: Py4J's Java message line, not its stack trace."""
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    if lines and lines[0].startswith("An error occurred while calling") and len(lines) > 1:
        lines = [lines[1].lstrip(": ")]
    lines = [ln for ln in lines if not ln.startswith(("at ", "..."))]
    text = " ".join(" ".join(lines[:3]).split())
    return (text[:limit] + ("..." if len(text) > limit else "")) or type(exc).__name__


def spark_file(exc: BaseException) -> str | None:
    """The file named by a Spark read error (``... reading file file:///x/part-1.parquet.``)."""
    m = _SPARK_FILE.search(str(exc))
    if m is None:
        return None
    path = m.group(1)
    if path.endswith(".") and not path.endswith(".."):
        path = path[:-1]
    for prefix in ("file://", "file:"):
        if path.startswith(prefix):
            path = path[len(prefix) :]
            break
    return unquote(path)


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
    collected: list[tuple[str, int]] = field(default_factory=list)  # (what, rows) per pass
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
            raise self.failure(exc, what) from None
        finally:
            self.passes += 1
            self.engine_seconds += time.perf_counter() - t0
        self.collected.append((what, len(out)))
        return out

    def failure(self, exc: BaseException, what: str) -> EngineRunError:
        """The error for a failed engine pass: one line, naming the file when the engine did."""
        text = engine_message(exc)
        file = spark_file(exc) if self.engine == "spark" else None
        if file is not None:
            cls = _SPARK_CLASS.search(str(exc))
            return EngineRunError(
                f"{file}: unreadable Parquet partition (engine spark: {what} failed"
                f"{': ' + cls.group(1) if cls else ''})",
                file=file,
            )
        return EngineRunError(
            f"engine {self.engine}: {what} failed on {self.origin}: {type(exc).__name__}: {text}"
        )

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
        """Non-null rows of ``column`` (from its value counts when the engine has them)."""
        key = f"value_counts|{column}"
        if key in self._cache:
            vc = self._cache[key]
            return int(vc.loc[vc[column].notna(), COUNT].sum())
        return self.non_null_counts([column])[column]

    def non_null_counts(self, columns: Sequence[str]) -> dict[str, int]:
        """Non-null count of each of ``columns`` (one pass reading every one of them)."""
        import narwhals as nw

        with self._lock:
            todo = [c for c in dict.fromkeys(columns) if f"non_null|{c}" not in self._cache]
            if todo:
                exprs = [nw.len().alias(COUNT)]
                exprs += [nw.col(c).count().alias(f"nn{i}") for i, c in enumerate(todo)]
                out = self.collect(self.frame().select(*exprs), "non-null counts")
                self.count_rows_from(int(out[COUNT].iloc[0]))
                for i, c in enumerate(todo):
                    self._cache[f"non_null|{c}"] = int(out[f"nn{i}"].iloc[0])
            return {c: int(self._cache[f"non_null|{c}"]) for c in columns}

    def column_counts(self, columns: Sequence[str]) -> tuple[int, dict[str, int], dict[str, int]]:
        """(rows, non-null counts, distinct non-null counts) of ``columns``, exact, in one pass
        for the columns not counted yet (cached per column)."""
        import narwhals as nw

        with self._lock:
            todo = [c for c in dict.fromkeys(columns) if f"counts|{c}" not in self._cache]
            if todo or "count_rows" not in self._cache:
                exprs = [nw.len().alias(COUNT)]
                for i, c in enumerate(todo):
                    exprs.append(nw.col(c).count().alias(f"nn{i}"))
                    exprs.append(nw.col(c).n_unique().alias(f"nu{i}"))
                out = self.collect(self.frame().select(*exprs), "non-null and distinct counts")
                rows = int(out[COUNT].iloc[0])
                self.count_rows_from(rows)
                self._cache["count_rows"] = rows
                for i, c in enumerate(todo):
                    nn = int(out[f"nn{i}"].iloc[0])
                    # n_unique counts null as one value: distinct non-null values
                    nu = int(out[f"nu{i}"].iloc[0]) - (1 if nn < rows else 0)
                    self._cache[f"counts|{c}"] = (nn, nu)
            rows = int(self._cache["count_rows"])
            nn_nu = {c: self._cache[f"counts|{c}"] for c in columns}
        return rows, {c: v[0] for c, v in nn_nu.items()}, {c: v[1] for c, v in nn_nu.items()}

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
            "rows_collected": sum(n for _, n in self.collected),
            "approximations": [dict(a) for a in self.approximations],
            "notes": list(self.notes),
        }


def pandas_engine_dict(reason: str | None = None) -> Mapping[str, Any]:
    """The ``inputs.engine`` entry of an in-memory run."""
    return {"name": "pandas", "lazy": False, "reason": reason or None, "approximations": []}
