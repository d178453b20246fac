"""Candidate sensitive features by column name, from the PII special-category lexicon.

When an audit names no sensitive features, the fairness checks cannot run; the skip reason then
lists the columns whose *names* denote a protected attribute (GDPR Art. 9 categories plus sex,
age, national origin, marital status, disability), so the user sees what to pass to
``--sensitive``. Only names are read, never values, so this works on a lazy engine's 0-row schema.
The lexicon is imported on first use and imports no Presidio.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..context import Context

__all__ = ["MAX_SHOWN", "missing_sensitive_reason", "sensitive_candidates"]

MAX_SHOWN = 10


def sensitive_candidates(ctx: Context) -> list[str]:
    """Columns of the dataset whose name denotes a protected attribute (data order), leaving
    out the target, prediction and score columns."""
    from ..pii.lexicon import sensitive_attribute_of

    roles = {c for c in (ctx.target, ctx.prediction, ctx.score) if c is not None}
    return [
        str(c)
        for c in ctx.dataset.columns
        if c not in roles and sensitive_attribute_of(c) is not None
    ]


def missing_sensitive_reason(ctx: Context) -> str:
    """Skip reason of a check that needs sensitive features when none were given."""
    base = "no sensitive features: give --sensitive COL[,COL...]"
    found = sensitive_candidates(ctx)
    if not found:
        return f"{base} (no column name suggests a protected attribute)"
    shown = ", ".join(found[:MAX_SHOWN]) + (", ..." if len(found) > MAX_SHOWN else "")
    return f"{base}; candidates by name: {shown}"
