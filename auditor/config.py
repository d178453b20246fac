"""The audit configuration: ``audit.yaml`` or CLI flags or API arguments, one shape for all three."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError, suggest
from .safeload import load_yaml

__all__ = ["ALL_FORMATS", "DEFAULT_FORMATS", "AuditConfig", "load_config", "parse_formats"]

ALL_FORMATS = ("json", "md", "html", "junit", "sarif", "pdf", "ll144-html", "ll144-md")
DEFAULT_FORMATS = ("json", "html", "md")
PATH_KEYS = ("data", "model", "card", "datasheet", "out", "baseline")


@dataclass(frozen=True)
class AuditConfig:
    data: Any = None  # path or DataFrame
    data_format: str | None = None
    engine: str | None = None  # auto (default), pandas, polars, dask, spark: see docs/scale.md
    target: str | None = None
    prediction: str | None = None
    score: str | None = None
    model: Any = None  # path or object with predict()
    features: tuple[str, ...] | None = None
    sensitive: tuple[str, ...] = ()
    positive_label: Any = None
    card: Path | None = None
    datasheet: Path | None = None
    policy: Any = "default"  # bundled name, path, or an inline mapping
    overrides: Mapping[str, Any] = field(default_factory=dict)
    # where each override key was given, for error messages ("--set FAIR001.threshold",
    # "audit.yaml: set.FAIR001.threshold"); keys not listed are API ``overrides[...]``
    override_sources: Mapping[str, str] = field(default_factory=dict)
    formats: tuple[str, ...] = DEFAULT_FORMATS
    out: Path = Path("audit-report")
    fail_on: str | None = None
    baseline: Path | None = None
    allow_unsafe_model: bool = False
    # render the LL144 public summary even when a required field is missing, marked DRAFT
    draft: bool = False
    seed: int = 0
    metadata: Mapping[str, Any] = field(default_factory=dict)
    config_path: Path | None = None
    # SARIF: the folder result paths are relative to (``%SRCROOT%``) and the code-scanning category
    source_root: Path | None = None
    sarif_category: str | None = None

    def merged(self, **changes: Any) -> AuditConfig:
        """This config with every non-None value of ``changes`` applied (CLI flags over the file)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def parse_formats(value: Any, where: str) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)):
        raise ConfigError(f"{where}: expected a comma-separated list of formats, got {value!r}")
    out: list[str] = []
    for raw in items:
        fmt = str(raw).strip().lower()
        if fmt == "markdown":
            fmt = "md"
        if fmt not in ALL_FORMATS:
            raise ConfigError(
                f"{where}: unknown format {raw!r}{suggest(fmt, ALL_FORMATS)} "
                f"(choose from {', '.join(ALL_FORMATS)})"
            )
        if fmt not in out:
            out.append(fmt)
    if "json" not in out:
        out.insert(0, "json")  # the canonical report is always written
    return tuple(out)


def _str_tuple(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(s.strip() for s in value.split(",") if s.strip())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"{where}: expected a list of column names, got {value!r}")


def load_config(path: str | Path) -> AuditConfig:
    """Read ``audit.yaml``; relative paths in it are relative to the file's folder.

    The YAML is read strictly and within bounds (:mod:`auditor.safeload`): a repeated key
    (``allow_unsafe_model: false`` ... ``allow_unsafe_model: true``), an alias bomb or deep
    nesting is an error naming the file and line, never "the last one wins"."""
    p = Path(path)
    data = load_yaml(p, what="config file")
    if not isinstance(data, Mapping):
        raise ConfigError(f"{p}: expected a mapping at the top level")
    known = {f.name for f in fields(AuditConfig)} - {
        "config_path", "overrides", "override_sources", "formats", "source_root", "sarif_category",
    }  # fmt: skip
    known |= {"set", "format"}
    values: dict[str, Any] = {"config_path": p}
    for key, value in data.items():
        where = f"{p}: {key}"
        if key not in known:
            raise ConfigError(f"{where}: unknown key{suggest(str(key), known)}")
        if value is None:
            continue
        if (key in PATH_KEYS and key != "data") or (key == "data" and isinstance(value, str)):
            if not isinstance(value, str):
                raise ConfigError(f"{where}: expected a path, got {value!r}")
            if not value.strip():  # "" would be the config's own folder
                raise ConfigError(f"{where}: empty path")
            values[key] = Path(os.path.normpath(p.parent / value))
        elif key == "policy":
            if isinstance(value, str):
                cand = p.parent / value
                values[key] = cand if cand.is_file() else value
            elif isinstance(value, Mapping):
                values[key] = value
            else:
                raise ConfigError(f"{where}: expected a pack name, a path or a mapping")
        elif key in ("sensitive", "features"):
            values[key] = _str_tuple(value, where)
        elif key == "set":
            if not isinstance(value, Mapping):
                raise ConfigError(f"{where}: expected a mapping of CHECK_ID.option: value")
            values["overrides"] = {str(k): v for k, v in value.items()}
            values["override_sources"] = {str(k): f"{where}.{k}" for k in value}
        elif key == "format":
            values["formats"] = parse_formats(value, where)
        elif key in ("allow_unsafe_model", "draft"):
            if not isinstance(value, bool):
                raise ConfigError(f"{where}: expected true or false, got {value!r}")
            values[key] = value
        elif key == "seed":
            if not isinstance(value, int) or isinstance(value, bool):
                raise ConfigError(f"{where}: expected an integer, got {value!r}")
            values[key] = value
        elif key == "metadata":
            if not isinstance(value, Mapping):
                raise ConfigError(f"{where}: expected a mapping")
            values[key] = dict(value)
        elif key == "positive_label":
            values[key] = value
        elif key == "engine":
            from .engines.backends import ENGINES

            if not isinstance(value, str) or value.lower() not in ENGINES:
                raise ConfigError(
                    f"{where}: expected one of {', '.join(ENGINES)}, got {value!r}"
                    f"{suggest(str(value), ENGINES)}"
                )
            values[key] = value.lower()
        else:
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                raise ConfigError(f"{where}: expected a string, got {value!r}")
            values[key] = str(value)
    return AuditConfig(**values)


_TOP_KEY = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_]*)\s*:")


def config_key_lines(path: Path) -> dict[str, int]:
    """The 1-based line of each top-level key of a config file (``data`` -> 4), for SARIF
    locations of findings about what the key names; {} when the file cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        m = _TOP_KEY.match(line)
        if m and m["key"] not in lines:
            lines[m["key"]] = number
    return lines


def git_toplevel(folder: Path) -> Path | None:
    """``git rev-parse --show-toplevel`` run in ``folder``; None outside a work tree or without git."""
    import subprocess

    try:
        proc = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    top = proc.stdout.strip()
    return Path(top) if proc.returncode == 0 and top else None


def source_fields(config: AuditConfig) -> dict[str, Any]:
    """What a SARIF rendering of the report needs to point into the repository, recorded in the
    report's ``run``: ``source_root`` (``--source-root``, else the git top level of the config's
    folder, else the current folder), ``workdir`` (the current folder relative to it: relative
    input paths in the report are relative to the current folder), the line of each top-level
    key of the config file (``config_lines``), and ``sarif_category`` when one was given."""
    cwd = Path.cwd().resolve()
    root = config.source_root
    if root is None:
        start = config.config_path.parent if config.config_path is not None else Path(".")
        root = git_toplevel(start.resolve()) or cwd
    root = root.resolve()
    out: dict[str, Any] = {"source_root": root.as_posix()}
    # on another drive (Windows) relative paths cannot be placed in the root: no workdir
    with contextlib.suppress(ValueError):
        out["workdir"] = Path(os.path.relpath(cwd, root)).as_posix()
    if config.config_path is not None:
        lines = config_key_lines(config.config_path)
        if lines:
            out["config_lines"] = lines
    if config.sarif_category:
        out["sarif_category"] = config.sarif_category
    return out
