"""Strict JSON: numpy/pandas scalars to Python; NaN, infinities and NaT to null with a flag.

The flag lives in the enclosing mapping under ``_nonfinite``, keyed like the value it describes:

- a scalar: its name, ``"nan"``, ``"inf"``, ``"-inf"`` or ``"nat"`` (pandas/numpy not-a-time):
  ``{"ratio": null, "_nonfinite": {"ratio": "nan"}}``;
- a list: a mapping from the index (as a string) to the element's flag, nested for lists of
  lists: ``{"ci": [0.2, null], "_nonfinite": {"ci": {"1": "inf"}}}``.

A mapping inside a list carries its own ``_nonfinite``. A bare list or scalar converted on its own
has nowhere to put a flag; the report only ever converts mappings at the top.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["NONFINITE_KEY", "to_jsonable"]

NONFINITE_KEY = "_nonfinite"

Flag = str | dict[str, Any]


def _is_nat(value: Any) -> bool:
    if value is pd.NaT:
        return True
    return isinstance(value, (np.datetime64, np.timedelta64)) and bool(np.isnat(value))


def _flag(value: Any) -> Flag | None:
    """The ``_nonfinite`` entry for ``value`` (None when it is an ordinary value)."""
    if isinstance(value, (float, np.floating)) and not isinstance(value, bool):
        x = float(value)
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return None
    if _is_nat(value):
        return "nat"
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        flags = {str(i): f for i, v in enumerate(value) if (f := _flag(v)) is not None}
        return flags or None
    return None


def to_jsonable(value: Any) -> Any:
    """Convert to strict-JSON data: no NaN/Infinity tokens, every non-finite value flagged in
    the enclosing mapping's ``_nonfinite`` (see the module docstring for its form)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        x = float(value)
        return x if math.isfinite(x) else None
    if _is_nat(value):
        return None
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        flags: dict[str, Any] = {}
        for k, v in value.items():
            key = str(k)
            if key == NONFINITE_KEY and isinstance(v, Mapping):
                continue  # existing flags (a re-converted report): merged below
            flag = _flag(v)
            if flag is not None:
                flags[key] = flag
            out[key] = to_jsonable(v)
        given = value.get(NONFINITE_KEY)
        if isinstance(given, Mapping) or flags:
            merged = {**(dict(given) if isinstance(given, Mapping) else {}), **flags}
            out[NONFINITE_KEY] = to_jsonable(merged)
        return out
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return [to_jsonable(v) for v in value.tolist()]
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if value is pd.NA:
        return None
    if hasattr(value, "item") and callable(value.item):  # other numpy/pandas scalars
        try:
            return to_jsonable(value.item())
        except (TypeError, ValueError):
            pass
    return str(value)
