"""PII column scan vs Presidio's BatchAnalyzerEngine.analyze_dict (no-op engine), same cells.

1. Full scan (``sample_size: all``, default ``context`` tier) of a 100k x 12 mixed table against
   ``BatchAnalyzerEngine.analyze_dict`` with Presidio's fastest engine (no-op NLP, default
   recognizers). Presidio runs on a seeded sample of ``--presidio-rows`` rows of that table
   (default 10,000: at ~1k cells/s all 1.2M cells would take about 20 minutes; pass
   ``--presidio-rows 0`` for every row). auditor scans **exactly the same rows** too, so the
   headline ratio compares cells/s on identical cells; auditor's full-table rate is printed
   beside it. Presidio analyses every cell (no dedup), so its rate is per cell and flat in the
   number of rows; auditor's rises with repetition (dedup), which is why the same-cells
   ratio is the fair one. Columns "found" by Presidio: at least 30 % of cells with a result
   scoring >= 0.5 (the naive rule of the reference pilot). Target: >= 10x the cells/second on
   the same cells, same or more PII columns found.
2. Default (sampled) scan of a 1,000,000 x 30 table. Target: under 30 s.
3. End to end through ``auditor.audit()`` (PII001 + PII002, ``sample_size: all``) on a
   ``--audit-rows`` x 12 mixed table (default 5,334 rows, 64,008 cells) against
   ``analyze_dict`` on the same cells: plan, scan, classification, findings and report.

Run: python benchmarks/pii_vs_presidio.py [--rows 100000] [--presidio-rows 10000] [--seed 0]
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

from _tables import mixed_table, sample_rows, wide_table
from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
from presidio_analyzer.nlp_engine import NlpEngineProvider

from auditor.pii.engine import get_engine
from auditor.pii.measure import scan_frame
from auditor.pii.settings import ScanOptions


def timed(fn):  # type: ignore[no-untyped-def]
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def presidio_engine() -> BatchAnalyzerEngine:
    nlp = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "no_op",
            "models": [{"lang_code": "en", "model_name": "no_op"}],
        }
    ).create_engine()
    return BatchAnalyzerEngine(AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"]))


def presidio_scan(batch: BatchAnalyzerEngine, df):  # type: ignore[no-untyped-def]
    """analyze_dict over every cell of ``df`` (column names as context); (found, wall, cpu)."""
    data = {c: [str(v) for v in df[c].tolist()] for c in df.columns}

    def run():  # type: ignore[no-untyped-def]
        return list(batch.analyze_dict(data, language="en"))

    results, wall, cpu = timed(run)
    found = []
    for r in results:
        hits = sum(any(x.score >= 0.5 for x in cell) for cell in r.recognizer_results)
        if hits / max(1, len(r.recognizer_results)) >= 0.3:
            found.append(r.key)
    return found, wall, cpu


def ours_scan(df, tier: str):  # type: ignore[no-untyped-def]
    res, wall, cpu = timed(lambda: scan_frame(df, ScanOptions(tier=tier, sample_size="all")))
    return [r["column"] for r in res.rows if r["kind"] != "none"], res, wall, cpu


def rate(cells: int, seconds: float) -> float:
    return cells / seconds if seconds > 0 else float("inf")


def audit_vs_presidio(batch: BatchAnalyzerEngine, rows: int, seed: int) -> None:
    """``auditor.audit()`` end to end vs ``analyze_dict`` on the same cells."""
    import tempfile

    import auditor

    df = mixed_table(rows, seed=seed)
    with tempfile.TemporaryDirectory() as tmp:
        policy = Path(tmp) / "pii-all.yaml"
        policy.write_text(
            "version: 1\nname: pii-all\nfail_on: high\nchecks:\n"
            "  PII001:\n    options: {sample_size: all}\n"
            "  PII002:\n    options: {sample_size: all}\n"
        )
        auditor.audit(df.head(50), policy=str(policy))  # imports and lexicons, like the engine
        _, p_wall, p_cpu = presidio_scan(batch, df)
        _, a_wall, a_cpu = timed(lambda: auditor.audit(df, policy=str(policy)))
    print(
        f"end to end on {df.size:,} cells: presidio {p_wall:.1f} s wall / {p_cpu:.1f} s CPU; "
        f"auditor.audit() PII001+PII002 (sample_size all) {a_wall:.1f} s / {a_cpu:.1f} s: "
        f"{p_wall / a_wall:.1f}x wall, {p_cpu / a_cpu:.1f}x CPU (target >= 10x)"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--presidio-rows", type=int, default=10_000, help="0 = every row")
    ap.add_argument("--seed", type=int, default=0, help="table and row-sample seed")
    ap.add_argument("--wide-rows", type=int, default=1_000_000)
    ap.add_argument("--tier", default="context")
    ap.add_argument("--audit-rows", type=int, default=5_334, help="0 = skip the audit() run")
    args = ap.parse_args()

    df, gen_s, _ = timed(lambda: mixed_table(args.rows, seed=args.seed))
    print(f"table: {args.rows:,} x {df.shape[1]} ({df.size:,} cells), generated in {gen_s:.1f} s")
    n = args.presidio_rows or len(df)
    same = sample_rows(df, n, seed=args.seed)
    print(
        f"same-cells sample: {len(same):,} rows ({same.size:,} cells) drawn with seed "
        f"{args.seed}; both tools scan exactly these cells"
    )
    get_engine(ScanOptions(tier=args.tier))  # build outside the timing, like Presidio's below
    batch = presidio_engine()

    p_cols, p_wall, p_cpu = presidio_scan(batch, same)
    s_cols, s_res, s_wall, s_cpu = ours_scan(same, args.tier)
    f_cols, f_res, f_wall, f_cpu = ours_scan(df, args.tier)

    print(
        f"{'':34} {'cells':>10} {'wall s':>8} {'CPU s':>8} {'cells/s wall':>13} {'cells/s CPU':>12}"
    )
    for label, cells, wall, cpu in (
        ("presidio analyze_dict (no_op)", same.size, p_wall, p_cpu),
        (f"auditor {args.tier}, same cells", same.size, s_wall, s_cpu),
        (f"auditor {args.tier}, full table", df.size, f_wall, f_cpu),
    ):
        print(
            f"{label:34} {cells:>10,} {wall:>8.1f} {cpu:>8.1f} {rate(cells, wall):>13,.0f} "
            f"{rate(cells, cpu):>12,.0f}"
        )
    p_rate_w, p_rate_c = rate(same.size, p_wall), rate(same.size, p_cpu)
    print(
        f"speed-up on the same {same.size:,} cells: "
        f"{rate(same.size, s_wall) / p_rate_w:.1f}x wall, {rate(same.size, s_cpu) / p_rate_c:.1f}x CPU "
        "(target >= 10x)"
    )
    print(
        f"auditor full table vs presidio's per-cell rate: {rate(df.size, f_wall) / p_rate_w:.1f}x "
        f"wall, {rate(df.size, f_cpu) / p_rate_c:.1f}x CPU (presidio's rate is flat per cell)"
    )
    print(f"PII columns, presidio (>=30% cells scored >=0.5): {sorted(p_cols)}")
    print(f"PII columns, auditor on the same cells:            {sorted(s_cols)}")
    print(f"PII columns, auditor on the full table:            {sorted(f_cols)}")
    print(
        f"same cells: found by auditor and not presidio: {sorted(set(s_cols) - set(p_cols))}; "
        f"by presidio and not auditor: {sorted(set(p_cols) - set(s_cols))}"
    )
    print(
        f"unique values analysed by auditor: {s_res.meta['unique_values_scanned']:,} (same cells), "
        f"{f_res.meta['unique_values_scanned']:,} (full table)"
    )
    if args.audit_rows:
        audit_vs_presidio(batch, args.audit_rows, args.seed)
    if args.wide_rows:
        wide, gen_s, _ = timed(lambda: wide_table(args.wide_rows, 30, seed=args.seed + 1))
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
