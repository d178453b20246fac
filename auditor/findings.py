"""The value types every part of auditor shares: severities, statuses, findings, results."""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CheckResult", "Evidence", "Finding", "Severity", "Status", "Table", "fingerprint"]


class Severity(enum.IntEnum):
    """Ordered severities, so ``severity >= fail_on`` works."""

    INFO = 10
    LOW = 20
    MEDIUM = 30
    HIGH = 40
    CRITICAL = 50

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Severity:
        """``"high"`` -> ``Severity.HIGH``; raises ``ValueError`` naming the valid levels."""
        try:
            return cls[str(value).strip().upper()]
        except KeyError:
            levels = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {value!r} (expected one of: {levels})") from None


class Status(str, enum.Enum):
    """Outcome of one check (and of one finding: failed or waived)."""

    PASSED = "passed"
    FAILED = "failed"
    WAIVED = "waived"
    SKIPPED = "skipped"
    ERRORED = "errored"


class Evidence(str, enum.Enum):
    """How strong the statistical evidence behind a finding is (fairness findings state it).

    - ``significant``: the gap is beyond the threshold, its interval lies beyond the threshold, and
      it is statistically significant after the check's multiple-comparison correction (Holm).
    - ``inconclusive``: the estimate is beyond the threshold, but the interval crosses it, the test
      is not significant after the correction, or the group is smaller than ``min_group_size``.
    - ``degenerate``: a zero count makes a ratio 0 or infinite (e.g. a group with no false
      positives) and the counts show nothing beyond that; the finding names the group and the cell.

    A finding of an observed fact (a column holding e-mail addresses, a card field left empty) has
    no evidence level (``None``).
    """

    SIGNIFICANT = "significant"
    INCONCLUSIVE = "inconclusive"
    DEGENERATE = "degenerate"


@dataclass(frozen=True)
class Finding:
    """One problem a person must act on: one per (criterion, subject) of a check. Aggregates and
    masked samples only, never raw audited values.

    ``message`` is the headline: one plain sentence a non-specialist understands, with the n and
    the interval behind every number ("Women are selected at 62% of men's rate (95% CI 53-72%;
    962 women, 1,038 men); the four-fifths guideline is 80%."). ``detail`` holds the technical
    reading (metric names, thresholds, p-values); ``evidence`` the numbers as data.
    ``location`` names the subject (``column:email``, ``feature:sex``, ``feature:sex×race``,
    ``card:README.md:14``); ``discriminator`` separates two findings of one check at one location
    (two criteria) so the fingerprint stays stable across runs. ``severity`` overrides the check's
    severity for this finding. ``evidence_level`` says how strong the statistical evidence is
    (:class:`Evidence`; ``None`` for an observed fact). ``relates_to`` lists the locations of other
    subjects this finding is about (a card claim about ``feature:sex``), so findings of other
    checks that see the same problem are linked (``related`` ids in the report).
    """

    message: str
    location: str = ""
    evidence: Mapping[str, Any] = field(default_factory=dict)
    discriminator: str = ""
    severity: Severity | None = None
    recommendation: str = ""
    detail: str = ""
    evidence_level: Evidence | None = None
    relates_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """A measured table a check returns (named list of row dicts), shown whether the check passed or not."""

    name: str
    rows: tuple[Mapping[str, Any], ...]
    description: str = ""


DOCUMENT_ROLES = ("card", "datasheet")


def stable_location(location: str) -> str:
    """The part of a location that identifies a finding: a document location (``card:README.md:14``,
    ``datasheet:docs/sheet.md:3``) is reduced to the document's role, so neither the file's path nor the
    line (both change when a card is moved or a comment is added) enters the id; the field is in the
    discriminator. Every other location is kept whole."""
    role, sep, _ = location.partition(":")
    return role if sep and role in DOCUMENT_ROLES else location


def fingerprint(check_id: str, location: str, discriminator: str) -> str:
    """Stable id of a finding across runs: sha256 of (check, stable location, discriminator), 16 hex
    digits (see :func:`stable_location`)."""
    raw = f"{check_id}|{stable_location(location)}|{discriminator}".encode()
    return hashlib.sha256(raw).hexdigest()[:16]


@dataclass(frozen=True)
class ResultFinding:
    """A finding as stamped by the runner: id, effective severity and status (failed or waived)."""

    id: str
    message: str
    location: str
    severity: Severity
    status: Status
    evidence: Mapping[str, Any] = field(default_factory=dict)
    discriminator: str = ""
    recommendation: str = ""
    waiver: Mapping[str, Any] | None = None
    baseline_state: str | None = None  # new / unchanged / updated, when run with a baseline
    detail: str = ""
    evidence_level: Evidence | None = None
    related: tuple[str, ...] = ()  # ids of other checks' findings about the same subject
    relates_to: tuple[str, ...] = ()  # locations this finding is about besides its own


@dataclass(frozen=True)
class CheckResult:
    """The runner's record of one check: built by the runner, never by checks."""

    check: str
    name: str
    family: str
    severity: Severity
    status: Status
    summary: str
    duration_s: float
    references: tuple[str, ...] = ()
    findings: tuple[ResultFinding, ...] = ()
    tables: Mapping[str, tuple[Mapping[str, Any], ...]] = field(default_factory=dict)
    detail: str = ""  # skip reason, error message
    options: Mapping[str, Any] = field(default_factory=dict)
    # skipped because these inputs were not given (Skip.inputs): "card", "target", "rows", ...
    missing_inputs: tuple[str, ...] = ()
