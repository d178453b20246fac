"""PII on a lazy source.

Sampled mode (``sample_size`` N, the default): the engine counts rows, non-null values and
distinct values per column in one pass and draws a seeded Bernoulli sample of rows (fraction
``1.3 N / rows``; a column still short of N non-null values gets its own sample of non-null
values); N values per column are then chosen locally with the run seed and scanned by the
existing PII engine. Counts in the report are in sampled rows, as on the in-memory path.

Full-scan mode (``sample_size: all``): the analyzer runs inside the engine's partitions, one
analyzer per worker process (built once and cached, never per row); each partition returns its
``columns`` rows and they are merged: counts add up, the strongest verdict wins, unique counts
are set from the engine's exact distinct counts (an approximation only when blank or cut cells
make that inexact, stated in the report).
"""

from __future__ import annotations

import dataclasses
import fnmatch
import json
import time
from collections.abc import Iterator, Sequence
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from ..engines.source import LazySource
from .classify import classify_table
from .dates import merge_date_profiles
from .engine import get_engine
from .locations import merge_url_profiles
from .scan import ColumnScan, EntityHits, scan_column
from .settings import ScanOptions
from .table import TableScan, scan_frame, scan_meta
from .textify import CellStats

__all__ = ["merge_scans", "scan_source"]

OVERSAMPLE = 1.3


def _sample_native(
    source: LazySource, columns: Sequence[str], fraction: float, seed: int, non_null: str | None
) -> Any:
    native = source.native
    cols = list(columns)
    if source.engine == "polars":
        import polars as pl

        lf = native.lazy() if isinstance(native, pl.DataFrame) else native
        lf = lf.select(cols)
        if non_null is not None:
            lf = lf.filter(pl.col(non_null).is_not_null())
        cut = int(fraction * 1_000_003)
        return (
            lf.with_row_index("__i").filter(pl.col("__i").hash(seed) % 1_000_003 < cut).drop("__i")
        )
    if source.engine == "dask":
        ddf = native[cols]
        if non_null is not None:
            ddf = ddf.dropna(subset=[non_null])
        return ddf.sample(frac=fraction, random_state=seed)
    if source.engine == "spark":
        sdf = native.select(*cols)
        if non_null is not None:
            sdf = sdf.dropna(subset=[non_null])
        return sdf.sample(withReplacement=False, fraction=fraction, seed=seed)
    raise ValueError(source.engine)


def _sample(
    source: LazySource,
    columns: Sequence[str],
    fraction: float,
    seed: int,
    non_null: str | None = None,
) -> pd.DataFrame:
    import narwhals as nw

    if fraction >= 1.0:
        lf = source.frame().select(*columns)
        if non_null is not None:
            lf = lf.filter(~nw.col(non_null).is_null())
        return source.collect(lf, "reading the values")
    native = _sample_native(source, columns, fraction, seed, non_null)
    return source.collect(nw.from_native(native).lazy(), "seeded sample")


def _choose(values: pd.Series, k: int, seed: int, index: int) -> pd.Series:
    values = values.dropna().reset_index(drop=True)
    if len(values) <= k:
        return values
    rng = np.random.default_rng([seed, index])
    return values.iloc[np.sort(rng.choice(len(values), size=k, replace=False))].reset_index(
        drop=True
    )


def _failed(name: str, dtype: str, rows: int, exc: Exception) -> ColumnScan:
    return ColumnScan(
        column=name, dtype=dtype, rows_total=rows, non_null=0, rows_scanned=0,
        unique_scanned=0, analyzed_unique=0, entities={}, rows_with_pii=0, is_free_text=False,
        mean_tokens=0.0, numeric={}, special_values={}, small_domain=False, cells=CellStats(),
        digit_only_share=0.0, error=f"scan failed: {type(exc).__name__}",
    )  # fmt: skip


def scan_source(source: LazySource, options: ScanOptions, seed: int = 0) -> TableScan:
    """The PII table scan of a lazy source (see the module docstring for both modes)."""
    t0 = time.perf_counter()
    names = [str(c) for c in source.schema.columns]
    excluded = [n for n in names if any(fnmatch.fnmatchcase(n, p) for p in options.exclude_columns)]
    columns = [n for n in names if n not in excluded]
    rows_n, non_null, distinct = source.column_counts(columns)  # exact, one engine pass
    if options.sample_size == "all":
        scans, errors, how = _full_scan(source, columns, options, seed)
        scans = {
            c: _exact_uniques(
                source, dataclasses.replace(sc, rows_total=rows_n, non_null=non_null[c]),
                distinct[c],
            )
            for c, sc in scans.items()
        }  # fmt: skip
    else:
        scans, errors = _sampled(source, columns, options, seed, rows_n, non_null)
        how = (
            f"engine-side seeded Bernoulli sample of rows (fraction up to {OVERSAMPLE} x "
            f"{options.sample_size} / rows), then {options.sample_size} values per column chosen "
            "with the run seed"
        )
    rows = classify_table(scans, options)
    engine = get_engine(options)
    meta = {
        **scan_meta(options, engine, seed, rows_n, rows, excluded, errors, t0),
        "engine": source.engine,
        "sampling": how,
        "distinct_values": distinct,
    }
    return TableScan(tuple(rows), scans, meta)


def _sampled(
    source: LazySource, columns: Sequence[str], options: ScanOptions, seed: int, rows_n: int,
    non_null: dict[str, int],
) -> tuple[dict[str, ColumnScan], dict[str, str]]:  # fmt: skip
    assert options.sample_size != "all"
    k = int(options.sample_size)
    fraction = min(1.0, OVERSAMPLE * k / max(rows_n, 1))
    sample = _sample(source, columns, fraction, seed)
    engine = get_engine(options)
    scans: dict[str, ColumnScan] = {}
    errors: dict[str, str] = {}
    for i, col in enumerate(columns):
        values = sample[col]
        want = min(k, non_null[col])
        if int(values.notna().sum()) < want and fraction < 1.0:
            frac = min(1.0, OVERSAMPLE * k / max(non_null[col], 1))
            values = _sample(source, [col], frac, seed + 7919 * (i + 1), non_null=col)[col]
            if int(values.notna().sum()) < want:
                source.note(
                    f"PII sample of {col!r}: {int(values.notna().sum())} of {want} values "
                    "(Bernoulli sampling drew fewer)"
                )
        chosen = _choose(values, k, seed, i)
        try:
            sc = scan_column(engine, chosen, col, i, options, seed)
            sc = dataclasses.replace(sc, rows_total=rows_n, non_null=non_null[col])
        except Exception as exc:  # one column never breaks the scan (as on the in-memory path)
            errors[col] = type(exc).__name__
            sc = _failed(col, str(source.schema[col].dtype), rows_n, exc)
        scans[col] = sc
    return scans, errors


# -- full scan inside the engine -----------------------------------------------------------
def _scan_part(pdf: pd.DataFrame, options: ScanOptions, seed: int) -> str:
    if len(pdf) == 0:
        return json.dumps({"scans": {}, "errors": {}, "n": 0})
    ts = scan_frame(pdf, options, seed)  # get_engine caches the analyzer per worker process
    scans = {k: dataclasses.asdict(v) for k, v in ts.scans.items()}
    return json.dumps(
        {"scans": scans, "errors": ts.meta["column_errors"], "n": len(pdf)}, default=str
    )


def _dask_part(pdf: pd.DataFrame, options: ScanOptions, seed: int) -> pd.DataFrame:
    out: pd.DataFrame = pd.DataFrame({"payload": [_scan_part(pdf, options, seed)]})
    return out


def _spark_part(
    batches: Iterator[pd.DataFrame], options: ScanOptions, seed: int
) -> Iterator[pd.DataFrame]:
    frames = list(batches)
    pdf = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    yield pd.DataFrame({"payload": [_scan_part(pdf, options, seed)]})


def _full_scan(
    source: LazySource, columns: Sequence[str], options: ScanOptions, seed: int
) -> tuple[dict[str, ColumnScan], dict[str, str], str]:
    native = source.native
    t0 = time.perf_counter()
    payloads: list[str]
    if source.engine == "dask":
        parts = native[list(columns)].map_partitions(
            _dask_part, options, seed, meta=pd.DataFrame({"payload": pd.Series(dtype=object)})
        )
        payloads = list(parts.compute()["payload"])
        how = f"analyzer run inside {len(payloads)} Dask partitions (one analyzer per worker)"
    elif source.engine == "spark":
        sdf = native.select(*columns).mapInPandas(
            partial(_spark_part, options=options, seed=seed), schema="payload string"
        )
        payloads = [r["payload"] for r in sdf.collect()]
        how = f"analyzer run inside {len(payloads)} Spark partitions (mapInPandas, one analyzer per Python worker)"
    else:  # polars: streamed batches in this process
        import polars as pl

        lf = native.lazy() if isinstance(native, pl.DataFrame) else native
        payloads = [
            _scan_part(b.to_pandas(), options, seed)
            for b in lf.select(list(columns)).collect_batches(chunk_size=500_000)
        ]
        how = f"analyzer run over {len(payloads)} streamed Polars batches"
    source.passes += 1
    source.engine_seconds += time.perf_counter() - t0
    parts = [json.loads(p) for p in payloads]
    errors: dict[str, str] = {}
    for p in parts:
        errors.update(p["errors"])
    scans = {
        col: merge_scans([p["scans"][col] for p in parts if col in p["scans"]])
        for col in columns
        if any(col in p["scans"] for p in parts)
    }
    return scans, errors, how


def _exact_uniques(source: LazySource, sc: ColumnScan, distinct: int) -> ColumnScan:
    """Distinct counts of a merged full scan. Partitions count a value each time it occurs in
    one, so their sums are upper bounds; the engine's exact distinct count of the column
    bounds them too, and equals the scanned distinct texts when every non-null cell was
    scanned whole (nothing blank, nothing cut). Values sent to Presidio are exact when each
    partition sent all its values (or none). Any other case is listed as an approximation."""
    unique = min(sc.unique_scanned, distinct)
    if sc.rows_scanned != sc.non_null or sc.cells.truncated or sc.error:
        source.approximate(
            f"PII unique_scanned of {sc.column!r} (full scan)",
            "engine distinct count of the non-null values, capped by the per-partition sum",
            "upper bound: blank or cut cells make some distinct values scan as one",
        )
    analyzed = sc.analyzed_unique
    if sc.analyzed_unique >= sc.unique_scanned:  # every partition sent every value
        analyzed = unique
    elif sc.analyzed_unique > 0:
        analyzed = min(sc.analyzed_unique, unique)
        source.approximate(
            f"PII analyzed_unique of {sc.column!r} (full scan)",
            "sum over partitions of the values sent to Presidio, capped by unique_scanned",
            "upper bound: a value sent from several partitions counts once per partition",
        )
    return dataclasses.replace(sc, unique_scanned=unique, analyzed_unique=analyzed)


def _weighted(parts: Sequence[dict[str, Any]], key: str) -> float:
    total = sum(int(p["rows_scanned"]) for p in parts)
    if not total:
        return float(parts[0][key]) if parts else 0.0
    return sum(float(p[key]) * int(p["rows_scanned"]) for p in parts) / total


def merge_scans(parts: Sequence[dict[str, Any]]) -> ColumnScan:
    """One column's ColumnScan from per-partition scans (as dicts): counts add up, means are
    weighted by scanned rows, numeric ranges combine; unique counts are summed (upper bounds,
    made exact by :func:`_exact_uniques` with the engine's distinct counts)."""
    first = parts[0]
    entities: dict[str, EntityHits] = {}
    for p in parts:
        for ent, h in p["entities"].items():
            e = entities.setdefault(ent, EntityHits())
            e.rows += int(h["rows"])
            e.unique += int(h["unique"])
            e.score_sum += float(h["score_sum"])
            e.examples += [x for x in h["examples"] if x not in e.examples][: 3 - len(e.examples)]
    numeric: dict[str, float] = {}
    nums = [p for p in parts if p["numeric"]]
    if nums:
        numeric = {
            k: _weighted([{**p, k: p["numeric"][k]} for p in nums], k)
            for k in nums[0]["numeric"]
            if k not in ("min", "max")
        }
        numeric["min"] = min(float(p["numeric"]["min"]) for p in nums)
        numeric["max"] = max(float(p["numeric"]["max"]) for p in nums)
    special: dict[str, int] = {}
    mixed: dict[str, int] = {}
    small: list[str] = []
    for p in parts:
        for k, v in p["special_values"].items():
            special[k] = special.get(k, 0) + int(v)
        for k, v in p["cells"]["mixed_types"].items():
            mixed[k] = mixed.get(k, 0) + int(v)
        small += [v for v in p["small_values"] if v not in small]
    scanned = sum(int(p["rows_scanned"]) for p in parts)
    free = sum(int(p["rows_scanned"]) for p in parts if p["is_free_text"]) * 2 > scanned
    small_domain = all(p["small_domain"] for p in parts) and len(small) <= 12
    return ColumnScan(
        column=first["column"], dtype=first["dtype"],
        rows_total=sum(int(p["rows_total"]) for p in parts),
        non_null=sum(int(p["non_null"]) for p in parts), rows_scanned=scanned,
        unique_scanned=sum(int(p["unique_scanned"]) for p in parts),
        analyzed_unique=sum(int(p["analyzed_unique"]) for p in parts), entities=entities,
        rows_with_pii=sum(int(p["rows_with_pii"]) for p in parts), is_free_text=free,
        mean_tokens=round(_weighted(parts, "mean_tokens"), 2), numeric=numeric,
        special_values=special, small_domain=small_domain,
        digit_only_share=_weighted(parts, "digit_only_share"),
        cells=CellStats(
            binary=sum(int(p["cells"]["binary"]) for p in parts),
            nested=sum(int(p["cells"]["nested"]) for p in parts),
            truncated=sum(int(p["cells"]["truncated"]) for p in parts), mixed_types=mixed,
            chars_not_scanned=sum(int(p["cells"]["chars_not_scanned"]) for p in parts),
            windowed=sum(int(p["cells"]["windowed"]) for p in parts),
        ),
        small_values=small if small_domain else [],
        error=next((p["error"] for p in parts if p["error"]), ""),
        name_shape_share=_weighted(parts, "name_shape_share"),
        zero_padded=sum(int(p.get("zero_padded", 0)) for p in parts),
        dates=merge_date_profiles([(p.get("dates"), int(p["rows_scanned"])) for p in parts]),
        urls=merge_url_profiles([(p.get("urls"), int(p["rows_scanned"])) for p in parts]),
    )  # fmt: skip
