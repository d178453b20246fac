"""Helpers for testing checks (ours and third-party): build a Context, run one check, get its result."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd

from .check import Check
from .config import AuditConfig
from .context import Context
from .findings import CheckResult
from .inputs import build_context
from .options import build_options
from .plan import Planned
from .runner import run_checks

__all__ = ["make_context", "run_check"]


def make_context(data: pd.DataFrame, **config: Any) -> Context:
    """A validated Context for ``data``; keyword arguments are :class:`AuditConfig` fields."""
    for key in ("sensitive", "features"):
        if isinstance(config.get(key), str):
            config[key] = (config[key],)
        elif config.get(key) is not None:
            config[key] = tuple(config[key])
    return build_context(AuditConfig(data=data, **config))


def run_check(
    chk: Check[Any],
    ctx: Context,
    options: Mapping[str, Any] | None = None,
    *,
    today: dt.date | None = None,
    debug: bool = True,
) -> CheckResult:
    """Run one check exactly as the runner does (isolation, skip, error) and return its result."""
    opts = build_options(chk.options_type, dict(options or {}), f"{chk.id}.options", chk.id)
    if today is not None:
        from dataclasses import replace

        ctx = replace(ctx, today=today)
    if chk.validate is not None and not any(ctx.missing(r) for r in chk.requires):
        chk.validate(ctx, opts)  # the plan-time hook, as ``auditor.api.prepare`` runs it
    return run_checks([Planned(chk, chk.severity, opts)], ctx, debug=debug, progress=False)[0]
