"""NYC Local Law 144 (6 RCNY §§ 5-300 to 5-304) helpers: columns, summary fields, status wording."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..context import Context
from ..errors import ConfigError

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
#: summary field -> accepted metadata keys (the audit config's ``metadata:`` mapping)
SUMMARY_FIELDS: dict[str, tuple[str, ...]] = {
    "audit_date": ("audit_date", "bias_audit_date"),
    "data_source": ("data_source", "data_source_description"),
    "distribution_date": ("distribution_date", "aedt_distribution_date"),
    "data_explanation": ("data_explanation", "data_source_explanation"),
    "test_data_explanation": ("test_data_explanation",),
}
#: the fields 6 RCNY §5-303 requires in the published summary that the data cannot give (the
#: applicant and unknown-category counts, rates and impact ratios are measured); with test data
#: (``data_type: test``) also ``test_data_explanation`` (§5-302)
REQUIRED_FIELDS = ("audit_date", "data_source", "data_explanation", "distribution_date")
#: summary fields that FAIR003 also takes as options (the option wins over ``metadata``)
OPTION_FIELDS = ("audit_date", "data_source", "distribution_date", "test_data_explanation")


def find_column(ctx: Context, given: str | None, pattern: str, role: str) -> str | None:
    """The configured column, else the first sensitive feature whose name matches ``pattern``."""
    if given is not None:
        if given not in ctx.dataset.columns:
            raise ConfigError(f"{role}: column {given!r} not found in the data")
        return given
    rx = re.compile(pattern, re.IGNORECASE)
    return next((c for c in ctx.sensitive if rx.search(c)), None)


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def metadata_value(metadata: Mapping[str, Any], field: str) -> tuple[Any, str]:
    """(value, source) of a summary field in the audit config's ``metadata``: the keys of
    :data:`SUMMARY_FIELDS` under ``metadata: {ll144: ...}`` first, then at the top level."""
    nested = metadata.get("ll144")
    for source in (nested if isinstance(nested, Mapping) else {}, metadata):
        for key in SUMMARY_FIELDS[field]:
            value = source.get(key)
            if _given(value):
                where = "metadata.ll144" if source is nested else "metadata"
                return value, f"{where}.{key}"
    return None, "missing"


def summary_value(ctx: Context, field: str, option: str | None) -> tuple[Any, str]:
    """(value, source) of a summary field: the check option wins, then ``metadata``."""
    if _given(option):
        return option, "option"
    return metadata_value(ctx.metadata, field)


def missing_summary_fields(
    metadata: Mapping[str, Any], options: Mapping[str, Any] | None = None
) -> list[str]:
    """The required summary fields (:data:`REQUIRED_FIELDS`, plus ``test_data_explanation`` when
    ``data_type`` is ``test``) that neither FAIR003's ``options`` nor ``metadata`` give. Plan time:
    what the published summary would lack, known before any check runs."""
    opts = options or {}
    fields = list(REQUIRED_FIELDS)
    if opts.get("data_type") == "test":
        fields.append("test_data_explanation")
    return [
        f
        for f in fields
        if not (f in OPTION_FIELDS and _given(opts.get(f)))
        and metadata_value(metadata, f)[0] is None
    ]


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
