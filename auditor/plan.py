"""Plan a run: resolve which checks run with which severity and typed options. Nothing runs here."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .check import ID_PATTERN, Check
from .errors import ConfigError, UsageError, suggest
from .findings import Severity
from .options import build_options, coerce_cli_value
from .policy import CheckConfig, Policy, check_pattern_matches, merge_check_configs

__all__ = [
    "Planned",
    "override_label",
    "parse_overrides",
    "parse_set_args",
    "plan",
    "sample_weight_columns",
]


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


def sample_weight_columns(planned: Iterable[Planned]) -> list[str]:
    """The data columns the planned checks' options name as a sample weight (``sample_weight``
    at any depth), in plan order: a lazy engine reads them at load with the other inputs."""
    out: list[str] = []
    todo: list[Any] = [p.options_dict for p in planned][::-1]
    while todo:
        item = todo.pop()
        if isinstance(item, Mapping):
            for k, v in reversed(list(item.items())):
                if str(k) == "sample_weight" and isinstance(v, str):
                    out.append(v)
                else:
                    todo.append(v)
        elif isinstance(item, (list, tuple)):
            todo.extend(reversed(item))
    return list(dict.fromkeys(out))


def _matches(key: str, check_id: str) -> bool:
    return check_id == key or (not ID_PATTERN.match(key) and check_id.startswith(key))


RUN_WAIVERS = "RUN002"


def override_label(key: str, sources: Mapping[str, str] | None = None) -> str:
    """Where an override came from, for error messages: ``--set FAIR001.threshold`` (CLI),
    ``audit.yaml: set.FAIR001.threshold`` (config file) or ``overrides['FAIR001.threshold']`` (API)."""
    if sources and key in sources:
        return sources[key]
    return f"overrides[{key!r}]"


def parse_overrides(
    items: Mapping[str, Any] | None, sources: Mapping[str, str] | None = None
) -> dict[str, dict[str, Any]]:
    """``{"FAIR001.threshold": 0.9}`` -> ``{"FAIR001": {"threshold": 0.9}}``."""
    out: dict[str, dict[str, Any]] = {}
    for key, value in (items or {}).items():
        cid, sep, option = str(key).partition(".")
        if not sep or not cid or not option:
            raise UsageError(f"{override_label(str(key), sources)}: expected CHECK_ID.option=VALUE")
        out.setdefault(cid, {})[option] = value
    return out


def parse_set_args(items: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """CLI ``--set A.b=VALUE`` strings -> (overrides mapping, the label of each key)."""
    out: dict[str, Any] = {}
    labels: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or "." not in key:
            raise UsageError(f"--set {item}: expected CHECK_ID.option=VALUE")
        out[key.strip()] = coerce_cli_value(value)
        labels[key.strip()] = f"--set {key.strip()}"
    return out, labels


_PROBE = "\0"


def _validate_override(chk: Check[Any], option: str, value: Any, label: str) -> None:
    """Type-check one override on its own, so an error names the override, not the policy."""
    prefix = f"{_PROBE}.{option}"
    try:
        build_options(chk.options_type, {option: value}, _PROBE, chk.id)
    except ConfigError as exc:
        msg = str(exc)
        if msg.startswith(prefix):  # this value's own error (unknown option, wrong type)
            raise ConfigError(f"{label}{msg[len(prefix) :]}") from None
        # a cross-field constraint: reported by the full build, with all values merged


def _validate_waivers(policy: Policy, checks: Mapping[str, Check[Any]]) -> None:
    families = sorted({c.rstrip("0123456789") for c in checks})
    for w in policy.waivers:
        if not any(check_pattern_matches(w.check, cid) for cid in checks):
            raise ConfigError(
                f"{w.source}.check: {w.check!r} matches no installed check id or prefix"
                f"{suggest(w.check, [*families, *checks])} (see `auditor checks`)"
            )


def plan(
    policy: Policy,
    checks: Mapping[str, Check[Any]],
    overrides: Mapping[str, Any] | None = None,
    sources: Mapping[str, str] | None = None,
) -> list[Planned]:
    """Validate the policy against the installed checks and return the ordered plan.

    ``sources`` maps an override key to where it was given (see :func:`override_label`).
    """
    # every key must select something installed
    for key, cfg in policy.checks.items():
        if not any(_matches(key, cid) for cid in checks):
            families = sorted({c.id.rstrip("0123456789") for c in checks.values()})
            pool = list(checks) if ID_PATTERN.match(key) else [*families, *checks]
            raise ConfigError(
                f"{cfg.source}: unknown check id or prefix {key!r}{suggest(key, pool)}"
                " (see `auditor checks`)"
            )
    _validate_waivers(policy, checks)
    by_id = parse_overrides(overrides, sources)
    for cid, values in by_id.items():
        label = override_label(f"{cid}.{next(iter(values))}", sources)
        if cid not in checks:
            raise UsageError(f"{label}: unknown check id {cid!r}{suggest(cid, checks)}")
        for option, value in values.items():
            _validate_override(
                checks[cid], option, value, override_label(f"{cid}.{option}", sources)
            )

    planned: list[Planned] = []
    for cid in sorted(checks):
        chk = checks[cid]
        keys = sorted((k for k in policy.checks if _matches(k, cid)), key=len)
        # RUN002 reviews the waivers: planned whenever there are any
        reviews_waivers = cid == RUN_WAIVERS and bool(policy.waivers)
        if not keys and cid not in by_id and not reviews_waivers:
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
        if not cfg.enabled:
            if reviews_waivers:
                raise ConfigError(
                    f"{cfg.source}: {cid} ({chk.name}) cannot be disabled while the policy has "
                    f"{len(policy.waivers)} waiver(s): expired and unused waivers must be reported"
                )
            if cid in by_id:
                option = next(iter(by_id[cid]))
                raise ConfigError(
                    f"{override_label(f'{cid}.{option}', sources)}: check {cid} is disabled by "
                    f"{cfg.source} (enabled: false); enable it in the policy to set its options"
                )
            continue
        field_names = {f.name for f in dataclasses.fields(chk.options_type)}
        options = {n: v for n, (v, _) in prefix_options.items() if n in field_names}
        options.update(cfg.options)
        from_policy = dict(options)
        options.update(by_id.get(cid, {}))
        if cfg.source:
            where = f"{cfg.source}.options"
        elif cid in by_id:
            where = override_label(f"{cid}.{next(iter(by_id[cid]))}", sources)
        else:
            where = f"{cid}.options"
        try:
            built = build_options(chk.options_type, options, where, cid)
        except ConfigError as exc:
            if cid not in by_id:
                raise
            # a cross-field constraint (``__post_init__``): blame the overrides when the
            # policy's own values are fine without them
            build_options(chk.options_type, from_policy, where, cid)
            labels = ", ".join(override_label(f"{cid}.{o}", sources) for o in by_id[cid])
            msg = str(exc)
            detail = msg[len(where) + 2 :] if msg.startswith(f"{where}: ") else msg
            raise ConfigError(f"{labels}: {detail}") from None
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
