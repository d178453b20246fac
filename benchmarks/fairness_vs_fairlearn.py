"""Fairness engine vs fairlearn MetricFrame, side by side in one run.

1. N rows (default 1,000,000), sex (2) x race (5) plus each alone, metrics selection rate, TPR,
   FPR, accuracy: our one-pass counts vs one MetricFrame per grouping; values compared to 1e-12.
2. The same with 1,000 bootstrap resamples for every interval (per-group metrics and the
   demographic-parity / equalized-odds differences) against MetricFrame *without* bootstrap.
3. 10,000,000 rows of three sensitive features (categorical columns): time and peak traced memory
   (tracemalloc) against the bytes of the columns used.

Usage: python benchmarks/fairness_vs_fairlearn.py [--rows N] [--big-rows N] [--boot B]
The machine is shared: run it once; numbers depend on the load.
"""

from __future__ import annotations

import argparse
import functools
import time
import tracemalloc
import warnings

import numpy as np
import pandas as pd

from auditor.fairness.api import by_group, group_counts
from auditor.fairness.disparity import disparity
from auditor.fairness.intervals import bootstrap_cells, rng_for
from auditor.fairness.rates import rate

METRICS = ("selection_rate", "tpr", "fpr", "accuracy")


def make_data(
    n: int, seed: int = 0, categorical: bool = False, third: bool = False
) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sex = rng.choice(np.array(["female", "male"], dtype=object), n, p=[0.45, 0.55])
    race = rng.choice(
        np.array(["asian", "black", "hispanic", "two_or_more", "white"], dtype=object),
        n,
        p=[0.1, 0.15, 0.2, 0.05, 0.5],
    )
    y = (rng.random(n) < np.where(sex == "female", 0.35, 0.45)).astype(np.int64)
    p = (rng.random(n) < 0.3 + 0.4 * y).astype(np.int64)
    data = {"sex": sex, "race": race}
    if third:
        data["age_band"] = rng.choice(
            np.array(["18-24", "25-34", "35-44", "45-54", "55-64", "65+"], dtype=object), n
        )
    df = pd.DataFrame(data)
    if categorical:
        df = df.astype("category")
    df["y"] = y
    df["p"] = p
    return df


def ours(df: pd.DataFrame, features: list[str]) -> dict[str, pd.DataFrame]:
    gcs = group_counts(df.y.to_numpy(), df.p.to_numpy(), df[features], intersections="all")
    return {gc.feature: by_group(gc, METRICS) for gc in gcs}


def ours_with_bootstrap(df: pd.DataFrame, features: list[str], n_boot: int) -> dict[str, dict]:
    gcs = group_counts(df.y.to_numpy(), df.p.to_numpy(), df[features], intersections="all")
    out = {}
    for gc in gcs:
        reps = bootstrap_cells(gc.counts, n_boot, rng_for(0, gc.feature))
        eligible = np.ones(len(gc.groups), dtype=bool)
        cis = {m: np.nanquantile(rate(reps, m), [0.025, 0.975], axis=0) for m in METRICS}
        for metric in ("demographic_parity_difference", "equalized_odds_difference"):
            cis[metric] = np.nanquantile(disparity(reps, metric, eligible), [0.025, 0.975])
        out[gc.feature] = {"by_group": by_group(gc, METRICS), "ci": cis}
    return out


def fairlearn_frames(df: pd.DataFrame, features: list[str]) -> dict[str, pd.DataFrame]:
    from fairlearn.metrics import (
        MetricFrame,
        false_positive_rate,
        selection_rate,
        true_positive_rate,
    )
    from sklearn.metrics import accuracy_score

    fns = {
        "selection_rate": selection_rate,
        "tpr": true_positive_rate,
        "fpr": false_positive_rate,
        "accuracy": accuracy_score,
    }
    out = {}
    groupings = [[f] for f in features] + [features]
    for cols in groupings:
        mf = MetricFrame(metrics=fns, y_true=df.y, y_pred=df.p, sensitive_features=df[cols])
        out["×".join(cols)] = mf.by_group
    return out


def max_abs_diff(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> float:
    worst = 0.0
    for key, theirs in b.items():
        mine = a[key]
        idx = ["×".join(map(str, i)) if isinstance(i, tuple) else str(i) for i in theirs.index]
        assert list(mine.index) == idx, (key, list(mine.index), idx)
        for m in METRICS:
            worst = max(worst, float(np.max(np.abs(mine[m].to_numpy() - theirs[m].to_numpy()))))
    return worst


def timed(fn, *args):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    value = fn(*args)
    return value, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--big-rows", type=int, default=10_000_000)
    ap.add_argument("--boot", type=int, default=1000)
    args = ap.parse_args()
    features = ["sex", "race"]

    print(f"== 1. {args.rows:,} rows; groupings sex, race, sex×race; metrics {', '.join(METRICS)}")
    df = make_data(args.rows)
    mine, t_ours = timed(ours, df, features)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs, t_fl = timed(fairlearn_frames, df, features)
    diff = max_abs_diff(mine, theirs)
    print(f"{'':28}{'auditor':>12}{'fairlearn':>12}{'speed-up':>10}")
    print(f"{'3 groupings, 4 metrics':28}{t_ours:>11.3f}s{t_fl:>11.3f}s{t_fl / t_ours:>9.1f}x")
    print(f"max |difference| of all {sum(len(v) for v in theirs.values())} x {len(METRICS)} values: {diff:.3g}"
          f"  ({'OK' if diff <= 1e-12 else 'MISMATCH'} at 1e-12)")  # fmt: skip

    print(f"\n== 2. with {args.boot} bootstrap resamples (every per-group rate and 2 disparities)")
    _, t_boot = timed(ours_with_bootstrap, df, features, args.boot)
    print(f"{'auditor + bootstrap':28}{t_boot:>11.3f}s   vs fairlearn without bootstrap "
          f"{t_fl:.3f}s: {t_fl / t_boot:.1f}x faster")  # fmt: skip

    print(
        f"\n== 2b. end to end: auditor.audit with FAIR001 + FAIR002 (n_boot {args.boot}), tables built"
    )
    import auditor

    policy = {"checks": {"FAIR001": {"options": {"n_boot": args.boot, "intersections": "all"}},
                         "FAIR002": {"options": {"n_boot": args.boot, "intersections": "all"}}}}  # fmt: skip
    # warm-up on 1,000 rows (imports, entry points, scipy) so the timing is the audit itself
    auditor.audit(df.head(1000), target="y", prediction="p", sensitive=features, policy=policy)
    run = functools.partial(
        auditor.audit, target="y", prediction="p", sensitive=features, policy=policy
    )
    report, t_e2e = timed(run, df)
    rows = sum(len(r.tables.get("groups", ())) for r in report.results)
    print(f"{'audit() incl. load, 2 checks':28}{t_e2e:>11.3f}s   ({rows} group rows, every interval "
          f"bootstrapped) vs fairlearn without bootstrap {t_fl:.3f}s: {t_fl / t_e2e:.1f}x faster")  # fmt: skip
    del df, mine, theirs

    print(
        f"\n== 3. {args.big_rows:,} rows, three sensitive features (categorical), all intersections"
    )
    big = make_data(args.big_rows, seed=1, categorical=True, third=True)
    cols = ["sex", "race", "age_band", "y", "p"]
    used = int(big[cols].memory_usage(deep=True, index=False).sum())
    tracemalloc.start()
    _, t_big = timed(ours, big, ["sex", "race", "age_band"])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"time {t_big:.3f}s; peak traced memory {peak / 2**20:.0f} MiB; columns used "
          f"{used / 2**20:.0f} MiB (ratio {peak / used:.1f}x)")  # fmt: skip


if __name__ == "__main__":
    main()
