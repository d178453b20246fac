"""One scan of a table's columns, without a Context: :func:`scan_frame` over a pandas frame,
the :class:`TableScan` it returns, and :func:`not_scanned`, what the scan could not inspect.

Shared by the in-memory path (:mod:`auditor.pii.measure`, which caches it per run) and the lazy
engines (:mod:`auditor.pii.lazy`, which scans samples drawn by the engine and merges partitions).
"""

from __future__ import annotations

import fnmatch
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .classify import classify_table
from .engine import get_engine
from .regions import infer_phone_regions
from .scan import ColumnScan, scan_column
from .settings import ScanOptions
from .textify import CellStats

__all__ = ["TableScan", "not_scanned", "scan_frame", "scan_meta"]


def not_scanned(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """What the scan could not inspect, from the ``columns`` rows: binary cells per column,
    cells cut at ``max_cell_chars`` per column and the characters left out, and how many
    long cells were scanned in windows."""
    binary: dict[str, int] = {}
    truncated: dict[str, int] = {}
    chars = windowed = 0
    for r in rows:
        cells = r["evidence"]["cells"]
        if cells.get("binary"):
            binary[str(r["column"])] = int(cells["binary"])
        if cells.get("truncated"):
            truncated[str(r["column"])] = int(cells["truncated"])
        chars += int(cells.get("chars_not_scanned") or 0)
        windowed += int(cells.get("windowed") or 0)
    return {
        "binary_cells": binary,
        "cells_truncated": truncated,
        "chars_not_scanned": chars,
        "cells_windowed": windowed,
    }


@dataclass(frozen=True)
class TableScan:
    rows: tuple[dict[str, Any], ...]
    scans: dict[str, ColumnScan]
    meta: dict[str, Any]

    def row(self, column: str) -> dict[str, Any] | None:
        return next((r for r in self.rows if r["column"] == column), None)


def scan_frame(df: Any, options: ScanOptions, seed: int = 0) -> TableScan:
    """Scan every column of ``df`` (a pandas DataFrame) with ``options``; no Context needed."""
    t0 = time.perf_counter()
    inferred: dict[str, Any] = {}
    own: dict[str, tuple[str, ...]] = {}
    if options.infer_phone_regions:
        regions, own, inferred = infer_phone_regions(df, options.phone_regions)
        if regions != options.phone_regions:
            options = replace(options, phone_regions=regions)
    engine = get_engine(options)
    rows: list[dict[str, Any]] = []
    scans: dict[str, ColumnScan] = {}
    excluded: list[str] = []
    errors: dict[str, str] = {}
    for i, col in enumerate(df.columns):
        name = str(col)
        if any(fnmatch.fnmatchcase(name, pat) for pat in options.exclude_columns):
            excluded.append(name)
            continue
        try:
            col_engine = engine
            if name in own:  # its own numbers' country codes: read it in those regions too
                col_engine = get_engine(
                    replace(options, phone_regions=(*options.phone_regions, *own[name]))
                )
            sc = scan_column(col_engine, df[col], name, i, options, seed)
        except Exception as exc:  # never let one column (or its values) break the scan
            # the message may quote a cell value, so only the exception type is reported
            errors[name] = type(exc).__name__
            sc = ColumnScan(
                column=name, dtype=str(df[col].dtype), rows_total=len(df), non_null=0,
                rows_scanned=0, unique_scanned=0, analyzed_unique=0, entities={},
                rows_with_pii=0, is_free_text=False, mean_tokens=0.0, numeric={},
                special_values={}, small_domain=False, digit_only_share=0.0, cells=CellStats(),
                error=f"scan failed: {type(exc).__name__}",
            )  # fmt: skip
        scans[name] = sc
    # verdicts once every column is scanned: places, links and birth dates depend on whether
    # the other columns identify people
    rows = classify_table(scans, options)
    meta = scan_meta(options, engine, seed, len(df), rows, excluded, errors, t0, inferred)
    return TableScan(tuple(rows), scans, meta)


def scan_meta(
    options: ScanOptions, engine: Any, seed: int, n_rows: int, rows: Sequence[Mapping[str, Any]],
    excluded: Any, errors: Mapping[str, str], t0: float,
    inferred: Mapping[str, str] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The ``scan`` table of a PII scan (pandas or a lazy engine): tiers, sample, counts, time;
    ``phone_regions_inferred``: region -> the column it was inferred from (the in-memory scan
    infers them; the lazy engines read numbers in the given ``phone_regions`` only)."""
    return {
        "tier_requested": options.tier,
        "tier_used": engine.tier,
        "engine_note": engine.note or None,
        "ner_model": engine.model,
        "seed": seed,
        "sample_size": options.sample_size,
        "rows": n_rows,
        "columns_scanned": len(rows),
        "columns_excluded": excluded,
        "column_errors": errors,
        "cells_scanned": sum(r["rows_scanned"] for r in rows),
        "unique_values_scanned": sum(r["unique_scanned"] for r in rows),
        "phone_regions": list(options.phone_regions),
        "phone_regions_inferred": dict(inferred or {}),
        "max_cell_chars": options.max_cell_chars,
        **not_scanned(rows),
        "duration_s": round(time.perf_counter() - t0, 3),
    }
