from __future__ import annotations

import pandas as pd


def rows_from_counts(
    counts: list[tuple], columns: list[str], outcome: str = "selected"
) -> pd.DataFrame:
    """A frame with one row per applicant from (category values..., n, k) tuples: k selected."""
    records = []
    for *values, n, k in counts:
        records += [(*values, 1)] * k + [(*values, 0)] * (n - k)
    return pd.DataFrame(records, columns=[*columns, outcome])
