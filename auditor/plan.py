"""Plan a run: resolve which checks run with which severity and typed options. Nothing runs here."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .check import ID_PATTERN, Check
from .errors import ConfigError, UsageError, suggest
from .findings import Severity
from .options import build_options, coerce_cli_value
from .policy import CheckConfig, Policy, merge_check_configs

__all__ = ["Planned", "parse_overrides", "plan"]


@dataclass(frozen=True)
class Planned:
    check: Check[Any]
    severity: Severity
    options: Any

    @property
    def options_dict(self) -> dict[str, Any]:
        # not dataclasses.asdict: it deep-copies, and mapping options are read-only mappingproxies
        return {
            f.name: _plain(getattr(self.options, f.name)) for f in dataclasses.fields(self.options)
        }


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def _matches(key: str, check_id: str) -> bool:
    return check_id == key or (not ID_PATTERN.match(key) and check_id.startswith(key))


def parse_overrides(items: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """``{"FAIR101.min_ratio": 0.9}`` -> ``{"FAIR101": {"min_ratio": 0.9}}``; strings from the CLI are YAML-read."""
    out: dict[str, dict[str, Any]] = {}
    for key, value in (items or {}).items():
        cid, sep, option = str(key).partition(".")
        if not sep or not cid or not option:
            raise UsageError(f"--set {key}: expected CHECK_ID.option=VALUE")
        out.setdefault(cid, {})[option] = value
    return out


def parse_set_args(items: list[str]) -> dict[str, Any]:
    """CLI ``--set A.b=VALUE`` strings -> overrides mapping."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or "." not in key:
            raise UsageError(f"--set {item}: expected CHECK_ID.option=VALUE")
        out[key.strip()] = coerce_cli_value(value)
    return out


def plan(
    policy: Policy,
    checks: Mapping[str, Check[Any]],
    overrides: Mapping[str, Any] | None = None,
) -> list[Planned]:
    """Validate the policy against the installed checks and return the ordered plan."""
    # every key must select something installed
    for key, cfg in policy.checks.items():
        if not any(_matches(key, cid) for cid in checks):
            families = sorted({c.id.rstrip("0123456789") for c in checks.values()})
            pool = list(checks) if ID_PATTERN.match(key) else [*families, *checks]
            raise ConfigError(
                f"{cfg.source}: unknown check id or prefix {key!r}{suggest(key, pool)}"
                " (see `auditor checks`)"
            )
    by_id = parse_overrides(overrides)
    for cid in by_id:
        if cid not in checks:
            raise UsageError(f"--set {cid}: unknown check id{suggest(cid, checks)}")

    planned: list[Planned] = []
    for cid in sorted(checks):
        chk = checks[cid]
        keys = sorted((k for k in policy.checks if _matches(k, cid)), key=len)
        if not keys and cid not in by_id:
            continue  # only listed checks run: an audit states what it checked
        cfg = CheckConfig()
        prefix_options: dict[str, tuple[Any, str]] = {}
        for k in keys:  # least specific first, so the more specific key wins
            entry = policy.checks[k]
            if k != cid:
                # options given to a whole family apply to the checks that define them
                for name, value in entry.options.items():
                    prefix_options[name] = (value, entry.source)
                entry = dataclasses.replace(entry, options={})
            cfg = merge_check_configs(cfg, entry)
        if not cfg.enabled and cid not in by_id:
            continue
        field_names = {f.name for f in dataclasses.fields(chk.options_type)}
        options = {n: v for n, (v, _) in prefix_options.items() if n in field_names}
        options.update(cfg.options)
        options.update(by_id.get(cid, {}))
        where = cfg.source or f"--set {cid}"
        built = build_options(chk.options_type, options, f"{where}.options")
        planned.append(Planned(chk, cfg.severity or chk.severity, built))

    # a family-level option no selected check understands is a typo
    for key, cfg in policy.checks.items():
        if ID_PATTERN.match(key) or not cfg.options:
            continue
        selected = [p for p in planned if _matches(key, p.check.id)]
        known = {f.name for p in selected for f in dataclasses.fields(p.check.options_type)}
        for name in cfg.options:
            if name not in known:
                raise ConfigError(
                    f"{cfg.source}.options.{name}: no check under {key!r} has this option"
                    f"{suggest(name, known)}"
                )
    return planned
