"""Shared test data for the transparency tests (a uniquely named module, not a conftest)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).resolve().parent / "data"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True, scope="module")
def _in_repo_root() -> Iterator[None]:
    """Locations are shown relative to the working directory: run from the repository root."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(REPO)
        yield


def line_of(path: Path, text: str, start: int = 1) -> int:
    """1-based line of the first line at or after ``start`` containing ``text``."""
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if i >= start and text in line:
            return i
    raise AssertionError(f"{text!r} not in {path}")


def screening_frame() -> pd.DataFrame:
    """120 applicants with known counts (each block x3):
    M: TP 8, FP 2, FN 2, TN 8 (selection 0.5, TPR 0.8, FPR 0.2)
    F: TP 4, FP 1, FN 5, TN 10 (selection 0.25, TPR 4/9, FPR 1/11)
    overall: accuracy 0.75, precision 0.8, TPR 12/19, FPR 3/21, F1 24/34, selection 0.375.
    """
    m_p, m_y = [1] * 10 + [0] * 10, [1] * 8 + [0] * 2 + [1] * 2 + [0] * 8
    f_p, f_y = [1] * 5 + [0] * 15, [1] * 4 + [0] * 1 + [1] * 5 + [0] * 10
    rows = []
    for _ in range(3):
        for sex, preds, labels in (("M", m_p, m_y), ("F", f_p, f_y)):
            rows.extend((sex, p, y) for p, y in zip(preds, labels))
    df = pd.DataFrame(rows, columns=["sex", "pred", "label"])
    df["email"] = [f"applicant{i}.name@example.com" for i in range(len(df))]
    df["religion"] = (["Catholic", "Muslim", "Jewish", "Hindu", "Buddhist"] * 24)[: len(df)]
    df["tenure_years"] = [i % 7 for i in range(len(df))]
    return df
