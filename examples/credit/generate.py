"""Seeded credit-approval dataset and a small scikit-learn model saved with skops (safe loading).

``python examples/credit/generate.py`` rewrites ``credit.csv`` (applicants with the model's decision
column removed, so auditor computes predictions from the model) and ``model.skops``.
Needs scikit-learn and skops (``pip install 'auditor[skops]'``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

FEATURES = ["income_k", "debt_ratio", "credit_history_years", "late_payments", "loan_amount_k"]


def make_credit(n: int = 3000, seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sex = rng.choice(["female", "male"], n)
    age_band = rng.choice(["18-25", "26-40", "41-60", "60+"], n, p=[0.15, 0.4, 0.33, 0.12])
    income = np.round(rng.lognormal(4.0, 0.45, n) * np.where(sex == "female", 0.9, 1.0), 1)
    debt = np.clip(rng.beta(2, 5, n), 0, 1).round(3)
    history = np.clip(
        rng.normal(9, 5, n) + np.select([age_band == "18-25", age_band == "60+"], [-6, 8], 0), 0, 45
    ).round(1)
    late = rng.poisson(np.clip(1.2 - history / 20, 0.1, 3))
    loan = np.round(rng.lognormal(2.8, 0.6, n), 1)
    risk = -0.02 * income + 3.0 * debt - 0.05 * history + 0.45 * late + 0.01 * loan
    repaid = (risk + rng.normal(0, 0.6, n) < np.median(risk)).astype(int)
    return pd.DataFrame(
        {
            "customer_id": [f"C{200000 + i}" for i in range(n)],
            "sex": sex,
            "age_band": age_band,
            "income_k": income,
            "debt_ratio": debt,
            "credit_history_years": history,
            "late_payments": late,
            "loan_amount_k": loan,
            "repaid": repaid,
        }
    )


def train(df: pd.DataFrame) -> object:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))
    model.fit(df[FEATURES], df["repaid"])
    return model


def main(argv: list[str]) -> int:
    import skops.io as sio

    here = Path(argv[0]) if argv else Path(__file__).parent
    df = make_credit()
    model = train(df)
    df.to_csv(here / "credit.csv", index=False)
    sio.dump(model, here / "model.skops")
    print(f"wrote {here / 'credit.csv'} and {here / 'model.skops'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
