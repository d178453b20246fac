"""A PII tier that was asked for and not used is a finding, never only a note in the scan table.

``tier: ner`` needs an installed spaCy pipeline (``ner_model``, the ``auditor[ner]`` extra); when
it is missing the engine falls back to the ``context`` tier (:func:`auditor.pii.engine.get_engine`)
and the scan finds people's names and places in free text only through the gazetteer and
name-shaped values. The run then did less than was asked: :func:`tier_fallback` yields ONE high
finding per run and fallback (from the first check whose scan fell back; its evidence lists every
planned check that asked for the tier), at ``scan:tier``, and the CLI prints one stderr line for it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..findings import Finding, Severity
from .settings import ScanOptions

if TYPE_CHECKING:
    from ..context import Context

__all__ = ["FALLBACK_LOCATION", "tier_fallback"]

FALLBACK_LOCATION = "scan:tier"
NER_EXTRA = "pip install 'auditor[ner]'"


def _asking(ctx: Context, options: ScanOptions) -> list[str]:
    """The planned checks whose options ask for the same tier (and NER pipeline)."""
    out = []
    for cid, opts in ctx.check_options.items():
        if getattr(opts, "tier", None) != options.tier:
            continue
        if options.tier == "ner" and getattr(opts, "ner_model", None) != options.ner_model:
            continue
        out.append(cid)
    return sorted(out)


def tier_fallback(
    ctx: Context, check_id: str, options: ScanOptions, meta: Mapping[str, Any]
) -> Iterator[Finding]:
    """The finding for a scan whose ``meta`` (``tier_used``, ``engine_note``) shows another tier
    than ``options.tier``; nothing when the tier was used, or when another check of this run
    already reported the same fallback."""
    used = str(meta.get("tier_used") or "")
    asked = options.tier
    if not used or used == asked:
        return
    model = options.ner_model if asked == "ner" else None
    # the first check whose scan falls back reports it for every check that asked (shared cache)
    if ctx.measure(f"pii.tier-fallback:{asked}:{model}:{used}", lambda: check_id) != check_id:
        return
    checks = _asking(ctx, options) or [check_id]
    if asked == "ner":
        why = f"spaCy pipeline {model!r} is not installed ({NER_EXTRA})"
        lost = (
            "people's names and places in free text were looked for only with the name "
            "gazetteer and name-shaped values, not with named-entity recognition, so some may "
            "have been missed"
        )
        fix = (
            f"Install the pipeline ({NER_EXTRA}, or pip install -r requirements-ner.txt) and "
            "re-run; if NER is not needed, ask for the context tier in the policy."
        )
    else:
        why = str(meta.get("engine_note") or f"the {asked} tier is not available")
        lost = "the scan may have missed personal data the requested tier finds"
        fix = f"Make the {asked} tier available and re-run, or ask for the {used} tier."
    yield Finding(
        message=(
            f"The PII scan ran with the {used} tier, not the {asked} tier that was asked for "
            f"({', '.join(checks)}): {why}; {lost}."
        ),
        location=FALLBACK_LOCATION,
        discriminator=f"tier-fallback:{asked}->{used}",
        severity=Severity.HIGH,
        evidence={
            "tier_requested": asked,
            "tier_used": used,
            "ner_model": model,
            "checks": checks,
            "why": why,
        },
        detail=str(meta.get("engine_note") or ""),
        recommendation=fix,
    )
