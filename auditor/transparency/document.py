"""The one internal form every card/datasheet format is normalised to: canonical fields with file and line."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Builder", "Document", "FieldValue", "LoadIssue", "display_path"]


def display_path(path: Path) -> str:
    """The path as shown in locations: relative to the working directory when below it, POSIX style.

    Relative paths keep finding ids (which hash the location) stable across machines and CI checkouts.
    """
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return path.as_posix()


@dataclass(frozen=True)
class FieldValue:
    """One value of a canonical field as found in a document.

    ``key`` is the canonical dotted key (``use.out_of_scope``); ``source`` says where it came from in the
    original format (``front matter: license``, ``## Out-of-Scope Use``, ``model_details.owners``);
    ``item_lines`` gives the line of each list item when ``value`` is a list. ``problem`` says why the
    value does not have the field's type (``expected a list, got int (5)``): such a value is kept for
    the excerpt but counts as a placeholder, never as an answer or a claim.
    """

    key: str
    value: Any
    line: int | None
    source: str
    item_lines: tuple[int | None, ...] = ()
    item_key_lines: tuple[Mapping[str, int], ...] = ()  # per list item: its keys' lines
    problem: str = ""
    # "high" when read from a structured place (a key, a heading, a label); "low" when only a sentence in
    # prose says it ("This model is a fine-tuned version of X"): found, but worth a human look
    confidence: str = "high"


@dataclass(frozen=True)
class LoadIssue:
    """A problem met while reading a document: malformed input, an unknown key, a wrong type.

    ``fatal`` means nothing usable could be read (the other TRN checks then skip with this message).
    """

    message: str
    line: int | None = None
    key: str = ""
    fatal: bool = False


@dataclass(frozen=True)
class Document:
    """A model card or datasheet, normalised: ``fields[key]`` holds every value found for ``key``."""

    path: str
    format: str  # auditor-yaml | hf-readme | mct-json | datasheet-yaml | datasheet-md
    role: str  # card | datasheet
    fields: Mapping[str, tuple[FieldValue, ...]] = field(default_factory=dict)
    issues: tuple[LoadIssue, ...] = ()
    # where a field that is absent should be written: a canonical key or key prefix (``model``,
    # ``data.training``) -> the line of the nearest existing parent (MCT ``model_details`` key, the
    # ``## Training Details`` heading); used for the location of "missing" findings
    anchors: Mapping[str, int] = field(default_factory=dict)

    @property
    def fatal(self) -> LoadIssue | None:
        return next((i for i in self.issues if i.fatal), None)

    def values(self, key: str) -> tuple[FieldValue, ...]:
        return tuple(self.fields.get(key, ()))

    def first(self, key: str) -> FieldValue | None:
        found = self.fields.get(key)
        return found[0] if found else None

    def location(self, line: int | None = None) -> str:
        """``card:README.md:14`` (SARIF turns it into a physical location); without a line, line 1."""
        return f"{self.role}:{self.path}:{line if line else 1}"

    def field_keys(self) -> Iterable[str]:
        return self.fields.keys()


class Builder:
    """Collects field values and issues while a loader walks a file, then freezes them into a Document."""

    def __init__(self, path: str, fmt: str, role: str) -> None:
        self.path, self.format, self.role = path, fmt, role
        self._fields: dict[str, list[FieldValue]] = {}
        self._issues: list[LoadIssue] = []
        self._anchors: dict[str, int] = {}

    def add(
        self,
        key: str,
        value: Any,
        line: int | None,
        source: str,
        item_lines: Iterable[int | None] = (),
        item_key_lines: Iterable[Mapping[str, int]] = (),
        problem: str = "",
        confidence: str = "high",
    ) -> None:
        self._fields.setdefault(key, []).append(
            FieldValue(
                key,
                value,
                line,
                source,
                tuple(item_lines),
                tuple(item_key_lines),
                problem,
                confidence,
            )
        )

    def anchor(self, key: str, line: int | None) -> None:
        """Record ``line`` as where ``key`` (a field key or prefix) belongs; the first one wins."""
        if line:
            self._anchors.setdefault(key, line)

    def issue(
        self, message: str, line: int | None = None, key: str = "", fatal: bool = False
    ) -> None:
        self._issues.append(LoadIssue(message, line, key, fatal))

    def has(self, key: str) -> bool:
        return key in self._fields

    def values(self, key: str) -> tuple[FieldValue, ...]:
        return tuple(self._fields.get(key, ()))

    def build(self) -> Document:
        return Document(
            path=self.path,
            format=self.format,
            role=self.role,
            fields={k: tuple(v) for k, v in self._fields.items()},
            issues=tuple(self._issues),
            anchors=dict(self._anchors),
        )
