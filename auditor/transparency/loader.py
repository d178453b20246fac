"""Pick the loader for a card or datasheet by extension (or content) and never raise on bad content:
unreadable, empty or malformed files become fatal load issues on the returned Document."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..safeload import MAX_BYTES
from .document import Builder, Document, display_path
from .load_hf import load_hf_readme
from .load_mct import load_mct_json
from .load_sheet import load_datasheet_markdown, load_datasheet_yaml
from .load_yaml_card import load_yaml_card

__all__ = ["MAX_BYTES", "load_card", "load_datasheet"]

FORMATS: dict[Callable[[str, str], Document], str] = {
    load_mct_json: "mct-json",
    load_hf_readme: "hf-readme",
    load_yaml_card: "auditor-yaml",
}


def _read(path: Path, role: str, what: str) -> tuple[str | None, Document | None]:
    """The text of ``path``, or a Document with ``role`` (card | datasheet) and a fatal issue saying why
    ``what`` ("model card", "datasheet") could not be read."""
    shown = display_path(path)
    b = Builder(shown, "unreadable", role)
    try:
        with path.open("rb") as fh:  # a cap, so /dev/zero or a huge file cannot fill memory
            raw = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        b.issue(f"{what} file not found", fatal=True)
        return None, b.build()
    except IsADirectoryError:
        b.issue(f"{what} path is a directory, expected a file", fatal=True)
        return None, b.build()
    except OSError as exc:
        b.issue(f"cannot read the {what}: {exc.strerror or exc}", fatal=True)
        return None, b.build()
    if len(raw) > MAX_BYTES:
        b.issue(
            f"{what} is over {MAX_BYTES:,} bytes; larger documents are not read",
            fatal=True,
        )
        return None, b.build()
    if b"\x00" in raw[:4096]:
        b.issue(f"{what} looks binary (NUL bytes), expected text", fatal=True)
        return None, b.build()
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        b.issue(f"{what} is not valid UTF-8 (byte {exc.start}); save it as UTF-8", fatal=True)
        return None, b.build()


def load_card(path: Path) -> Document:
    """Our ``model_card.yaml``, a Hugging Face ``README.md`` or Model Card Toolkit JSON, normalised."""
    text, failed = _read(path, "card", "model card")
    if failed is not None or text is None:
        assert failed is not None
        return failed
    shown = display_path(path)
    suffix = path.suffix.lower()
    head = text.lstrip()[:1]
    loader: Callable[[str, str], Document]
    if suffix == ".json" or (suffix not in (".md", ".markdown", ".yaml", ".yml") and head in "{["):
        loader = load_mct_json
    elif suffix in (".md", ".markdown") or (suffix not in (".yaml", ".yml") and head == "#"):
        loader = load_hf_readme
    else:
        loader = load_yaml_card
    if not text.strip():
        b = Builder(shown, FORMATS[loader], "card")
        b.issue("the model card is empty", 1, fatal=True)
        return b.build()
    return loader(text, shown)


def load_datasheet(path: Path) -> Document:
    """A datasheet (Gebru et al. sections) in YAML or Markdown, normalised."""
    text, failed = _read(path, "datasheet", "datasheet")
    if failed is not None or text is None:
        assert failed is not None
        return failed
    shown = display_path(path)
    markdown = path.suffix.lower() in (".md", ".markdown") or text.lstrip().startswith("#")
    if not text.strip():
        b = Builder(shown, "datasheet-md" if markdown else "datasheet-yaml", "datasheet")
        b.issue("the datasheet is empty", 1, fatal=True)
        return b.build()
    if markdown:
        return load_datasheet_markdown(text, shown)
    return load_datasheet_yaml(text, shown)
