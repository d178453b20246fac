"""Candidate sensitive features by column name (the fairness view of :mod:`auditor.attributes`).

When an audit names no sensitive features, the fairness checks cannot run; the skip reason then
lists the columns whose *names* denote a protected attribute (GDPR Art. 9 categories plus sex,
age, national origin, marital status, disability), so the user sees what to pass to
``--sensitive``. Only names are read, never values, so this works on a lazy engine's 0-row schema.
The attribute lexicon lives in :mod:`auditor.attributes` (standard library only, no Presidio).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import attributes
from ..attributes import MAX_SHOWN

if TYPE_CHECKING:
    from ..context import Context

__all__ = ["MAX_SHOWN", "missing_sensitive_reason", "sensitive_candidates"]


def _roles(ctx: Context) -> list[str]:
    return [c for c in (ctx.target, ctx.prediction, ctx.score) if c is not None]


def sensitive_candidates(ctx: Context) -> list[str]:
    """Columns of the dataset whose name denotes a protected attribute (data order), leaving
    out the target, prediction and score columns."""
    return attributes.sensitive_candidates(ctx.dataset.columns, _roles(ctx))


def missing_sensitive_reason(ctx: Context) -> str:
    """Skip reason of a check that needs sensitive features when none were given."""
    return attributes.missing_sensitive_reason(ctx.dataset.columns, _roles(ctx))
