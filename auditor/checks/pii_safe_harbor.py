"""PII008 hipaa-safe-harbor: the 18 HIPAA Safe Harbor identifiers, present / absent / not checkable.

What: maps the column scan onto 45 CFR 164.514(b)(2)(i)(A)-(R). Each identifier is
``present`` (columns listed), ``absent`` (checked, none found) or ``not_checkable`` (the scan
cannot establish it: full-face photographs (Q) and biometrics (P) unless a column is named or
typed for them: a binary ``face_image`` column is (P) and (Q) present; "any other unique
identifying number" (R) when no specific identifier type was found; ZIP (B) population
thresholds need census data). Table ``safe_harbor`` (18 rows); one finding per present
identifier (letter), naming its columns.

Applies only to health data: the ``hipaa-safe-harbor`` pack sets the option ``health_data:
true``; otherwise the audit's metadata must say so (``health_data: true``, ``data_category:``
a word or a list holding ``health``, ``healthcare``, ``health care``, ``medical``, ``clinical`` or
``phi``, or ``sector:`` one of those words; case-insensitive). Without either the check is
skipped, saying how to turn it on (and naming columns PII002 finds holding health data).

Why: Safe Harbor de-identification requires removing all 18 identifiers (and having no actual
knowledge that the rest identifies anyone). A dataset leaving any of them in is PHI.

Passes: a dataset with only 3-digit ZIPs of populous areas, birth years, and clinical values.
Fails: ``patient_name``, ``mrn``, ``admission_date`` (A, H, C present).

References: 45 CFR 164.514(b)(2); HHS Guidance Regarding Methods for De-identification of PHI
(2012).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..check import Skip, check
from ..findings import Finding, Severity, Table
from ..pii.settings import ScanOptions

if TYPE_CHECKING:
    from ..context import Context


@dataclass(frozen=True)
class Options(ScanOptions):
    """Scan options (shared with PII001); ``health_data``: whether the data is health data
    (protected health information), the condition for HIPAA to apply. ``true`` applies the check
    (the ``hipaa-safe-harbor`` pack sets it), ``false`` skips it, unset (default) reads the audit's
    metadata (``health_data: true``, ``data_category: health``, ``sector: healthcare``, ...)."""

    health_data: bool | None = None


# what HIPAA Safe Harbor's identifiers are, in words a reader outside the field understands
_PLAIN = {
    "A": "names",
    "B": "places smaller than a state (street addresses, cities, counties, ZIP codes)",
    "C": "dates related to a person (other than the year) or ages over 89",
    "D": "phone numbers",
    "E": "fax numbers",
    "F": "e-mail addresses",
    "G": "Social Security numbers",
    "H": "medical record numbers",
    "I": "health plan beneficiary numbers",
    "J": "account numbers",
    "K": "certificate or licence numbers",
    "L": "vehicle identifiers and serial numbers, including licence plates",
    "M": "device identifiers and serial numbers",
    "N": "web addresses (URLs)",
    "O": "IP addresses",
    "P": "biometric identifiers (such as finger and voice prints)",
    "Q": "full-face photographs or comparable images",
    "R": "other unique identifying numbers, characteristics or codes",
}
_HOW = {
    "B": "keep only the first 3 digits of ZIP codes, and only where that 3-digit area has more "
    "than 20,000 people (000 otherwise), and remove street, city and county details",
    "C": "reduce dates to the year and put every age over 89 in one band (90 or older)",
}
# what the audit's metadata may say to mark the data as health data (case-insensitive)
HEALTH_WORDS = frozenset({"health", "healthcare", "health care", "medical", "clinical", "phi"})
_TRUE = frozenset({"true", "yes", "1"})
_FALSE = frozenset({"false", "no", "0"})


def _letters(row: dict[str, object]) -> set[str]:
    out = set()
    for tag in row.get("regulations", []):  # type: ignore[attr-defined]
        if isinstance(tag, str) and tag.startswith("HIPAA 164.514(b)(2)(i)("):
            out.add(tag[-2])
    return out


def _flag(value: Any) -> bool | None:
    """``true``/``"yes"`` -> True, ``false``/``"no"`` -> False, anything else None."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    return True if text in _TRUE else False if text in _FALSE else None


def _words(value: Any) -> list[str]:
    values = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
    return [str(v).strip().lower().replace("_", " ").replace("-", " ") for v in values]


def health_data_basis(options: Options, metadata: Mapping[str, Any]) -> tuple[bool | None, str]:
    """Whether the data is health data, and who says so: the check's ``health_data`` option
    first, then the audit's metadata: ``health_data`` (true/false), ``data_category`` (a word or
    a list holding one of :data:`HEALTH_WORDS`) or ``sector`` (one of them). ``None`` when
    nothing says."""
    if options.health_data is not None:
        return (
            options.health_data,
            f"the policy sets PII008 health_data: {str(options.health_data).lower()}",
        )
    if "health_data" in metadata and _flag(metadata["health_data"]) is not None:
        flag = _flag(metadata["health_data"])
        return flag, f"the audit's metadata sets health_data: {str(flag).lower()}"
    for key in ("data_category", "sector"):
        if key in metadata and HEALTH_WORDS & set(_words(metadata[key])):
            return True, f"the audit's metadata sets {key}: {metadata[key]}"
    return None, ""


@check(
    "PII008",
    "hipaa-safe-harbor",
    severity=Severity.HIGH,
    options=Options,
    references=(
        "https://www.ecfr.gov/current/title-45/part-164/section-164.514",
        "https://www.hhs.gov/hipaa/for-professionals/special-topics/de-identification/index.html",
    ),
    lazy=True,  # runs on lazy engine sources (auditor.pii.lazy)
)
def hipaa_safe_harbor(ctx: Context, options: Options) -> Iterator[Finding | Table]:
    from ..pii.entities import HIPAA_IDENTIFIERS
    from ..pii.fallback import tier_fallback
    from ..pii.measure import scan_table
    from ..pii.wording import columns_phrase

    applies, because = health_data_basis(options, ctx.metadata or {})
    if applies is False:
        raise Skip(f"HIPAA Safe Harbor applies to health data only, and {because}")
    result = scan_table(ctx, options)
    if applies is None:
        health = [
            r["column"]
            for r in result.rows
            if r["kind"] == "special_category"
            and ((r["evidence"].get("special_category") or {}).get("category") == "health_data")
        ]
        seen = (
            f" (PII002 found data concerning health in {columns_phrase(health)}: if it is "
            "protected health information, turn the check on)"
            if health
            else ""
        )
        raise Skip(
            "HIPAA Safe Harbor applies to health data (protected health information), and "
            "neither the policy nor the audit's metadata says this data is health data"
            f"{seen}; to apply it, run with --policy hipaa-safe-harbor or --set "
            "PII008.health_data=true, or add `data_category: health` to the config's metadata"
        )
    found: dict[str, list[str]] = {k: [] for k in HIPAA_IDENTIFIERS}
    free_text: set[str] = set()
    binary_cols = []
    for row in result.rows:
        if row["kind"] != "none":
            for letter in _letters(row):
                found[letter].append(row["column"])
        if row["kind"] == "free_text_pii":
            free_text.add(row["column"])
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
            yield _finding(letter, label, cols, free_text, because)
    yield Table(
        "safe_harbor",
        tuple(rows),
        f"HIPAA Safe Harbor 18-identifier checklist (applied because {because})",
    )
    yield from tier_fallback(ctx, "PII008", options, result.meta)


def _finding(
    letter: str, label: str, cols: list[str], free_text: set[str], because: str
) -> Finding:
    from ..pii.wording import columns_phrase, join

    plain = [c for c in cols if c not in free_text]
    text = [c for c in cols if c in free_text]
    where = join(
        [
            *([columns_phrase(plain)] if plain else []),
            *([f"the free-text {columns_phrase(text)}"] if text else []),
        ]
    )
    what = _PLAIN[letter]
    if letter in _HOW:
        how = _HOW[letter][:1].upper() + _HOW[letter][1:]
    else:
        steps = [
            *([f"drop {columns_phrase(plain)}"] if plain else []),
            *([f"redact them in {columns_phrase(text)}"] if text else []),
        ]
        how = f"Remove the {what}: {join(steps)}"
    return Finding(
        message=(
            f"The data is not de-identified under HIPAA Safe Harbor: {where} "
            f"{'holds' if len(cols) == 1 else 'hold'} {what}, one of the 18 kinds of identifier "
            "that must be removed."
        ),
        location="dataset",
        evidence={"item": letter, "columns": cols, "applies_because": because},
        discriminator=f"safe-harbor-{letter}",
        recommendation=(
            f"{how}; or have an expert determine that the risk of re-identification is very "
            "small (Expert Determination, 45 CFR 164.514(b)(1))."
        ),
        detail=(
            f"45 CFR 164.514(b)(2)(i)({letter}) {label}: present in {', '.join(cols)}; "
            f"the check applies because {because}"
        ),
        relates_to=tuple(f"column:{c}" for c in cols),
    )
