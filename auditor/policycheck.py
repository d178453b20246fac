"""``auditor validate-policy``: every problem of a policy, not only the first.

A run stops at the first problem (one line, exit 2, nothing ran). Someone fixing a policy wants the
whole list at once, so this module collects: the pack and the packs it extends are parsed in
collecting mode (:func:`auditor.policy.load_policy` with ``errors``: every unknown key, bad value,
waiver, regression rule and every duplicate YAML key), then the policy is planned against the
installed checks one ``checks:`` entry and one waiver at a time (unknown check ids, bad options,
waivers that match no check), the waiver limits are applied, and only when all of that is clean
the whole plan runs once more for the problems that need several entries together.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .check import Check
from .errors import UsageError
from .plan import Planned, plan
from .policy import Policy, load_policy, waiver_limit_errors
from .registry import load_checks

__all__ = ["policy_problems"]


def _lines(exc: UsageError) -> list[str]:
    problems: list[str] | None = getattr(exc, "problems", None)  # several duplicate keys
    return list(problems) if problems else [str(exc)]


def policy_problems(
    ref: str | Path,
    checks: Mapping[str, Check[Any]] | None = None,
    today: dt.date | None = None,
) -> tuple[Policy | None, list[Planned], list[str]]:
    """``(policy, plan, problems)`` for the pack ``ref`` (a bundled name or a path): every problem
    found, one line each, in file order; the plan only when there are none. ``policy`` is None
    when the pack cannot be read at all (not found, not YAML, not a mapping)."""
    registry = load_checks() if checks is None else dict(checks)
    day = today or dt.datetime.now(dt.timezone.utc).date()
    problems: list[str] = []
    try:
        policy = load_policy(ref, errors=problems)
    except UsageError as exc:
        return None, [], _dedupe([*problems, *_lines(exc)])
    for key, cfg in policy.checks.items():
        _try_plan(dataclasses.replace(policy, checks={key: cfg}, waivers=()), registry, problems)
    for waiver in policy.waivers:
        _try_plan(dataclasses.replace(policy, checks={}, waivers=(waiver,)), registry, problems)
    problems.extend(waiver_limit_errors(policy, day))
    planned: list[Planned] = []
    if not problems:
        planned = _try_plan(policy, registry, problems)
    return policy, planned, _dedupe(problems)


def _try_plan(
    policy: Policy, registry: Mapping[str, Check[Any]], problems: list[str]
) -> list[Planned]:
    try:
        return plan(policy, registry)
    except UsageError as exc:
        problems.extend(_lines(exc))
        return []


def _dedupe(lines: list[str]) -> list[str]:
    return list(dict.fromkeys(lines))
