"""PII column scan vs Presidio's BatchAnalyzerEngine.analyze_dict (no-op engine), same cells.

1. Full scan (``sample_size: all``, default ``context`` tier) of a 100k x 12 mixed table,
   against ``BatchAnalyzerEngine.analyze_dict`` with Presidio's fastest engine (no-op NLP,
   default recognizers) on the first ``--presidio-rows`` rows of the same table (Presidio at
   ~1k cells/s would need many minutes for all of it; its rate is per cell and flat). Columns
   "found" by Presidio: at least 30 % of cells with a result scoring >= 0.5 (the naive rule of
   the reference pilot). Target: >= 10x the cells/second, same or more PII columns found.
2. Default (sampled) scan of a 1,000,000 x 30 table. Target: under 30 s.

Run: python benchmarks/pii_vs_presidio.py [--rows 100000] [--presidio-rows 3000]
Wall-clock and CPU seconds are both printed; on a shared machine compare CPU time.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _tables import mixed_table, wide_table
from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
from presidio_analyzer.nlp_engine import NlpEngineProvider

from auditor.pii.engine import get_engine
from auditor.pii.measure import scan_frame
from auditor.pii.settings import ScanOptions


def timed(fn):  # type: ignore[no-untyped-def]
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def presidio_scan(df, rows: int):  # type: ignore[no-untyped-def]
    nlp = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "no_op",
            "models": [{"lang_code": "en", "model_name": "no_op"}],
        }
    ).create_engine()
    batch = BatchAnalyzerEngine(AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"]))
    head = df.head(rows)
    data = {c: [str(v) for v in head[c].tolist()] for c in head.columns}

    def run():  # type: ignore[no-untyped-def]
        return list(batch.analyze_dict(data, language="en"))

    results, wall, cpu = timed(run)
    found = []
    for r in results:
        hits = sum(any(x.score >= 0.5 for x in cell) for cell in r.recognizer_results)
        if hits / max(1, len(r.recognizer_results)) >= 0.3:
            found.append(r.key)
    return found, head.size, wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--presidio-rows", type=int, default=3_000)
    ap.add_argument("--wide-rows", type=int, default=1_000_000)
    ap.add_argument("--tier", default="context")
    args = ap.parse_args()

    df, gen_s, _ = timed(lambda: mixed_table(args.rows, seed=0))
    print(f"table: {args.rows:,} x {df.shape[1]} ({df.size:,} cells), generated in {gen_s:.1f} s")
    get_engine(ScanOptions(tier=args.tier))  # build outside the timing, like Presidio's below
    ours, wall, cpu = timed(lambda: scan_frame(df, ScanOptions(tier=args.tier, sample_size="all")))
    ours_cols = [r["column"] for r in ours.rows if r["kind"] != "none"]
    print(
        f"auditor full scan ({args.tier}): {wall:.1f} s wall, {cpu:.1f} s CPU -> "
        f"{df.size / wall:,.0f} cells/s wall, {df.size / cpu:,.0f} cells/s CPU; "
        f"{ours.meta['unique_values_scanned']:,} unique values; PII columns: {ours_cols}"
    )
    p_cols, p_cells, p_wall, p_cpu = presidio_scan(df, args.presidio_rows)
    print(
        f"presidio analyze_dict (no_op) on {args.presidio_rows:,} rows ({p_cells:,} cells): "
        f"{p_wall:.1f} s wall, {p_cpu:.1f} s CPU -> {p_cells / p_wall:,.0f} cells/s wall, "
        f"{p_cells / p_cpu:,.0f} cells/s CPU; PII columns (>=30% cells scored >=0.5): {p_cols}"
    )
    print(
        f"speed-up: {(df.size / wall) / (p_cells / p_wall):.1f}x wall, "
        f"{(df.size / cpu) / (p_cells / p_cpu):.1f}x CPU (target >= 10x); "
        f"columns found by auditor and not presidio: {sorted(set(ours_cols) - set(p_cols))}; "
        f"by presidio and not auditor: {sorted(set(p_cols) - set(ours_cols))}"
    )
    if args.wide_rows:
        wide, gen_s, _ = timed(lambda: wide_table(args.wide_rows, 30, seed=1))
        print(f"wide table: {args.wide_rows:,} x {wide.shape[1]}, generated in {gen_s:.1f} s")
        res, wall, cpu = timed(lambda: scan_frame(wide, ScanOptions(tier=args.tier)))
        found = sum(r["kind"] != "none" for r in res.rows)
        print(
            f"auditor default sampled scan (sample_size {res.meta['sample_size']}, seed "
            f"{res.meta['seed']}): {wall:.1f} s wall, {cpu:.1f} s CPU (target < 30 s); "
            f"{found} of {wide.shape[1]} columns hold PII"
        )


if __name__ == "__main__":
    main()
