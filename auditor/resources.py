"""Bundled data: policy packs (``rules/``), report templates (``reports/``) and the JSON schema.

In an installed wheel they live in ``auditor/_data/``; in a source checkout (or an editable
install) they are the top-level ``rules/`` and ``reports/`` folders beside the package.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["bundled_packs", "rules_dir", "schema_path", "templates_dir"]

_PKG = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    installed = _PKG / "_data" / name
    if installed.is_dir():
        return installed
    checkout = _PKG.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"auditor installation is incomplete: no bundled {name}/ folder")


def rules_dir() -> Path:
    return _data_dir("rules")


def templates_dir() -> Path:
    return _data_dir("reports")


def schema_path() -> Path:
    return _PKG / "schema" / "report.schema.json"


def bundled_packs() -> dict[str, Path]:
    """Pack name (file stem) -> path, for every bundled ``rules/*.yaml``."""
    return {p.stem: p for p in sorted(rules_dir().glob("*.yaml"))}
