"""Choose the engine for an input and open it: ``auto`` keeps pandas while the data fits
comfortably in memory (estimated from the Parquet footers against the available RAM)."""

from __future__ import annotations

import hashlib
import os
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from ..data import DatasetInfo, describe_frame, load_dataset, sha256_file
from ..errors import InputError, UsageError
from .backends import ENGINES, LAZY_ENGINES, EngineError, available, native_engine, scan_parquet
from .parquet import ParquetMeta, is_parquet_input, read_footers
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
    if estimate <= limit:
        return "pandas", f"auto: estimated {_gb(estimate)} in memory <= limit {_gb(limit)}"
    lazy = next((e for e in LAZY_ENGINES if available(e)), None)
    if lazy is None:
        raise EngineError(
            f"{meta.root}: estimated {_gb(estimate)} in memory exceeds {_gb(limit)} and no lazy "
            "engine is installed: pip install 'auditor[polars]' (or dask, spark)"
        )
    return lazy, f"auto: estimated {_gb(estimate)} in memory > limit {_gb(limit)}"


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


def _schema_frame(schema: Any) -> pd.DataFrame:
    out: pd.DataFrame = schema.empty_table().to_pandas()
    return out


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
    df = pd.concat(frames, ignore_index=True)
    digest = hashlib.sha256("".join(sha256_file(Path(f)) for f in meta.files).encode()).hexdigest()
    info = DatasetInfo(
        path=meta.root, format="parquet", sha256=digest,
        size_bytes=sum(Path(f).stat().st_size for f in meta.files), rows=len(df),
        columns=describe_frame(df),
    )  # fmt: skip
    return df, info


def _native_source(
    config: Any, engine_req: str
) -> tuple[pd.DataFrame, DatasetInfo, LazySource | None]:
    import narwhals as nw

    data = config.data
    engine = native_engine(data)
    assert engine is not None
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


def _bad_file(files: tuple[str, ...], column: str) -> str | None:
    """The first file whose ``column`` pyarrow cannot read (to name it in the error)."""
    import pyarrow.parquet as pq

    for f in files:
        try:
            pq.read_table(f, columns=[column])
        except Exception as exc:
            text = " ".join(str(exc).split())
            return f"{f}: unreadable Parquet partition ({type(exc).__name__}: {text})"
    return None


def open_data(config: Any) -> tuple[pd.DataFrame, DatasetInfo, LazySource | None]:
    """(frame, info, source): ``source`` is None when the data is in memory (pandas), else
    ``frame`` is the 0-row schema frame of the lazy source."""
    engine_req = (config.engine or "auto").lower()
    if native_engine(config.data) is not None:
        return _native_source(config, engine_req)
    meta = read_footers(config.data, _required(config))
    if meta.rows == 0:
        raise InputError(f"{meta.root}: no data rows (the Parquet footers count 0 rows)")
    engine, reason = choose_engine(engine_req, meta)
    if engine == "pandas":
        df, info = _pandas_from_files(meta)
        return df, info, None
    native = scan_parquet(engine, meta.files)
    schema = _schema_frame(meta.schema)
    source = LazySource(
        engine=engine, native=native, origin=meta.root, schema=schema, files=meta.files,
        metadata_rows=meta.rows, reason=reason,
    )  # fmt: skip
    info = DatasetInfo(
        path=meta.root, format="parquet", sha256=None,
        size_bytes=sum(Path(f).stat().st_size for f in meta.files), rows=meta.rows,
        columns=describe_frame(schema),
    )  # fmt: skip
    for name in config.sensitive:  # read now: an unreadable partition stops the run here
        try:
            source.value_counts(name)
        except EngineRunError as exc:
            raise InputError(f"{_bad_file(meta.files, name) or meta.root}: {exc}") from None
    source.note(
        f"{len(meta.files)} Parquet file(s) read lazily; data not hashed (footer fingerprint "
        f"sha256 {_fingerprint(meta)})"
    )
    return schema, info, source
