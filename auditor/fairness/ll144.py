"""NYC Local Law 144 (6 RCNY §§ 5-300 to 5-304) helpers: columns, summary fields, status wording."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from ..context import Context
from ..errors import ConfigError
from ..ll144 import (
    OPTION_FIELDS,
    REQUIRED_FIELDS,
    SUMMARY_FIELDS,
    given,
    metadata_value,
    missing_summary_fields,
)

__all__ = [
    "FLAG_STATUS",
    "OPTION_FIELDS",
    "REQUIRED_FIELDS",
    "SUMMARY_FIELDS",
    "find_column",
    "metadata_value",
    "missing_summary_fields",
    "summary_value",
]

FLAG_STATUS = "below_eeoc_four_fifths"
FLAG_NOTE = (
    "impact ratio below {thr:.2f}: EEOC four-fifths reference (29 CFR 1607.4(D)); LL144 itself "
    "sets no threshold"
)


def find_column(ctx: Context, given: str | None, pattern: str, role: str) -> str | None:
    """The configured column, else the first sensitive feature whose name matches ``pattern``."""
    if given is not None:
        if given not in ctx.dataset.columns:
            raise ConfigError(f"{role}: column {given!r} not found in the data")
        return given
    rx = re.compile(pattern, re.IGNORECASE)
    return next((c for c in ctx.sensitive if rx.search(c)), None)


def summary_value(ctx: Context, field: str, option: str | None) -> tuple[Any, str]:
    """(value, source) of a summary field: the check option wins, then ``metadata``."""
    if given(option):
        return option, "option"
    return metadata_value(ctx.metadata, field)


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def relabel(rows: Sequence[dict[str, Any]], threshold: float) -> list[dict[str, Any]]:
    """LL144 wording: no pass/fail; flagged rows carry the EEOC reference note."""
    out = []
    for row in rows:
        row = dict(row)
        if row["status"] == "pass":
            row["status"] = "reported"
        elif row["status"] == FLAG_STATUS:
            note = FLAG_NOTE.format(thr=threshold)
            row["note"] = f"{row['note']}; {note}" if row.get("note") else note
        out.append(row)
    return out
