"""Typed check options: built from YAML/CLI values, unknown keys and wrong types rejected."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import yaml

from .errors import ConfigError, suggest

__all__ = ["build_options", "coerce_cli_value", "describe_type", "options_schema"]


def _fields(cls: type[Any]) -> dict[str, tuple[Any, dataclasses.Field[Any]]]:
    hints = get_type_hints(cls)
    return {f.name: (hints[f.name], f) for f in dataclasses.fields(cls)}


def describe_type(tp: Any) -> str:
    """Human name of an option type: ``int``, ``float``, ``'all' | int``, ``list[str]``."""
    origin = get_origin(tp)
    if tp is type(None):
        return "null"
    if origin is Literal:
        return " | ".join(repr(a) for a in get_args(tp))
    if origin in (Union, types.UnionType):
        return " | ".join(describe_type(a) for a in get_args(tp))
    if origin in (list, tuple, typing.Sequence, set, frozenset):
        args = [a for a in get_args(tp) if a is not Ellipsis]
        return f"list[{describe_type(args[0])}]" if args else "list"
    if origin in (dict, Mapping, typing.Mapping):
        kv = get_args(tp)
        return f"map[{describe_type(kv[0])}, {describe_type(kv[1])}]" if kv else "map"
    if tp is Any:
        return "any"
    return getattr(tp, "__name__", str(tp))


def _convert(value: Any, tp: Any, path: str) -> Any:
    """Return ``value`` as ``tp`` or raise ConfigError naming ``path``."""
    origin = get_origin(tp)
    if tp is Any:
        return value
    if tp is type(None):
        if value is None:
            return None
        raise ConfigError(f"{path}: expected null, got {value!r}")
    if origin is Literal:
        if value in get_args(tp):
            return value
        raise ConfigError(f"{path}: expected one of {describe_type(tp)}, got {value!r}")
    if origin in (Union, types.UnionType):
        errors = []
        # try exact-type members first so "all" does not become an int error
        for arg in get_args(tp):
            try:
                return _convert(value, arg, path)
            except ConfigError as exc:
                errors.append(str(exc))
        raise ConfigError(f"{path}: expected {describe_type(tp)}, got {value!r}")
    if tp is bool:
        if isinstance(value, bool):
            return value
        raise ConfigError(f"{path}: expected true or false, got {value!r}")
    if tp is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ConfigError(f"{path}: expected an integer, got {value!r}")
    if tp is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        raise ConfigError(f"{path}: expected a number, got {value!r}")
    if tp is str:
        if isinstance(value, str):
            return value
        raise ConfigError(f"{path}: expected a string, got {value!r}")
    if origin in (list, tuple, typing.Sequence, set, frozenset):
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            raise ConfigError(f"{path}: expected a list, got {value!r}")
        args = [a for a in get_args(tp) if a is not Ellipsis]
        item_tp = args[0] if args else Any
        return tuple(_convert(v, item_tp, f"{path}[{i}]") for i, v in enumerate(value))
    if origin in (dict, Mapping, typing.Mapping):
        if not isinstance(value, Mapping):
            raise ConfigError(f"{path}: expected a mapping, got {value!r}")
        kv = get_args(tp)
        k_tp, v_tp = kv if kv else (Any, Any)
        return types.MappingProxyType(
            {_convert(k, k_tp, path): _convert(v, v_tp, f"{path}.{k}") for k, v in value.items()}
        )
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        if not isinstance(value, Mapping):
            raise ConfigError(f"{path}: expected a mapping, got {value!r}")
        return build_options(tp, value, path)
    raise ConfigError(f"{path}: unsupported option type {tp!r}")


def build_options(cls: type[Any], raw: Mapping[str, Any] | None, path: str) -> Any:
    """Instantiate the options dataclass ``cls`` from ``raw``; errors name ``path.key``."""
    raw = raw or {}
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{path}: expected a mapping of options, got {raw!r}")
    fields = _fields(cls)
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in fields:
            known = ", ".join(sorted(fields)) or "none"
            raise ConfigError(
                f"{path}.{key}: unknown option{suggest(str(key), fields)} (known options: {known})"
            )
        values[key] = _convert(value, fields[key][0], f"{path}.{key}")
    try:
        return cls(**values)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: {exc}") from None


def options_schema(cls: type[Any]) -> dict[str, dict[str, Any]]:
    """``{name: {type, default}}`` of an options dataclass, for ``auditor checks --format json``."""
    out: dict[str, dict[str, Any]] = {}
    for name, (tp, f) in _fields(cls).items():
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        else:
            default = None
        if isinstance(default, (tuple, frozenset, set)):
            default = list(default)
        elif isinstance(default, Mapping):
            default = dict(default)
        out[name] = {"type": describe_type(tp), "default": default}
    return out


class _CliLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text (``--set FAIR003.audit_date=2026-11-20`` is the
    string the option expects, as in a YAML policy or config)."""


_CliLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def coerce_cli_value(text: str) -> Any:
    """``--set ID.opt=VALUE``: VALUE is read as a YAML scalar/flow value (``0.8``, ``true``, ``[a, b]``)."""
    try:
        return yaml.load(text, Loader=_CliLoader) if text.strip() else ""  # noqa: S506 - SafeLoader
    except yaml.YAMLError:
        return text
