"""Provenance: ``manifest.json`` beside the report, with the sha256 of every input and output.

Inputs are the files the audit read (dataset, model, documents, policy packs, the audit config,
the baseline and any override templates) with the digest recorded at load time; when a file is
still on disk and now hashes differently, ``changed_since_run`` says so. Outputs are every file
written for this run. Verify with ``sha256sum`` or :func:`verify_manifest`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

__all__ = ["MANIFEST_NAME", "build_manifest", "sha256_path", "verify_manifest", "write_manifest"]

MANIFEST_NAME = "manifest.json"


def sha256_path(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _entry(role: str, path: str | None, recorded: str | None) -> dict[str, Any]:
    item: dict[str, Any] = {"role": role, "path": path, "sha256": recorded}
    p = Path(path) if path else None
    if p is not None and p.is_file():
        now = sha256_path(p)
        item["size_bytes"] = p.stat().st_size
        if recorded is None:
            item["sha256"] = now
        elif now != recorded:
            item["changed_since_run"] = True
            item["sha256_now"] = now
    return item


def _inputs(data: Mapping[str, Any], extra: Iterable[tuple[str, Path]]) -> list[dict[str, Any]]:
    inputs = data.get("inputs") or {}
    out = []
    ds = inputs.get("dataset")
    if ds:
        out.append(_entry("dataset", ds.get("path"), ds.get("sha256")))
    model = inputs.get("model")
    if model and model.get("kind") != "predictions":
        out.append(_entry(f"model:{model.get('kind')}", model.get("path"), model.get("sha256")))
    for doc in inputs.get("documents", []):
        out.append(_entry(str(doc.get("kind")), doc.get("path"), doc.get("sha256")))
    for pack in (data.get("policy") or {}).get("packs", []):
        out.append(_entry(f"policy:{pack.get('name')}", pack.get("path"), pack.get("sha256")))
    config = (data.get("run") or {}).get("config")
    if config:
        out.append(_entry("config", config, None))
    base = data.get("baseline")
    if isinstance(base, Mapping) and base.get("path"):
        out.append(_entry("baseline", base.get("path"), base.get("sha256")))
    for role, path in extra:
        out.append(_entry(role, str(path), None))
    return out


def build_manifest(
    data: Mapping[str, Any],
    outputs: Mapping[str, Path],
    extra_inputs: Iterable[tuple[str, Path]] = (),
) -> dict[str, Any]:
    """The manifest of one run: ``data`` is the canonical report, ``outputs`` format -> file."""
    files = [
        {"format": fmt, "path": p.name, "sha256": sha256_path(p), "size_bytes": p.stat().st_size}
        for fmt, p in outputs.items()
    ]
    run = data.get("run") or {}
    return {
        "manifest_version": 1,
        "tool": dict(data.get("tool") or {}),
        "run_id": run.get("id"),
        "created_at": run.get("finished_at"),
        "verdict": data.get("verdict"),
        "policy_sha256": (data.get("policy") or {}).get("sha256"),
        "inputs": _inputs(data, extra_inputs),
        "outputs": files,
    }


def write_manifest(out_dir: Path, manifest: Mapping[str, Any]) -> Path:
    target = out_dir / MANIFEST_NAME
    target.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return target


def verify_manifest(out_dir: Path) -> list[str]:
    """Problems found re-hashing the outputs listed in ``out_dir/manifest.json`` (empty: all good)."""
    manifest = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    problems = []
    for item in manifest.get("outputs", []):
        p = out_dir / item["path"]
        if not p.is_file():
            problems.append(f"{item['path']}: missing")
        elif sha256_path(p) != item["sha256"]:
            problems.append(f"{item['path']}: sha256 differs from the manifest")
    return problems
