"""Turn engine results into findings and tables (shared by the TRN checks, which stay one screen long)."""

from __future__ import annotations

import re
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
from .hints import card_flavour, fill_advice, license_fix
from .placeholders import assess_field, unmitigated
from .requirements import FieldRule, Row, evaluate, rules_for
from .wording import document_name, join, number

if TYPE_CHECKING:
    from ..context import Context

__all__ = ["claim_results", "field_results", "recommendation"]


def _listed(columns: Any) -> str:
    names = [str(c.get("column") if isinstance(c, dict) else c) for c in columns or []]
    return join(names)


def _value(x: Any) -> str:
    return number(x) if isinstance(x, float) else str(x)


def recommendation(c: Claim, fmt: str = "") -> str:
    """What to do about one contradicted claim, naming its subject, values and columns; ``fmt`` is the
    flavour of the card the claim is in (:func:`.hints.card_flavour`), so a fix is in its format."""
    doc = document_name(c.location)
    ev = c.evidence
    if c.kind == "metrics":
        return (
            f"Change the {doc}'s {c.subject} to the value measured on the audited data "
            f"({_value(c.measured)}), or state the dataset and conditions the claimed {c.claimed} was "
            "measured on (dataset, split); if it holds for another dataset, find out why the "
            "model does worse on this one."
        )
    if c.kind == "pii":
        return (
            f"Correct the {doc}'s statement that the data holds no personal data: the audit found "
            f"it in {_listed(ev.get('columns'))}. Update the GDPR records of processing (Art. 30) "
            "and the data protection impact assessment (Art. 35) that rely on it, or remove or "
            "pseudonymise those columns (see the linked PII findings)."
        )
    if c.kind == "sensitive" and c.field == "data.contains_special_category":
        return (
            f"Correct data.contains_special_category in the {doc}: the data holds "
            f"{_listed(c.measured)}; document the legal basis for processing them (GDPR Art. 9(2); "
            "EU AI Act Art. 10(5) when they are kept for bias testing)."
        )
    if c.kind == "sensitive":
        return (
            f"Add {_listed(c.measured)} to data.sensitive_attributes in the {doc} and say how "
            "each is used (for bias testing only, or as a model feature), or remove the "
            "column(s) from the data."
        )
    if c.kind == "fairness":
        return (
            f"Correct the claim to the measured value ({_value(c.measured)}) or fix the disparity before "
            f"release; the linked fairness findings for {ev.get('feature')} name the groups and "
            "give the numbers."
        )
    if c.kind == "dataset":
        return (
            f"Record in the {doc} the sha256 of the data its results were measured on (the audited "
            f"data has {c.measured}), or re-run the evaluation on the audited data and update "
            "the results."
        )
    if c.kind == "model_version" and c.field == "model.sha256":
        return (
            f"Update model.sha256 in the card to the audited file's digest ({c.measured}), or "
            "audit the file the card describes."
        )
    if c.kind == "model_version":
        return (
            f"Update the card to describe version {c.measured}, the version that was audited, "
            f"or audit version {c.claimed}, the one the card describes."
        )
    hint = re.search(r"did you mean '([^']+)'", str(ev.get("problem") or c.message))
    return license_fix(fmt, hint.group(1) if hint else None)


def claim_results(
    ctx: Context, kind: str, tolerance: float = 0.02, audited_only: bool = False
) -> Iterator[Finding | Table]:
    """The ``claims`` table of one cross-check and a finding per contradicted claim: its headline
    as the message, the technical reading as the detail, linked to what it is about."""
    claims: Sequence[Claim] = verdicts(ctx, kind, ClaimOptions(tolerance, audited_only))
    flavours = {f"{d.role}:{d.path}:": card_flavour(d) for d in card_documents(ctx)}
    yield Table(
        "claims", tuple(c.row() for c in claims), f"Card claims checked against the audit ({kind})"
    )
    for c in claims:
        if c.status == CONTRADICTED:
            yield Finding(
                message=c.headline or c.message,
                location=c.location,
                evidence={
                    "field": c.field,
                    "claimed": c.claimed,
                    "measured": c.measured,
                    **dict(c.evidence),
                },
                # a repeat (two accuracy claims in one card) is numbered by the runner: ...#2
                discriminator=f"{kind}:{c.field}:{c.subject}",
                recommendation=recommendation(
                    c, next((f for p, f in flavours.items() if c.location.startswith(p)), "")
                ),
                detail=c.message,
                relates_to=c.relates_to,
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
    by_role = {d.role: d for d in card_documents(ctx)}
    formats = {role: d.format for role, d in by_role.items()}
    for fld, group in by_field.items():
        first = group[0]
        clauses = [f"{r.standard} {r.clause}" for r in group]
        levels = [r.severity for r in group if r.severity]
        severity = Severity.parse(max(levels, key=_SEVERITY_ORDER.index)) if levels else None
        what = "is missing" if first.status == "missing" else f"is a placeholder ({first.reason})"
        role = first.location.split(":")[0]
        yield Finding(
            message=_field_headline(role, fld, first, group),
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
            recommendation=fill_advice(fld, by_role.get(role)),
            detail=f"{role} field {fld} {what}; required by {'; '.join(dict.fromkeys(clauses))}",
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
                    message=f"The {document_name(doc.role)} names the risk {name!r} but does not "
                    "say how it is mitigated or who accepted it.",
                    detail=f"{doc.role} risk {name!r} states no mitigation (risks[{i}])",
                    location=location,
                    evidence={"field": "risks", "risk": name, "index": i},
                    discriminator=f"risk-mitigation:{name}",
                    severity=Severity.LOW,
                    recommendation="Give the risk's mitigation, or say that the residual risk is "
                    "accepted and by whom (NIST AI RMF MANAGE 1.3/1.4).",
                )


def _field_headline(role: str, fld: str, first: Row, group: Sequence[Row]) -> str:
    """``The model card lacks the field use.out_of_scope, which Transparency core (Intended Use:
    out-of-scope use cases) requires.``"""
    by_standard: dict[str, list[str]] = {}
    for r in group:
        clauses = by_standard.setdefault(r.standard, [])
        if r.clause not in clauses:
            clauses.append(r.clause)
    asks = join(f"{std} ({'; '.join(cl)})" for std, cl in by_standard.items())
    verb = "requires" if len(by_standard) == 1 else "require"
    doc = document_name(role)
    if first.status == "missing":
        return f"The {doc} lacks the field {fld}, which {asks} {verb}."
    return f"The {doc} leaves the field {fld} unanswered ({first.reason}), but {asks} {verb} an answer."
