"""PII008 hipaa-safe-harbor: the 18 HIPAA Safe Harbor identifiers, present / absent / not checkable.

What: maps the column scan onto 45 CFR 164.514(b)(2)(i)(A)-(R). Each identifier is
``present`` (columns listed), ``absent`` (checked, none found) or ``not_checkable`` (the scan
cannot establish it: full-face photographs (Q) and biometrics (P) unless a column is named or
typed for them: a binary ``face_image`` column is (P) and (Q) present; "any other unique
identifying number" (R) when no specific identifier type was found; ZIP (B) population
thresholds need census data). Table ``safe_harbor`` (18 rows); a finding per present
identifier.

Why: Safe Harbor de-identification requires removing all 18 identifiers (and having no actual
knowledge that the rest identifies anyone). A dataset leaving any of them in is PHI.

Passes: a dataset with only 3-digit ZIPs of populous areas, birth years, and clinical values.
Fails: ``patient_name``, ``mrn``, ``admission_date`` (A, H, C present).

References: 45 CFR 164.514(b)(2); HHS Guidance Regarding Methods for De-identification of PHI
(2012).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..check import check
from ..context import Context
from ..findings import Finding, Severity, Table
from ..pii.entities import HIPAA_IDENTIFIERS
from ..pii.measure import scan_table
from ..pii.settings import ScanOptions


@dataclass(frozen=True)
class Options(ScanOptions):
    """Scan options (shared with PII001)."""


def _letters(row: dict[str, object]) -> set[str]:
    out = set()
    for tag in row.get("regulations", []):  # type: ignore[attr-defined]
        if isinstance(tag, str) and tag.startswith("HIPAA 164.514(b)(2)(i)("):
            out.add(tag[-2])
    return out


@check(
    "PII008",
    "hipaa-safe-harbor",
    severity=Severity.HIGH,
    options=Options,
    references=(
        "https://www.ecfr.gov/current/title-45/part-164/section-164.514",
        "https://www.hhs.gov/hipaa/for-professionals/special-topics/de-identification/index.html",
    ),
    lazy=True,  # runs on lazy engine sources (auditor.engines.pii)
)
def hipaa_safe_harbor(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    result = scan_table(ctx, options)
    found: dict[str, list[str]] = {k: [] for k in HIPAA_IDENTIFIERS}
    binary_cols = []
    for row in result.rows:
        if row["kind"] != "none":
            for letter in _letters(row):
                found[letter].append(row["column"])
        if row["evidence"]["cells"]["binary"]:
            binary_cols.append(row["column"])
    rows = []
    for letter, label in HIPAA_IDENTIFIERS.items():
        cols = found[letter]
        note = ""
        if cols:
            status = "present"
        elif letter == "Q":
            status = "not_checkable"
            note = "images are not inspected" + (
                f"; binary columns: {', '.join(binary_cols)}" if binary_cols else ""
            )
        elif letter == "P" and binary_cols:
            status, note = (
                "not_checkable",
                f"binary columns not inspected: {', '.join(binary_cols)}",
            )
        elif letter == "R":
            status = "not_checkable"
            note = "no specific identifier type found; other unique codes need a human review"
        else:
            status = "absent"
        if letter == "B" and cols:
            note = "3-digit ZIPs are allowed only for areas over 20,000 people (census data needed)"
        rows.append(
            {"item": letter, "identifier": label, "status": status, "columns": cols, "note": note}
        )
        if status == "present":
            yield Finding(
                message=(
                    f"Safe Harbor identifier ({letter}) {label.lower()} present in "
                    f"column{'s' if len(cols) > 1 else ''} {', '.join(repr(c) for c in cols)}"
                ),
                location="dataset",
                evidence={"item": letter, "columns": cols},
                discriminator=f"safe-harbor-{letter}",
                recommendation="Remove or generalise it (Safe Harbor), or use Expert Determination.",
            )
    yield Table("safe_harbor", tuple(rows), "HIPAA Safe Harbor 18-identifier checklist")
