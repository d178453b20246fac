"""Parquet files into each engine's lazy frame through one union schema (see
:mod:`auditor.engines.parquet`): files that agree are read as they are; when they differ every
engine reads the same columns with the same types, a column missing from a file being null
there (what pandas' concatenation of the files gives).

- Polars: ``scan_parquet(schema=union, missing_columns="insert", extra_columns="ignore")`` with
  integer-to-float casts allowed;
- Dask: one ``read_parquet`` per group of files sharing a schema, each conformed to the union
  (columns added, types cast), concatenated;
- Spark: the same per group (``select`` with casts and typed nulls), ``unionByName``.
"""

from __future__ import annotations

import os
import warnings
from typing import Any

import pandas as pd

from .backends import LAZY_ENGINES, EngineError, dask_client, need, spark_session
from .parquet import ParquetMeta

__all__ = ["groups", "scan_parquet", "union_dtypes"]


def groups(meta: ParquetMeta) -> list[list[str]]:
    """The files grouped by identical schema (groups and files in file order)."""
    out: list[tuple[Any, list[str]]] = []
    for f, schema in zip(meta.files, meta.file_schemas, strict=True):
        for sch, files in out:
            if sch.equals(schema):
                files.append(f)
                break
        else:
            out.append((schema, [f]))
    return [files for _, files in out]


def union_dtypes(meta: ParquetMeta) -> dict[str, Any]:
    """The pandas dtype of each union column, as concatenating the files in pandas gives it
    (an integer or boolean column missing from some files holds NaN: float64 / object)."""
    frame = meta.schema.empty_table().to_pandas()
    missing = meta.missing()
    out: dict[str, Any] = {}
    for name in meta.schema.names:
        dtype = frame[name].dtype
        if name in missing and pd.api.types.is_integer_dtype(dtype):
            dtype = pd.api.types.pandas_dtype("float64")
        elif name in missing and pd.api.types.is_bool_dtype(dtype):
            dtype = pd.api.types.pandas_dtype("object")
        out[name] = dtype
    return out


def scan_parquet(engine: str, meta: ParquetMeta) -> Any:
    """A native lazy frame over the files of ``meta`` for ``engine`` (polars, dask or spark)."""
    need(engine)
    if engine == "polars":
        return _polars(meta)
    if engine == "dask":
        return _dask(meta)
    if engine == "spark":
        return _spark(meta)
    raise EngineError(f"engine {engine}: not a lazy engine (choose from {', '.join(LAZY_ENGINES)})")


def _polars(meta: ParquetMeta) -> Any:
    import polars as pl

    if not meta.drift:
        return pl.scan_parquet(list(meta.files))
    empty: Any = pl.from_arrow(meta.schema.empty_table())
    return pl.scan_parquet(
        list(meta.files),
        schema=empty.schema,
        missing_columns="insert",
        extra_columns="ignore",
        cast_options=pl.ScanCastOptions(
            integer_cast=["upcast", "allow-float"], float_cast="upcast"
        ),
    )


# Dask partitions: row groups combined up to this much *uncompressed Parquet* data. In pandas a
# partition takes several times that (strings), so the default keeps a partition to a few hundred
# MB on a worker even for one big file; AUDITOR_DASK_BLOCKSIZE overrides it (e.g. "128MiB").
DASK_BLOCKSIZE = "8MiB"


def _dask_read(files: list[str]) -> Any:
    import dask.dataframe as dd

    return dd.read_parquet(
        files,
        split_row_groups="adaptive",
        blocksize=os.environ.get("AUDITOR_DASK_BLOCKSIZE", DASK_BLOCKSIZE),
    )


def _dask(meta: ParquetMeta) -> Any:
    import dask.dataframe as dd

    dask_client()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        if not meta.drift:
            return _dask_read(list(meta.files))
        dtypes = union_dtypes(meta)
        parts = []
        for files in groups(meta):
            part = _dask_read(list(files))
            absent = {n: None for n in dtypes if n not in part.columns}
            if absent:
                part = part.assign(**absent)
            parts.append(part[list(dtypes)].astype(dtypes))
        return dd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]  # type: ignore[no-untyped-call]


def _spark(meta: ParquetMeta) -> Any:
    from pyspark.sql import functions as F

    spark = spark_session()
    if not meta.drift:
        return spark.read.parquet(*[os.path.abspath(f) for f in meta.files])
    out: Any = None
    for files in groups(meta):
        sdf = spark.read.parquet(*[os.path.abspath(f) for f in files])
        schema = meta.file_schemas[meta.files.index(files[0])]
        cols = []
        for fld in meta.schema:
            name = fld.name
            if name not in schema.names:
                cols.append(_cast(F.lit(None), fld.type).alias(name))
            elif schema.field(name).type != fld.type:
                cols.append(_cast(F.col(_quoted(name)), fld.type).alias(name))
            else:
                cols.append(F.col(_quoted(name)))  # read as it is
        part = sdf.select(*cols)
        out = part if out is None else out.unionByName(part)
    return out


def _quoted(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _cast(col: Any, arrow_type: Any) -> Any:
    """``col`` cast to the Spark type of a union column: pyspark's conversion of its Arrow type
    (the widened int64, double and large_string give LongType, DoubleType and StringType). A
    type pyspark does not convert (unsigned integers, string views) is never a widened one: only
    a null column (missing from this file, or all null in it) meets it, and is left to
    ``unionByName``, which gives it the type the other files hold."""
    from pyspark.errors import PySparkTypeError
    from pyspark.sql.pandas.types import from_arrow_type

    try:
        return col.cast(from_arrow_type(arrow_type))
    except PySparkTypeError:
        return col
