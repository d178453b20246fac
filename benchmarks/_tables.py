"""Seeded benchmark tables (Faker pools tiled with numpy, so 1M rows build in seconds)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from faker import Faker


def _pool(fk: Faker, fn: str, n: int) -> np.ndarray:
    make = getattr(fk, fn)
    return np.array([make() for _ in range(n)], dtype=object)


def mixed_table(rows: int, seed: int = 0, unique: int = 100_000) -> pd.DataFrame:
    """12 columns: 7 personal (name, email, phone, ssn, zip, dob, notes with PII in ~10 %),
    5 decoys (order_id, sku, price, status, city-of-warehouse code)."""
    fk = Faker("en_US")
    fk.seed_instance(seed)
    rng = np.random.default_rng(seed)
    u = min(rows, unique)

    def tile(pool: np.ndarray) -> np.ndarray:
        return pool[rng.integers(0, len(pool), rows)] if len(pool) < rows else pool[:rows]

    notes_pool = np.array(
        [
            fk.sentence(nb_words=12) + (f" Call me at {fk.phone_number()}." if i % 10 == 0 else "")
            for i in range(min(u, 20_000))
        ],
        dtype=object,
    )
    return pd.DataFrame(
        {
            "customer_name": tile(_pool(fk, "name", min(u, 30_000))),
            "email": tile(_pool(fk, "email", u)),
            "phone": tile(_pool(fk, "phone_number", u)),
            "ssn": tile(_pool(fk, "ssn", u)),
            "zip": tile(_pool(fk, "zipcode", min(u, 30_000))),
            "dob": tile(
                np.array([str(fk.date_of_birth()) for _ in range(min(u, 20_000))], dtype=object)
            ),
            "notes": tile(notes_pool),
            "order_id": np.array([f"ORD-{i:08d}" for i in rng.permutation(rows)], dtype=object),
            "sku": tile(
                np.array(
                    [f"SKU-{fk.bothify('??-####').upper()}" for _ in range(5_000)], dtype=object
                )
            ),
            "price": np.round(rng.uniform(1, 500, rows), 2),
            "status": tile(np.array(["shipped", "pending", "returned", "cancelled"], dtype=object)),
            "warehouse": tile(np.array([f"WH-{i:03d}" for i in range(40)], dtype=object)),
        }
    )


def wide_table(rows: int, columns: int = 30, seed: int = 0) -> pd.DataFrame:
    """``columns`` columns built by repeating the 12 mixed ones (with suffixes)."""
    base = mixed_table(rows, seed, unique=20_000)
    parts = {}
    i = 0
    while len(parts) < columns:
        for c in base.columns:
            if len(parts) == columns:
                break
            parts[f"{c}_{i}" if i else c] = base[c].to_numpy()
        i += 1
    return pd.DataFrame(parts)


def sample_rows(df: pd.DataFrame, n: int, seed: int = 0) -> pd.DataFrame:
    """A seeded sample of ``n`` rows of ``df`` (all rows when ``n >= len(df)``), in table
    order, with a fresh index: the identical cells both tools of a comparison scan."""
    if n >= len(df):
        return df.reset_index(drop=True)
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(len(df), size=n, replace=False))
    return df.iloc[rows].reset_index(drop=True)
