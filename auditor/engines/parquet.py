"""Parquet inputs read lazily: a file, a directory or a glob; footers checked before anything runs.

Only the footers are read at load time (row counts, schemas, uncompressed sizes). A file that
cannot be opened, or that lacks a column the audit needs (schema drift across the files of a
directory), stops the run with exit 2 and a message naming the file.

The files are read with one union schema (every column of every file, in first-seen order;
integer and float versions of a column read as float, string variants as large strings): a
column the audit did not name that is missing from some files is read as null there, and the
report's notes say which columns are missing from how many files and rows (:func:`drift_notes`).
"""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, suggest
from ..paths import require_file

__all__ = ["ParquetMeta", "drift_notes", "is_parquet_input", "parquet_files", "read_footers"]

SUFFIXES = (".parquet", ".pq", ".parq")
GLOB_CHARS = ("*", "?", "[")


@dataclass(frozen=True)
class ParquetMeta:
    """What the footers say: files, exact row count, uncompressed bytes and the union schema."""

    root: str
    kind: str  # file | directory | glob
    files: tuple[str, ...]
    rows: int
    uncompressed_bytes: int
    compressed_bytes: int
    schema: Any  # pyarrow.Schema: the union of every file's columns (see the module docstring)
    file_schemas: tuple[Any, ...] = ()  # each file's own pyarrow.Schema
    file_rows: tuple[int, ...] = ()

    @property
    def drift(self) -> bool:
        """Whether the files differ in columns or types (read through the union schema)."""
        return any(not sch.equals(self.schema) for sch in self.file_schemas)

    def missing(self) -> dict[str, list[int]]:
        """Column -> indexes of the files that lack it."""
        out: dict[str, list[int]] = {}
        for i, sch in enumerate(self.file_schemas):
            for name in self.schema.names:
                if name not in sch.names:
                    out.setdefault(name, []).append(i)
        return out


def _is_glob(text: str) -> bool:
    return any(ch in text for ch in GLOB_CHARS)


def is_parquet_input(data: Any, data_format: str | None = None) -> bool:
    """A path (file, directory, glob) that names Parquet data."""
    if not isinstance(data, (str, Path)):
        return False
    text = str(data)
    if data_format is not None:
        return data_format == "parquet"
    if _is_glob(text):
        return text.lower().endswith(SUFFIXES) or text.endswith("*")
    p = Path(text)
    if p.is_dir():
        return True
    return p.suffix.lower() in SUFFIXES


def _data_file(p: Path) -> bool:
    name = p.name
    return p.is_file() and not name.startswith(("_", ".")) and not name.endswith(".crc")


def parquet_files(data: str | Path) -> tuple[list[Path], str]:
    """The Parquet files of ``data`` (sorted) and what it was: ``file``, ``directory`` or ``glob``."""
    text = str(data)
    if _is_glob(text) and not Path(text).exists():
        files = sorted(Path(f) for f in glob.glob(text, recursive=True))
        files = [f for f in files if _data_file(f)]
        if not files:
            raise InputError(f"{text}: the glob matches no Parquet file")
        return files, "glob"
    # a FIFO or a device: say so
    p = require_file(text, "data file", allow_dir=True, expected="a file or a Parquet folder")
    if p.is_dir():
        files = sorted(
            f
            for f in p.rglob("*")
            if _data_file(f)
            and f.suffix.lower() in SUFFIXES
            and not any(part.startswith(("_", ".")) for part in f.relative_to(p).parts[:-1])
        )
        if not files:
            raise InputError(f"{p}: the directory holds no Parquet file (*.parquet, *.pq)")
        return files, "directory"
    return [p], "file"


def _open(path: Path, single: bool = False) -> Any:
    import pyarrow.parquet as pq

    what = "cannot read as Parquet" if single else "unreadable Parquet partition"
    try:
        if os.path.getsize(path) == 0:
            raise InputError(f"{path}: {what}: the file is empty")
        return pq.ParquetFile(path).metadata
    except InputError:
        raise
    except PermissionError:
        raise InputError(f"{path}: {what}: permission denied") from None
    except Exception as exc:  # pyarrow raises ArrowInvalid/OSError for corrupt footers
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"{path}: {what}: {first}") from None


def read_footers(data: str | Path, required: Sequence[tuple[str, str]] = ()) -> ParquetMeta:
    """Read every footer; ``required`` is ``[(role, column)]`` that each file must hold."""
    files, kind = parquet_files(data)
    rows = unc = comp = 0
    first: Any = None
    first_file: Path | None = None
    union: dict[str, Any] = {}
    seen_in: dict[str, Path] = {}
    schemas: list[Any] = []
    counts: list[int] = []
    for f in files:
        meta = _open(f, single=kind == "file")
        schema = meta.schema.to_arrow_schema().remove_metadata()
        schemas.append(schema)
        counts.append(meta.num_rows)
        if first is None:
            first, first_file = schema, f
            for role, col in required:
                if col not in schema.names:
                    raise InputError(
                        f"{f}: {role} column {col!r} not found{suggest(col, schema.names)}"
                    )
        else:
            for role, col in required:
                if col not in schema.names:
                    raise InputError(
                        f"{f}: {role} column {col!r} is missing in this file (present in "
                        f"{first_file}): schema drift across the Parquet files of {data}"
                    )
        for name in schema.names:
            t = schema.field(name).type
            if name not in union:
                union[name], seen_in[name] = t, f
            elif not _compatible(union[name], t):
                raise InputError(
                    f"{f}: column {name!r} is {t} here but {union[name]} in {seen_in[name]}: "
                    f"schema drift across the Parquet files of {data}"
                )
            else:
                union[name] = _wider(union[name], t)
        rows += meta.num_rows
        for i in range(meta.num_row_groups):
            rg = meta.row_group(i)
            unc += rg.total_byte_size
            comp += sum(rg.column(j).total_compressed_size for j in range(rg.num_columns))
    import pyarrow as pa

    return ParquetMeta(
        str(data), kind, tuple(str(f) for f in files), rows, unc, comp,
        pa.schema([pa.field(n, t) for n, t in union.items()]), tuple(schemas), tuple(counts),
    )  # fmt: skip


def _wider(a: Any, b: Any) -> Any:
    """The type both ``a`` and ``b`` (compatible) are read as."""
    import pyarrow as pa

    if a == b or pa.types.is_null(b):
        return a
    if pa.types.is_null(a):
        return b
    if pa.types.is_integer(a) and pa.types.is_integer(b):
        return pa.int64()
    if pa.types.is_integer(a) or pa.types.is_integer(b) or pa.types.is_floating(a):
        return pa.float64()
    return pa.large_string()


def drift_notes(meta: ParquetMeta) -> list[str]:
    """What the union schema changed: columns missing from some files (counted in files and
    rows, read as null there) and columns whose type differs between files."""
    if not meta.drift:
        return []
    out = []
    n = len(meta.files)
    for name, idx in meta.missing().items():
        rows = sum(meta.file_rows[i] for i in idx)
        shown = ", ".join(Path(meta.files[i]).name for i in idx[:3])
        more = f" and {len(idx) - 3} more" if len(idx) > 3 else ""
        out.append(
            f"schema drift: column {name!r} is missing from {len(idx)} of {n} files "
            f"({shown}{more}; {rows} rows), read as null there"
        )
    for name in meta.schema.names:
        types = sorted({str(s.field(name).type) for s in meta.file_schemas if name in s.names})
        if len(types) > 1:
            out.append(
                f"schema drift: column {name!r} is {' / '.join(types)} across the files, read "
                f"as {meta.schema.field(name).type}"
            )
    return out


def _compatible(a: Any, b: Any) -> bool:
    import pyarrow as pa

    if a == b or pa.types.is_null(a) or pa.types.is_null(b):
        return True
    groups = (
        (pa.types.is_integer, pa.types.is_floating),
        (pa.types.is_string, pa.types.is_large_string, pa.types.is_string_view),
    )
    return any(any(t(a) for t in group) and any(t(b) for t in group) for group in groups)
