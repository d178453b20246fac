"""Input files and the output folder: what a run may read and where it may write.

Every input named by a path (data, model, card, datasheet, baseline, config, policy, report) must
be a regular file, or a folder where a folder is accepted (a Parquet dataset, the templates):
a character device, a named pipe or a socket is refused with one line saying what it is, before
anything reads it (``/dev/zero`` would never end, a FIFO would block or look empty).

The output folder must be a real, writable directory, probed by writing into it (a permission
bit says nothing on ``/proc`` or a read-only mount), and no file a run writes may land on one of
its inputs: paths are compared resolved (symbolic links and ``..``) and, where the output
exists, with :func:`os.path.samefile` (hard links). Nothing here imports pandas.
"""

from __future__ import annotations

import contextlib
import glob
import os
import stat
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .errors import InputError, UsageError

__all__ = [
    "clobbered",
    "file_kind",
    "probe_out_dir",
    "refuse_clobber",
    "require_file",
    "run_inputs",
]


def file_kind(mode: int) -> str:
    """What a ``stat`` mode is, for messages: ``character device``, ``named pipe (FIFO)``..."""
    if stat.S_ISREG(mode):
        return "regular file"
    if stat.S_ISDIR(mode):
        return "directory"
    if stat.S_ISCHR(mode):
        return "character device"
    if stat.S_ISBLK(mode):
        return "block device"
    if stat.S_ISFIFO(mode):
        return "named pipe"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def require_file(
    path: str | Path,
    role: str,
    *,
    allow_dir: bool = False,
    error: type[UsageError] = InputError,
    expected: str | None = None,
) -> Path:
    """``path`` if it is a regular file (or a directory, with ``allow_dir``), else ``error``:
    ``PATH: ROLE not found`` or ``PATH is not a regular file (character device); the ROLE must
    be a file``. Symbolic links are followed."""
    if not str(path).strip():
        raise error(f"{role}: empty path")
    p = Path(path)
    try:
        mode = p.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        broken = " (a broken symbolic link)" if p.is_symlink() else ""
        raise error(f"{p}: {role} not found{broken}") from None
    except PermissionError:
        raise error(f"{p}: {role}: permission denied") from None
    except OSError as exc:  # a symlink loop, a name too long
        raise error(f"{p}: cannot read the {role}: {exc.strerror or exc}") from None
    if stat.S_ISREG(mode) or (allow_dir and stat.S_ISDIR(mode)):
        return p
    what = expected or ("a file or a folder" if allow_dir else "a file")
    raise error(f"{p} is not a regular file ({file_kind(mode)}); the {role} must be {what}")


# -- the output folder ------------------------------------------------------------------------


def probe_out_dir(out_dir: str | Path, flag: str = "--out") -> None:
    """Fail (exit 2) unless ``out_dir`` is, or can be created as, a directory a file can be
    written to; leaves nothing behind. Missing folders are created for the probe and removed
    again, so ``/proc/x`` (where ``os.access`` says yes and ``mkdir`` says no) is caught."""
    if not str(out_dir).strip():
        raise UsageError(f"{flag}: empty path (give an output directory)")
    target = Path(out_dir)

    def refuse(why: str) -> UsageError:
        return UsageError(f"{target}: output directory is not writable: {why}")

    missing: list[Path] = []
    probe = target
    while True:
        try:
            mode = probe.stat().st_mode
        except (FileNotFoundError, NotADirectoryError):
            if probe.is_symlink():  # a dangling symlink: mkdir would fail on it
                raise refuse(f"{probe} is a broken link") from None
            if probe == probe.parent:
                raise refuse(f"{probe} does not exist") from None
            missing.append(probe)
            probe = probe.parent
            continue
        except OSError as exc:
            raise refuse(f"{probe}: {exc.strerror or exc}") from None
        if not stat.S_ISDIR(mode):
            raise refuse(f"{probe} is not a directory ({file_kind(mode)})")
        break
    created: list[Path] = []
    try:
        for folder in reversed(missing):
            try:
                folder.mkdir()
            except FileExistsError:  # made by someone else meanwhile: it is not ours to remove
                continue
            except OSError as exc:
                raise refuse(f"cannot create {folder}: {exc.strerror or exc}") from None
            created.append(folder)
        try:
            fd, name = tempfile.mkstemp(dir=target, prefix=".auditor-probe-")
            try:
                os.write(fd, b"probe")
            finally:
                os.close(fd)
                os.unlink(name)
        except OSError as exc:
            raise refuse(f"cannot write a file in it: {exc.strerror or exc}") from None
    finally:
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()


# -- inputs versus outputs --------------------------------------------------------------------


def _resolved(path: str | Path) -> Path:
    return Path(os.path.realpath(os.path.abspath(os.fspath(path))))


def _same(a: Path, b: Path) -> bool:
    if _resolved(a) == _resolved(b):
        return True
    try:
        return os.path.samefile(a, b)  # hard links
    except OSError:  # one of them does not exist
        return False


def _inside(child: Path, parent: Path) -> bool:
    c, p = _resolved(child), _resolved(parent)
    return c == p or p in c.parents


def run_inputs(
    *,
    data: Any = None,
    model: Any = None,
    card: Any = None,
    datasheet: Any = None,
    baseline: Any = None,
    config: Any = None,
    policies: Iterable[tuple[str, Any]] = (),
    templates: Any = None,
) -> list[tuple[str, Path]]:
    """``[(role, path)]`` of everything a run reads that is named by a path (folders included:
    a Parquet dataset folder, the templates folder; a glob is expanded to its files)."""
    out: list[tuple[str, Path]] = []

    def add(role: str, value: Any) -> None:
        if isinstance(value, (str, Path)) and str(value).strip():
            out.append((role, Path(value)))

    if isinstance(data, (str, Path)):
        text = str(data)
        if glob.has_magic(text) and not Path(text).exists():
            for f in sorted(glob.glob(text, recursive=True)):
                add("dataset", f)
        else:
            add("dataset", data)
    add("model", model)
    add("model card", card)
    add("datasheet", datasheet)
    add("baseline", baseline)
    add("config", config)
    for _name, path in policies:
        add("policy file", path)
    if isinstance(templates, (str, Path)) and str(templates).strip():
        root = Path(templates)
        add("templates folder", root)
        if root.is_dir():
            for item in sorted(root.rglob("*")):
                if item.is_file() or item.is_symlink():
                    add("template", item)
    return out


def clobbered(
    out_dir: str | Path, names: Sequence[str], inputs: Iterable[tuple[str, Path]]
) -> str | None:
    """Why writing ``names`` into ``out_dir`` would overwrite or write into an input (the
    message, naming the file), or None when it would not."""
    out = Path(out_dir)
    for role, path in inputs:
        if os.path.isdir(path):
            if _inside(out, path):
                return (
                    f"the output directory {out} is inside the {role} {path}, an input of this "
                    "run; give another --out"
                )
            continue
        for name in names:
            target = out / name
            if _same(target, path):
                how = (
                    ""
                    if str(target) == str(path)
                    else (
                        " (the same file)"
                        if _resolved(target) == _resolved(path)
                        else " (a hard link to it)"
                    )
                )
                return (
                    f"writing {target} would overwrite the {role} {path}{how}, an input of this "
                    f"run; give another --out or move the {role}"
                )
    return None


def refuse_clobber(
    out_dir: str | Path, names: Sequence[str], inputs: Iterable[tuple[str, Path]]
) -> None:
    """:func:`clobbered` as a usage error (exit 2)."""
    why = clobbered(out_dir, names, inputs)
    if why is not None:
        raise UsageError(why)
