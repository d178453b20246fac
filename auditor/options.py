"""Typed check options: built from YAML/CLI values, unknown keys, wrong types and out-of-range
numbers rejected.

A numeric option declares its domain in its type, ``Annotated[float, Range(gt=0, le=1)]`` (or one
of the aliases below: :data:`Share`, :data:`Ratio`, :data:`Level`, :data:`Finite`), and
:func:`build_options` enforces it when a policy, a config or ``--set`` gives a value: an
exit-2 :class:`~auditor.errors.ConfigError` naming the file or flag, ``CHECK_ID.option``, the value
and the allowed range, before anything runs. :func:`check_domains` enforces the same domains on an
options object built in Python (call it from ``__post_init__``).
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints

from .errors import ConfigError, suggest

__all__ = [
    "Finite",
    "Level",
    "Range",
    "Ratio",
    "Share",
    "build_options",
    "check_domains",
    "coerce_cli_value",
    "describe_type",
    "options_schema",
    "undeclared_domains",
]


def _num(x: float | None) -> str:
    """A bound or a value for a message: ``0.5``, ``100000``."""
    if x is None:
        return ""
    return f"{x:g}" if isinstance(x, float) else str(x)


@dataclass(frozen=True)
class Range:
    """The allowed values of a numeric option: bounds (``ge``/``gt`` below, ``le``/``lt`` above;
    none is "any finite number") and ``also``, values allowed outside them (``n_boot: 0`` = off).
    Used as ``Annotated[int, Range(ge=2)]``; NaN and infinities are never in a range."""

    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    also: tuple[float, ...] = ()

    def contains(self, value: float) -> bool:
        if value in self.also:
            return True
        if not math.isfinite(value):
            return False
        return (
            (self.ge is None or value >= self.ge)
            and (self.gt is None or value > self.gt)
            and (self.le is None or value <= self.le)
            and (self.lt is None or value < self.lt)
        )

    def describe(self, name: str = "x") -> str:
        """``0 < threshold <= 1``, ``k >= 2``, ``n_boot = 0 or 100 <= n_boot <= 100000``."""
        lo = f"{_num(self.ge)} <= " if self.ge is not None else ""
        lo = f"{_num(self.gt)} < " if self.gt is not None else lo
        hi = f" <= {_num(self.le)}" if self.le is not None else ""
        hi = f" < {_num(self.lt)}" if self.lt is not None else hi
        if lo and not hi:  # one-sided: the bound after the name reads better
            lo, hi = "", (f" >= {_num(self.ge)}" if self.ge is not None else f" > {_num(self.gt)}")
        text = f"{lo}{name}{hi}" if lo or hi else f"{name} is any finite number"
        if self.also:
            text = f"{name} = {' or '.join(_num(a) for a in self.also)} or {text}"
        return text

    def interval(self) -> str:
        """``(0, 1]``, ``>= 2``, ``0 or [100, 100000]``: the range in the options schema."""
        if (self.ge is not None or self.gt is not None) and (
            self.le is not None or self.lt is not None
        ):
            left = f"[{_num(self.ge)}" if self.ge is not None else f"({_num(self.gt)}"
            right = f"{_num(self.le)}]" if self.le is not None else f"{_num(self.lt)})"
            text = f"{left}, {right}"
        elif self.ge is None and self.gt is None and self.le is None and self.lt is None:
            text = "finite"
        else:
            text = self.describe("").strip()
        return f"{' or '.join(_num(a) for a in self.also)} or {text}" if self.also else text


#: a share, rate or probability: ``0 <= x <= 1``
Share = Annotated[float, Range(ge=0, le=1)]
#: a ratio threshold or a share that must be positive: ``0 < x <= 1``
Ratio = Annotated[float, Range(gt=0, le=1)]
#: a confidence level or a quantile: ``0 < x < 1``
Level = Annotated[float, Range(gt=0, lt=1)]
#: any finite number (bin edges): declared, so every numeric option states its domain
Finite = Annotated[float, Range()]


class _OutOfRange(ConfigError):
    """A value of the right type outside its option's domain (reported as such through unions)."""


def _range_of(tp: Any) -> tuple[Any, Range | None]:
    """``(base type, Range)`` of ``Annotated[base, Range(...)]``; ``(tp, None)`` otherwise."""
    if get_origin(tp) is Annotated:
        base, *meta = get_args(tp)
        return base, next((m for m in meta if isinstance(m, Range)), None)
    return tp, None


_FIELDS: dict[type[Any], dict[str, tuple[Any, dataclasses.Field[Any]]]] = {}


def _fields(cls: type[Any]) -> dict[str, tuple[Any, dataclasses.Field[Any]]]:
    """``{name: (type with its Annotated domain, field)}`` of an options dataclass (cached)."""
    if cls not in _FIELDS:
        hints = get_type_hints(cls, include_extras=True)
        _FIELDS[cls] = {f.name: (hints[f.name], f) for f in dataclasses.fields(cls)}
    return _FIELDS[cls]


def describe_type(tp: Any) -> str:
    """Human name of an option type: ``int``, ``float``, ``'all' | int``, ``list[str]``."""
    base, _ = _range_of(tp)
    if base is not tp:  # the domain is listed apart (``range`` in the schema)
        return describe_type(base)
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


def _convert(value: Any, tp: Any, path: str, name: str = "", owner: str = "") -> Any:
    """Return ``value`` as ``tp`` or raise ConfigError naming ``path``. ``name`` is the option's
    name inside the options (``thresholds.demographic_parity_ratio``) and ``owner`` the check id,
    for the out-of-range message (``FAIR001.threshold``)."""
    base, rng = _range_of(tp)
    if base is not tp:
        converted = _convert(value, base, path, name, owner)
        if rng is not None and not rng.contains(converted):
            raise _OutOfRange(_range_message(path, value, rng, name, owner))  # as given
        return converted
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
                return _convert(value, arg, path, name, owner)
            except _OutOfRange:
                raise  # the right type, outside its range: say so, not "expected float | null"
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
            if not math.isfinite(value):  # the right type: not hidden by a union's message
                raise _OutOfRange(f"{path}: expected a finite number, got {value!r}")
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
        return tuple(
            _convert(v, item_tp, f"{path}[{i}]", f"{name}[{i}]", owner) for i, v in enumerate(value)
        )
    if origin in (dict, Mapping, typing.Mapping):
        if not isinstance(value, Mapping):
            raise ConfigError(f"{path}: expected a mapping, got {value!r}")
        kv = get_args(tp)
        k_tp, v_tp = kv if kv else (Any, Any)
        return types.MappingProxyType(
            {
                _convert(k, k_tp, path): _convert(v, v_tp, f"{path}.{k}", f"{name}.{k}", owner)
                for k, v in value.items()
            }
        )
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        if not isinstance(value, Mapping):
            raise ConfigError(f"{path}: expected a mapping, got {value!r}")
        return build_options(tp, value, path, owner, _prefix=f"{name}.")
    raise ConfigError(f"{path}: unsupported option type {tp!r}")


def _range_message(path: str, value: Any, rng: Range, name: str, owner: str) -> str:
    """``--set FAIR001.threshold: -0.5 is out of range for FAIR001.threshold (allowed:
    0 < threshold <= 1)``."""
    full = f"{owner}.{name}" if owner else name
    leaf = name.rsplit(".", 1)[-1] or "value"
    shown = repr(value)  # as given: -0.5, 5.0, 10
    return f"{path}: {shown} is out of range for {full} (allowed: {rng.describe(leaf)})"


def build_options(
    cls: type[Any],
    raw: Mapping[str, Any] | None,
    path: str,
    check: str = "",
    *,
    _prefix: str = "",
) -> Any:
    """Instantiate the options dataclass ``cls`` from ``raw``; errors name ``path.key``, and an
    out-of-range value also ``check.key`` (``check``: the id of the check the options are for)."""
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
        values[key] = _convert(value, fields[key][0], f"{path}.{key}", f"{_prefix}{key}", check)
    try:
        return cls(**values)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: {exc}") from None


def options_schema(cls: type[Any]) -> dict[str, dict[str, Any]]:
    """``{name: {type, default[, range]}}`` of an options dataclass, for ``auditor checks --format
    json``: ``range`` is the declared domain of a numeric option (``(0, 1]``, ``>= 2``)."""
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
        domain = _domain_text(tp)
        if domain:
            out[name]["range"] = domain
    return out


def _domain_text(tp: Any) -> str:
    """``(0, 1]`` for a ranged number; ``values [0, 1]`` for a map of ranged numbers; else ``""``."""
    rng = _top_range(tp)
    if rng is not None:
        return "" if rng.interval() == "finite" else rng.interval()
    if get_origin(tp) in (dict, Mapping, typing.Mapping) and get_args(tp):
        inner = _top_range(get_args(tp)[1])
        if inner is not None and inner.interval() != "finite":
            return f"values {inner.interval()}"
    return ""


def _top_range(tp: Any) -> Range | None:
    """The Range of an option's own value (``Annotated[float, Range] | None`` included)."""
    _, rng = _range_of(tp)
    if rng is not None:
        return rng
    if get_origin(tp) in (Union, types.UnionType):
        members = [a for a in get_args(tp) if a is not type(None)]
        ranged = [r for a in members if (r := _range_of(a)[1]) is not None]
        others = [a for a in members if _range_of(a)[1] is None and get_origin(a) is not Literal]
        # ``Ratio | None`` and ``int-range | 'all'`` have one domain; ``int | list[float]`` none
        return ranged[0] if len(ranged) == 1 and not others else None
    return None


def check_domains(options: Any) -> None:
    """Raise ValueError (``confidence must be 0 < confidence < 1, got 1.5``) for a field of the
    options dataclass ``options`` outside its declared domain: the domains hold for options built in
    Python too (call it from ``__post_init__``)."""
    for name, (tp, _) in _fields(type(options)).items():
        for where, value, rng in _ranged(getattr(options, name), tp, name):
            if not rng.contains(value):
                leaf = where.rsplit(".", 1)[-1]
                raise ValueError(f"{where} must be {rng.describe(leaf)}, got {_num(value)}")


def _ranged(value: Any, tp: Any, name: str) -> Iterator[tuple[str, Any, Range]]:
    """(name, number, Range) of every ranged number inside ``value`` (typed ``tp``)."""
    _, rng = _range_of(tp)
    if rng is not None:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            yield name, value, rng
        return
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        for arg in get_args(tp):
            yield from _ranged(value, arg, name)
    elif origin in (list, tuple, typing.Sequence, set, frozenset) and isinstance(
        value, (list, tuple)
    ):
        args = [a for a in get_args(tp) if a is not Ellipsis]
        for i, v in enumerate(value):
            yield from _ranged(v, args[0] if args else Any, f"{name}[{i}]")
    elif origin in (dict, Mapping, typing.Mapping) and isinstance(value, Mapping):
        kv = get_args(tp)
        for k, v in value.items():
            yield from _ranged(v, kv[1] if kv else Any, f"{name}.{k}")


def undeclared_domains(cls: type[Any], prefix: str = "") -> list[str]:
    """The options of ``cls`` (nested ones as ``a.b``, items as ``a[]``) typed ``int`` or ``float``
    without a declared :class:`Range`: every numeric option states its domain."""
    out: list[str] = []
    for name, (tp, _) in _fields(cls).items():
        out += _undeclared(tp, f"{prefix}{name}")
    return out


def _undeclared(tp: Any, name: str) -> list[str]:
    base, rng = _range_of(tp)
    if base is not tp:
        return [] if rng is not None else [name]
    if tp in (int, float):
        return [name]
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        return sorted({n for a in get_args(tp) for n in _undeclared(a, name)})
    if origin in (list, tuple, typing.Sequence, set, frozenset):
        return [n for a in get_args(tp) if a is not Ellipsis for n in _undeclared(a, f"{name}[]")]
    if origin in (dict, Mapping, typing.Mapping):
        kv = get_args(tp)
        return _undeclared(kv[1], f"{name}.*") if kv else []
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return undeclared_domains(tp, f"{name}.")
    return []


def coerce_cli_value(text: str) -> Any:
    """``--set ID.opt=VALUE``: VALUE is read as a YAML scalar/flow value (``0.8``, ``true``,
    ``[a, b]``) by the same strict, bounded reader as every config and policy file (dates stay
    text, as the options expect: ``--set FAIR003.audit_date=2026-11-20``). Text that is not YAML
    is taken as written; an alias bomb, a duplicate key or a nesting too deep is refused."""
    from .safeload import LoadProblem, parse_yaml

    if not text.strip():
        return ""
    try:
        return parse_yaml(text)
    except LoadProblem as exc:
        if exc.message.startswith("invalid YAML"):
            return text
        raise ConfigError(f"--set value {text[:40]!r}: {exc.message}") from None
