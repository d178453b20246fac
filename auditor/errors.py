"""Errors that stop a run before anything executes (exit code 2)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = [
    "NOT_A_CRASH",
    "ConfigError",
    "InputError",
    "PluginError",
    "UsageError",
    "describe_crash",
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


def suggest(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest matches, or an empty string."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=3, cutoff=0.55)
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"


def describe_crash(exc: BaseException, by: str = "") -> str:
    """One line naming a crash: ``KeyError: 'col'``. A ``sys.exit()`` call, whose exception text is
    only the exit code, is named as the call: ``SystemExit: sys.exit(3) was called``, or with ``by``
    (who called it) ``SystemExit: the check called sys.exit(3)``."""
    if isinstance(exc, SystemExit):
        call = f"sys.exit({exc.code!r})"
        return f"SystemExit: {by} called {call}" if by else f"SystemExit: {call} was called"
    return f"{type(exc).__name__}: {exc}"
