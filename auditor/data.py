"""Dataset loading (CSV, Parquet, JSON Lines) with a fingerprint recorded for the report."""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import InputError
from .paths import require_file

__all__ = ["FORMATS", "DatasetInfo", "describe_frame", "load_dataset", "sha256_file"]

FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


@dataclass(frozen=True)
class DatasetInfo:
    path: str | None
    format: str
    sha256: str | None
    size_bytes: int | None
    rows: int
    columns: tuple[dict[str, str], ...]
    encoding: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    # why the in-memory (pandas) engine was chosen for a Parquet source (reported under
    # inputs.engine.reason, not in inputs.dataset)
    engine_reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "format": self.format,
            "sha256": self.sha256,
            "size_bytes": self.size_bytes,
            "rows": self.rows,
            "columns": [dict(c) for c in self.columns],
            "encoding": self.encoding,
            "notes": list(self.notes),
        }


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _check_columns(columns: list[Any], where: str) -> None:
    dupes = sorted(str(c) for c, n in Counter(str(c) for c in columns).items() if n > 1)
    if dupes:
        raise InputError(f"{where}: duplicate column names: {', '.join(repr(d) for d in dupes)}")
    blank = [i for i, c in enumerate(columns) if str(c).strip() == ""]
    if blank:
        raise InputError(f"{where}: column {blank[0] + 1} has an empty name")


def _read_csv(path: Path, sep: str) -> tuple[pd.DataFrame, str, list[str]]:
    raw = path.read_bytes()
    notes: list[str] = []
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if encoding != "utf-8-sig":
        notes.append(f"file is not valid UTF-8; decoded as {encoding}")
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    # pandas renames duplicate headers ("a", "a.1"): read the header ourselves first
    header = next(csv.reader(io.StringIO(text), delimiter=sep), [])
    _check_columns(header, str(path))
    try:
        df = pd.read_csv(io.StringIO(text), sep=sep, low_memory=False)
    except (pd.errors.ParserError, ValueError) as exc:
        raise InputError(
            f"{path}: cannot parse as {'TSV' if sep == chr(9) else 'CSV'}: {exc}"
        ) from None
    return df, "utf-8" if encoding == "utf-8-sig" else encoding, notes


def load_dataset(path: str | Path, fmt: str | None = None) -> tuple[pd.DataFrame, DatasetInfo]:
    """Read ``path`` (format from the extension unless ``fmt`` is given); exit-2 errors name the file."""
    # a FIFO, a device or a folder: say what it is (a FIFO looks empty, /dev/zero never ends)
    p = require_file(path, "data file", expected="a file (or a Parquet folder)")
    kind = fmt or FORMATS.get(p.suffix.lower())
    if kind is None:
        raise InputError(
            f"{p}: unknown data format {p.suffix or '(no extension)'!r} "
            f"(supported: {', '.join(sorted(set(FORMATS.values())))}; set --data-format to override)"
        )
    if kind not in set(FORMATS.values()):
        raise InputError(f"{p}: unknown data format {kind!r}")
    try:
        size = p.stat().st_size
        if size == 0:
            raise InputError(f"{p}: the file is empty")
        encoding: str | None = None
        notes: list[str] = []
        if kind in ("csv", "tsv"):
            df, encoding, notes = _read_csv(p, "\t" if kind == "tsv" else ",")
        elif kind == "parquet":
            try:
                df = pd.read_parquet(p)
            except ImportError:
                raise InputError(
                    f"{p}: reading Parquet needs pyarrow: pip install 'auditor[parquet]'"
                ) from None
        else:
            try:
                df = pd.read_json(p, lines=True, dtype=False)
            except ValueError as exc:
                raise InputError(f"{p}: cannot parse as JSON Lines: {exc}") from None
    except PermissionError:
        raise InputError(f"{p}: permission denied") from None
    except InputError:
        raise
    except OSError as exc:
        raise InputError(f"{p}: cannot read: {exc.strerror or exc}") from None
    except Exception as exc:  # pyarrow raises its own types for corrupt files
        raise InputError(f"{p}: cannot read as {kind}: {type(exc).__name__}: {exc}") from None
    _check_columns(list(df.columns), str(p))
    if df.shape[1] == 0:
        raise InputError(f"{p}: no columns")
    if len(df) == 0:
        raise InputError(f"{p}: no data rows (header only)")
    info = DatasetInfo(
        path=str(p),
        format=kind,
        sha256=sha256_file(p),
        size_bytes=size,
        rows=len(df),
        columns=describe_frame(df),
        encoding=encoding,
        notes=tuple(notes),
    )
    return df, info


def describe_frame(df: pd.DataFrame) -> tuple[dict[str, str], ...]:
    return tuple({"name": str(c), "dtype": str(t)} for c, t in df.dtypes.items())


def frame_info(df: pd.DataFrame) -> DatasetInfo:
    """Fingerprint an in-memory DataFrame (API use): hash of its values, no path."""
    _check_columns(list(df.columns), "DataFrame")
    if df.shape[1] == 0:
        raise InputError("DataFrame: no columns")
    if len(df) == 0:
        raise InputError("DataFrame: no data rows")
    try:
        hashed = pd.util.hash_pandas_object(df, index=False)
    except (TypeError, UnicodeDecodeError):  # unhashable cells (lists, dicts): hash their text form
        try:
            hashed = pd.util.hash_pandas_object(df.astype(str), index=False)
        except UnicodeDecodeError:  # bytes that are not UTF-8
            hashed = pd.util.hash_pandas_object(df.map(repr).astype(object), index=False)
    digest = hashlib.sha256(hashed.to_numpy().tobytes())
    return DatasetInfo(
        path=None,
        format="dataframe",
        sha256=digest.hexdigest(),
        size_bytes=int(df.memory_usage(deep=True).sum()),
        rows=len(df),
        columns=describe_frame(df),
    )
