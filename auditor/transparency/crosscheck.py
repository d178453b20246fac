"""Glue between the context and the pure cross-check functions: load the documents once per run, gather
each kind of claim from them, fetch the measurements it needs, and return the verdicts."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..check import Skip
from .claims import (
    CONTRADICTED,
    UNVERIFIABLE,
    Claim,
    Item,
    check_fairness,
    check_metrics,
    items,
)
from .claims_data import (
    PII_KINDS,
    check_dataset_hash,
    check_model_version,
    check_pii,
    check_sensitive,
)
from .document import Document
from .license import check_license
from .loader import load_card, load_datasheet
from .measured import artifact_metadata, column_scan, group_rows, overall_metrics, rows_measured
from .schema import as_bool

if TYPE_CHECKING:
    from ..context import Context

__all__ = [
    "CHECK_OF",
    "KINDS",
    "ClaimOptions",
    "card_documents",
    "claim_options",
    "claims_of",
    "contradictions",
    "measured_summary",
    "usable_documents",
    "verdicts",
]


def card_documents(ctx: Context) -> list[Document]:
    """The card and the datasheet (when given), each loaded once per run."""
    docs = []
    if ctx.card is not None:
        card = ctx.card
        docs.append(ctx.measure(f"transparency.card:{card}", lambda: load_card(card)))
    if ctx.datasheet is not None:
        sheet = ctx.datasheet
        docs.append(ctx.measure(f"transparency.datasheet:{sheet}", lambda: load_datasheet(sheet)))
    return docs


def usable_documents(ctx: Context) -> list[Document]:
    """The documents that could be read; Skip (naming the problem, reported by TRN100) when the card could
    not be read at all."""
    docs = card_documents(ctx)
    card = next((d for d in docs if d.role == "card"), None)
    if card is not None and card.fatal is not None:
        f = card.fatal
        raise Skip(f"model card {card.path} could not be read (see TRN100): {f.message}")
    return [d for d in docs if d.fatal is None]


def _cards(docs: Sequence[Document]) -> list[Document]:
    return [d for d in docs if d.role == "card"]


def _metrics(ctx: Context, docs: Sequence[Document], tolerance: float) -> list[Claim]:
    overall_items, group_items = items(docs, "results.overall"), items(docs, "results.by_group")
    overall_items = [i for i in overall_items if isinstance(i.value, Mapping)]
    group_items = [i for i in group_items if isinstance(i.value, Mapping)]
    if not overall_items and not group_items:
        raise Skip(
            "the card states no metric results (results.overall / results.by_group / model-index)"
        )
    overall = overall_metrics(ctx) if overall_items else {}
    groups = group_rows(ctx) if group_items else []
    rows = rows_measured(ctx) if overall_items else None
    return check_metrics(overall_items, group_items, overall, groups, tolerance, rows)


def _fairness(ctx: Context, docs: Sequence[Document], tolerance: float) -> list[Claim]:
    claims = [i for i in items(docs, "fairness.claims") if isinstance(i.value, Mapping)]
    if not claims:
        raise Skip(
            "the card states no fairness claims (fairness.claims or fairness metrics in model-index)"
        )
    return check_fairness(claims, group_rows(ctx), tolerance)


def _as_answer(item: Item) -> Item:
    """A yes/no claim as a boolean (``"no"`` written as text is the answer ``false``)."""
    return replace(item, value=as_bool(item.value))


def _pii(ctx: Context, docs: Sequence[Document], tolerance: float) -> list[Claim]:
    claims = [
        _as_answer(i) for i in items(docs, "data.contains_pii") if as_bool(i.value) is not None
    ]
    if not claims:
        raise Skip("neither the card nor the datasheet states whether the data holds personal data")
    return check_pii(claims, column_scan(ctx), PII_KINDS)


def _sensitive(ctx: Context, docs: Sequence[Document], tolerance: float) -> list[Claim]:
    declared = items(docs, "data.sensitive_attributes")
    none = [
        _as_answer(i)
        for i in items(docs, "data.contains_special_category")
        if as_bool(i.value) is not None
    ]
    if not declared and not none:
        raise Skip("the card declares no sensitive attributes (data.sensitive_attributes)")
    return check_sensitive(declared, none, column_scan(ctx), ctx.sensitive)


def _dataset(ctx: Context, docs: Sequence[Document], tolerance: float) -> list[Claim]:
    declared: list[tuple[Item, str, Any]] = []
    for item in items(docs, "data.evaluation"):
        if isinstance(item.value, Mapping):
            for key in ("sha256", "revision"):
                if item.value.get(key):
                    at = Item(item.value, item.at(key), item.source)
                    declared.append((at, key, item.value[key]))
    declared += [(i, "fingerprint", i.value) for i in items(docs, "data.fingerprint")]
    if not declared:
        raise Skip("the card declares no evaluation dataset hash or revision")
    info = ctx.dataset_info
    return check_dataset_hash(declared, info.sha256 if info else None, info.path if info else None)


def _model_version(ctx: Context, docs: Sequence[Document], tolerance: float) -> list[Claim]:
    cards = _cards(docs)
    versions, digests = items(cards, "model.version"), items(cards, "model.sha256")
    if not versions and not digests:
        raise Skip("the card states no model version or model sha256")
    return check_model_version(versions, digests, artifact_metadata(ctx))


def _license(ctx: Context, docs: Sequence[Document], tolerance: float) -> list[Claim]:
    found = items(_cards(docs), "license")
    written = ("'", "section", "label", "sentence", "table", "results listed")  # Markdown body text
    structured = [i for i in found if not i.source.startswith(written)]
    prose = [i for i in found if i.source.startswith(written)]
    if not found:
        raise Skip("the card states no license")
    return check_license(structured, prose)


KINDS: dict[str, Callable[[Context, Sequence[Document], float], list[Claim]]] = {
    "metrics": _metrics,
    "pii": _pii,
    "sensitive": _sensitive,
    "fairness": _fairness,
    "dataset": _dataset,
    "model_version": _model_version,
    "license": _license,
}


def refers_to_audited(claim: Claim, ctx: Context) -> bool:
    """Does a metric claim name the audited data (or no dataset at all)? By name, file stem or hash."""
    ev = claim.evidence
    name, revision = ev.get("dataset"), ev.get("revision")
    if name is None and revision is None:
        return True
    info = ctx.dataset_info
    if info is None:
        return False
    if revision is not None and info.sha256:
        text = str(revision).lower().removeprefix("sha256:")
        if len(text) >= 12 and info.sha256.startswith(text):
            return True
    if name is not None and info.path:
        p = Path(info.path)
        return str(name).strip().lower() in {p.name.lower(), p.stem.lower(), p.as_posix().lower()}
    return False


def on_audited_data_only(ctx: Context, claims: Sequence[Claim]) -> list[Claim]:
    """Claims measured on another dataset become unverifiable instead of contradicted/consistent."""
    out = []
    for c in claims:
        if c.status != UNVERIFIABLE and not refers_to_audited(c, ctx):
            where = c.evidence.get("dataset") or c.evidence.get("revision")
            c = replace(
                c,
                status=UNVERIFIABLE,
                message=f"card claims {c.subject} = {c.claimed} on dataset {where!r}, not the audited data "
                f"(measured here: {c.measured})",
            )
        out.append(c)
    return out


def claims_of(ctx: Context, kind: str, tolerance: float = 0.02) -> list[Claim]:
    """Verdicts of one kind of claim, computed once per run and tolerance."""
    docs = usable_documents(ctx)
    return ctx.measure(
        f"transparency.claims:{kind}:{tolerance!r}", lambda: KINDS[kind](ctx, docs, tolerance)
    )


# the cross-check whose options decide each kind of claim: TRN101's ``contradicted`` status follows
# them, so the fields table and the TRN2xx findings always agree
CHECK_OF = {
    "metrics": "TRN201", "pii": "TRN202", "sensitive": "TRN203", "fairness": "TRN204",
    "dataset": "TRN205", "model_version": "TRN206", "license": "TRN207",
}  # fmt: skip


@dataclass(frozen=True)
class ClaimOptions:
    """What decides a verdict: the tolerance, and whether claims on another dataset are unverifiable."""

    tolerance: float = 0.02
    only_audited_dataset: bool = False


def claim_options(ctx: Context, kind: str, fallback: ClaimOptions) -> ClaimOptions:
    """The options the run's plan gives the cross-check of ``kind`` (configuration, not its results);
    ``fallback`` when that check is not in the plan."""
    opts = ctx.check_options.get(CHECK_OF[kind])
    if opts is None:
        return fallback
    return ClaimOptions(
        tolerance=float(getattr(opts, "tolerance", fallback.tolerance)),
        only_audited_dataset=bool(
            getattr(opts, "only_audited_dataset", fallback.only_audited_dataset)
        ),
    )


def verdicts(ctx: Context, kind: str, options: ClaimOptions) -> list[Claim]:
    """The claims of one kind judged with ``options`` (shared by TRN2xx and TRN101's fields table)."""
    found = claims_of(ctx, kind, options.tolerance)
    return on_audited_data_only(ctx, found) if options.only_audited_dataset else found


def contradictions(
    ctx: Context, fallback: ClaimOptions
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, str]]:
    """For the ``fields`` table: contradicted claims by field, and notes on kinds that could not be
    checked. Each kind is judged with the options of its TRN2xx check in the plan (``fallback`` when
    it is not planned). Kinds without claims or measurements are left out quietly."""
    out: dict[str, list[dict[str, Any]]] = {}
    notes: dict[str, str] = {}
    for kind in KINDS:
        try:
            found = verdicts(ctx, kind, claim_options(ctx, kind, fallback))
        except Skip as exc:
            notes[kind] = str(exc)
            continue
        except Exception as exc:  # the TRN2xx check of this kind reports the error itself
            notes[kind] = f"{type(exc).__name__}: {exc}"
            continue
        for c in found:
            if c.status == CONTRADICTED:
                out.setdefault(c.field, []).append(
                    {
                        "message": c.message,
                        "location": c.location,
                        "measured": c.measured,
                        "kind": kind,
                    }
                )
    return out, notes


def _safe(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except Exception:  # includes Skip: the table cell stays empty
        return None


def _fmt(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def measured_summary(ctx: Context, fields: set[str]) -> dict[str, str]:
    """Short 'what the audit measured' texts for the ``measured`` column of the fields table."""
    out: dict[str, str] = {}
    if fields & {"results.overall", "metrics"}:
        overall = _safe(lambda: overall_metrics(ctx)) or {}
        text = ", ".join(f"{k}={_fmt(v)}" for k, v in overall.items() if v is not None)
        if text:
            out["results.overall"] = out["metrics"] = text
    if fields & {"results.by_group", "fairness.assessment", "fairness.claims"}:
        groups = _safe(lambda: group_rows(ctx)) or []
        worst: dict[str, float] = {}
        for r in groups:
            ir = r.get("impact_ratio")
            if isinstance(ir, (int, float)):
                worst[str(r.get("feature"))] = min(worst.get(str(r.get("feature")), 1e9), float(ir))
        if worst:
            text = "lowest impact ratio: " + ", ".join(f"{f}={v:.3f}" for f, v in worst.items())
            out["results.by_group"] = out["fairness.assessment"] = out["fairness.claims"] = text
    if fields & {
        "data.contains_pii",
        "data.sensitive_attributes",
        "data.contains_special_category",
    }:
        scan = _safe(lambda: column_scan(ctx))
        if scan is not None:
            pii = [
                f"{r.get('column')} ({r.get('kind')})" for r in scan if r.get("kind") in PII_KINDS
            ]
            out["data.contains_pii"] = "PII columns: " + (", ".join(pii) if pii else "none flagged")
            special = [str(r.get("column")) for r in scan if r.get("kind") == "special_category"]
            sens = ", ".join(dict.fromkeys([*special, *ctx.sensitive])) or "none"
            out["data.sensitive_attributes"] = out["data.contains_special_category"] = (
                f"sensitive columns: {sens}"
            )
    if ctx.dataset_info is not None and ctx.dataset_info.sha256:
        for key in ("data.evaluation", "data.fingerprint"):
            out[key] = f"audit data sha256 {ctx.dataset_info.sha256}"
    if fields & {"model.version", "model.sha256"}:
        meta = _safe(lambda: artifact_metadata(ctx)) or {}
        parts = (
            [f"version {meta['version']} ({meta.get('version_source')})"]
            if meta.get("version")
            else []
        )
        parts += [f"sha256 {meta['sha256']}"] if meta.get("sha256") else []
        if parts:
            out["model.version"] = out["model.sha256"] = "artifact " + ", ".join(parts)
    return out
