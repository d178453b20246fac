"""Errors that stop a run before anything executes (exit code 2)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["ConfigError", "InputError", "PluginError", "UsageError", "suggest"]


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
