"""Turn engine results into findings and tables (shared by the TRN checks, which stay one screen long)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..check import Skip
from ..findings import Finding, Severity, Table
from .claims import CONTRADICTED, Claim
from .crosscheck import (
    ClaimOptions,
    card_documents,
    contradictions,
    measured_summary,
    usable_documents,
    verdicts,
)
from .document import Document
from .placeholders import assess_field, unmitigated
from .requirements import FieldRule, Row, evaluate, rules_for

if TYPE_CHECKING:
    from ..context import Context

__all__ = ["claim_results", "field_results"]

RECOMMEND = {
    "metrics": "Update the card's results to the values measured on this data (or state the dataset and "
    "conditions they were measured on), or investigate why the model performs differently.",
    "pii": "Correct the card's personal-data statement (GDPR Art. 30/35 records depend on it), or remove or "
    "pseudonymise the flagged columns.",
    "sensitive": "Declare every sensitive attribute present in the data (data.sensitive_attributes), or remove "
    "the columns.",
    "fairness": "Correct the fairness claim to the measured value, or fix the disparity before release.",
    "dataset": "Record the sha256 of the dataset the card's results were measured on, or re-run the "
    "evaluation on the data that was audited.",
    "model_version": "Bring the card and the model artifact in line: the card must describe the exact "
    "version that ships.",
    "license": "Use an SPDX id (https://spdx.org/licenses/) or a Hub id; for a custom license give its name "
    "and a link (license: other + license_name + license_link on the Hub).",
}


def claim_results(
    ctx: Context, kind: str, tolerance: float = 0.02, audited_only: bool = False
) -> Iterator[Finding | Table]:
    """The ``claims`` table of one cross-check and a finding per contradicted claim."""
    claims: Sequence[Claim] = verdicts(ctx, kind, ClaimOptions(tolerance, audited_only))
    yield Table(
        "claims", tuple(c.row() for c in claims), f"Card claims checked against the audit ({kind})"
    )
    for c in claims:
        if c.status == CONTRADICTED:
            yield Finding(
                message=c.message,
                location=c.location,
                evidence={
                    "field": c.field,
                    "claimed": c.claimed,
                    "measured": c.measured,
                    **dict(c.evidence),
                },
                # a repeat (two accuracy claims in one card) is numbered by the runner: ...#2
                discriminator=f"{kind}:{c.field}:{c.subject}",
                recommendation=RECOMMEND[kind],
            )


_SEVERITY_ORDER = ("info", "low", "medium", "high", "critical")


def field_results(
    ctx: Context,
    standards: Sequence[str],
    extra: Sequence[FieldRule],
    ignore: Sequence[str],
    cross_check: bool,
    tolerance: float,
    only_datasheet: bool = False,
) -> Iterator[Finding | Table]:
    """The ``fields`` table (one row per field and clause) and one finding per unfilled field."""
    if only_datasheet:
        docs = [d for d in card_documents(ctx) if d.role == "datasheet"]
        if docs and docs[0].fatal is not None:
            raise Skip(
                f"datasheet {docs[0].path} could not be read (see TRN100): {docs[0].fatal.message}"
            )
    else:
        docs = usable_documents(ctx)
    rules = rules_for(standards, extra, ignore)
    contradicted: dict[str, list[dict[str, Any]]] = {}
    measured: dict[str, str] = {}
    if cross_check:
        contradicted, _ = contradictions(ctx, ClaimOptions(tolerance))
        measured = measured_summary(
            ctx, {r.field for r in rules} | {a for r in rules for a in r.alternatives}
        )
    rows = evaluate(rules, docs, contradicted, measured)
    yield Table(
        "fields", tuple(r.table_row() for r in rows), "Documentation fields by standard clause"
    )
    by_field: dict[str, list[Row]] = {}
    for r in rows:
        if r.status in ("missing", "placeholder"):
            by_field.setdefault(r.field, []).append(r)
    formats = {d.role: d.format for d in card_documents(ctx)}
    for fld, group in by_field.items():
        first = group[0]
        clauses = [f"{r.standard} {r.clause}" for r in group]
        levels = [r.severity for r in group if r.severity]
        severity = Severity.parse(max(levels, key=_SEVERITY_ORDER.index)) if levels else None
        what = "is missing" if first.status == "missing" else f"is a placeholder ({first.reason})"
        yield Finding(
            message=f"{first.location.split(':')[0]} field {fld} {what}; required "
            f"by {'; '.join(dict.fromkeys(clauses))}",
            location=first.location,
            evidence={
                "field": fld,
                "status": first.status,
                "reason": first.reason,
                "clauses": list(dict.fromkeys(clauses)),
                "value_excerpt": first.value_excerpt or None,
                "format": formats.get("datasheet" if fld.startswith("datasheet.") else "card"),
            },
            discriminator=f"field:{fld}",
            severity=severity,
            recommendation=_hint(fld, formats.get(first.location.split(":")[0], "")),
        )
    if any(r.field == "risks" and r.status == "present" for r in rows):
        yield from _unmitigated_risks(docs)


def _unmitigated_risks(docs: Sequence[Document]) -> Iterator[Finding]:
    """A low finding per listed risk without a mitigation (when some risks state one; when none does,
    the ``risks`` field itself is a placeholder)."""
    for doc in docs:
        for fv in doc.values("risks"):
            if assess_field(fv).status != "present":
                continue
            for i in unmitigated(fv.value):
                risk = fv.value[i]
                name = str(risk.get("name") or f"risks[{i}]")
                line = fv.item_lines[i] if i < len(fv.item_lines) and fv.item_lines[i] else fv.line
                location = doc.location(line)
                yield Finding(
                    message=f"{doc.role} risk {name!r} states no mitigation (risks[{i}])",
                    location=location,
                    evidence={"field": "risks", "risk": name, "index": i},
                    discriminator=f"risk-mitigation:{name}",
                    severity=Severity.LOW,
                    recommendation="Give the risk's mitigation, or say that the residual risk is "
                    "accepted and by whom (NIST AI RMF MANAGE 1.3/1.4).",
                )


def _hint(fld: str, fmt: str) -> str:
    from .hints import where_to_write

    return (
        f"Fill in {where_to_write(fld, fmt)}, or state why it does not apply with "
        "`not_applicable: {reason: ...}` (Markdown: 'N/A: <reason>')."
    )
