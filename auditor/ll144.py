"""NYC Local Law 144 (6 RCNY §§ 5-300 to 5-304) summary fields: which the published summary
requires, where the audit config gives them, and which are missing.

A value module of the lowest layer: FAIR003 (:mod:`auditor.fairness.ll144`), the plan-time
format check and the summary renderer (:mod:`auditor.render.ll144`) read the same rules, and the
renderer reads them without importing the fairness family.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "OPTION_FIELDS",
    "REQUIRED_FIELDS",
    "SUMMARY_FIELDS",
    "given",
    "metadata_value",
    "missing_summary_fields",
]

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


def given(value: Any) -> bool:
    """Whether a summary field has a value (not None, not blank text)."""
    return value is not None and not (isinstance(value, str) and not value.strip())


def metadata_value(metadata: Mapping[str, Any], field: str) -> tuple[Any, str]:
    """(value, source) of a summary field in the audit config's ``metadata``: the keys of
    :data:`SUMMARY_FIELDS` under ``metadata: {ll144: ...}`` first, then at the top level."""
    nested = metadata.get("ll144")
    for source in (nested if isinstance(nested, Mapping) else {}, metadata):
        for key in SUMMARY_FIELDS[field]:
            value = source.get(key)
            if given(value):
                where = "metadata.ll144" if source is nested else "metadata"
                return value, f"{where}.{key}"
    return None, "missing"


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
        if not (f in OPTION_FIELDS and given(opts.get(f)))
        and metadata_value(metadata, f)[0] is None
    ]
