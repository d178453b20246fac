"""Choose the engine for an input and open it: ``auto`` keeps pandas while the data fits
comfortably in memory (estimated from the Parquet footers against the available RAM)."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..data import DatasetInfo, describe_frame, load_dataset, sha256_file
from ..errors import InputError, UsageError
from .backends import (
    ENGINES,
    LAZY_ENGINES,
    EngineError,
    available,
    live_engine,
    native_engine,
    need,
)
from .parquet import ParquetMeta, drift_notes, is_parquet_input, read_footers
from .readers import scan_parquet, union_dtypes
from .source import EngineRunError, LazySource

__all__ = ["PANDAS_SHARE", "available_memory", "choose_engine", "open_data", "uses_engines"]

#: pandas is chosen while the estimated in-memory size is at most this share of available RAM
PANDAS_SHARE = 0.25
#: pandas frames take about this multiple of Parquet's uncompressed size (strings, indexes, copies)
PANDAS_FACTOR = 3.0


def available_memory() -> int:
    """Bytes of RAM available now (``MemAvailable``), or the physical total as a fallback."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))


def _gb(n: float) -> str:
    return f"{n / 2**30:.2f} GiB"


def choose_engine(requested: str | None, meta: ParquetMeta) -> tuple[str, str]:
    """(engine, reason) for a Parquet input."""
    engine = (requested or "auto").lower()
    if engine != "auto":
        return engine, "requested"
    estimate = meta.uncompressed_bytes * PANDAS_FACTOR
    limit_env = os.environ.get("AUDITOR_PANDAS_MAX_BYTES")
    limit = float(limit_env) if limit_env else available_memory() * PANDAS_SHARE
    live = live_engine()
    if estimate <= limit:
        hint = f" ({live[1]} is live; --engine {live[0]} runs there)" if live else ""
        return "pandas", f"auto: estimated {_gb(estimate)} in memory <= limit {_gb(limit)}{hint}"
    reason = f"auto: estimated {_gb(estimate)} in memory > limit {_gb(limit)}"
    if live is not None:
        return live[0], f"{reason}; using {live[1]}"
    lazy = next((e for e in LAZY_ENGINES if available(e)), None)
    if lazy is None:
        raise EngineError(
            f"{meta.root}: estimated {_gb(estimate)} in memory exceeds {_gb(limit)} and no lazy "
            "engine is installed: pip install 'auditor[polars]' (or dask, spark)"
        )
    return lazy, reason


def uses_engines(config: Any) -> bool:
    """Whether the engines layer handles this input (otherwise the plain loader does)."""
    engine = (config.engine or "auto").lower()
    if engine not in ENGINES:
        raise UsageError(
            f"engine: unknown engine {config.engine!r} (choose from {', '.join(ENGINES)})"
        )
    data = config.data
    if native_engine(data) is not None:
        return True
    if isinstance(data, pd.DataFrame):
        if engine not in ("auto", "pandas"):
            raise EngineError(
                f"engine {engine}: the data is an in-memory pandas DataFrame; pass a Parquet path "
                "or a native lazy frame (Dask, Spark, Polars) to run on a lazy engine"
            )
        return False
    if not isinstance(data, (str, Path)):
        return False
    if is_parquet_input(data, config.data_format):
        return True
    if engine not in ("auto", "pandas"):
        raise EngineError(
            f"engine {engine}: {data}: lazy engines read Parquet (a file, a directory or a glob); "
            "convert the data to Parquet or use --engine pandas"
        )
    return False


def _required(config: Any) -> list[tuple[str, str]]:
    out = [
        (role, name)
        for role, name in (
            ("target", config.target),
            ("prediction", config.prediction),
            ("score", config.score),
        )
        if name is not None
    ]
    out += [("sensitive", s) for s in config.sensitive]
    out += [("feature", f) for f in config.features or ()]
    return out


def _schema_frame(meta: ParquetMeta) -> pd.DataFrame:
    """The 0-row frame of the union schema, dtypes as pandas reads the files."""
    out: pd.DataFrame = meta.schema.empty_table().to_pandas()
    return out.astype(union_dtypes(meta)) if meta.drift else out


def _fingerprint(meta: ParquetMeta) -> str:
    """sha256 over each file's name, size and footer: identifies the data without reading it."""
    h = hashlib.sha256()
    for f in meta.files:
        p = Path(f)
        size = p.stat().st_size
        h.update(f"{p.name}\0{size}\0".encode())
        with p.open("rb") as fh:
            fh.seek(max(0, size - 65536))
            h.update(fh.read())
    return h.hexdigest()


def _pandas_from_files(meta: ParquetMeta) -> tuple[pd.DataFrame, DatasetInfo]:
    if meta.kind == "file":
        return load_dataset(meta.files[0], "parquet")
    import pyarrow.parquet as pq

    try:
        frames = [pq.read_table(f).to_pandas() for f in meta.files]
    except Exception as exc:
        raise InputError(f"{meta.root}: cannot read Parquet: {type(exc).__name__}: {exc}") from None
    df = pd.concat(frames, ignore_index=True)[list(meta.schema.names)]
    digest = hashlib.sha256("".join(sha256_file(Path(f)) for f in meta.files).encode()).hexdigest()
    info = DatasetInfo(
        path=meta.root, format="parquet", sha256=digest,
        size_bytes=sum(Path(f).stat().st_size for f in meta.files), rows=len(df),
        columns=describe_frame(df), notes=tuple(drift_notes(meta)),
    )  # fmt: skip
    return df, info


def _need_pyarrow(data: Any) -> None:
    """Exit 2 with the extra to install when pyarrow (which reads every Parquet input) is not
    there: a plain ``pip install .`` has no pyarrow."""
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError as exc:
        broken = "" if isinstance(exc, ModuleNotFoundError) else f" (importing it failed: {exc})"
        raise InputError(
            f"{data}: reading Parquet needs pyarrow{broken}: pip install 'auditor[parquet]'"
        ) from None


def _native_source(
    config: Any, engine_req: str
) -> tuple[pd.DataFrame, DatasetInfo, LazySource | None]:
    data = config.data
    engine = native_engine(data)
    assert engine is not None
    need(engine)  # narwhals and pyarrow read every native frame
    import narwhals as nw

    kind = {"dask": "Dask DataFrame", "spark": "Spark DataFrame", "polars": "Polars frame"}[engine]
    if engine_req == "pandas":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            frame = nw.from_native(data)
            if isinstance(frame, nw.LazyFrame):
                frame = frame.collect(backend="pyarrow")
            df = frame.to_arrow().to_pandas()
        from ..data import frame_info

        return df, frame_info(df), None
    if engine_req not in ("auto", engine):
        raise EngineError(f"engine {engine_req}: the data is a {kind}; it runs on engine {engine}")
    source = LazySource(
        engine=engine, native=data, origin=kind, schema=pd.DataFrame(), reason="native frame"
    )
    try:
        schema = source.collect(source.frame().head(0), "reading the schema")
    except Exception as exc:
        raise EngineError(str(exc)) from None
    source.schema = schema
    source.passes = 0
    rows = source.count_rows()
    info = DatasetInfo(
        path=None, format=engine, sha256=None, size_bytes=None, rows=rows,
        columns=describe_frame(schema),
    )  # fmt: skip
    source.note(f"{kind} audited in place on the {engine} engine (not hashed)")
    return schema, info, source


def _bad_file(files: tuple[str, ...], columns: list[str]) -> str | None:
    """The first file (row group by row group) whose ``columns`` pyarrow cannot decode."""
    import pyarrow.parquet as pq

    for f in files:
        try:
            pf = pq.ParquetFile(f)
            cols = [c for c in columns if c in pf.schema_arrow.names]
            for i in range(pf.metadata.num_row_groups):
                pf.read_row_group(i, columns=cols)
        except Exception as exc:
            text = " ".join(str(exc).split())[:200]
            return f"{f}: unreadable Parquet partition ({type(exc).__name__}: {text})"
    return None


def _read_at_load(
    source: LazySource, meta: ParquetMeta, config: Any, columns: Sequence[str]
) -> None:
    """Every column the audit needs (target, prediction, score, sensitive, features and
    ``columns``, the planned checks' sample weights) is read once now, in one cheap pass
    (non-null counts): an unreadable partition stops the run here, exit 2, naming the file."""
    names = set(meta.schema.names)
    needed = [name for _, name in _required(config)]
    needed += [c for c in columns if c in names]
    needed = list(dict.fromkeys(needed))
    if not needed:
        return
    try:
        source.non_null_counts(needed)
    except EngineRunError as exc:
        if exc.file is not None:
            raise InputError(str(exc)) from None
        bad = _bad_file(meta.files, needed)
        raise InputError(f"{bad}; {exc}" if bad else str(exc)) from None


def open_data(
    config: Any, columns: Sequence[str] = ()
) -> tuple[pd.DataFrame, DatasetInfo, LazySource | None]:
    """(frame, info, source): ``source`` is None when the data is in memory (pandas), else
    ``frame`` is the 0-row schema frame of the lazy source. ``columns``: more columns a lazy
    source reads at load besides the configured ones (the planned checks' sample weights)."""
    engine_req = (config.engine or "auto").lower()
    if native_engine(config.data) is not None:
        return _native_source(config, engine_req)
    if engine_req in LAZY_ENGINES:
        need(engine_req)  # names the engine's extra, which brings pyarrow too
    _need_pyarrow(config.data)
    meta = read_footers(config.data, _required(config))
    if meta.rows == 0:
        raise InputError(f"{meta.root}: no data rows (the Parquet footers count 0 rows)")
    engine, reason = choose_engine(engine_req, meta)
    if engine == "pandas":
        df, info = _pandas_from_files(meta)
        return df, dataclasses.replace(info, engine_reason=reason), None
    native = scan_parquet(engine, meta)
    schema = _schema_frame(meta)
    source = LazySource(
        engine=engine, native=native, origin=meta.root, schema=schema, files=meta.files,
        metadata_rows=meta.rows, reason=reason,
    )  # fmt: skip
    info = DatasetInfo(
        path=meta.root, format="parquet", sha256=None,
        size_bytes=sum(Path(f).stat().st_size for f in meta.files), rows=meta.rows,
        columns=describe_frame(schema),
    )  # fmt: skip
    _read_at_load(source, meta, config, columns)
    source.note(
        f"{len(meta.files)} Parquet file(s) read lazily; data not hashed (footer fingerprint "
        f"sha256 {_fingerprint(meta)})"
    )
    for text in drift_notes(meta):
        source.note(text)
    return schema, info, source
