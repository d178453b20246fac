"""Seeded synthetic decisions (sex, race, age band, label, prediction, score) for tests and the
scale benchmark; written in chunks so any size fits in a small memory budget."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["decisions", "write_parquet"]

SEX = np.array(["female", "male", "nonbinary", "unknown"], dtype=object)
RACE = np.array(["asian", "black", "hispanic", "white", "other"], dtype=object)
AGE = np.array(["18-24", "25-39", "40-54", "55+"], dtype=object)


def decisions(n: int, seed: int = 0, *, missing: bool = True) -> pd.DataFrame:
    """``n`` rows with group-dependent selection rates; with ``missing`` a few nulls everywhere."""
    rng = np.random.default_rng(seed)
    sex = rng.choice(4, size=n, p=[0.48, 0.48, 0.02, 0.02])
    race = rng.choice(5, size=n, p=[0.12, 0.14, 0.18, 0.5, 0.06])
    age = rng.choice(4, size=n, p=[0.15, 0.4, 0.3, 0.15])
    base = -0.4 + 0.35 * (sex == 1) - 0.25 * (race == 1) + 0.1 * (age == 1)
    score = 1.0 / (1.0 + np.exp(-(base + rng.normal(0.0, 1.0, size=n))))
    score = np.round(score, 6)
    label = (rng.random(n) < score).astype(np.int64)
    prediction = (score > 0.5).astype(np.int64)
    df = pd.DataFrame(
        {
            "sex": SEX[sex],
            "race": RACE[race],
            "age_band": AGE[age],
            "label": label,
            "prediction": prediction,
            "score": score,
            "weight": np.round(rng.uniform(0.5, 2.0, size=n), 3),
        }
    )
    if missing and n >= 20:
        for col in ("sex", "race", "score", "prediction", "label", "weight"):
            idx = rng.choice(n, size=max(1, n // 500), replace=False)
            df.loc[idx, col] = None
        df["label"] = df["label"].astype("float64")
        df["prediction"] = df["prediction"].astype("float64")
    return df


def write_parquet(
    out: str | Path, rows: int, *, files: int = 1, chunk: int = 5_000_000, seed: int = 0
) -> list[Path]:
    """Write ``rows`` rows as ``files`` Parquet files under ``out`` (a directory), chunk by chunk."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    per_file = -(-rows // files)
    written = 0
    for f in range(files):
        path = out / f"part-{f:05d}.parquet"
        n_file = min(per_file, rows - written)
        writer = None
        done = 0
        while done < n_file:
            n = min(chunk, n_file - done)
            table = pa.Table.from_pandas(
                decisions(n, seed=seed * 100_003 + f * 10_007 + done), preserve_index=False
            )
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema)
            writer.write_table(table, row_group_size=1_000_000)
            done += n
        if writer is not None:
            writer.close()
        written += n_file
        paths.append(path)
    return paths
