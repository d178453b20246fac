"""Provenance: ``manifest.json`` beside the report, with the sha256 of every input and output.

Inputs are the files the audit read (dataset, model, documents, policy packs, the audit config,
the baseline and any override templates) with the digest recorded at load time; when a file is
still on disk and now hashes differently, ``changed_since_run`` says so. Outputs are every file
written for this run. Verify with ``sha256sum`` or :func:`verify_manifest`.

Paths are portable (manifest_version 2): relative to the manifest's own folder (the output
folder), so the report folder and its inputs can move together; a file bundled with auditor (a
policy pack, a template) is ``auditor:rules/default.yaml``; an input that shares no folder with
the output but the file-system root is ``~/...`` under the home folder, else absolute. No path
is absolute under the home folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "MANIFEST_NAME",
    "build_manifest",
    "input_paths",
    "portable_path",
    "sha256_path",
    "verify_manifest",
    "write_manifest",
]

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 2


def sha256_path(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _bundled_roots() -> list[tuple[Path, str]]:
    from .resources import rules_dir, templates_dir

    roots = []
    for where, label in ((rules_dir, "rules"), (templates_dir, "reports")):
        try:
            roots.append((Path(os.path.abspath(where())), label))
        except FileNotFoundError:  # an incomplete installation: nothing is bundled
            continue
    return roots


def portable_path(path: str | Path, base: str | Path) -> str:
    """``path`` as the manifest records it: relative to ``base`` (the manifest's folder),
    ``auditor:rules/NAME.yaml`` for a file bundled with auditor, and only when ``path`` and
    ``base`` share nothing but the root, ``~/...`` (under the home folder) or absolute."""
    p = Path(os.path.abspath(path))
    for root, label in _bundled_roots():
        if root in p.parents:
            return f"auditor:{label}/{p.relative_to(root).as_posix()}"
    b = Path(os.path.abspath(base))
    if Path(os.path.commonpath([p, b])) != Path(p.anchor):
        return Path(os.path.relpath(p, b)).as_posix()
    home = Path(os.path.abspath(Path.home()))
    if home == p or home in p.parents:
        return "~/" + p.relative_to(home).as_posix()
    return p.as_posix()


def _entry(
    role: str, path: str | None, recorded: str | None, base: Path | None = None
) -> dict[str, Any]:
    shown = portable_path(path, base) if path and base is not None else path
    item: dict[str, Any] = {"role": role, "path": shown, "sha256": recorded}
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


def _recorded(data: Mapping[str, Any]) -> list[tuple[str, str | None, str | None]]:
    """``(role, path, sha256 recorded at load)`` of every input the report names."""
    inputs = data.get("inputs") or {}
    out: list[tuple[str, str | None, str | None]] = []
    ds = inputs.get("dataset")
    if ds:
        out.append(("dataset", ds.get("path"), ds.get("sha256")))
    model = inputs.get("model")
    if model and model.get("kind") != "predictions":
        out.append((f"model:{model.get('kind')}", model.get("path"), model.get("sha256")))
    for doc in inputs.get("documents") or []:
        out.append((str(doc.get("kind")), doc.get("path"), doc.get("sha256")))
    for pack in (data.get("policy") or {}).get("packs") or []:
        out.append((f"policy:{pack.get('name')}", pack.get("path"), pack.get("sha256")))
    config = (data.get("run") or {}).get("config")
    if config:
        out.append(("config", config, None))
    base = data.get("baseline")
    if isinstance(base, Mapping) and base.get("path"):
        out.append(("baseline", base.get("path"), base.get("sha256")))
    return out


def input_paths(data: Mapping[str, Any]) -> list[tuple[str, Path]]:
    """``(role, path)`` of every input named in report ``data`` (as the run saw them)."""
    return [
        (role.replace(":", " ").replace("_", " "), Path(path))
        for role, path, _ in _recorded(data)
        if isinstance(path, str) and path
    ]


def _inputs(
    data: Mapping[str, Any], extra: Iterable[tuple[str, Path]], base: Path | None
) -> list[dict[str, Any]]:
    out = [_entry(role, path, sha, base) for role, path, sha in _recorded(data)]
    out += [_entry(role, str(path), None, base) for role, path in extra]
    return out


def build_manifest(
    data: Mapping[str, Any],
    outputs: Mapping[str, Path],
    extra_inputs: Iterable[tuple[str, Path]] = (),
) -> dict[str, Any]:
    """The manifest of one run: ``data`` is the canonical report, ``outputs`` format -> file
    (all in the output folder, where the manifest goes: input paths are relative to it)."""
    folders = {p.parent for p in outputs.values()}
    base = folders.pop() if len(folders) == 1 else None
    files = [
        {"format": fmt, "path": p.name, "sha256": sha256_path(p), "size_bytes": p.stat().st_size}
        for fmt, p in outputs.items()
    ]
    run = data.get("run") or {}
    return {
        "manifest_version": MANIFEST_VERSION,
        "paths": "relative to this manifest's folder; auditor:... is a file bundled with auditor",
        "tool": dict(data.get("tool") or {}),
        "run_id": run.get("id"),
        "created_at": run.get("finished_at"),
        "verdict": data.get("verdict"),
        "policy_sha256": (data.get("policy") or {}).get("sha256"),
        "inputs": _inputs(data, extra_inputs, base),
        "outputs": files,
    }


def write_manifest(out_dir: Path, manifest: Mapping[str, Any]) -> Path:
    """Write ``manifest.json`` atomically (a temporary file moved into place: a link named
    manifest.json is replaced, never written through)."""
    target = out_dir / MANIFEST_NAME
    payload = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{MANIFEST_NAME}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
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
