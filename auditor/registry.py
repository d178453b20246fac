"""Check discovery through the ``auditor.checks`` entry-point group (built-ins register the same way)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib import metadata
from typing import Any

from .check import ID_PATTERN, Check
from .errors import PluginError

__all__ = ["GROUP", "load_checks", "plugin_versions"]

GROUP = "auditor.checks"


def _entry_points(group: str) -> list[metadata.EntryPoint]:
    return list(metadata.entry_points(group=group))


def _origin(ep: metadata.EntryPoint) -> str:
    """``'pkg.mod:obj' from distribution acme-checks 1.2.0`` (entry points built in code have none)."""
    dist = getattr(ep, "dist", None)
    if dist is None:
        return f"{ep.value!r} (no distribution)"
    return f"{ep.value!r} from distribution {dist.metadata['Name']} {dist.version}"


def load_checks(
    entry_points: Iterable[metadata.EntryPoint] | None = None, group: str = GROUP
) -> dict[str, Check[Any]]:
    """Load every check; a non-Check object, a bad id, an id/name mismatch or a duplicate is an error."""
    eps = _entry_points(group) if entry_points is None else list(entry_points)
    checks: dict[str, Check[Any]] = {}
    providers: dict[str, metadata.EntryPoint] = {}  # origin text only for an error
    for ep in sorted(eps, key=lambda e: (e.name, e.value)):
        try:
            obj = ep.load()
        except Exception as exc:
            raise PluginError(
                f"check plugin {ep.name} = {ep.value!r} failed to import: {type(exc).__name__}: {exc}"
            ) from None
        if not isinstance(obj, Check):
            raise PluginError(
                f"check plugin {ep.name} = {ep.value!r} is not an auditor Check "
                f"(got {type(obj).__name__}; decorate the function with @auditor.check)"
            )
        if not ID_PATTERN.match(obj.id):
            raise PluginError(f"check plugin {ep.value!r}: id {obj.id!r} is not a valid check id")
        if ep.name != obj.id:
            raise PluginError(
                f"check plugin {ep.value!r}: entry point name {ep.name!r} differs from its id {obj.id!r}"
            )
        if obj.id in checks:
            raise PluginError(
                f"duplicate check id {obj.id}: {_origin(providers[obj.id])} and {_origin(ep)} both provide "
                "it (uninstall one of the distributions)"
            )
        checks[obj.id] = obj
        providers[obj.id] = ep
    return checks


def plugin_versions(group: str = GROUP) -> Mapping[str, str]:
    """Distribution name -> version for every distribution that provides checks."""
    out: dict[str, str] = {}
    for dist in metadata.distributions():
        try:
            eps = dist.entry_points
        except Exception:  # noqa: S112 - a broken distribution must not stop the audit
            continue
        if any(ep.group == group for ep in eps):
            out[dist.metadata["Name"]] = dist.version
    return dict(sorted(out.items()))
