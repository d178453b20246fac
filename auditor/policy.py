"""Policy packs: YAML (``yaml.safe_load`` only), ``extends``, check selection by id or prefix, waivers."""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError, suggest
from .findings import Severity
from .resources import bundled_packs

__all__ = [
    "CheckConfig", "PackRef", "Policy", "Waiver", "check_pattern_matches", "load_policy",
    "parse_policy", "read_yaml",
]  # fmt: skip

POLICY_KEYS = {
    "version", "name", "description", "extends", "fail_on", "checks", "waivers", "regressions",
}  # fmt: skip
CHECK_KEYS = {"severity", "options", "enabled"}
WAIVER_KEYS = {"check", "location", "reason", "approved_by", "expires", "ticket"}
WAIVER_REQUIRED = ("check", "location", "reason", "expires")


@dataclass(frozen=True)
class CheckConfig:
    """What a policy says about one check id or prefix."""

    enabled: bool = True
    severity: Severity | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    source: str = ""  # "file.yaml: checks.FAIR101" for error messages


@dataclass(frozen=True)
class Waiver:
    """An accepted risk: findings of ``check`` at locations matching ``location`` (a glob)."""

    check: str
    location: str
    reason: str
    expires: dt.date
    approved_by: str = ""
    ticket: str = ""
    source: str = ""

    def expired(self, today: dt.date) -> bool:
        return self.expires < today

    @property
    def finding_location(self) -> str:
        """Where RUN002 reports this waiver: what it waives, independent of the policy file's path
        (so finding ids are the same from a checkout and from an installed pack)."""
        return f"waiver:{self.check}/{self.location}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "location": self.location,
            "reason": self.reason,
            "approved_by": self.approved_by or None,
            "expires": self.expires.isoformat(),
            "ticket": self.ticket or None,
            "source": self.source,
        }


@dataclass(frozen=True)
class PackRef:
    name: str
    version: str
    path: str
    sha256: str


@dataclass(frozen=True)
class Policy:
    """A resolved policy: ``extends`` applied, packs recorded in order (base first)."""

    name: str
    path: str
    sha256: str
    fail_on: Severity = Severity.HIGH
    checks: Mapping[str, CheckConfig] = field(default_factory=dict)
    waivers: tuple[Waiver, ...] = ()
    packs: tuple[PackRef, ...] = ()
    description: str = ""
    regressions: tuple[Any, ...] = ()  # auditor.baseline.RegressionRule, applied with a baseline

    def resolved(self) -> dict[str, Any]:
        """The effective policy as plain data (shown in the report appendix)."""
        return {
            "name": self.name,
            "fail_on": self.fail_on.label,
            "checks": {
                key: {
                    "enabled": cfg.enabled,
                    "severity": cfg.severity.label if cfg.severity else None,
                    "options": dict(cfg.options),
                }
                for key, cfg in sorted(self.checks.items())
            },
            "waivers": [w.to_dict() for w in self.waivers],
            **(
                {"regressions": [r.to_dict() for r in self.regressions]} if self.regressions else {}
            ),
        }


def check_pattern_matches(pattern: str, check_id: str) -> bool:
    """A waiver's ``check``: an id, a glob (``FAIR00*``) or a family prefix (``FAIR``)."""
    return fnmatch.fnmatchcase(check_id, pattern) or (
        pattern.isalpha() and check_id.startswith(pattern)
    )


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as strings, so a bad date is reported with its key."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path) -> Any:
    """``yaml.safe_load`` a file; errors name the file and the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, expected a YAML file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{path}{where}: invalid YAML: {problem}") from None


def _find_pack(ref: str, base_dir: Path | None) -> Path:
    candidate = Path(ref)
    if base_dir is not None and not candidate.is_absolute():
        for p in (base_dir / ref, base_dir / f"{ref}.yaml"):
            if p.is_file():
                return p
    if candidate.suffix in (".yaml", ".yml") or "/" in ref or "\\" in ref:
        if candidate.is_file():
            return candidate
        raise ConfigError(f"{ref}: policy file not found")
    packs = bundled_packs()
    if ref in packs:
        return packs[ref]
    raise ConfigError(
        f"unknown policy pack {ref!r}{suggest(ref, packs)} "
        f"(bundled packs: {', '.join(packs)}; or give a path to a YAML file)"
    )


def _parse_date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ConfigError(f"{where}: expected a date as YYYY-MM-DD, got {value!r}")


def _parse_check_entry(value: Any, where: str) -> CheckConfig:
    if value is None or value is True:
        return CheckConfig(source=where)
    if value is False:
        return CheckConfig(enabled=False, source=where)
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: expected a mapping, true or false, got {value!r}")
    for key in value:
        if key not in CHECK_KEYS:
            raise ConfigError(
                f"{where}.{key}: unknown key{suggest(str(key), CHECK_KEYS)} "
                f"(allowed: {', '.join(sorted(CHECK_KEYS))})"
            )
    enabled = value.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ConfigError(f"{where}.enabled: expected true or false, got {enabled!r}")
    severity = None
    if value.get("severity") is not None:
        try:
            severity = Severity.parse(value["severity"])
        except ValueError as exc:
            raise ConfigError(f"{where}.severity: {exc}") from None
    options = value.get("options") or {}
    if not isinstance(options, Mapping):
        raise ConfigError(f"{where}.options: expected a mapping, got {options!r}")
    return CheckConfig(enabled=enabled, severity=severity, options=dict(options), source=where)


def _parse_waiver(value: Any, where: str) -> Waiver:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: expected a mapping, got {value!r}")
    for key in value:
        if key not in WAIVER_KEYS:
            raise ConfigError(
                f"{where}.{key}: unknown key{suggest(str(key), WAIVER_KEYS)} "
                f"(allowed: {', '.join(sorted(WAIVER_KEYS))})"
            )
    for key in WAIVER_REQUIRED:
        if value.get(key) in (None, ""):
            raise ConfigError(
                f"{where}.{key}: required (a waiver needs {', '.join(WAIVER_REQUIRED)})"
            )
    for key in ("check", "location", "reason", "approved_by", "ticket"):
        if key in value and value[key] is not None and not isinstance(value[key], str):
            raise ConfigError(f"{where}.{key}: expected a string, got {value[key]!r}")
    return Waiver(
        check=value["check"],
        location=value["location"],
        reason=value["reason"],
        expires=_parse_date(value["expires"], f"{where}.expires"),
        approved_by=value.get("approved_by") or "",
        ticket=value.get("ticket") or "",
        source=where,
    )


def merge_check_configs(base: CheckConfig, over: CheckConfig) -> CheckConfig:
    """``over`` wins key by key; options merge (a child pack can change one option)."""
    return CheckConfig(
        enabled=over.enabled,
        severity=over.severity or base.severity,
        options={**base.options, **over.options},
        source=over.source or base.source,
    )


def parse_policy(data: Any, path: Path | None, *, _seen: tuple[str, ...] = ()) -> Policy:
    """Build a Policy from parsed YAML ``data`` found at ``path`` (None: inline in a config)."""
    label = str(path) if path is not None else "<inline policy>"
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise ConfigError(
            f"{label}: expected a mapping at the top level, got {type(data).__name__}"
        )
    for key in data:
        if key not in POLICY_KEYS:
            raise ConfigError(
                f"{label}: {key}: unknown key{suggest(str(key), POLICY_KEYS)} "
                f"(allowed: {', '.join(sorted(POLICY_KEYS))})"
            )
    base_dir = path.parent if path is not None else None
    raw_bytes = path.read_bytes() if path is not None else yaml.safe_dump(dict(data)).encode()
    sha = hashlib.sha256(raw_bytes).hexdigest()
    name = data.get("name") or (path.stem if path is not None else "inline")
    if not isinstance(name, str):
        raise ConfigError(f"{label}: name: expected a string, got {name!r}")

    # 1. bases
    parents = data.get("extends") or []
    if isinstance(parents, str):
        parents = [parents]
    if not isinstance(parents, list) or not all(isinstance(p, str) for p in parents):
        raise ConfigError(
            f"{label}: extends: expected a pack name or a list of names, got {parents!r}"
        )
    checks: dict[str, CheckConfig] = {}
    waivers: list[Waiver] = []
    packs: list[PackRef] = []
    regressions: dict[tuple[str, str], Any] = {}
    fail_on = Severity.HIGH
    for ref in parents:
        try:
            parent_path = _find_pack(ref, base_dir)
        except ConfigError as exc:
            raise ConfigError(f"{label}: extends: {exc}") from None
        key = str(parent_path.resolve())
        if key in _seen:
            chain = " -> ".join([*_seen, key])
            raise ConfigError(f"{label}: extends: cycle through {chain}")
        parent = parse_policy(read_yaml(parent_path), parent_path, _seen=(*_seen, key))
        for cid, cfg in parent.checks.items():
            checks[cid] = merge_check_configs(checks[cid], cfg) if cid in checks else cfg
        waivers.extend(parent.waivers)
        regressions.update({(r.check, r.metric): r for r in parent.regressions})
        packs.extend(p for p in parent.packs if p not in packs)
        fail_on = parent.fail_on

    # 2. this pack
    if data.get("fail_on") is not None:
        try:
            fail_on = Severity.parse(data["fail_on"])
        except ValueError as exc:
            raise ConfigError(f"{label}: fail_on: {exc}") from None
    raw_checks = data.get("checks") or {}
    if not isinstance(raw_checks, Mapping):
        raise ConfigError(f"{label}: checks: expected a mapping of check ids, got {raw_checks!r}")
    for cid, value in raw_checks.items():
        cid = str(cid)
        cfg = _parse_check_entry(value, f"{label}: checks.{cid}")
        checks[cid] = merge_check_configs(checks[cid], cfg) if cid in checks else cfg
    raw_waivers = data.get("waivers") or []
    if not isinstance(raw_waivers, list):
        raise ConfigError(f"{label}: waivers: expected a list, got {raw_waivers!r}")
    waivers.extend(_parse_waiver(w, f"{label}: waivers[{i}]") for i, w in enumerate(raw_waivers))
    from .baseline import parse_regressions

    for rule in parse_regressions(data.get("regressions"), f"{label}: regressions"):
        regressions[(rule.check, rule.metric)] = rule
    version = data.get("version", 1)
    packs.append(PackRef(name=name, version=str(version), path=label, sha256=sha))
    return Policy(
        name=name,
        path=label,
        sha256=sha,
        fail_on=fail_on,
        checks=checks,
        waivers=tuple(waivers),
        packs=tuple(packs),
        description=str(data.get("description") or ""),
        regressions=tuple(regressions.values()),
    )


def load_policy(ref: str | Path, base_dir: Path | None = None) -> Policy:
    """Load a bundled pack by name (``nyc-ll144``) or a policy file by path."""
    path = _find_pack(str(ref), base_dir)
    return parse_policy(read_yaml(path), path, _seen=(str(path.resolve()),))
