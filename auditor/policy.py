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
from .safeload import load_yaml, load_yaml_with_bytes

__all__ = [
    "CheckConfig", "DroppedInput", "PackRef", "Policy", "Waiver", "check_pattern_matches",
    "check_waiver_limits", "load_policy", "parse_policy", "read_yaml", "waiver_limit_errors",
    "waives_every_check",
]  # fmt: skip

POLICY_KEYS = {
    "version", "name", "description", "extends", "fail_on", "checks", "waivers", "regressions",
    "dropped_inputs", "allow_wildcard_waivers", "max_waiver_days",
}  # fmt: skip
CHECK_KEYS = {"severity", "options", "enabled"}
WAIVER_KEYS = {"check", "location", "reason", "approved_by", "approved_on", "expires", "ticket"}
WAIVER_REQUIRED = ("check", "location", "reason", "expires")
#: how far after its approval date (or, without one, the run date) a waiver may expire
DEFAULT_MAX_WAIVER_DAYS = 365
#: the inputs a policy may declare as dropped on purpose (``dropped_inputs:``): the names of
#: ``Context.missing`` (auditor.context.REQUIREMENTS; ``data``: the whole dataset, left out in a
#: documentation-only audit), ``features`` (the model's feature list) and ``rows`` (row-level
#: data, which a lazy engine keeps out of memory)
DROPPABLE_INPUTS = (
    "predictions", "target", "scores", "sensitive", "card", "datasheet", "model", "features",
    "rows", "data",
)  # fmt: skip
DROPPED_KEYS = {"input", "reason", "approved_by", "ticket"}


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
    approved_on: dt.date | None = None  # when it was approved: max_waiver_days count from here

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
            **({"approved_on": self.approved_on.isoformat()} if self.approved_on else {}),
        }


@dataclass(frozen=True)
class DroppedInput:
    """An input the policy leaves out on purpose (``dropped_inputs:``): with a baseline, checks
    skipped for its absence are listed as not evaluated with this reason, without failing the gate."""

    input: str
    reason: str
    approved_by: str = ""
    ticket: str = ""
    source: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "reason": self.reason,
            "approved_by": self.approved_by or None,
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
    dropped_inputs: tuple[DroppedInput, ...] = ()
    allow_wildcard_waivers: bool = False  # a waiver may name every check (check: "*")
    max_waiver_days: int = DEFAULT_MAX_WAIVER_DAYS

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
            **(
                {"dropped_inputs": [d.to_dict() for d in self.dropped_inputs]}
                if self.dropped_inputs
                else {}
            ),
            **({"allow_wildcard_waivers": True} if self.allow_wildcard_waivers else {}),
            **(
                {"max_waiver_days": self.max_waiver_days}
                if self.max_waiver_days != DEFAULT_MAX_WAIVER_DAYS
                else {}
            ),
        }


def check_pattern_matches(pattern: str, check_id: str) -> bool:
    """A waiver's ``check``: an id, a glob (``FAIR00*``) or a family prefix (``FAIR``)."""
    return fnmatch.fnmatchcase(check_id, pattern) or (
        pattern.isalpha() and check_id.startswith(pattern)
    )


def read_yaml(path: Path) -> Any:
    """Read a YAML file strictly (no duplicate keys) and within bounds (size, nesting, aliases):
    see :mod:`auditor.safeload`. Errors name the file and the line (exit 2)."""
    return load_yaml(path, what="YAML file")


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


def _parse_check_entry(value: Any, where: str, state: _Resolution | None = None) -> CheckConfig:
    fail = state.fail if state is not None else _raise
    if value is None or value is True:
        return CheckConfig(source=where)
    if value is False:
        return CheckConfig(enabled=False, source=where)
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: expected a mapping, true or false, got {value!r}")
    for key in value:
        if key not in CHECK_KEYS:
            fail(ConfigError(
                f"{where}.{key}: unknown key{suggest(str(key), CHECK_KEYS)} "
                f"(allowed: {', '.join(sorted(CHECK_KEYS))})"
            ))  # fmt: skip
    enabled = value.get("enabled", True)
    if not isinstance(enabled, bool):
        fail(ConfigError(f"{where}.enabled: expected true or false, got {enabled!r}"))
        enabled = True
    severity = None
    if value.get("severity") is not None:
        try:
            severity = Severity.parse(value["severity"])
        except ValueError as exc:
            fail(ConfigError(f"{where}.severity: {exc}"))
    options = value.get("options") or {}
    if not isinstance(options, Mapping):
        fail(ConfigError(f"{where}.options: expected a mapping, got {options!r}"))
        options = {}
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
    expires = _parse_date(value["expires"], f"{where}.expires")
    approved = None
    if value.get("approved_on") is not None:
        approved = _parse_date(value["approved_on"], f"{where}.approved_on")
        if expires < approved:
            raise ConfigError(
                f"{where}.expires: {expires.isoformat()} is before the approval date "
                f"{approved.isoformat()}"
            )
    return Waiver(
        check=value["check"],
        location=value["location"],
        reason=value["reason"],
        expires=expires,
        approved_by=value.get("approved_by") or "",
        ticket=value.get("ticket") or "",
        source=where,
        approved_on=approved,
    )


def _parse_dropped(value: Any, label: str) -> list[DroppedInput]:
    """``dropped_inputs: [{input: card, reason: ...}]``: every entry names a known input and
    says why (a bare name has no reason and is refused)."""
    where = f"{label}: dropped_inputs"
    if value is None:
        return []
    if not isinstance(value, list):
        raise ConfigError(
            f"{where}: expected a list of {{input: NAME, reason: WHY}}, got {value!r}"
        )
    out = []
    for i, item in enumerate(value):
        at = f"{where}[{i}]"
        if isinstance(item, str):
            raise ConfigError(
                f"{at}: {item!r} needs a reason: write {{input: {item}, reason: why it is "
                "left out}}"
            )
        if not isinstance(item, Mapping):
            raise ConfigError(f"{at}: expected {{input: NAME, reason: WHY}}, got {item!r}")
        for key in item:
            if key not in DROPPED_KEYS:
                raise ConfigError(
                    f"{at}.{key}: unknown key{suggest(str(key), DROPPED_KEYS)} "
                    f"(allowed: {', '.join(sorted(DROPPED_KEYS))})"
                )
        name = item.get("input")
        if name not in DROPPABLE_INPUTS:
            raise ConfigError(
                f"{at}.input: expected one of {', '.join(DROPPABLE_INPUTS)}, got {name!r}"
                f"{suggest(str(name), DROPPABLE_INPUTS) if isinstance(name, str) else ''}"
            )
        reason = item.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise ConfigError(f"{at}.reason: required (why {name} is left out of the audit)")
        for key in ("approved_by", "ticket"):
            if item.get(key) is not None and not isinstance(item[key], str):
                raise ConfigError(f"{at}.{key}: expected a string, got {item[key]!r}")
        out.append(
            DroppedInput(
                input=str(name), reason=reason.strip(), approved_by=item.get("approved_by") or "",
                ticket=item.get("ticket") or "", source=at,
            )
        )  # fmt: skip
    return out


def _parse_waiver_limits(data: Mapping[str, Any], label: str) -> dict[str, Any]:
    """This pack's ``allow_wildcard_waivers`` / ``max_waiver_days`` (only the keys it sets)."""
    out: dict[str, Any] = {}
    if data.get("allow_wildcard_waivers") is not None:
        value = data["allow_wildcard_waivers"]
        if not isinstance(value, bool):
            raise ConfigError(
                f"{label}: allow_wildcard_waivers: expected true or false, got {value!r}"
            )
        out["allow_wildcard_waivers"] = value
    if data.get("max_waiver_days") is not None:
        value = data["max_waiver_days"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(
                f"{label}: max_waiver_days: expected a whole number of days >= 1, got {value!r}"
            )
        out["max_waiver_days"] = value
    return out


def waives_every_check(pattern: str) -> bool:
    """Whether a waiver's ``check`` pattern reaches beyond one family: it does not start with
    the literal letters of a check-id prefix (``*``, ``*001``, ``?AIR*``, ``[FP]*``, ``F*``).
    ``FAIR``, ``FAIR*``, ``FAIR00?`` and ``PII001`` name one family or check."""
    letters = len(pattern) - len(pattern.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    return letters < 2


def waiver_limit_errors(policy: Policy, today: dt.date) -> list[str]:
    """Every waiver the policy's limits refuse, one message each (file, waiver, key, why):
    a ``check`` pattern over every check without ``allow_wildcard_waivers: true``, an
    ``approved_on`` date after ``today``, an expiry more than ``max_waiver_days`` after the
    approval date (without one: after ``today``, the run date)."""
    errors = []
    limit = policy.max_waiver_days
    for w in policy.waivers:
        if waives_every_check(w.check) and not policy.allow_wildcard_waivers:
            errors.append(
                f"{w.source}.check: {w.check!r} waives findings of every check; name a check id "
                "or a family (FAIR001, FAIR, PII00*), or set allow_wildcard_waivers: true in the "
                "policy"
            )
        if w.approved_on is not None and w.approved_on > today:
            errors.append(
                f"{w.source}.approved_on: {w.approved_on.isoformat()} is after the run date "
                f"{today.isoformat()}"
            )
            continue
        start, since = (
            (w.approved_on, f"its approval date {w.approved_on.isoformat()}")
            if w.approved_on is not None
            else (today, f"the run date {today.isoformat()}")
        )
        days = (w.expires - start).days
        if days > limit:
            errors.append(
                f"{w.source}.expires: {w.expires.isoformat()} is {days:,} days after {since}; a "
                f"waiver may last at most {limit} days (max_waiver_days): give an earlier date "
                "and renew the waiver when it expires"
            )
    return errors


def check_waiver_limits(policy: Policy, today: dt.date | None = None) -> None:
    """Refuse (ConfigError, exit 2) a policy with a waiver :func:`waiver_limit_errors` names."""
    day = today or dt.datetime.now(dt.timezone.utc).date()
    errors = waiver_limit_errors(policy, day)
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ConfigError(errors[0] + more)


def merge_check_configs(base: CheckConfig, over: CheckConfig) -> CheckConfig:
    """``over`` wins key by key; options merge (a child pack can change one option)."""
    return CheckConfig(
        enabled=over.enabled,
        severity=over.severity or base.severity,
        options={**base.options, **over.options},
        source=over.source or base.source,
    )


def _raise(exc: ConfigError) -> None:
    raise exc


@dataclass
class _Resolution:
    """One policy load. ``packs`` memoises every pack by its resolved path, so a pack reached
    through several ``extends`` (a diamond, or 26 packs that each extend the next one twice) is
    read and parsed once: the ``extends`` graph is a DAG walked in linear time. ``errors`` (for
    ``auditor validate-policy``) collects every problem instead of raising the first."""

    errors: list[str] | None = None
    packs: dict[str, Policy | None] = field(default_factory=dict)  # None: failed (reported)

    def fail(self, exc: ConfigError) -> None:
        if self.errors is None:
            raise exc
        problems: list[str] | None = getattr(exc, "problems", None)  # every duplicate key
        self.errors.extend(problems or [str(exc)])


def _parent(ref: str, base_dir: Path | None, label: str, seen: tuple[str, ...],
            state: _Resolution) -> Policy | None:  # fmt: skip
    """The resolved pack ``ref`` names (parsed once per load), or None when it failed."""
    try:
        parent_path = _find_pack(ref, base_dir)
    except ConfigError as exc:
        raise ConfigError(f"{label}: extends: {exc}") from None
    key = str(parent_path.resolve())
    if key in seen:  # on the path from the root: a cycle (a pack already resolved is not)
        chain = " -> ".join([*seen, key])
        raise ConfigError(f"{label}: extends: cycle through {chain}")
    if key not in state.packs:
        state.packs[key] = None  # a failure below is reported once, however often it is reached
        data, raw = load_yaml_with_bytes(parent_path, what="policy file")
        state.packs[key] = parse_policy(
            data, parent_path, _seen=(*seen, key), _raw=raw, _state=state
        )
    return state.packs[key]


def parse_policy(
    data: Any,
    path: Path | None,
    *,
    errors: list[str] | None = None,
    _seen: tuple[str, ...] = (),
    _raw: bytes | None = None,
    _state: _Resolution | None = None,
) -> Policy:
    """Build a Policy from parsed YAML ``data`` found at ``path`` (None: inline in a config).

    With ``errors`` (a list), every problem found is appended to it, one line each, and the
    policy built from the valid parts is returned; only a pack that is not a mapping at all
    still raises. Without it the first problem raises :class:`ConfigError`."""
    state = _state if _state is not None else _Resolution(errors)
    fail = state.fail
    label = str(path) if path is not None else "<inline policy>"
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise ConfigError(
            f"{label}: expected a mapping at the top level, got {type(data).__name__}"
        )
    for key in data:
        if key not in POLICY_KEYS:
            fail(ConfigError(
                f"{label}: {key}: unknown key{suggest(str(key), POLICY_KEYS)} "
                f"(allowed: {', '.join(sorted(POLICY_KEYS))})"
            ))  # fmt: skip
    base_dir = path.parent if path is not None else None
    if _raw is not None:  # the bytes that were parsed (not a second read of the file)
        raw_bytes = _raw
    else:
        raw_bytes = path.read_bytes() if path is not None else yaml.safe_dump(dict(data)).encode()
    sha = hashlib.sha256(raw_bytes).hexdigest()
    name = data.get("name") or (path.stem if path is not None else "inline")
    if not isinstance(name, str):
        fail(ConfigError(f"{label}: name: expected a string, got {name!r}"))
        name = path.stem if path is not None else "inline"
    description = data.get("description")
    if description is not None and not isinstance(description, str):
        fail(ConfigError(
            f"{label}: description: expected text, got {type(description).__name__}"
        ))  # fmt: skip
        description = None
    version = data.get("version", 1)
    if not isinstance(version, (str, int, float)) or isinstance(version, bool):
        fail(ConfigError(f"{label}: version: expected a number or text, got {version!r}"))
        version = 1

    # 1. bases
    parents = data.get("extends") or []
    if isinstance(parents, str):
        parents = [parents]
    if not isinstance(parents, list) or not all(isinstance(p, str) for p in parents):
        fail(ConfigError(
            f"{label}: extends: expected a pack name or a list of names, got {parents!r}"
        ))  # fmt: skip
        parents = []
    checks: dict[str, CheckConfig] = {}
    waivers: list[Waiver] = []
    packs: list[PackRef] = []
    regressions: dict[tuple[str, str], Any] = {}
    dropped: dict[str, DroppedInput] = {}
    limits: dict[str, Any] = {}
    fail_on = Severity.HIGH
    for ref in parents:
        try:
            parent = _parent(ref, base_dir, label, _seen, state)
        except ConfigError as exc:
            fail(exc)
            continue
        if parent is None:
            continue
        for cid, cfg in parent.checks.items():
            checks[cid] = merge_check_configs(checks[cid], cfg) if cid in checks else cfg
        # a pack reached twice (a diamond) contributes its waivers once
        waivers.extend(w for w in parent.waivers if w not in waivers)
        regressions.update({(r.check, r.metric): r for r in parent.regressions})
        dropped.update({d.input: d for d in parent.dropped_inputs})
        limits.update(allow_wildcard_waivers=parent.allow_wildcard_waivers,
                      max_waiver_days=parent.max_waiver_days)  # fmt: skip
        packs.extend(p for p in parent.packs if p not in packs)
        fail_on = parent.fail_on

    # 2. this pack
    if data.get("fail_on") is not None:
        try:
            fail_on = Severity.parse(data["fail_on"])
        except ValueError as exc:
            fail(ConfigError(f"{label}: fail_on: {exc}"))
    raw_checks = data.get("checks") or {}
    if not isinstance(raw_checks, Mapping):
        fail(ConfigError(f"{label}: checks: expected a mapping of check ids, got {raw_checks!r}"))
        raw_checks = {}
    for cid, value in raw_checks.items():
        cid = str(cid)
        try:
            cfg = _parse_check_entry(value, f"{label}: checks.{cid}", state)
        except ConfigError as exc:
            fail(exc)
            continue
        checks[cid] = merge_check_configs(checks[cid], cfg) if cid in checks else cfg
    raw_waivers = data.get("waivers") or []
    if not isinstance(raw_waivers, list):
        fail(ConfigError(f"{label}: waivers: expected a list, got {raw_waivers!r}"))
        raw_waivers = []
    for i, w in enumerate(raw_waivers):
        try:
            waivers.append(_parse_waiver(w, f"{label}: waivers[{i}]"))
        except ConfigError as exc:
            fail(exc)
    from .baseline import parse_regressions

    raw_rules = data.get("regressions")
    # one rule at a time, so that every bad rule is reported
    for part in (
        [{k: v} for k, v in raw_rules.items()] if isinstance(raw_rules, Mapping) else [raw_rules]
    ):
        try:
            for rule in parse_regressions(part, f"{label}: regressions"):
                regressions[(rule.check, rule.metric)] = rule
        except ConfigError as exc:
            fail(exc)
    try:
        dropped.update({d.input: d for d in _parse_dropped(data.get("dropped_inputs"), label)})
    except ConfigError as exc:
        fail(exc)
    try:
        limits.update(_parse_waiver_limits(data, label))
    except ConfigError as exc:
        fail(exc)
    packs.append(PackRef(name=name, version=str(version), path=label, sha256=sha))
    return Policy(
        name=name,
        path=label,
        sha256=sha,
        fail_on=fail_on,
        checks=checks,
        waivers=tuple(waivers),
        packs=tuple(packs),
        description=description or "",
        regressions=tuple(regressions.values()),
        dropped_inputs=tuple(dropped.values()),
        **limits,
    )


def load_policy(
    ref: str | Path, base_dir: Path | None = None, *, errors: list[str] | None = None
) -> Policy:
    """Load a bundled pack by name (``nyc-ll144``) or a policy file by path.

    With ``errors``, every problem in the pack and the packs it extends is appended to it (see
    :func:`parse_policy`); a pack that cannot be found or read at all still raises."""
    path = _find_pack(str(ref), base_dir)
    data, raw = load_yaml_with_bytes(path, what="policy file")
    return parse_policy(data, path, errors=errors, _seen=(str(path.resolve()),), _raw=raw)
