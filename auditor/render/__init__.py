"""Renderers: each maps the canonical report data (parsed JSON) to text (or PDF bytes). Nothing else goes in."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import UsageError

__all__ = ["OUTPUT_NAMES", "check_writable", "render", "render_bytes", "write_all"]

OUTPUT_NAMES = {
    "json": "audit.json",
    "md": "audit.md",
    "html": "audit.html",
    "junit": "audit.junit.xml",
    "sarif": "audit.sarif",
    "pdf": "audit.pdf",
    "ll144-html": "ll144-summary.html",
    "ll144-md": "ll144-summary.md",
}


def _renderer(fmt: str) -> Callable[..., str]:
    if fmt == "json":
        return lambda data, **_: (
            json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        )
    if fmt == "md":
        from .markdown import render_markdown

        return render_markdown
    if fmt == "html":
        from .html import render_html

        return render_html
    if fmt == "junit":
        from .junit import render_junit

        return render_junit
    if fmt == "sarif":
        from .sarif import render_sarif

        return render_sarif
    if fmt == "ll144-html":
        from .ll144 import render_ll144_html

        return render_ll144_html
    if fmt == "ll144-md":
        from .ll144 import render_ll144_md

        return render_ll144_md
    raise UsageError(f"unknown format {fmt!r} (choose from {', '.join(OUTPUT_NAMES)})")


def render(data: Mapping[str, Any], fmt: str, templates: Path | None = None) -> str:
    """Render report ``data`` (the canonical JSON, parsed) as ``fmt`` (a text format)."""
    if fmt == "pdf":
        raise UsageError("pdf is a binary format: use render_bytes() or --out FILE")
    return _renderer(fmt)(data, templates=templates)


def render_bytes(data: Mapping[str, Any], fmt: str, templates: Path | None = None) -> bytes:
    """Render ``fmt`` as the bytes written to disk (UTF-8 for text formats)."""
    if fmt == "pdf":
        from .pdf import render_pdf

        return render_pdf(data, templates)
    return render(data, fmt, templates).encode("utf-8")


def check_writable(out_dir: Path) -> None:
    """Fail before anything runs if ``out_dir`` cannot be created or written."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out_dir, prefix=".probe-", delete=True):
            pass
    except OSError as exc:
        raise UsageError(
            f"{out_dir}: output directory is not writable: {exc.strerror or exc}"
        ) from None


def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_all(
    json_text: str, out_dir: Path, formats: Sequence[str], templates: Path | None = None
) -> dict[str, Path]:
    """Render every format from ``json_text`` first, then move all files into place (no half-written set)."""
    from ..manifest import input_paths
    from ..paths import refuse_clobber, run_inputs

    data = json.loads(json_text)
    # no output may land on an input of the run (the CLI refuses this before the run; the API's
    # Report.write is caught here)
    refuse_clobber(
        out_dir,
        [OUTPUT_NAMES[f] for f in formats if f in OUTPUT_NAMES],
        [*input_paths(data), *run_inputs(templates=templates)],
    )
    rendered: dict[str, bytes] = {}
    for fmt in formats:
        rendered[fmt] = (
            json_text.encode("utf-8") if fmt == "json" else render_bytes(data, fmt, templates)
        )
    check_writable(out_dir)
    mode = _file_mode()
    written: dict[str, Path] = {}
    for fmt, payload in rendered.items():
        target = out_dir / OUTPUT_NAMES[fmt]
        fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{target.name}.")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
            os.chmod(tmp, mode)  # mkstemp makes 0600; reports are ordinary files (umask applies)
            os.replace(tmp, target)  # a link named like the output is replaced, not written through
        except BaseException:
            Path(tmp).unlink(missing_ok=True)  # no stray .audit.json.XXXX on a full disk
            raise
        written[fmt] = target
    return written
