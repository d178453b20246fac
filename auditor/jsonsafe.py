"""Strict JSON: numpy/pandas scalars to Python, NaN and infinities to null with a flag."""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["NONFINITE_KEY", "to_jsonable"]

NONFINITE_KEY = "_nonfinite"


def _nonfinite_name(x: float) -> str:
    return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")


def to_jsonable(value: Any) -> Any:
    """Convert to strict-JSON data. In a mapping, a non-finite float becomes null and the key is
    listed under ``_nonfinite`` (``{"ratio": null, "_nonfinite": {"ratio": "nan"}}``)."""
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
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        flags: dict[str, str] = {}
        for k, v in value.items():
            key = str(k)
            if isinstance(v, (float, np.floating)) and not math.isfinite(float(v)):
                flags[key] = _nonfinite_name(float(v))
                out[key] = None
            else:
                out[key] = to_jsonable(v)
        if flags:
            out[NONFINITE_KEY] = {**out.get(NONFINITE_KEY, {}), **flags}
        return out
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return [to_jsonable(v) for v in value.tolist()]
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "item") and callable(value.item):  # other numpy/pandas scalars
        try:
            return to_jsonable(value.item())
        except (TypeError, ValueError):
            pass
    if value is getattr(__import__("pandas"), "NA", object()) or value is getattr(
        __import__("pandas"), "NaT", object()
    ):
        return None
    return str(value)
